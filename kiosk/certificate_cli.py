"""``kiosk certificate verify``: check a certificate's QR text offline, from a shell.

Kept out of ``kiosk/cli.py`` so the command's logic is testable without argument parsing: the
CLI only passes the text, the output mode, the store and the language, and prints what comes
back. Exit codes are part of the contract for scripts: 0 = genuine and current, 2 = anything
else (invalid, revoked, unknown issuer, key not valid on the issue date).
"""

from __future__ import annotations

import json
from typing import Any

from kiosk.certificates import Verification, load_trust
from kiosk.config import Config
from kiosk.documents.bilingual import languages
from kiosk.documents.certificate import (
    MSG_APPLICATION_NO,
    MSG_CERT_NO,
    MSG_HOLDER,
    MSG_ISSUED_ON,
    detail_line,
)
from kiosk.errors import BackendError, ValidationError
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


MSG_NO_BACKEND = N_("The central server is not configured or cannot be reached. The "
                    "certificate cannot be fetched now.")
MSG_NOT_GENUINE = N_("The certificate from the server did not pass the signature check. It "
                     "was not printed.")


def print_command(certificate_no: str, store: Store, config: Config, lang: str) -> dict[str, Any]:
    """``kiosk certificate print``: fetch an issued certificate, check its signature against
    the pinned keys (a kiosk never prints what it would itself call forged), print it.

    Raises :class:`BackendError` / :class:`ValidationError` (bilingual) or ``PrinterError``.
    """
    from backend_client import BackendClientError
    from kiosk.catalogue import load_catalogue
    from kiosk.documents.certificate import build_certificate_slip
    from kiosk.printing.print_jobs import PrintService
    from kiosk.sync.runtime import direct_client

    client = direct_client(config, store)
    if client is None:
        raise BackendError("no [backend] url/token configured", message=MSG_NO_BACKEND)
    try:
        with client:
            cert = client.certificate(certificate_no)
    except BackendClientError as exc:
        raise BackendError(f"certificate {certificate_no}: {exc}", message=MSG_NO_BACKEND) from exc
    qr_text = cert.qr_text or f"SC1.{cert.payload}.{cert.signature}"
    check = load_trust(store.conn).verify(qr_text)
    if not check.ok or check.certificate is None:
        raise ValidationError(f"certificate {certificate_no}: {check.status} ({check.reason})",
                              message=MSG_NOT_GENUINE)
    fields = check.certificate
    svc = load_catalogue(store).get(fields.cert_type)
    title_hi, title_en = (svc.name.hi, svc.name.en) if svc else (fields.cert_type,) * 2
    officer = (svc.officer.hi, svc.officer.en) if svc else (None, None)
    doc = build_certificate_slip(fields, qr_text, config, lang, title_hi=title_hi,
                                 title_en=title_en, officer_hi=officer[0], officer_en=officer[1],
                                 paper_mm=config.printer.paper_mm)
    PrintService(store, config).print_document(doc)
    return {"certificate_no": fields.certificate_no, "printed": True, "status": check.status,
            "holder": fields.holder, "cert_type": fields.cert_type}
