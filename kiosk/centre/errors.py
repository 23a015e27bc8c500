"""The centre service's refusals: one class per HTTP answer, each with a bilingual message.

The server turns a :class:`CentreError` into an ``application/problem+json`` answer carrying the
message in both languages; :mod:`kiosk.centre.client` turns that answer back into the same
class, so the counter console and the CLI show exactly what the service said, in either
language, without a stack trace.
"""

from __future__ import annotations

from kiosk.errors import KioskError
from kiosk.i18n import N_, translate


class CentreError(KioskError):
    """Root: ``status`` is the HTTP status, ``code`` a stable machine-readable word."""

    status = 500
    code = "error"
    default_message = N_("The centre service could not do that. Please ask the staff.")

    def __init__(self, detail: str = "", *, message: str | None = None,
                 code: str | None = None, message_en: str | None = None,
                 message_hi: str | None = None, status: int | None = None) -> None:
        super().__init__(detail, message=message)
        if code is not None:
            self.code = code
        if status is not None:
            self.status = status
        self._en = message_en
        self._hi = message_hi

    def user_message(self, lang: str) -> str:
        """The server's own wording when it came over the wire, else the translated msgid."""
        if lang == "hi" and self._hi:
            return self._hi
        if lang != "hi" and self._en:
            return self._en
        return translate(self.message, lang)

    def problem(self) -> dict[str, object]:
        """The ``application/problem+json`` body (RFC 9457 plus our bilingual fields)."""
        return {"type": f"https://seva-kiosk.example/problems/{self.code}",
                "title": self.user_message("en"), "status": self.status,
                "detail": self.detail, "code": self.code,
                "message_en": self.user_message("en"), "message_hi": self.user_message("hi")}


class BadRequestError(CentreError):
    status, code = 400, "bad-request"
    default_message = N_("The request was not understood. Please check what was sent.")


class UnauthorizedError(CentreError):
    status, code = 401, "unauthorized"
    default_message = N_("This device is not enrolled with the centre service.")


class ForbiddenError(CentreError):
    status, code = 403, "forbidden"
    default_message = N_("This is not allowed for you.")


class NotFoundError(CentreError):
    status, code = 404, "not-found"
    default_message = N_("Not found.")


class NotAllowedError(CentreError):
    """A transition the rules do not allow now (complete with nothing called, …): HTTP 409."""

    status, code = 409, "not-allowed"
    default_message = N_("That is not possible right now.")


class LockedError(CentreError):
    status, code = 423, "locked"
    default_message = N_("Too many wrong PINs. Please wait and try again.")


class CentreUnreachableError(CentreError):
    """No answer from the centre service (connection refused, timeout, garbled answer)."""

    status, code = 503, "unreachable"
    default_message = N_("The centre service cannot be reached. Please check the network.")


def refusal(cls: type[CentreError], detail: str, msgid: str, **params: object) -> CentreError:
    """A refusal whose sentence has placeholders (``{counter}``): format after translating."""
    return cls(detail, message=msgid, message_en=translate(msgid, "en").format(**params),
               message_hi=translate(msgid, "hi").format(**params))


def from_kiosk_error(exc: KioskError, default: type[CentreError]) -> CentreError:
    """Wrap another part's error (e.g. a failed operator log-in) keeping its bilingual text."""
    status = getattr(exc, "http_status", None) or getattr(exc, "status", None)
    name = type(exc).__name__.lower()
    cls = default
    if isinstance(status, int) and status in (401, 403, 409, 423):
        by_status: dict[int, type[CentreError]] = {
            401: UnauthorizedError, 403: ForbiddenError, 409: NotAllowedError, 423: LockedError}
        cls = by_status[status]
    elif "lock" in name:
        cls = LockedError
    elif "disabled" in name:
        cls = ForbiddenError
    return cls(exc.detail, message=exc.message, code=getattr(exc, "code", None) or cls.code,
               message_en=exc.user_message("en"), message_hi=exc.user_message("hi"))


#: The contract's name for it.
CentreUnreachable = CentreUnreachableError
