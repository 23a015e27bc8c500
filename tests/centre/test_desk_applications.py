"""Applications at the desk: entered for the called token, looked up (audited), documents seen,
and the kiosks' copies handed over — over real HTTP, real SQLite, the kiosk's own service."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from centre_helpers import IST, PIN, Clock, add_operator, assert_bilingual, make_service, new_id

from kiosk.application_cli import template
from kiosk.applications import (
    ApplicationService,
    InvalidApplicationError,
    normalise_application_no,
    split_proof,
    status_qr_payload,
)
from kiosk.catalogue import packaged_catalogue
from kiosk.centre.client import CentreClient
from kiosk.centre.desk_applications import InvalidAnswersError
from kiosk.centre.errors import (
    BadRequestError,
    CentreUnreachableError,
    ForbiddenError,
    NotAllowedError,
    NotFoundError,
)
from kiosk.centre.server import CentreServer
from kiosk.centre.service import CentreService
from kiosk.config import Config, load_config
from kiosk.issuing.application_handover import ApplicationHandover
from kiosk.issuing.issuer import CentreEndpoint, CentreIssuer
from kiosk.store import Store

#: Monday 23 November 2026, 11:00 (a working day; the clock the kiosk tests use, earlier).
MONDAY = datetime(2026, 11, 23, 11, 0, tzinfo=IST)


def answers(code: str) -> dict[str, Any]:
    cat = packaged_catalogue()
    svc = cat.get(code)
    assert svc is not None
    return dict(template(cat, svc, MONDAY.date(), "hi")["answers"])


class Desk:
    """A centre on loopback with a called token at counter 1 and its operator's session."""

    def __init__(self, tmp_path: Path) -> None:
        self.config = load_config(data_dir=tmp_path / "data", environ={})
        self.clock = Clock(MONDAY)
        self.svc: CentreService = make_service(tmp_path / "centre.sqlite3", self.config,
                                               self.clock)
        for who, role in (("op1", "operator"), ("sup1", "supervisor"), ("tech1", "technician")):
            add_operator(self.svc.store, who, role=role)
        self.server = CentreServer(self.svc).start()
        self.client = CentreClient(self.server.url)
        self.client.enrol("CODE-1", "COUNTER-1", "counter")
        self.token = self.svc.issue(new_id(), "C")
        self.session = self.client.login("1", PIN, operator_id="op1")["session_token"]
        self.called = self.client.act("1", "call-next", self.session)["token"]

    def audit(self, action: str) -> list[dict[str, Any]]:
        return [json.loads(r[0]) for r in self.svc.store.conn.execute(
            "SELECT detail FROM audit_log WHERE action = ? ORDER BY id", (action,))]

    def count(self, sql: str) -> int:
        return int(self.svc.store.conn.execute(sql).fetchone()[0])

    def close(self) -> None:
        self.client.close()
        self.server.close()
        self.svc.store.close()


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    d = Desk(tmp_path)
    try:
        yield d
    finally:
        d.close()


def test_an_operator_enters_an_application_for_the_called_token(desk: Desk) -> None:
    data = {**answers("INC"), "aadhaar": "2345 6789 0124"}
    app = desk.client.submit_application(desk.session, "INC", data, submission_id=new_id(),
                                         token=desk.called["number"],
                                         documents_shown=["aadhaar"], lang="hi")
    no = app["application_no"]
    assert normalise_application_no(no) == no and "-20261123-900001-" in no  # the desk's band
    assert app["source"] == "desk" and app["token_number"] == desk.called["number"]
    assert app["counter"] == "1" and app["operator"] == "op1"
    assert app["fee_paise"] > 0 and app["payment"]["method"] == "cash"
    assert app["aadhaar_last4"] == "0124" and app["documents_seen"] == ["aadhaar"]
    # the kiosk's rules gave the same fee and due date as a kiosk would for the same answers
    kiosk_quote = ApplicationService(Store(desk.config.data_dir / "k.sqlite3"), desk.config,
                                     catalogue=packaged_catalogue, clock=desk.clock)
    try:
        assert kiosk_quote.quote("INC", data, "centre").total_paise == app["fee_paise"]
    finally:
        kiosk_quote.store.close()
        kiosk_quote.reference.close()
    # state: one outbox entry for the state backend; the audit entry carries no personal data
    kinds = [r[0] for r in desk.svc.store.conn.execute("SELECT kind FROM outbox")]
    assert kinds.count("application.submitted") == 1
    [entry] = desk.audit("application.entered")
    assert entry == {"application_no": no, "service": "INC", "token": desk.called["number"],
                     "fee_paise": app["fee_paise"]}
    row = desk.svc.store.conn.execute("SELECT token_id, counter FROM applications").fetchone()
    assert tuple(row) == (desk.called["id"], "1")


