"""What the technician screens say, built from device states and the journal (pure Python).

Device names, states and test results are kept as msgid + arguments (:class:`DeferredText`)
and rendered when read, so the language toggle re-words a result that is already shown. The
row builders turn the device manager's status dicts, the port discovery report and the print
journal into the plain dicts the QML lists bind.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from kiosk.errors import KioskError
from kiosk.i18n import N_, translate
from kiosk.local_time import clock_text
from kiosk.print_journal import JournalEntry

DEVICE_TITLES = {
    "printer": N_("Printer"),
    "fingerprint": N_("Fingerprint scanner"),
    "card_reader": N_("Card reader"),
    "scanner": N_("Code scanner"),
    "rdservice": N_("RD Service (Aadhaar scanner)"),
}
TEST_LABELS = {
    "printer": N_("Print test page"),
    "fingerprint": N_("Capture finger"),
    "card_reader": N_("Read a card"),
    "scanner": N_("Scan a code"),
    "rdservice": N_("Device info"),
}
RUNNING_TEXT = {
    "printer": N_("Printing the test page…"),
    "fingerprint": N_("Place a finger on the scanner now…"),
    "card_reader": N_("Present a card to the reader now…"),
    "scanner": N_("Scan a code now…"),
    "rdservice": N_("Asking the RD Service…"),
}
STATE_TEXT = {
    "online": N_("Online"),
    "offline": N_("Offline"),
    "no_device": N_("Not connected"),
    "hardware_error": N_("Hardware error"),
    "user_error": N_("Needs attention"),
    "busy": N_("Busy"),
    "disabled": N_("Disabled"),
}
PAPER_TEXT = {"ok": N_("OK"), "near_end": N_("near end"), "out": N_("out"),
              "unknown": N_("unknown")}
JOB_KIND_TEXT = {"token": N_("Token slip"), "test_page": N_("Test page")}
JOB_KIND_TEXT["day_end"] = N_("Day-end report")  # the counter's printed day-end
JOB_STATE_TEXT = {"queued": N_("Queued"), "sent": N_("Sent"), "confirmed": N_("Confirmed"),
                  "failed": N_("Failed")}
MSG_TEST = N_("Test")


@dataclass
class DeferredText:
    """A msgid with its arguments, translated at display time (language may change)."""

    msgid: str
    args: Mapping[str, Any] = field(default_factory=dict)

    def render(self, lang: str) -> str:
        return translate(self.msgid, lang).format(**self.args) if self.msgid else ""


@dataclass
class TestState:
    running: bool = False
    ok: bool = False
    text: DeferredText = field(default_factory=lambda: DeferredText(""))
    detail: str = ""


def clock(iso: str | None, timezone: str | None = None) -> str:
    """``2026-11-22T03:45:02+00:00`` → ``09:15:02`` in the centre's zone (journal rows are
    today's work; kiosk/local_time.py says why not the machine's zone)."""
    return clock_text(iso, timezone)


def reason(exc: BaseException) -> str:
    """The precise, technical cause (technicians need it; citizens never see this screen)."""
    if isinstance(exc, KioskError):
        return exc.detail or type(exc).__name__
    return f"{type(exc).__name__}: {exc}"


def device_row(d: Mapping[str, Any], test: TestState, lang: str) -> dict[str, Any]:
    """One device card: its state, the facts a technician checks first, its test result."""
    name = str(d["name"])
    enabled = bool(d.get("enabled", True))
    state = str(d["state"]) if enabled else "disabled"
    detail, warn = detail_text(str(d.get("kind", name)), d.get("detail") or {}, lang)
    ids = " · ".join(f"{k} {v}" for k, v in (d.get("ids") or {}).items())
    error = str(d.get("last_error") or "")
    return {
        "name": name,
        "title": translate(DEVICE_TITLES.get(name, name), lang),
        "state": state,
        "stateText": translate(STATE_TEXT.get(state, state), lang),
        "url": str(d.get("url", "")),
        "ids": ids,
        "detail": detail,
        "warn": warn or state == "user_error",
        "lastError": error,
        "enabled": enabled,
        "testLabel": translate(TEST_LABELS.get(name, MSG_TEST), lang),
        "running": test.running,
        "hasResult": bool(test.text.msgid),
        "resultOk": test.ok,
        "resultText": test.text.render(lang),
    }


def detail_text(kind: str, detail: Mapping[str, Any], lang: str) -> tuple[str, bool]:
    """The per-kind facts a technician checks first, and whether one of them is a warning."""
    def tr(msgid: str, **args: Any) -> str:
        return translate(msgid, lang).format(**args)

    if kind == "printer":
        paper = str(detail.get("paper", "unknown"))
        parts = [tr(N_("Paper: {paper}"),
                    paper=translate(PAPER_TEXT.get(paper, paper), lang))]
        if detail.get("cover_open"):
            parts.append(tr(N_("Cover open")))
        if detail.get("errors"):
            parts.append(tr(N_("Errors: {errors}"), errors=", ".join(detail["errors"])))
        return " · ".join(parts), paper != "ok" or bool(detail.get("cover_open"))
    if kind == "fingerprint":
        if "library_size" not in detail:
            return "", False
        text = tr(N_("{size} templates · security level {level} · {baud} baud"),
                  size=detail.get("library_size", "?"), level=detail.get("security_level", "?"),
                  baud=detail.get("baudrate", "?"))
        if "last_score" in detail:
            text += " · " + tr(N_("last score {score}"), score=detail["last_score"])
        return text, False
    if kind == "card_reader":
        if detail.get("last_card"):
            return tr(N_("Last card: {card}"), card=detail["last_card"]), False
        return "", False
    if kind == "scanner":
        if detail.get("scans"):
            return tr(N_("Codes read: {count}"), count=detail["scans"]), False
        return "", False
    if kind == "fingerprint_rd":
        if "rd_status" not in detail:
            return "", False
        text = f"{detail.get('rd_status', '')} · {detail.get('dp_id', '')} " \
               f"{detail.get('rds_ver', '')} · {detail.get('service_url', '')}"
        return text, detail.get("rd_status") != "READY"
    skip = {"enabled"}
    return " · ".join(f"{k} {v}" for k, v in detail.items() if k not in skip), False


def usb_printer_rows(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The USB printers discovery found (interface class 7), each with the ``url`` to put in
    ``[devices.printer]``: the one thing a technician needs to set a new printer up. The
    words (in use, two-way …) are the QML's ``qsTr``, so the language toggle re-words them."""
    rows = []
    for p in report.get("usb_printers", []):
        where = "" if p.get("simulated") or p.get("bus") is None \
            else f"  bus {p.get('bus')} · {p.get('address')}"
        line = f"{p['vid']}:{p['pid']}{where}  {p.get('known', '')}".rstrip()
        rows.append({"header": False, "printer": True, "line": line, "url": str(p["url"]),
                     "known": bool(p.get("known")), "note": "",
                     "configured": bool(p.get("configured")),
                     "bidirectional": bool(p.get("bidirectional")),
                     "simulated": bool(p.get("simulated"))})
    return rows


