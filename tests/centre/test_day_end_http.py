"""Day-end over HTTP: the counter's client against the real server (loopback), refusals in
both languages, the supervisor's credential carried in the close."""

from __future__ import annotations

from pathlib import Path

import pytest
from centre_helpers import assert_bilingual
from day_helpers import SUP_PIN, make_day

from kiosk.centre.client import CentreClient
from kiosk.centre.errors import BadRequestError, ForbiddenError, NotAllowedError
from kiosk.centre.server import CentreServer


def test_day_end_through_the_counter_client(tmp_path: Path) -> None:
    day = make_day(tmp_path)
    server = CentreServer(day.svc).start()
    client = CentreClient(server.url, device_token=day.svc.issue_credential("C-1", "counter"))
    try:
        s1 = day.login("1", "op1")
        day.receipt("1", "op1", 25000)
        declared = client.declare_day_end("1", s1, 24000)
        assert declared["difference_paise"] == -1000 and declared["needs_supervisor"]
        with pytest.raises(ForbiddenError) as err:
            client.close_day_end("1", s1)
        assert_bilingual(err.value)
        with pytest.raises(ForbiddenError):   # the operator's own session is not for counter 2
            client.declare_day_end("2", s1, 0)
        closed = client.close_day_end("1", s1, note="note", supervisor_id="sup1",
                                      supervisor_pin=SUP_PIN)
        assert closed["supervisor_id"] == "sup1" and closed["state"] == "closed"
        report = client.day_end_report(s1, counter="1")
        assert report["cash"][0]["declared_paise"] == 24000
        assert client.day_end_report(s1, date="2026-11-30")["empty"] is True
        with pytest.raises(BadRequestError) as bad:
            client.day_end_report(s1, date="2026-02-30")
        assert_bilingual(bad.value)
        s2 = day.login("2", "op2")
        with pytest.raises(NotAllowedError) as refused:
            client.close_day("1", s1)
        assert refused.value.code == "counter-open"
        assert_bilingual(refused.value)
        client.logout(s2)
        assert client.close_day("1", s1)["day"] == day.day
    finally:
        client.close()
        server.close()
        day.svc.store.close()
