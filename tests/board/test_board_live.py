"""The board against a real centre service on loopback: real HTTP, real event stream, real QML.

What the hall must see: the latest call large in both languages, earlier calls newest first,
each counter with its token, waiting counts, the closed screen outside hours, and every call
handed on for announcement in the order the counters made them — even 20 in 2 seconds.
"""

from __future__ import annotations

import re
import threading
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import requests
from board_helpers import ENROLMENT_CODE, Desk, find, text
from PySide6.QtGui import QFontMetricsF

IST = ZoneInfo("Asia/Kolkata")

DEVANAGARI = re.compile(r"[\u0900-\u097F]")


class Recorder:
    """A CallAnnouncer that only writes calls down (the speech half is not ours)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, bool]] = []

    def announce(self, token: str, counter: str, recall: bool) -> None:
        self.calls.append((token, counter, recall))


def _online(qtbot: Any, ui: Any) -> None:
    qtbot.waitUntil(lambda: ui.link.property("state") == "online", timeout=10000)


def test_live_calls_show_in_both_languages_latest_first(qtbot: Any, centre: Any,
                                                        board_factory: Any) -> None:
    desk = Desk(centre.url)
    try:
        desk.issue("C", 4)
        desk.issue("A", 2)
        ui = board_factory(centre.url)
        _online(qtbot, ui)
        assert find(ui, "noCalls") is not None  # nothing called yet today
        qtbot.waitUntil(lambda: text(ui, "waitingCount_C") == "4", timeout=5000)
        assert text(ui, "waitingCount_A") == "2"
        first = desk.call("1")
        second = desk.call("2")
        recalled = desk.act("1", "recall")["token"]["number"]
        assert recalled == first
        latest = desk.call("3")
        qtbot.waitUntil(lambda: text(ui, "latestToken") == latest, timeout=5000)
        assert text(ui, "latestCounterHi") == "काउंटर 3"
        assert text(ui, "latestCounterEn") == "Counter 3"
        # newest first; the recalled token moved up instead of showing twice
        assert [text(ui, f"historyToken_{i}") for i in range(2)] == [first, second]
        assert find(ui, "historyToken_2") is None
        for counter, number in (("1", first), ("2", second), ("3", latest)):
            qtbot.waitUntil(lambda c=counter, n=number: text(ui, f"counterToken_{c}") == n,
                            timeout=3000)
        qtbot.waitUntil(lambda: text(ui, "waitingCount_C") == "1", timeout=5000)
        assert text(ui, "waitingCount_A") == "2" or latest.startswith("A")
        # Both languages at once, Hindi first: every label has a Hindi and an English line.
        labels = ui.board.property("labels")
        assert labels["nowCalling"]["hi"] == "अभी बुलाया जा रहा है"
        assert labels["nowCalling"]["en"] == "Now calling"
        assert DEVANAGARI.search(text(ui, "samadhanHi"))
        assert "दोपहर 1:30 बजे तक" in text(ui, "samadhanHi")
        assert "1:30 pm" in text(ui, "samadhanEn")
        assert DEVANAGARI.search(text(ui, "noticeHi")) and text(ui, "noticeEn")
        assert not DEVANAGARI.search(text(ui, "noticeEn"))
        assert find(ui, "connectionLost") is None
    finally:
        desk.close()


def test_twenty_calls_in_two_seconds_reach_the_announcer_in_order(
        qtbot: Any, centre: Any, board_factory: Any) -> None:
    desk = Desk(centre.url)
    try:
        desk.issue("C", 12)
        desk.issue("L", 8)
        recorder = Recorder()
        ui = board_factory(centre.url, announcer=recorder)
        _online(qtbot, ui)
        qtbot.waitUntil(lambda: ui.link.property("lastEventId") > 0
                        and ui.link._subscriber is not None
                        and ui.link._subscriber.connected.is_set(), timeout=5000)
        signalled: list[tuple[str, str, bool]] = []
        ui.board.callAnnounced.connect(lambda t, c, r: signalled.append((t, c, r)))
        made: list[tuple[str, str, bool]] = []
        started = datetime.now()
        for i in range(20):
            counter = str(i % 4 + 1)
            if i >= 4:
                desk.act(counter, "complete")
            made.append((desk.call(counter), counter, False))
            if i % 7 == 6:
                made.append((desk.act(counter, "recall")["token"]["number"], counter, True))
        took = (datetime.now() - started).total_seconds()
        qtbot.waitUntil(lambda: len(signalled) >= len(made), timeout=10000)
        assert len(made) >= 20 and took < 2.5, took  # the counters made them within ~2 s
        assert signalled == made
        assert recorder.calls == made
    finally:
        desk.close()


def test_latest_token_is_readable_from_ten_metres(qtbot: Any, centre: Any,
                                                 board_factory: Any) -> None:
    desk = Desk(centre.url)
    try:
        desk.issue("C", 2)
        for size in ((1920, 1080), (1080, 1920)):
            ui = board_factory(centre.url, size=size)
            _online(qtbot, ui)
            if size == (1920, 1080):
                desk.call("1")
            qtbot.waitUntil(lambda board=ui: text(board, "latestToken") != "", timeout=5000)
            token = find(ui, "latestToken")
            assert token is not None
            height = ui.window.height()
            assert height == size[1]
            digits = QFontMetricsF(token.property("font")).tightBoundingRect("0123456789")
            assert digits.height() >= 0.12 * height, (size, digits.height())
            assert token.height() >= 0.12 * height
            # the token fits its card (no cut text)
            card = find(ui, "nowCalling")
            assert card is not None
            left = token.mapToItem(card, 0, 0)
            assert left.x() >= 0 and left.x() + token.property("contentWidth") <= card.width()
    finally:
        desk.close()


def test_closed_screen_outside_hours_with_the_next_opening(qtbot: Any, centre: Any,
                                                         board_factory: Any) -> None:
    evening = datetime(2026, 12, 1, 19, 40, tzinfo=IST)
    ui = board_factory(centre.url, clock=lambda: evening)
    _online(qtbot, ui)
    qtbot.waitUntil(lambda: find(ui, "closedScreen") is not None, timeout=5000)
    assert text(ui, "closedTitleHi") == "केंद्र बंद है"
    assert text(ui, "closedTitleEn") == "The centre is closed"
    assert text(ui, "opensHi") == "कल सुबह 9:30 बजे खुलेगा"
    assert text(ui, "opensEn") == "Opens tomorrow at 9:30 am"
    assert find(ui, "nowCalling") is None
    # a counter still working late: the board keeps calling
    desk = Desk(centre.url, counters=1)
    try:
        desk.issue("C")
        number = desk.call("1")
        qtbot.waitUntil(lambda: text(ui, "latestToken") == number, timeout=5000)
        assert find(ui, "closedScreen") is None
    finally:
        desk.close()


def test_no_network_call_on_the_gui_thread(qtbot: Any, centre: Any,
                                          board_factory: Any) -> None:
    from kiosk.ui.board.app import make_client
    from kiosk.ui.board.link import BoardLink

    threads: list[str] = []
    gui = threading.current_thread()

    class Watched:
        """The real client, noting which thread each call came from."""

        def __init__(self, inner: Any) -> None:
            self._inner = inner

        def __getattr__(self, name: str) -> Any:
            attr = getattr(self._inner, name)
            if not callable(attr):
                return attr

            def call(*a: Any, **kw: Any) -> Any:
                threads.append("gui" if threading.current_thread() is gui else "worker")
                return attr(*a, **kw)

            return call

    config_dir = centre.config.data_dir
    client, enrol = make_client(centre.config, centre.url)
    assert config_dir
    ui = board_factory(centre.url, client=Watched(client), enrol=enrol)
    _online(qtbot, ui)
    desk = Desk(centre.url, counters=1)
    try:
        desk.issue("C")
        desk.call("1")
        qtbot.waitUntil(lambda: text(ui, "latestToken") != "", timeout=5000)
        qtbot.waitUntil(lambda: len(threads) >= 2, timeout=5000)  # board + the re-read
    finally:
        desk.close()
        client.close()
    assert isinstance(ui.link, BoardLink)
    assert threads and set(threads) == {"worker"}, threads


def test_a_stranger_is_refused_and_a_board_device_is_known(centre: Any) -> None:
    assert requests.get(centre.url + "/v1/board", timeout=5).status_code == 401
    bad = requests.get(centre.url + "/v1/board", timeout=5,
                       headers={"Authorization": "Bearer not-a-device"})
    assert bad.status_code == 401 and bad.json()["message_hi"]
    token = requests.post(centre.url + "/v1/enrol", timeout=5, json={
        "code": ENROLMENT_CODE, "device_id": "hall-tv", "kind": "board"}).json()["device_token"]
    wrong = requests.post(centre.url + "/v1/enrol", timeout=5, json={
        "code": "guess", "device_id": "hall-tv", "kind": "board"})
    assert wrong.status_code == 401
    answer = requests.get(centre.url + "/v1/board?calls=3", timeout=5,
                          headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 200
    body = answer.json()
    assert body["rules"]["samadhan_window"] == "09:30-13:30"
    assert body["calls"] == [] and "last_event_id" in body["snapshot"]


def test_notices_from_configuration(qtbot: Any, centre: Any, board_factory: Any) -> None:
    notices = '[{hi = "मूल दस्तावेज़ साथ लाएँ", en = "Bring the originals"}, "Token slips only"]'
    ui = board_factory(centre.url, env={"KIOSK_BOARD__NOTICES": notices})
    _online(qtbot, ui)
    assert text(ui, "noticeHi") == "मूल दस्तावेज़ साथ लाएँ"
    assert text(ui, "noticeEn") == "Bring the originals"
    ui.board._next_notice()  # the ticker moves on to the next notice
    assert text(ui, "noticeHi") == text(ui, "noticeEn") == "Token slips only"


def test_a_demo_centre_says_so_on_the_board_and_a_real_one_does_not(
        qtbot: Any, centre: Any, board_factory: Any) -> None:
    real = board_factory(centre.url)
    demo = board_factory(centre.url, env={"KIOSK_DEMO__ENABLED": "true"})
    for ui in (real, demo):
        _online(qtbot, ui)
    assert find(real, "boardDemoBadge") is None  # find() sees only visible items
    assert find(demo, "boardDemoBadge") is not None
    assert "DEMO" in demo.board.property("demoBadge") and "डेमो" in demo.board.property("demoBadge")
