"""The contract's client on its own: error classes, retries, Retry-After, secrets kept out."""

from __future__ import annotations

import email.utils
import logging
import socket
import time

import pytest

from backend_client import (
    AuthError,
    NetworkError,
    ProtocolError,
    RateLimitedError,
    RejectedError,
    ServerError,
    TokenEvent,
)
from backend_client.client import BackendClient, parse_retry_after
from reference_backend import ReferenceBackend


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _event(tid: str = "t-1") -> TokenEvent:
    # Numbers are unique per centre and day: one per token id here.
    number = {"t-a": "C-002", "t-b": "C-003"}.get(tid, "C-001")
    return TokenEvent("issued", tid, number, "C", "2026-11-22T10:00:00+05:30", "MP-TEST")


@pytest.fixture
def client(backend: ReferenceBackend):  # type: ignore[no-untyped-def]
    sleeps: list[float] = []
    c = BackendClient(backend.url, backend.issue_credential("K-C", "MP-TEST"), connect_timeout=0.5,
                      read_timeout=1.0, retries=2, sleep=sleeps.append)
    c.sleeps = sleeps  # type: ignore[attr-defined]
    yield c
    c.close()


def test_nobody_listening_is_a_retryable_network_error() -> None:
    with BackendClient(f"http://127.0.0.1:{_free_port()}", "x", retries=0) as c:
        with pytest.raises(NetworkError) as e:
            c.health()
    assert e.value.retryable


def test_429_retry_after_is_respected(client: BackendClient, backend: ReferenceBackend) -> None:
    backend.faults.rate_limit_rate = 1.0
    backend.faults.retry_after_s = 3
    with pytest.raises(RateLimitedError) as e:
        client.post_token_event(_event(), "k-429")
    assert e.value.retry_after == 3.0
    assert client.sleeps == [3.0, 3.0]  # type: ignore[attr-defined]


def test_only_idempotent_requests_are_retried(client: BackendClient,
                                              backend: ReferenceBackend) -> None:
    backend.faults.error_rate = 1.0
    with pytest.raises(ServerError):
        client.request("POST", "/v1/token-events", body=_event().to_json())  # no key
    assert backend.stats.requests["token_event"] == 1
    with pytest.raises(ServerError):
        client.post_token_event(_event(), "k-5xx")
    assert backend.stats.requests["token_event"] == 1 + 3
    with pytest.raises(ServerError):
        client.get_reference("fees")
    assert backend.stats.requests["reference"] == 3


def test_malformed_json_and_wrong_content_type_are_retryable_protocol_errors(
        client: BackendClient, backend: ReferenceBackend,
        caplog: pytest.LogCaptureFixture) -> None:
    client.retries = 0
    backend.faults.malformed_json_rate = 1.0
    with caplog.at_level(logging.WARNING, logger="backend_client"):
        with pytest.raises(ProtocolError) as e:
            client.post_token_event(_event("t-a"), "k-a")
    assert e.value.retryable and "malformed JSON" in caplog.text
    backend.faults.malformed_json_rate = 0.0
    backend.faults.wrong_content_type_rate = 1.0
    with pytest.raises(ProtocolError, match="text/html"):
        client.post_token_event(_event("t-b"), "k-b")
    backend.faults.wrong_content_type_rate = 0.0
    # Both had been committed; resending the same keys replays the first answers.
    first = client.post_token_event(_event("t-a"), "k-a")
    assert client.post_token_event(_event("t-a"), "k-a") == first
    assert backend.db.count("tokens") == 2


def test_4xx_is_permanent_and_carries_the_servers_message(client: BackendClient,
                                                          backend: ReferenceBackend) -> None:
    bad = TokenEvent("issued", "t-1", "not a number", "C", "2026-11-22T10:00:00+05:30", "X")
    with pytest.raises(RejectedError) as e:
        client.post_token_event(bad, "k-bad")
    assert e.value.status == 400 and not e.value.retryable and "number" in e.value.message
    with pytest.raises(AuthError) as a:
        client.register("K-9", "X", "wrong code")
    assert a.value.status == 403 and "enrolment code" in a.value.message
    client.set_credential("revoked-or-made-up")
    with pytest.raises(AuthError) as u:
        client.get_reference("fees")
    assert u.value.status == 401
    assert backend.stats.requests["reference"] == 1  # a 401 is never retried


def test_the_credential_never_reaches_a_log_or_repr(backend: ReferenceBackend,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    secret = backend.issue_credential("K-S")
    with caplog.at_level(logging.DEBUG):
        with BackendClient(backend.url, secret, retries=0) as c:
            c.get_reference("fees")
            backend.faults.error_rate = 1.0
            with pytest.raises(ServerError):
                c.get_reference("fees")
            assert secret not in repr(c)
    assert caplog.records and secret not in caplog.text


def test_tls_verification_cannot_be_switched_off() -> None:
    with BackendClient("https://127.0.0.1:1", "x", verify=False) as c:
        assert c.session.verify is True


def test_retry_after_date_is_read_against_the_servers_clock() -> None:
    skewed = time.time() + 3 * 3600  # the server's clock is three hours fast
    date = email.utils.formatdate(skewed, usegmt=True)
    later = email.utils.formatdate(skewed + 5, usegmt=True)
    assert parse_retry_after(later, date) == pytest.approx(5.0)
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after("soon") is None