def port_rows(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """USB printers, serial ports and USB devices as display lines (ids, what we recognise,
    and for a printer the URL to configure)."""
    none = {"header": False, "line": "", "known": False, "empty": True}
    printers = usb_printer_rows(report)
    rows: list[dict[str, Any]] = [{"header": True, "line": "usb_printers", "known": False,
                                   "backend": bool(report.get("usb_backend") or printers)}]
    if (report.get("usb_backend") or printers) and not printers:
        rows.append(dict(none))
    rows += printers
    rows.append({"header": True, "line": "serial", "known": False})
    if not report.get("serial_ports"):
        rows.append(dict(none))
    for p in report.get("serial_ports", []):
        ids = f"{p['vid']}:{p['pid']}" if p.get("vid") else "-"
        line = f"{p['device']}  {ids}  {p.get('description', '')}".rstrip()
        rows.append({"header": False, "line": line, "known": bool(p.get("known")),
                     "note": p.get("known", "")})
    rows.append({"header": True, "line": "usb", "known": False,
                 "backend": bool(report.get("usb_backend"))})
    if report.get("usb_backend") and not report.get("usb_devices"):
        rows.append(dict(none))
    for u in report.get("usb_devices", []):
        line = f"{u['vid']}:{u['pid']}  bus {u.get('bus')} · {u.get('address')}"
        rows.append({"header": False, "line": line, "known": bool(u.get("known")),
                     "note": u.get("known", "")})
    return rows


def journal_row(entry: JournalEntry, timezone: str | None = None) -> dict[str, Any]:
    """A print job as the journal tab lists it; only a failed token slip not yet reprinted
    offers "Reprint"."""
    return {"id": entry.id, "kind": entry.kind, "ref": entry.ref, "label": entry.label,
            "state": entry.state, "reason": entry.reason, "time": clock(entry.updated_at, timezone),
            "reprinted": entry.failed_token and entry.reprinted,
            "canReprint": entry.failed_token and not entry.reprinted}


__all__ = ["DEVICE_TITLES", "DeferredText", "JOB_KIND_TEXT", "JOB_STATE_TEXT", "MSG_TEST",
           "PAPER_TEXT", "RUNNING_TEXT", "STATE_TEXT", "TEST_LABELS", "TestState", "clock",
           "detail_text", "device_row", "journal_row", "port_rows", "reason",
           "usb_printer_rows"]
