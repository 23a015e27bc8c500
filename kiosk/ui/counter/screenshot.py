"""Counter console screens rendered to PNG offscreen, against a real centre service.

Why a real centre service and not canned data: the picture must show what an operator sees —
the server's own figures (waits, counts, refusals in both languages) through the real client,
event stream and view-models. Everything runs in a throw-away data directory: the centre
service on a free loopback port, its database, a sample morning's queue and two operators.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject

from kiosk.config import Config
from kiosk.ui.centre_screenshot import issue_sample_queue, sample_centre_config, save_grab
from kiosk.ui.pump import pump, settle

log = logging.getLogger(__name__)

#: Counter screens ``kiosk screenshot`` knows.
COUNTER_SCREENS: tuple[str, ...] = (
    "counter_login", "counter_login_refused", "counter_serving", "counter_waiting",
    "counter_transfer", "counter_break", "counter_idle", "counter_day_end",
    "counter_day_end_closed",
    # the desk: applications (desk-apply)
    "counter_apply_service", "counter_apply_applicant", "counter_apply_documents",
    "counter_apply_result", "counter_find",
    "counter_cash", "counter_cash_void")  # desk-cash
SAMPLE_PIN = "4826"
WRONG_PIN = "9137"
#: A morning's queue: (group, priority, minutes ago it was issued).
SAMPLE_QUEUE = (("C", "senior", 34), ("C", "general", 31), ("A", "general", 29),
                ("C", "general", 26), ("L", "divyang", 22), ("C", "general", 19),
                ("A", "pregnant", 15), ("R", "general", 12), ("C", "general", 9),
                ("L", "general", 7), ("T", "general", 4), ("C", "senior", 2))



def _seed(runtime: Any) -> None:
    """Two operators, a queue issued over the last half hour, counter 2 open on a break."""
    from kiosk.centre import operators
    from kiosk.centre.client import CentreClient
    from kiosk.ui.counter.login import SIM_CARD_ID, SIM_FINGER_SLOT

    people = (("op1", "Sunita Verma", SIM_CARD_ID, SIM_FINGER_SLOT),
              ("op2", "Rahul Yadav", None, None))
    with runtime.store.transaction() as conn:
        for op_id, name, card, slot in people:
            kwargs: dict[str, Any] = {"operator_id": op_id, "name": name, "role": "operator",
                                      "pin": SAMPLE_PIN, "card_id": card, "finger_slot": slot}
            kwargs["now"] = datetime.now().astimezone()
            operators.add_operator(conn, **kwargs)
    issue_sample_queue(runtime, SAMPLE_QUEUE)
    other = runtime.issue_credential("sample-counter-2", "counter")
    with CentreClient(runtime.url, device_token=other) as client:
        session = client.login("2", SAMPLE_PIN, operator_id="op2")["session_token"]
        client.act("2", "break", session)


SAMPLE_APPLICATION = "MPBPLHZR202612010042K"


def _seed_cash(runtime: Any) -> None:
    """desk-cash: a supervisor and an application entered at a counter, fee ₹20."""
    from kiosk.centre import operators

    now = datetime.now().astimezone()
    with runtime.store.transaction() as conn:
        operators.add_operator(conn, operator_id="sup1", name="Meena Sharma",
                               role="supervisor", pin="583920", now=now)
        conn.execute(
            "INSERT INTO applications (application_no, submission_id, day, seq, service_code, "
            "lang, submitted_at, due_date, answers, documents_shown, delivery, fees, fee_paise) "
            "VALUES (?, 'sample-sub-42', ?, 42, 'INC', 'hi', ?, ?, '{}', '[]', 'counter', '{}', "
            "2000)", (SAMPLE_APPLICATION, now.date().isoformat(), now.isoformat(),
                      now.date().isoformat()))


def _drive_cash(ui: Any, name: str) -> None:
    """desk-cash: the fee looked up, ₹50 received, cash taken and the receipt printed."""
    cash = ui.cash
    cash.lookUp(SAMPLE_APPLICATION)
    pump(lambda: bool(cash.property("hasDue")) and not cash.property("busy"))
    cash.setReceived("50")
    cash.takeCash()
    pump(lambda: cash.property("printState") in ("printed", "failed")
         and not cash.property("busy"), timeout_s=15)
    pump(lambda: cash.property("cashInHand") != "" and not cash.property("busy"))
    if name == "counter_cash_void":
        _popup(ui, "cashVoidPopup").setProperty("visible", True)


def _popup(ui: Any, name: str) -> QObject:
    found = ui.window.findChild(QObject, name)
    if found is None:
        raise RuntimeError(f"no {name} in the console")
    return found


def drive_counter(ui: Any, name: str) -> None:
    """Put the console into the sample state of screen ``name`` through its view-models."""
    login, console = ui.login, ui.console
    pump(lambda: ui.link.property("state") == "online", timeout_s=15)
    pump(lambda: bool(ui.waiting.property("groups")), timeout_s=10)
    if name == "counter_login":
        return
    if name == "counter_login_refused":
        login.submit("op1", WRONG_PIN)
        pump(lambda: login.property("message") != "" and not login.property("busy"))
        return
    login.submit("op1", SAMPLE_PIN)
    pump(lambda: bool(login.property("loggedIn")))
    pump(lambda: console.property("counterState") == "open")
    if name == "counter_waiting":
        for _ in range(2):  # two served this morning, nobody at the desk right now
            console.callNext()
            pump(lambda: bool(console.property("hasToken")) and not console.property("busy"))
            console.complete()
            pump(lambda: not console.property("hasToken") and not console.property("busy"))
        pump(lambda: console.property("served") == 2)
        return
    if name.startswith("counter_day_end"):
        _drive_day_end(ui, closed=name == "counter_day_end_closed")
        return
    if name.startswith("counter_cash"):
        console.callNext()
        pump(lambda: bool(console.property("hasToken")) and not console.property("busy"))
        _drive_cash(ui, name)
        return
    if name == "counter_break":
        console.toggleBreak()
        pump(lambda: bool(console.property("onBreak")) and not console.property("busy"))
        return
    console.callNext()
    pump(lambda: bool(console.property("hasToken")) and not console.property("busy"))
    if name.startswith(("counter_apply_", "counter_find")):
        drive_desk_apply(ui, name)
        return
    if name == "counter_transfer":
        _popup(ui, "transferPopup").setProperty("visible", True)
    elif name == "counter_idle":
        login._last_activity -= login.idle_logout_s - 25  # 25 s before the idle log-out
        pump(lambda: bool(login.property("countdownVisible")))


def _seed_day_end(runtime: Any) -> None:
    """A day's worth of rows (tokens since 9:30, applications, counter 1's cash receipts) and
    a supervisor, so the day-end shows real figures and a chart."""
    from kiosk.centre import operators
    from kiosk.centre.day_sample import seed_day

    seed_day(runtime.store, runtime.service.today(), tokens=240, applications=90,
             tz=runtime.service.tz, declare=False, first_seq=3001)
    with runtime.store.transaction() as conn:
        operators.add_operator(conn, operator_id="sup1", name="Meena Sharma", role="supervisor",
                               pin=SAMPLE_PIN, now=datetime.now().astimezone())


def _drive_day_end(ui: Any, *, closed: bool) -> None:
    """Counter 1's day-end: counted ₹50 short (a supervisor needed), or closed with one."""
    from kiosk.ui.counter.day_end import parse_rupees

    day_end = ui.day_end
    day_end.open()
    pump(lambda: bool(day_end.property("loaded")) and not day_end.property("busy"), timeout_s=10)
    expected = parse_rupees(str(day_end.property("expectedText")).replace("₹", "")) or 0
    day_end.setCount(f"{(expected - 5000) / 100:.2f}")
    day_end.declare()
    pump(lambda: day_end.property("state") == "declared" and not day_end.property("busy"))
    if closed:
        day_end.closeDayEnd("sup1", SAMPLE_PIN, "₹50 short: counted twice")
        pump(lambda: day_end.property("state") == "closed" and not day_end.property("busy"))

