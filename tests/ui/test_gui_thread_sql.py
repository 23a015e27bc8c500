"""The GUI thread only binds: no SQL runs on it once the kiosk is up.

Every statement the GUI thread's own SQLite connection (the :class:`~kiosk.store.Store` keeps
one per thread) executes is recorded with ``set_trace_callback`` while a citizen taps through
a whole token journey and a whole application journey in the real window. A statement there
is a disk read (or an fsync) that a busy database or a slow SD card turns into a frozen
screen, so the count must be zero: catalogue, fees, holidays, validation results and print
journal rows come from the core's caches or from a worker.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from test_application_flow import applications, open_apply, reveal, tap, type_into

from kiosk.config import Config
from kiosk.ui.app import KioskUi
from kiosk.ui.screenshot_apply import SAMPLE_ADDRESS, SAMPLE_APPLICANT, SAMPLE_INCOME


@contextmanager
def gui_thread_statements(kiosk: KioskUi) -> Iterator[list[str]]:
    """The statements run on this (the GUI) thread's connection inside the ``with`` block."""
    seen: list[str] = []
    conn: sqlite3.Connection = kiosk.store.conn  # this thread's connection
    conn.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        conn.set_trace_callback(None)


def _summary(statements: list[str]) -> str:
    counts: dict[str, int] = {}
    for s in statements:
        key = " ".join(s.split())[:90]
        counts[key] = counts.get(key, 0) + 1
    top = sorted(counts.items(), key=lambda kv: -kv[1])[:10]
    return f"{len(statements)} statements on the GUI thread:\n" + "\n".join(
        f"{n:5d}  {s}" for s, n in top)


def test_token_journey_runs_no_sql_on_the_gui_thread(
        qtbot: Any, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    session = kiosk.session
    with gui_thread_statements(kiosk) as seen:
        for name in ("startHi", "tileToken", "group_C", "priority_senior"):
            d.tap(name)
        qtbot.waitUntil(lambda: session.queue.property("printState") == "printed", timeout=20000)
        assert d.text("tokenNumber") == "C-001"
        d.tap("langToggle")  # the token screen re-words itself live
        qtbot.waitUntil(lambda: session.property("language") == "en")
        d.tap("doneButton")
        qtbot.waitUntil(lambda: d.screen() == "attract")
    assert seen == [], _summary(seen)


def test_application_journey_runs_no_sql_on_the_gui_thread(
        qtbot: Any, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    config = make_config()
    kiosk = kiosk_factory(config)
    d = drive(kiosk)
    vm = kiosk.apply
    with gui_thread_statements(kiosk) as seen:
        open_apply(d, "en")
        tap(qtbot, d, "serviceSearch")
        type_into_search(qtbot, d, "income")
        tap(qtbot, d, "service_INC")
        d.wait_for("applyFormPage")
        for answers in (SAMPLE_APPLICANT, SAMPLE_ADDRESS, SAMPLE_INCOME):
            for key, value in answers.items():
                if d.find(f"count_{key}_{value}") is not None:     # a small count: tiles
                    tap(qtbot, d, f"count_{key}_{value}")
                elif d.find(f"input_{key}") is not None or _choice(d, key, value) is None:
                    type_into(qtbot, d, key, value)
                else:
                    tap(qtbot, d, f"choice_{key}_{value}")
            step = vm.property("stepKey")
            tap(qtbot, d, "nextButton")
            qtbot.waitUntil(lambda s=step: vm.property("stepKey") != s
                            or vm.property("page") != "form")
        d.wait_for("applyDocumentsPage")
        tap(qtbot, d, "doc_aadhaar")
        tap(qtbot, d, "nextButton")
        d.wait_for("applyReviewPage")
        assert d.text("review_aadhaar") == "XXXX XXXX 5679"
        d.tap("langToggle")  # every label of the review re-read in Hindi
        qtbot.waitUntil(lambda: kiosk.session.property("language") == "hi")
        tap(qtbot, d, "consentCheck")
        qtbot.waitUntil(lambda: reveal(qtbot, d, "submitButton").isEnabled())
        tap(qtbot, d, "submitButton")
        d.wait_for("applyPaymentPage", timeout=10000)
        qtbot.waitUntil(lambda: d.find("upiReason") is not None)
        tap(qtbot, d, "payCashButton")
        d.wait_for("applyAckPage")
        qtbot.waitUntil(lambda: vm.ack.property("printState") == "printed", timeout=20000)
        assert d.text("ackNumber") == applications(config)[0]["application_no"]
        tap(qtbot, d, "ackDone")
        qtbot.waitUntil(lambda: d.screen() == "attract")
    assert seen == [], _summary(seen)


def _choice(d: Any, key: str, value: str) -> Any:
    return d.find(f"choice_{key}_{value}")


def type_into_search(qtbot: Any, d: Any, text: str) -> None:
    from test_application_flow import press_keys

    press_keys(d.kiosk.window, text)
    qtbot.waitUntil(lambda: d.kiosk.apply.property("query") == text)


def test_a_synced_catalogue_reaches_the_open_wizard_without_gui_thread_sql(
        qtbot: Any, kiosk_factory: Callable[..., KioskUi],
        make_config: Callable[..., Config], drive: Callable[[KioskUi], Any]) -> None:
    """Sync applies a new catalogue on its own thread; the cache reloads there and the
    service list on screen changes, still without a statement on the GUI thread."""
    import copy
    import threading

    from backend_client import ReferenceDocument
    from kiosk.catalogue import packaged_document
    from kiosk.sync.reference import apply_document

    kiosk = kiosk_factory(make_config())
    d = drive(kiosk)
    vm = kiosk.apply
    doc = copy.deepcopy(packaged_document())
    new = copy.deepcopy(doc["services"][1])
    new.update(code="OBCN", name_hi="ओबीसी नॉन-क्रीमी लेयर प्रमाण पत्र",
               name_en="OBC non-creamy layer certificate", days=10)
    doc["services"].append(new)
    with gui_thread_statements(kiosk) as seen:
        open_apply(d, "en")
        assert "OBCN" not in [s["code"] for s in vm.property("services")]
        worker = threading.Thread(target=apply_document, args=(
            kiosk.store, ReferenceDocument("catalogue", "2026.12-1", '"v2"', doc)))
        worker.start()
        worker.join()
        d.wait_for("service_OBCN")
        assert vm.property("services")[-1]["name"] == "OBC non-creamy layer certificate"
        d.tap("service_OBCN")
        d.wait_for("applyFormPage")
    assert seen == [], _summary(seen)
