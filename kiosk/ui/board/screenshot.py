"""Board screens rendered to PNG offscreen, against a real centre service on loopback.

Why a real centre: the picture must be what the hall sees — the centre's own calls, counters
and wait estimates through the real client, event stream and view-model. Everything runs in a
throw-away data directory. The board's clock is fixed (a Tuesday morning, or that evening for
the closed screen) so a picture does not depend on when it was rendered.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from kiosk.config import Config
from kiosk.ui.centre_screenshot import issue_sample_queue, sample_centre_config, save_grab
from kiosk.ui.pump import pump, settle

log = logging.getLogger(__name__)

#: Board screens ``kiosk screenshot`` knows (the board shows both languages at once).
BOARD_SCREENS: tuple[str, ...] = ("board_calls", "board_portrait", "board_closed",
                                  "board_connection_lost")
#: Default picture size per screen.
BOARD_SIZES = {"board_portrait": (1080, 1920)}
SAMPLE_PIN = "4826"
#: A morning's queue: (group, priority, minutes ago).
SAMPLE_QUEUE = (("C", "senior", 41), ("C", "general", 38), ("A", "general", 35),
                ("L", "general", 33), ("C", "general", 30), ("T", "general", 28),
                ("A", "pregnant", 25), ("C", "general", 22), ("L", "divyang", 19),
                ("R", "general", 17), ("C", "general", 14), ("A", "general", 12),
                ("R", "general", 9), ("T", "general", 7), ("C", "general", 5),
                ("L", "general", 3), ("C", "senior", 2), ("A", "general", 1))
#: Who calls what, in order: (counter, action).
SAMPLE_DAY = (("1", "call-next"), ("2", "call-next"), ("3", "call-next"), ("1", "complete"),
              ("1", "call-next"), ("4", "call-next"), ("2", "complete"), ("2", "call-next"),
              ("3", "complete"), ("3", "call-next"), ("4", "complete"), ("4", "break"),
              ("1", "complete"), ("1", "call-next"), ("3", "recall"), ("2", "complete"),
              ("2", "call-next"))


def sample_clock(name: str, tz: str) -> datetime:
    """A working Tuesday, 11:05 (or 19:40 for the closed screen), in the centre's zone."""
    at = (19, 40) if name == "board_closed" else (11, 5)
    return datetime(2026, 12, 1, *at, tzinfo=ZoneInfo(tz))


def seed_day(runtime: Any, *, counters: int = 4, calls: bool = True) -> None:
    """Operators at counters 1–4, a morning's queue, and the calls of :data:`SAMPLE_DAY`."""
    from kiosk.centre import operators
    from kiosk.centre.client import CentreClient

    names = ("Sunita Verma", "Rahul Yadav", "Meena Sahu", "Imran Khan")
    with runtime.store.transaction() as conn:
        for i in range(counters):
            operators.add_operator(conn, operator_id=f"op{i + 1}", name=names[i % len(names)],
                                   role="operator", pin=SAMPLE_PIN,
                                   now=datetime.now().astimezone())
    issue_sample_queue(runtime, SAMPLE_QUEUE)
    if not calls:
        return
    desk = runtime.issue_credential("sample-counters", "counter")
    with CentreClient(runtime.url, device_token=desk) as client:
        sessions = {str(i + 1): client.login(str(i + 1), SAMPLE_PIN,
                                             operator_id=f"op{i + 1}")["session_token"]
                    for i in range(counters)}
        for counter, action in SAMPLE_DAY:
            if counter in sessions:
                client.act(counter, action, sessions[counter])


def render_board_screen(name: str, out_png: Path | str, size: tuple[int, int] | None = None,
                        config: Config | None = None) -> Path:
    """Render board screen ``name`` at ``size`` and save it as PNG."""
    from kiosk.centre.runtime import start_centre
    from kiosk.ui.board.app import build_board

    if name not in BOARD_SCREENS:
        raise ValueError(f"unknown board screen {name!r}; one of: {', '.join(BOARD_SCREENS)}")
    size = size or BOARD_SIZES.get(name, (1920, 1080))
    out = Path(out_png)
    with sample_centre_config(config, "kiosk-board-shot-") as sample:
        if not sample.raw["board"]["notices"]:
            sample.raw["board"]["notices"] = [
                {"hi": "आय, जाति और निवास प्रमाण पत्र के लिए मूल दस्तावेज़ साथ लाएँ।",
                 "en": "Bring the original documents for income, caste and domicile "
                       "certificates."}]
        runtime = start_centre(sample, port=0, forward=False)
        ui = None
        try:
            seed_day(runtime, calls=name != "board_closed")
            sample.raw["centre"]["url"] = runtime.url
            fixed = sample_clock(name, sample.timezone)
            ui = build_board(sample, size=size, clock=lambda: fixed)
            ui.start_background_now()
            pump(lambda: ui is not None and ui.link.property("state") == "online", timeout_s=15)
            if name != "board_closed":
                pump(lambda: ui is not None and bool(ui.board.property("hasLatest")))
            if name == "board_connection_lost":
                runtime.close()
                pump(lambda: ui is not None and bool(ui.link.property("lost")), timeout_s=15)
            settle(700 if name != "board_closed" else 300)
            ui.board._stop_pulse()  # the picture shows the highlight, not a pulse mid-fade
            settle(150)
            save_grab(ui.window, out)
        finally:
            if ui is not None:
                ui.close()
            runtime.close()
    log.info("rendered %s (%dx%d) to %s", name, size[0], size[1], out)
    return out


__all__ = ["BOARD_SCREENS", "BOARD_SIZES", "render_board_screen", "sample_clock", "seed_day"]