#: A citizen's answers as an operator types them (the wizard checks them at the centre).
SAMPLE_ANSWERS = {
    "name_hi": "सुनीता देवी", "name_en": "Sunita Devi", "relation": "husband",
    "relative_name": "Ramesh Kumar", "dob": "15-08-1985", "gender": "female",
    "mobile": "9876543210", "aadhaar": "", "house": "12, Ward 4", "village": "Berasia Road",
    "tehsil": "Huzur", "district": "Bhopal", "pin": "462001", "annual_income": "84000",
    "income_source": "labour", "family_members": "4", "purpose": "education",
}


def drive_desk_apply(ui: Any, name: str) -> None:
    """The desk's wizard and find screen in their sample states (token C-001 called)."""
    wizard, find = ui.desk_wizard, ui.desk_find
    if name == "counter_find":
        _enter_sample(ui)
        find.open()
        find.search("3210")
        pump(lambda: bool(find.property("selected")) and not find.property("busy"))
        return
    wizard.start()
    pump(lambda: bool(wizard.property("active")))
    if name == "counter_apply_service":
        return
    answers = dict(SAMPLE_ANSWERS)
    if name == "counter_apply_applicant":
        answers.update(mobile="98765", dob="31-02-1985")  # two slips of the keyboard
    for key, value in answers.items():
        wizard.setAnswer(key, value)
    wizard.chooseService("INC")
    if name == "counter_apply_applicant":
        wizard.next()
        pump(lambda: bool(wizard.property("errors")) and not wizard.property("busy"))
        return
    for _ in range(3):  # applicant, address, the service's own questions
        step = int(wizard.property("stepIndex"))
        wizard.next()
        _wait_step(wizard, step)
    wizard.toggleDocument("income_declaration")
    if name == "counter_apply_result":
        wizard.toggleDocument("aadhaar")
        wizard.submit()
        pump(lambda: bool(wizard.property("done")))