def test_a_second_submit_of_one_session_is_the_same_application(desk: Desk) -> None:
    sub = new_id()
    first = desk.client.submit_application(desk.session, "CST", answers("CST"),
                                           submission_id=sub)
    desk.client.act("1", "complete", desk.session)  # the token has left the counter
    again = desk.client.submit_application(desk.session, "CST", answers("CST"),
                                           submission_id=sub)
    assert first["application_no"] == again["application_no"]
    assert desk.count("SELECT COUNT(*) FROM applications") == 1
    assert len(desk.audit("application.entered")) == 1


def test_validation_refusals_are_the_kiosks_own(desk: Desk, tmp_path: Path) -> None:
    bad = {**answers("DOM"), "mobile": "12345", "pin": "110001"}
    with pytest.raises(InvalidAnswersError) as info:
        desk.client.submit_application(desk.session, "DOM", bad, submission_id=new_id())
    kiosk = ApplicationService(Store(tmp_path / "kiosk.sqlite3"), desk.config,
                               catalogue=packaged_catalogue, clock=desk.clock)
    try:
        with pytest.raises(InvalidApplicationError) as same:
            kiosk.submit("DOM", bad, lang="hi")
    finally:
        kiosk.store.close()
        kiosk.reference.close()
    expected = [{"key": e.key, "message_en": e.message("en"), "message_hi": e.message("hi")}
                for e in same.value.errors]
    assert info.value.fields == expected and {f["key"] for f in expected} == {"mobile", "pin"}
    assert_bilingual(info.value)
    assert desk.count("SELECT COUNT(*) FROM applications") == 0
    with pytest.raises(BadRequestError) as unknown:
        desk.client.submit_application(desk.session, "XYZ", bad, submission_id=new_id())
    assert_bilingual(unknown.value)


def test_only_the_token_at_this_counter_can_be_linked(desk: Desk) -> None:
    other = desk.svc.issue(new_id(), "C")
    with pytest.raises(NotAllowedError) as info:
        desk.client.submit_application(desk.session, "INC", answers("INC"),
                                       submission_id=new_id(), token=other["number"])
    assert_bilingual(info.value)
    desk.client.act("1", "complete", desk.session)
    with pytest.raises(NotAllowedError):  # nothing is called now
        desk.client.submit_application(desk.session, "INC", answers("INC"),
                                       submission_id=new_id())
    assert desk.count("SELECT COUNT(*) FROM applications") == 0
    assert desk.count("SELECT COUNT(*) FROM outbox WHERE kind = 'application.submitted'") == 0


