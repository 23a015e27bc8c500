"""Proof of possession for the status screen (issue 11, finding 2), on a real SQLite store:
the acknowledgement's QR secret, the registered mobile's last 4 digits, the per-kiosk rate
limit (surviving a restart), applications stored before secrets existed, and the masks."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosk.application_lookup import PROOF_LIMIT, PROOF_WINDOW, ApplicationLookup
from kiosk.applications import (
    ApplicationService,
    new_proof_secret,
    normalise_application_no,
    split_proof,
    status_qr_payload,
)
from kiosk.catalogue import packaged_catalogue
from kiosk.config import Config
from kiosk.masking import first_cluster, mask_mobile, mask_name
from kiosk.store import MIGRATIONS, Store

Answers = Callable[[str], dict[str, Any]]


def test_masks_keep_only_the_first_letter_a_reader_sees() -> None:
    assert mask_name("सुनीता देवी") == "सु*** दे***"
    assert mask_name("श्रीमती क्षमा त्रिपाठी") == "श्री*** क्ष*** त्रि***"  # conjuncts whole
    assert mask_name("ज़ैनब  ख़ान") == "ज़ै*** ख़ा***"                       # nukta + matra
    assert mask_name("Sunita Devi") == "S*** D***"
    assert first_cluster("") == "" and mask_name("") == ""
    assert mask_mobile("9876543210") == "98XXXXXX10"
    assert mask_mobile("+91 98765 43210") == "98XXXXXX10"
    assert mask_mobile("12345") == "XXXXX"


def test_secrets_are_unguessable_and_ride_in_the_qr(apps: ApplicationService,
                                                    answers: Answers) -> None:
    a = apps.submit("INC", answers("INC"), lang="hi")
    b = apps.submit("INC", answers("INC"), lang="hi")
    assert a.proof_secret and b.proof_secret and a.proof_secret != b.proof_secret
    assert len({new_proof_secret() for _ in range(1000)}) == 1000
    payload = status_qr_payload(a.application_no, a.proof_secret)
    assert payload == f"ACK:{a.application_no}.{a.proof_secret}"
    assert split_proof(payload) == (f"ACK:{a.application_no}", a.proof_secret)
    assert normalise_application_no(payload) == a.application_no
    assert split_proof(a.application_no) == (a.application_no, None)


def test_proof_by_qr_secret_or_mobile_digits(apps: ApplicationService, answers: Answers) -> None:
    data = answers("INC")
    app = apps.submit("INC", data, lang="hi")
    records = ApplicationLookup(apps)
    no = app.application_no
    assert records.prove(no, secret=app.proof_secret).ok
    assert records.prove(no, secret=str(app.proof_secret).lower()).ok  # scanners vary case
    assert records.prove(no, mobile_digits=str(data["mobile"])[-4:]).ok
    assert not records.prove(no, secret=new_proof_secret()).ok
    assert not records.prove(no, mobile_digits=str(data["mobile"])[-5:-1]).ok
    other = apps.submit("INC", data, lang="hi")
    assert not records.prove(other.application_no, secret=app.proof_secret).ok


def test_wrong_proofs_cool_the_kiosk_off_and_a_restart_does_not_reset_it(
        tmp_path: Path, config: Config, clock: list[datetime], answers: Answers) -> None:
    path = tmp_path / "kiosk.sqlite3"
    data = answers("INC")
    right = str(data["mobile"])[-4:]
    wrong = "0000" if right != "0000" else "1111"
    with Store(path) as store:
        apps = ApplicationService(store, config, catalogue=packaged_catalogue,
                                  clock=lambda: clock[0])
        app = apps.submit("INC", data, lang="hi")
        records = ApplicationLookup(apps)
        tries = [records.prove(app.application_no, mobile_digits=wrong)
                 for _ in range(PROOF_LIMIT)]
        assert [t.tries_left for t in tries] == list(range(PROOF_LIMIT - 1, -1, -1))
        assert tries[-1].locked_for_s == int(PROOF_WINDOW.total_seconds())
    # A restart (a new process on the same file) remembers the failures.
    with Store(path) as store:
        apps = ApplicationService(store, config, catalogue=packaged_catalogue,
                                  clock=lambda: clock[0])
        records = ApplicationLookup(apps)
        clock[0] += timedelta(minutes=1)
        locked = records.prove(app.application_no, mobile_digits=right)
        assert not locked.ok and 0 < locked.locked_for_s <= 14 * 60  # refused unchecked
        assert records.locked_for() == locked.locked_for_s
        # The slip's QR still works: 80 random bits cannot be guessed, so no lock needed.
        assert records.prove(app.application_no, secret=app.proof_secret).ok
        clock[0] += PROOF_WINDOW
        assert records.locked_for() == 0
        assert records.prove(app.application_no, mobile_digits=right).ok
        count = store.conn.execute("SELECT COUNT(*) FROM status_proof_failures").fetchone()[0]
        assert count == PROOF_LIMIT  # the try refused while locked was not even checked


def test_an_application_from_before_secrets_is_proven_by_mobile_only(
        tmp_path: Path, config: Config, answers: Answers) -> None:
    """A kiosk upgraded from schema v4: its applications get no secret (NULL), so only the
    mobile's digits prove them; new ones get a secret."""
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    for number, script in enumerate(MIGRATIONS[:4], start=1):
        conn.executescript(script)
        conn.execute(f"PRAGMA user_version={number}")
    data = {**answers("INC"), "mobile": "9123456789"}
    conn.execute(
        "INSERT INTO applications (application_no, submission_id, day, seq, service_code, lang,"
        " submitted_at, due_date, answers, documents_shown, delivery, fees, fee_paise) VALUES "
        "('MP-BPL-HZR-20261120-0001-X', 's-1', '2026-11-20', 1, 'INC', 'hi', "
        "'2026-11-20T10:00:00+05:30', '2026-11-27', ?, '[]', 'centre', "
        "'[]', 0)", (json.dumps(data),))
    conn.commit()
    conn.close()
    with Store(path) as store:
        assert store.schema_version == len(MIGRATIONS)
        apps = ApplicationService(store, config, catalogue=packaged_catalogue)
        old = apps.get("MP-BPL-HZR-20261120-0001-X")
        assert old is not None and old.proof_secret is None
        records = ApplicationLookup(apps)
        assert not records.prove(old.application_no, secret=new_proof_secret()).ok
        assert records.prove(old.application_no, mobile_digits="6789").ok
        assert apps.submit("INC", answers("INC"), lang="hi").proof_secret


@pytest.mark.parametrize("digits", ["", "123", "12345", "abcd"])
def test_malformed_digits_never_prove(apps: ApplicationService, answers: Answers,
                                      digits: str) -> None:
    app = apps.submit("INC", answers("INC"), lang="hi")
    assert not ApplicationLookup(apps).prove(app.application_no, mobile_digits=digits).ok