def _wait_step(wizard: Any, step: int) -> None:
    def moved() -> bool:
        return int(wizard.property("stepIndex")) != step and not wizard.property("busy")

    pump(moved)


def _enter_sample(ui: Any) -> None:
    """One application entered for the called token, as the wizard would."""
    import uuid

    session = ui.login.session_token
    token = str(ui.console.property("tokenNumber"))
    ui.link.client.submit_application(session, "INC", dict(SAMPLE_ANSWERS),
                                      submission_id=str(uuid.uuid4()), token=token,
                                      documents_shown=["aadhaar"])


def render_counter_screen(name: str, lang: str, out_png: Path | str,
                          size: tuple[int, int] = (1366, 768),
                          config: Config | None = None) -> Path:
    """Render counter screen ``name`` in ``lang`` at ``size`` and save it as PNG."""
    from kiosk.centre.runtime import start_centre
    from kiosk.devices.sim import sim_registry
    from kiosk.ui.counter.app import build_counter

    if name not in COUNTER_SCREENS:
        raise ValueError(f"unknown counter screen {name!r}; one of: {', '.join(COUNTER_SCREENS)}")
    out = Path(out_png)
    # As run_counter: no pop-up keyboard window when a field takes the focus (the day-end's
    # count field does); read when the application is created, which happens below.
    os.environ.setdefault("QT_VIRTUALKEYBOARD_DESKTOP_DISABLE", "1")
    with sample_centre_config(config, "kiosk-counter-shot-") as sample:
        runtime = start_centre(sample, port=0, forward=True)
        ui = None
        try:
            _seed(runtime)
            if name.startswith("counter_day_end"):
                _seed_day_end(runtime)
            if name.startswith("counter_cash"):
                _seed_cash(runtime)
            sample.raw["centre"]["url"] = runtime.url
            ui = build_counter(sample, "1", lang=lang, size=size, devices=True, hotplug=False,
                               idle_logout_s=600 if name == "counter_idle" else None)
            ui.start_background_now()
            drive_counter(ui, name)
            _wait_backend(ui)
            settle(500)
            save_grab(ui.window, out)
        finally:
            if ui is not None:
                ui.close()
            runtime.close()
            sim_registry.reset()
    log.info("rendered %s (%s, %dx%d) to %s", name, lang, size[0], size[1], out)
    return out


def _wait_backend(ui: Any) -> None:
    """Give the centre's forwarder a moment to reach the (embedded) state backend."""
    try:
        pump(lambda: ui.link.property("backendState") == "online", timeout_s=8)
    except TimeoutError:
        log.info("state backend not online for the picture; shown as it is")


__all__ = ["COUNTER_SCREENS", "drive_counter", "render_counter_screen"]
