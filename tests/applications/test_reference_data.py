"""The reference-data cache: read once, reloaded exactly when sync applies a document it holds.

A screen asks for the catalogue and the due date many times a second; what it gets must be the
document in force (a district holiday pushed this morning moves the date the citizen is told)
without a database read per question.
"""

from __future__ import annotations

import copy
import threading
from datetime import date, datetime

from backend_client import ReferenceDocument
from kiosk.catalogue import packaged_document
from kiosk.config import Config
from kiosk.reference_data import ReferenceData
from kiosk.store import Store
from kiosk.sync.reference import apply_document

from .conftest import MONDAY_AFTERNOON

HOLIDAYS = {"holidays": [{"date": "2026-11-25", "district": "Bhopal", "name_hi": "स्थानीय अवकाश",
                          "name_en": "Local holiday"}]}


def _statements(store: Store) -> list[str]:
    seen: list[str] = []
    store.conn.set_trace_callback(seen.append)
    return seen


def test_reads_after_load_touch_no_database(store: Store, config: Config) -> None:
    ref = ReferenceData(store, config.district, config.holiday_subdivision)
    ref.load()
    seen = _statements(store)
    for _ in range(50):
        assert ref.catalogue().get("INC") is not None
        ref.calendar().due_date(MONDAY_AFTERNOON, 3, False)
    assert seen == []


def test_an_applied_holiday_moves_the_due_date_and_tells_listeners_once(
        store: Store, config: Config) -> None:
    ref = ReferenceData(store, config.district, config.holiday_subdivision)
    before = ref.calendar().due_date(MONDAY_AFTERNOON, 2, False)
    told: list[str] = []
    ref.add_listener(lambda: told.append(threading.current_thread().name))
    version = ref.version

    worker = threading.Thread(target=apply_document, name="sync-worker",
                              args=(store, ReferenceDocument("holidays", "1", '"h1"', HOLIDAYS)))
    worker.start()
    worker.join()

    after = ref.calendar().due_date(MONDAY_AFTERNOON, 2, False)
    # Tuesday is Guru Nanak Jayanti; Wednesday is now the district's own holiday too.
    assert (before, after) == (date(2026, 11, 26), date(2026, 11, 27))
    assert told == ["sync-worker"]  # on the applying thread, not the reader's
    assert ref.version == version + 1


def test_a_new_catalogue_replaces_the_cached_one_and_other_documents_do_not_reload(
        store: Store, config: Config) -> None:
    ref = ReferenceData(store, config.district, config.holiday_subdivision)
    assert ref.catalogue().get("OBCN") is None
    told: list[int] = []
    ref.add_listener(lambda: told.append(ref.version))
    doc = copy.deepcopy(packaged_document())
    new = copy.deepcopy(doc["services"][1])
    new.update(code="OBCN", name_hi="ओबीसी नॉन-क्रीमी लेयर प्रमाण पत्र",
               name_en="OBC non-creamy layer certificate", days=10)
    doc["services"].append(new)
    apply_document(store, ReferenceDocument("catalogue", "2026.12-1", '"v2"', doc))
    assert ref.catalogue().get("OBCN") is not None and ref.catalogue().source == "synced"
    apply_document(store, ReferenceDocument("revocations", "1", '"r1"', {"revoked": []}))
    assert len(told) == 1


def test_a_closed_cache_stops_listening(store: Store, config: Config) -> None:
    ref = ReferenceData(store, config.district, config.holiday_subdivision)
    ref.calendar()
    ref.close()
    apply_document(store, ReferenceDocument("holidays", "1", '"h1"', HOLIDAYS))
    assert ref.calendar().due_date(datetime(2026, 11, 23, 15, 20), 2, False) == \
        date(2026, 11, 26)  # still the calendar it had