def test_every_look_up_is_audited_and_a_technician_is_refused(desk: Desk) -> None:
    data = {**answers("INC"), "mobile": "9876543210"}
    no = desk.client.submit_application(desk.session, "INC", data,
                                        submission_id=new_id())["application_no"]
    full = desk.client.application(desk.session, no.lower())
    assert full["answers"]["mobile"] == "9876543210" and full["checklist"]
    by_mobile = desk.client.find_applications(desk.session, "3210")
    by_token = desk.client.find_applications(desk.session, desk.called["number"].replace(
        "-00", "").lower())  # "c1" as typed in a hurry
    by_no = desk.client.find_applications(desk.session, no)
    for found, kind in ((by_mobile, "mobile"), (by_token, "token"), (by_no, "number")):
        assert found["query_kind"] == kind
        assert [a["application_no"] for a in found["applications"]] == [no]
    assert by_mobile["applications"][0]["mobile"] == "98XXXXXX10"
    viewed = desk.audit("application.viewed")
    assert len(viewed) == 4 and viewed[0] == {"application_no": no, "source": "desk"}
    assert "3210" not in json.dumps(viewed) and "9876543210" not in json.dumps(viewed)
    with pytest.raises(NotFoundError):
        desk.client.application(desk.session, "MP-BPL-HZR-20261123-0099-X")
    with pytest.raises(BadRequestError) as bad:
        desk.client.find_applications(desk.session, "ab")
    assert_bilingual(bad.value)
    # a supervisor may look; a technician may not (and the refusal is in the trail)
    desk.client.logout(desk.session)
    sup = desk.client.login("2", PIN, operator_id="sup1")["session_token"]
    assert desk.client.application(sup, no)["application_no"] == no
    tech = desk.client.login("3", PIN, operator_id="tech1")["session_token"]
    with pytest.raises(ForbiddenError) as info:
        desk.client.application(tech, no)
    assert_bilingual(info.value)
    with pytest.raises(ForbiddenError):
        desk.client.find_applications(tech, "3210")
    assert [d["code"] for d in desk.audit("application.refused")] == ["technician"] * 2
    assert len(desk.audit("application.viewed")) == 5


def test_documents_seen_and_reprints_are_recorded(desk: Desk) -> None:
    no = desk.client.submit_application(desk.session, "INC", answers("INC"),
                                        submission_id=new_id())["application_no"]
    checklist = desk.client.application(desk.session, no)["checklist"]
    assert len(checklist) >= 2
    seen = desk.client.documents_seen(desk.session, no, checklist[:2])
    assert seen["documents_seen"] == sorted(checklist[:2])
    assert desk.client.application(desk.session, no)["documents_seen"] == sorted(checklist[:2])
    with pytest.raises(BadRequestError) as info:
        desk.client.documents_seen(desk.session, no, ["passport-of-mars"])
    assert_bilingual(info.value)
    assert desk.audit("application.documents_seen") == [
        {"application_no": no, "documents": checklist[:2], "count": 2}]
    desk.client.record_print(desk.session, no, "acknowledgement")
    assert desk.audit("application.ack_reprinted") == [{"application_no": no, "printed": True}]


def test_two_kiosks_and_the_desk_number_without_collision(desk: Desk, tmp_path: Path) -> None:
    numbers = []
    for station in (0, 1):
        config = load_config(data_dir=tmp_path / f"k{station}", environ={})
        config.raw["kiosk"]["station"] = station
        with Store(tmp_path / f"k{station}.sqlite3") as store:
            apps = ApplicationService(store, config, catalogue=packaged_catalogue,
                                      clock=desk.clock)
            numbers += [apps.submit("INC", answers("INC"), lang="hi").application_no
                        for _ in range(2)]
            apps.reference.close()
    numbers += [desk.client.submit_application(desk.session, "INC", answers("INC"),
                                               submission_id=new_id())["application_no"]]
    assert len(set(numbers)) == 5
    assert [n.split("-")[-2] for n in numbers] == ["0001", "0002", "10001", "10002", "900001"]
    for n in numbers:  # typed in lower case with spaces, or scanned from the slip's QR
        assert normalise_application_no(" " + n.lower() + " ") == n
        qr = status_qr_payload(n, "ABCDEFGHIJKLMNOP")
        assert normalise_application_no(qr) == n and split_proof(qr)[1] == "ABCDEFGHIJKLMNOP"


def test_a_bad_station_is_named_and_zero_used() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "kiosk.toml"
        path.write_text("[kiosk]\nstation = 95\n", encoding="utf-8")
        config = load_config(path, data_dir=Path(d), environ={})
    assert config.station == 0 and any("kiosk.station" in p for p in config.problems)


# -- the kiosks' copies ---------------------------------------------------------------------


def kiosk_side(tmp_path: Path, desk: Desk, url: str) -> tuple[Store, Config, CentreIssuer]:
    config = load_config(data_dir=tmp_path / "kiosk", environ={})
    config.raw["kiosk"]["station"] = 3
    store = Store(tmp_path / "kiosk.sqlite3")
    issuer = CentreIssuer(store, config, CentreEndpoint(url, enrolment_code="CODE-1"),
                          kiosk_id="MP-BPL-HZR-3", issue_timeout_s=1.0)
    return store, config, issuer


