"""Errors the backend client raises, classified by what the caller should do next.

The single question a caller (the sync engine, a counter screen) asks after a failure is "may I
send this again later?". So every error carries ``retryable`` and, when the server said so,
``retry_after`` seconds. Permanent errors carry the server's own message so a technician sees
*why* the backend refused a record, not just a status code.
"""

from __future__ import annotations


class BackendClientError(Exception):
    """Root of everything the client raises on purpose."""

    retryable: bool = False

    def __init__(self, message: str, *, status: int | None = None,
                 retry_after: float | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.retry_after = retry_after
        self.code = code


class NetworkError(BackendClientError):
    """No answer at all: DNS, refused connection, reset, TLS failure or a timeout."""

    retryable = True


class ServerError(BackendClientError):
    """The backend answered 5xx: it is unwell now, it may be well later."""

    retryable = True


class RateLimitedError(BackendClientError):
    """429: the backend asked us to slow down (``retry_after`` says for how long)."""

    retryable = True


class ProtocolError(BackendClientError):
    """The answer was not the contract: wrong content type, malformed JSON, missing fields.

    Retryable because the usual cause is a middlebox (captive portal, proxy error page, a
    truncated response) rather than the backend disagreeing with us; the idempotency key makes
    the resend harmless even if the server did commit.
    """

    retryable = True


class RejectedError(BackendClientError):
    """A 4xx other than 401/403/429: the backend will never accept this request as it is."""

    retryable = False


class AuthError(RejectedError):
    """401/403: the kiosk's credential is missing, wrong or revoked."""


class DeadlineExceededError(NetworkError):
    """The whole exchange took longer than its total deadline (a slow-loris answer, a link
    that trickles): counted as a network failure, never as the server's verdict on a record."""


class ResponseTooLargeError(ProtocolError):
    """The answer (decompressed) grew past the size cap: reading stopped there."""


class InsecureURLError(ValueError):
    """A backend URL the client refuses to talk to: plain ``http://`` to a host other than
    this machine (unless the operator allowed it), or a scheme other than http/https.

    A ValueError, not a :class:`BackendClientError`: it is a configuration mistake, found
    before any request is sent, and retrying cannot fix it.
    """
