"""``kiosk certificate verify``: check a certificate's QR text offline, from a shell.

Kept out of ``kiosk/cli.py`` so the command's logic is testable without argument parsing: the
CLI only passes the text, the output mode, the store and the language, and prints what comes
back. Exit codes are part of the contract for scripts: 0 = genuine and current, 2 = anything
else (invalid, revoked, unknown issuer, key not valid on the issue date).
"""

from __future__ import annotations

import json

from kiosk.certificates import Verification, load_trust
from kiosk.documents.bilingual import languages
from kiosk.documents.certificate import (
    MSG_APPLICATION_NO,
    MSG_CERT_NO,
    MSG_HOLDER,
    MSG_ISSUED_ON,
    detail_line,
)
from kiosk.i18n import N_, translate
from kiosk.i18n.formatting import format_date
from kiosk.store import Store

EXIT_VALID = 0
EXIT_NOT_VALID = 2

MSG_CLI_TYPE = N_("Type: {code}")
MSG_CLI_REVOKED_ON = N_("Cancelled on: {when}")
MSG_CLI_REVOKED_WHY = N_("Reason: {reason}")


def _lines(v: Verification, lng: str) -> list[str]:
    """The human report in one language: verdict, the signed facts, freshness."""
    out = [v.user_message(lng)]
    c = v.certificate
    if c is not None:
        out.append(translate(MSG_CERT_NO, lng).format(number=c.certificate_no))
        out.append(translate(MSG_CLI_TYPE, lng).format(code=c.cert_type))
        out.append(translate(MSG_HOLDER, lng).format(name=c.holder))
        out.append(translate(MSG_ISSUED_ON, lng).format(
            date=format_date(c.issued_on, lng, "long")))
        out.append(translate(MSG_APPLICATION_NO, lng).format(number=c.application_no))
        out += [detail_line(name, value, lng) for name, value in c.details.items()]
    if v.revocation is not None:
        if v.revocation.revoked_at:
            out.append(translate(MSG_CLI_REVOKED_ON, lng).format(when=v.revocation.revoked_at))
        if v.revocation.reason:
            out.append(translate(MSG_CLI_REVOKED_WHY, lng).format(reason=v.revocation.reason))
    out.append(v.as_of_message(lng))
    return out


def verify_command(qr_text: str, as_json: bool, store: Store, lang: str) -> tuple[int, str]:
    """(exit code, output) for ``kiosk certificate verify --qr-text TEXT [--json]``.

    Human output is bilingual, ``lang`` first, then a status/reason line for the technician;
    JSON output is :meth:`Verification.to_json` plus the messages in both languages.
    """
    verdict = load_trust(store.conn).verify(qr_text)
    code = EXIT_VALID if verdict.ok else EXIT_NOT_VALID
    if as_json:
        body = verdict.to_json()
        body["messages"] = {lng: verdict.user_message(lng) for lng in ("hi", "en")}
        body["as_of_messages"] = {lng: verdict.as_of_message(lng) for lng in ("hi", "en")}
        return code, json.dumps(body, ensure_ascii=False, indent=2)
    first, second = languages(lang)
    blocks = [_lines(verdict, first), _lines(verdict, second)]
    if blocks[0] == blocks[1]:  # no translation yet: do not print the same report twice
        blocks.pop()
    text = "\n\n".join("\n".join(b) for b in blocks)
    return code, f"{text}\n\n[{verdict.status}] {verdict.reason}"