def wait_until(cond: Any, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    event = threading.Event()
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        event.wait(0.02)


def test_a_kiosk_hands_over_its_applications_and_a_centre_down_loses_nothing(
        desk: Desk, tmp_path: Path) -> None:
    port = desk.server.port
    desk.server.close()  # the centre is down while the kiosk takes applications
    store, config, issuer = kiosk_side(tmp_path, desk, f"http://127.0.0.1:{port}")
    apps = ApplicationService(store, config, catalogue=packaged_catalogue, clock=desk.clock)
    handover = ApplicationHandover(store, config, issuer, interval_s=30, first_retry_s=0.05,
                                   max_backoff_s=0.2)
    apps.on_stored = handover.wake
    server = None
    try:
        nos = [apps.submit("INC", {**answers("INC"), "mobile": "9123456780"}, lang="hi")
               .application_no for _ in range(2)]
        assert handover.hand_over_once() is False and handover.unreported() == 2
        handover.start()  # retries on its own …
        server = CentreServer(desk.svc, port=port).start()  # … until the centre is back
        wait_until(lambda: handover.unreported() == 0)
        assert handover.handed_over == 2
        held = [r[0] for r in desk.svc.store.conn.execute(
            "SELECT application_no FROM kiosk_applications ORDER BY application_no")]
        assert held == nos and all("-30001-" in n or "-30002-" in n for n in nos)
        client = CentreClient(server.url)
        client.enrol("CODE-1", "COUNTER-9", "counter")
        try:
            found = client.find_applications(desk.session, "6780")["applications"]
            assert {a["application_no"] for a in found} == set(nos)
            assert {a["source"] for a in found} == {"kiosk"}
            full = client.application(desk.session, nos[0])
            assert full["kiosk_id"] == "MP-BPL-HZR-3" and full["answers"]["mobile"] == \
                "9123456780" and full["proof_secret"]
            # idempotent: a resend (a crash between "sent" and "marked") changes nothing
            record = json.loads(desk.svc.store.conn.execute(
                "SELECT record FROM kiosk_applications WHERE application_no = ?",
                (nos[0],)).fetchone()[0])
            for key in ("source", "kiosk_id"):
                record.pop(key, None)
            again = issuer.call(lambda c: c.hand_over_application(nos[0], record))
            assert again["duplicate"] is True
            # another kiosk with the same number (one station on two kiosks) is refused
            other = CentreClient(server.url)
            other.enrol("CODE-1", "MP-BPL-HZR-4", "kiosk")
            try:
                with pytest.raises(NotAllowedError) as info:
                    other.hand_over_application(nos[0], record)
                assert_bilingual(info.value)
            finally:
                other.close()
        finally:
            client.close()
        assert desk.count("SELECT COUNT(*) FROM kiosk_applications") == 2
        # the kiosk's own outbox still reports both to the state
        assert store.conn.execute("SELECT COUNT(*) FROM outbox WHERE kind = "
                                  "'application.submitted'").fetchone()[0] == 2
    finally:
        handover.close()
        issuer.close()
        apps.reference.close()
        store.close()
        if server is not None:
            server.close()


def test_a_counter_cannot_hand_over_and_the_unreachable_is_its_own_error(desk: Desk) -> None:
    with pytest.raises(ForbiddenError):
        desk.client.hand_over_application("MP-BPL-HZR-20261123-0001-F", {})
    dead = CentreClient("http://127.0.0.1:9", timeout=0.5)
    with pytest.raises(CentreUnreachableError):
        dead.hand_over_application("X", {})
    dead.close()


def test_a_step_is_checked_with_the_kiosks_rules(desk: Desk) -> None:
    good = answers("INC")
    assert desk.client.check_step(desk.session, "INC", "applicant", good) == []
    bad = desk.client.check_step(desk.session, "INC", "applicant", {**good, "mobile": "123"})
    assert [e["key"] for e in bad] == ["mobile"]
    assert bad[0]["message_hi"] != bad[0]["message_en"]
    assert desk.count("SELECT COUNT(*) FROM applications") == 0
