"""The longest the GUI thread stops during a citizen's token and application journeys.

A 16 ms QTimer runs on the GUI thread for the whole journey; every gap between its ticks
longer than one frame is a stall a finger can feel. The journeys are the real kiosk
(``build_kiosk``: QML, view-models, workers, SQLite, the print pipeline to the in-process
simulated printer), driven through the view-models' slots the buttons call, each step issued
from the event loop like a tap; the application journey also taps three text boxes, so each
on-screen keyboard's first open (Devanagari, Latin, number pad) is measured. Prints the longest
stall per journey and overall (target ≤ 50 ms) and the three worst steps with their stalls.
Run on an otherwise idle machine::

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_gui_stalls.py [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer  # noqa: E402
from PySide6.QtGui import QGuiApplication  # noqa: E402
from PySide6.QtQuick import QQuickItem  # noqa: E402

from kiosk.config import load_config  # noqa: E402
from kiosk.ui.app import KioskUi, build_kiosk, prepare_environment  # noqa: E402
from kiosk.ui.screenshot_apply import (  # noqa: E402
    SAMPLE_ADDRESS,
    SAMPLE_APPLICANT,
    SAMPLE_INCOME,
)

FRAME_S = 0.016
_step = "start"


class StallProbe:
    """Ticks every frame; a late tick is a stall, charged to the step that was running.

    Each stall also records the CPU time the GUI thread itself used in that late interval
    (``time.thread_time``, the interval's 16 ms included): on a machine shared with other work
    the wall-clock gap includes time the scheduler gave to other processes, which no change to
    the kiosk removes; the CPU part is what the kiosk's own code (and, offscreen, the software
    renderer, which draws on the GUI thread) cost.
    """

    def __init__(self) -> None:
        self.step = "start"
        #: (wall-clock stall ms, GUI-thread CPU ms in that interval, step)
        self.stalls: list[tuple[float, float, str]] = []
        self._last = time.perf_counter()
        self._last_cpu = time.thread_time()
        self._timer = QTimer()
        self._timer.setInterval(int(FRAME_S * 1000))
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        gap = now - self._last - FRAME_S
        if gap > 0.004:
            self.stalls.append((gap * 1000, (cpu - self._last_cpu) * 1000, self.step))
        self._last, self._last_cpu = now, cpu

    def stop(self) -> None:
        self._timer.stop()


def run_loop(until: Callable[[], bool], timeout: float = 20.0, then_ms: int = 120) -> None:
    app = QCoreApplication.instance()
    assert app is not None
    deadline = time.monotonic() + timeout
    while not until():
        if time.monotonic() > deadline:
            raise TimeoutError(f"the journey did not get past {_step}")
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
    end = time.monotonic() + then_ms / 1000   # let the next screen's fade and layout run
    while time.monotonic() < end:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)


def tap(probe: StallProbe, label: str, action: Callable[[], None],
        until: Callable[[], bool]) -> None:
    """Issue ``action`` from the event loop (as a tap's handler runs) and wait for ``until``."""
    global _step
    probe.step = _step = label
    QTimer.singleShot(0, action)
    run_loop(until)


def _shown(kiosk: KioskUi, screen: str) -> bool:
    """The window really shows ``screen``: Main.qml builds the next screen asynchronously
    while the old one stays up, so ``Session.screen`` changes frames before the window does."""
    loader = kiosk.window.findChild(QQuickItem, "screenLoader")
    assert loader is not None
    return loader.property("shownScreen") == screen and not loader.property("switching")


def _page_shown(kiosk: KioskUi, page: str) -> bool:
    """The application screen really shows ``page`` (its pages swap like the screens)."""
    loader = _item(kiosk, "applyPageLoader")
    return loader is not None and loader.property("shown") == page \
        and not loader.property("switching")


def token_journey(kiosk: KioskUi, probe: StallProbe) -> None:
    s, q = kiosk.session, kiosk.session.queue
    tap(probe, "attract → language", s.start, lambda: _shown(kiosk, "language"))
    tap(probe, "language → home", lambda: s.chooseLanguage("hi"),
        lambda: _shown(kiosk, "home"))
    tap(probe, "home → groups", lambda: s.openService("token"),
        lambda: _shown(kiosk, "groups"))
    tap(probe, "groups → priority", lambda: q.chooseGroup("C"),
        lambda: _shown(kiosk, "priority"))
    tap(probe, "priority → token (issue + print)", lambda: q.choosePriority("general"),
        lambda: _shown(kiosk, "token") and q.property("printState") != "printing")
    tap(probe, "token → attract", q.finish, lambda: _shown(kiosk, "attract"))


def _item(kiosk: KioskUi, name: str) -> QQuickItem | None:
    """The visible item called ``name`` (Repeater delegates included: walks the item tree)."""
    stack = [kiosk.window.contentItem()]
    while stack:
        item = stack.pop()
        if item.objectName() == name and item.isVisible():
            return item
        stack.extend(item.childItems())
    return None


def _focus(kiosk: KioskUi, key: str) -> None:
    """What a tap on text box ``key`` does: the focus, then the input method's keyboard."""
    box = _item(kiosk, f"input_{key}")
    assert box is not None, key
    box.forceActiveFocus()
    QGuiApplication.inputMethod().show()


def _keyboard_up(kiosk: KioskUi, own: bool) -> bool:
    """The kiosk's keyboard is showing. There is only the kiosk's own now (Devanagari, Latin,
    digits: Qt's InputPanel left the citizen window), so ``own`` no longer matters."""
    del own
    kb = _item(kiosk, "kioskKeyboard")
    return kb is not None and bool(kb.property("up"))


#: The text boxes a citizen taps on the first step, and which keyboard each opens.
KEYBOARD_TAPS = (("name_hi", True, "Devanagari keyboard"), ("name_en", False, "Latin keyboard"),
                 ("dob", True, "number pad"))


def application_journey(kiosk: KioskUi, probe: StallProbe) -> None:
    s, vm = kiosk.session, kiosk.apply
    tap(probe, "attract → language", s.start, lambda: _shown(kiosk, "language"))
    tap(probe, "language → home", lambda: s.chooseLanguage("en"),
        lambda: _shown(kiosk, "home"))
    tap(probe, "home → apply", lambda: s.openService("apply"),
        lambda: _shown(kiosk, "apply"))
    tap(probe, "service → form", lambda: vm.chooseService("INC"),
        lambda: _page_shown(kiosk, "form"))
    for key, own, what in KEYBOARD_TAPS:     # each keyboard's first open
        tap(probe, f"tap {key}: the {what} opens", lambda k=key: _focus(kiosk, k),
            lambda o=own: _keyboard_up(kiosk, o))
    for i, answers in enumerate((SAMPLE_APPLICANT, SAMPLE_ADDRESS, SAMPLE_INCOME)):
        for key, value in answers.items():
            tap(probe, "typing an answer", lambda k=key, v=value: vm.setAnswer(k, v),
                lambda k=key, v=value: vm.raw_answers.get(k) == v)
        step = vm.property("stepIndex")
        tap(probe, f"form step {i + 1} → next", vm.next,
            lambda st=step: vm.property("stepIndex") != st
            or (vm.property("page") != "form" and _page_shown(kiosk, vm.property("page"))))
    tap(probe, "documents → review", vm.next, lambda: _page_shown(kiosk, "review"))
    tap(probe, "consent", lambda: vm.setConsent(True), lambda: bool(vm.property("consent")))
    tap(probe, "review → submit (save)", vm.submit,
        lambda: _page_shown(kiosk, "payment") or _page_shown(kiosk, "ack"))
    if vm.property("page") == "payment":
        tap(probe, "payment → cash → acknowledgement", vm.payment.payCash,
            lambda: _page_shown(kiosk, "ack"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--worst", type=int, default=3, help="how many of the worst steps to print")
    args = ap.parse_args()
    prepare_environment()   # the kiosk's input method, so the keyboards open as on a kiosk
    app = QGuiApplication.instance() or QGuiApplication([])
    print(f"load average at the start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    worst: dict[str, list[float]] = {"token": [], "application": []}
    worst_cpu: dict[str, list[float]] = {"token": [], "application": []}
    steps: dict[str, tuple[float, float]] = {}
    for run in range(args.runs):
        for name, journey in (("token", token_journey), ("application", application_journey)):
            with tempfile.TemporaryDirectory() as tmp:
                config = load_config(data_dir=Path(tmp) / "data", environ={})
                kiosk = build_kiosk(config, app=app, windowed=True, size=(1080, 1920))
                try:
                    kiosk.start_background_now()   # as after the first frame
                    # a citizen arrives after the start-up warm-up, not during it
                    run_loop(lambda k=kiosk: not k.apply.runner.busy, then_ms=300)
                    probe = StallProbe()
                    journey(kiosk, probe)
                    probe.stop()
                finally:
                    kiosk.close()
            longest = max((ms for ms, _, _ in probe.stalls), default=0.0)
            busiest = max((cpu for _, cpu, _ in probe.stalls), default=0.0)
            worst[name].append(longest)
            worst_cpu[name].append(busiest)
            for ms, cpu, step in probe.stalls:
                key = f"{name}: {step}"
                old_ms, old_cpu = steps.get(key, (0.0, 0.0))
                steps[key] = (max(old_ms, ms), max(old_cpu, cpu))
            print(f"run {run + 1} {name:<12} longest GUI-thread stall {longest:6.1f} ms "
                  f"(most GUI-thread CPU in a late interval {busiest:5.1f} ms; "
                  f"{len(probe.stalls)} late frames)")
    overall = max(max(v) for v in worst.values())
    overall_cpu = max(max(v) for v in worst_cpu.values())
    print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"\nmax GUI-thread stall: {overall:.0f} ms (target ≤ 50 ms)")
    print(f"max GUI-thread CPU in one late interval: {overall_cpu:.0f} ms (the kiosk's own share)")
    print("worst steps (wall-clock stall / GUI-thread CPU in that interval):")
    for key, (ms, cpu) in sorted(steps.items(), key=lambda kv: -kv[1][0])[:args.worst]:
        print(f"  {ms:6.1f} ms / {cpu:5.1f} ms  {key}")

if __name__ == "__main__":
    main()
