"""``kiosk doctor``: open every configured device, self-test it, and say plainly what is wrong.

Why a CLI twin of the diagnostics screen: a technician on a remote tehsil office often has only
SSH, and a centre's scripts want one exit code. The report is built from the same pieces the
screen uses — :class:`DeviceManager` (states, self-tests), discovery (ports, USB ids), the
print journal — so both always agree.

The printer self-test prints a real test page (Hindi + English + QR + cut) through
``PrintService`` and the manager's own printer link, so it is journalled like any other slip and
proves the exact path a token takes. Card reader and scanner are only opened and reported here:
reading a card needs a person, which is the interactive screen's job.

It also warns while the technician PIN is still the shipped default (``2468``, printed in the
documentation for the simulated set-up): on a real kiosk that PIN opens diagnostics to anyone.
A warning, not a failure: the devices may be fine, and exit 3 means "a device is unhealthy".
The same goes for the files: the data directory's mode, any file others may read, and where
the credential key lives (docs/security.md says what each protects), and for the printer: the
profile its ``model`` gives and, for a ``usb://`` printer, libusb, the bus and the udev
permission, each with its fix (:mod:`kiosk.devices.usb_printer_check`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from concurrent.futures import Future
from typing import Any

from kiosk.config import Config
from kiosk.devices.discovery import discovery_report
from kiosk.devices.manager import DeviceManager, statuses_as_dicts
from kiosk.devices.model import DeviceState, SelfTestResult
from kiosk.i18n import N_, translate

log = logging.getLogger(__name__)

JOURNAL_ROWS = 10

MSG_DEFAULT_TECHNICIAN_PIN = N_(
    "The technician PIN is still the shipped default. Set a new one before this kiosk is used.")


def technician_pin_check(config: Config) -> dict[str, Any]:
    """Whether ``[technician] pin_hash`` still accepts the shipped default PIN."""
    from kiosk.auth_pin import DEFAULT_PIN, verify_pin

    default = verify_pin(DEFAULT_PIN, config.technician_pin_hash)
    result: dict[str, Any] = {"default": default}
    if default:
        result["warning"] = {lang: translate(MSG_DEFAULT_TECHNICIAN_PIN, lang)
                             for lang in ("en", "hi")}
        result["fix"] = "python -m kiosk.auth_pin, then paste its line into [technician]"
    return result


MSG_FILES_OPEN = N_("Some kiosk files can be read by other users of this computer. Start the "
                    "kiosk once (it tightens them) or run: chmod -R go-rwx on the data folder.")
MSG_KEY_BESIDE_DATA = N_("The credential key is kept in the data folder, so a copy of the "
                         "whole folder or disk also carries the key. A root-only key file or "
                         "a systemd credential protects it better.")


def files_check(config: Config) -> dict[str, Any]:
    """Modes of the data directory and its files, and where the credential key lives."""
    import os
    import stat

    from kiosk.file_modes import too_open
    from kiosk.secret_box import box_for

    data_dir = config.data_dir
    result: dict[str, Any] = {"data_dir": str(data_dir)}
    try:
        result["data_dir_mode"] = f"{stat.S_IMODE(os.stat(data_dir).st_mode):04o}"
    except OSError:
        result["data_dir_mode"] = None
    open_files = too_open(data_dir)
    result["readable_by_others"] = [f"{p} ({m:04o})" for p, m in open_files[:20]]
    result["readable_by_others_count"] = len(open_files)
    key = box_for(config).key_file
    result["credential_key"] = str(key)
    try:
        result["credential_key_mode"] = f"{stat.S_IMODE(os.stat(key).st_mode):04o}"
    except OSError:
        result["credential_key_mode"] = None   # made on first enrolment
    warnings: list[dict[str, str]] = []
    if open_files:
        warnings.append({lang: translate(MSG_FILES_OPEN, lang) for lang in ("en", "hi")})
    beside = key.resolve().is_relative_to(data_dir.resolve()) if key.is_absolute() else True
    result["credential_key_in_data_dir"] = beside
    if beside:
        warnings.append({lang: translate(MSG_KEY_BESIDE_DATA, lang) for lang in ("en", "hi")})
    result["warnings"] = warnings
    return result


def _journal(config: Config, limit: int = JOURNAL_ROWS) -> list[dict[str, Any]]:
    from kiosk.local_time import stamp_text
    from kiosk.print_journal import PrintJournal
    from kiosk.store import Store

    with Store(config.db_path) as store:
        rows = PrintJournal(store).recent(limit)
    for row in rows:  # stored UTC; a person reads the centre's time
        row["updated_local"] = stamp_text(row.get("updated_at"), config.timezone)
    return rows


def _print_test_page(config: Config, manager: DeviceManager) -> dict[str, Any]:
    from kiosk.documents.self_test_page import build_test_page
    from kiosk.errors import KioskError
    from kiosk.printing.print_jobs import PrintService
    from kiosk.qt_runtime import ensure_gui_app
    from kiosk.store import Store

    ensure_gui_app()
    with Store(config.db_path) as store:
        service = PrintService(store, config, printer_opener=manager.printer_opener())
        try:
            result = service.print_document(build_test_page(config))
        except KioskError as exc:
            return {"printed": False, "error": exc.detail}
    return {"printed": True, "job_id": result.job_id, "state": result.state,
            "bytes": result.bytes_sent, "printer": result.status.state}


def _audit_self_tests(config: Config, tests: dict[str, dict[str, Any]],
                      page: dict[str, Any]) -> None:
    """One ``device.self_test`` entry in the kiosk's audit trail for the whole run (device
    names in lists: ``fingerprint`` is, rightly, no key an audit detail may carry)."""
    from kiosk.store import Store
    from kiosk.tech_audit import KioskAudit

    detail = {"via": "doctor", "passed": sorted(n for n, t in tests.items() if t.get("ok")),
              "failed": sorted(n for n, t in tests.items() if not t.get("ok")),
              "test_page": bool(page.get("printed"))}
    try:
        with Store(config.db_path) as store:
            KioskAudit.for_config(store, config).record("device.self_test", detail)
    except Exception as exc:  # the report matters more than its audit entry
        log.error("audit trail: the doctor's self-tests were not recorded: %s",
                  type(exc).__name__)


def run_doctor(config: Config, *, test_page: bool = True, settle_timeout: float = 8.0,
               manager: DeviceManager | None = None) -> dict[str, Any]:
    """The whole report as plain data; ``report["ok"]`` is the verdict.

    ``manager`` lets a caller (a test) supply its own; by default one is made from ``config``
    without hot-plug (a one-shot check needs none) and closed before returning.
    """
    own = manager is None
    mgr = manager or DeviceManager.from_config(config)
    try:
        mgr.start()
        mgr.wait_settled(settle_timeout)
        futures: dict[str, Future[SelfTestResult]] = {
            name: mgr.self_test_async(name, interactive=False)
            for name in mgr.names if mgr.enabled(name)}
        tests: dict[str, dict[str, Any]] = {}
        for name, fut in futures.items():
            try:
                r = fut.result(timeout=settle_timeout + 10.0)
                tests[name] = {"ok": r.ok, "summary": r.summary, "detail": dict(r.detail)}
            except Exception as exc:
                detail = getattr(exc, "detail", None) or f"{type(exc).__name__}: {exc}"
                tests[name] = {"ok": False, "summary": f"{name}: {detail}", "detail": {}}
        page: dict[str, Any] = {"printed": False, "skipped": "disabled by --no-test-page"}
        if test_page and mgr.enabled("printer"):
            if tests.get("printer", {}).get("ok"):
                page = _print_test_page(config, mgr)
                mgr.poll_now("printer")
            else:
                page = {"printed": False, "skipped": "the printer is not ready"}
        devices = statuses_as_dicts(mgr)
        for d in devices:
            d["self_test"] = tests.get(d["name"])
        ok = all(d["state"] == DeviceState.ONLINE.value and (d["self_test"] or {}).get("ok")
                 for d in devices if d["enabled"])
        if page.get("printed") is False and "error" in page:
            ok = False
    finally:
        if own:
            mgr.close()
    report: dict[str, Any] = {"ok": ok, "devices": devices, "test_page": page}
    _audit_self_tests(config, tests, page)
    report.update(discovery_report(config.printer.url))
    report["print_journal"] = _journal(config)
    from kiosk.local_time import now_in

    checked = now_in(config.timezone)
    report["checked_at"] = checked.isoformat()
    report["checked_at_local"] = checked.strftime("%Y-%m-%d %H:%M:%S %Z")
    report["config_problems"] = list(config.problems) + _backend_url_problems(config)
    report["technician_pin"] = technician_pin_check(config)
    # Demo mode makes payments confirm themselves: a kiosk in service must say false here.
    report["demo"] = config.demo
    if report["technician_pin"]["default"]:
        log.warning("the technician PIN is still the shipped default")
    report["files"] = files_check(config)
    from kiosk.devices.usb_printer_check import printer_check

    report["printer"] = printer_check(config)  # the model's profile; a USB printer's needs
    from kiosk.speech.check import speech_check

    report["speech"] = speech_check(config)  # warnings only: a silent board still shows calls
    return report


def _detail_text(detail: Mapping[str, Any], kind: str) -> str:
    """A short human summary of a device's per-kind detail."""
    if not detail:
        return ""
    if kind == "printer":
        parts = [f"paper {detail.get('paper', 'unknown')}"]
        if detail.get("cover_open"):
            parts.append("cover open")
        if detail.get("errors"):
            parts.append("errors: " + ",".join(detail["errors"]))
        return ", ".join(parts)
    skip = {"address", "service_url", "rd_info", "enabled"}
    text = ", ".join(f"{k}={v}" for k, v in detail.items() if k not in skip)
    return text if len(text) <= 34 else text[:33] + "…"


def _backend_url_problems(config: Config) -> list[str]:
    """A backend URL sync would refuse (plain http to another machine), said before it bites."""
    from kiosk.errors import ConfigError
    from kiosk.sync.settings import SyncSettings

    try:
        SyncSettings.from_config(config).check_url()
    except ConfigError as exc:
        return [f"[backend] url: {exc.detail} ({exc.user_message('en')} / "
                f"{exc.user_message('hi')})"]
    return []


def render_text(report: Mapping[str, Any]) -> str:
    """The report as the table a technician reads in a terminal."""
    lines: list[str] = []
    devices = report["devices"]
    enabled = [d for d in devices if d["enabled"]]
    good = sum(1 for d in enabled if d["state"] == "online" and (d["self_test"] or {}).get("ok"))
    lines.append(f"Seva Kiosk doctor: {good} of {len(enabled)} enabled devices healthy "
                 f"-> {'OK' if report['ok'] else 'PROBLEMS'}")
    if report.get("checked_at_local"):
        lines.append(f"checked at {report['checked_at_local']}")
    pin = report.get("technician_pin") or {}
    if pin.get("default"):
        lines.append(f"WARNING: {pin['warning']['en']} ({pin['fix']})")
        lines.append(f"चेतावनी: {pin['warning']['hi']}")
    if report.get("demo"):
        lines.append("WARNING: demo mode is on ([demo] enabled): UPI payments confirm "
                     "themselves and every slip prints DEMO — NOT VALID")
    files = report.get("files") or {}
    for warning in files.get("warnings", []):
        lines.append(f"NOTE: {warning['en']}")
        lines.append(f"सूचना: {warning['hi']}")
    if files:
        lines.append(f"Files: data folder {files['data_dir']} mode {files['data_dir_mode']}, "
                     f"{files['readable_by_others_count']} readable by others; credential key "
                     f"{files['credential_key']} mode {files['credential_key_mode'] or '-'}")
    if report.get("printer"):
        from kiosk.devices.usb_printer_check import render_printer_check

        lines += render_printer_check(report["printer"])
    lines.append("")
    head = f"{'NAME':<12} {'KIND':<15} {'URL':<24} {'STATE':<15} {'DETAIL':<34} LAST ERROR"
    lines.append(head)
    lines.append("-" * len(head))
    for d in devices:
        state = d["state"] if d["enabled"] else "disabled"
        lines.append(f"{d['name']:<12} {d['kind']:<15} {d['url']:<24} {state:<15} "
                     f"{_detail_text(d['detail'], d['kind']):<34} {d['last_error']}")
    lines.append("")
    lines.append("Self-tests:")
    for d in enabled:
        t = d["self_test"] or {"ok": False, "summary": f"{d['name']}: not run"}
        lines.append(f"  [{'ok' if t['ok'] else 'FAIL'}] {t['summary']}")
    page = report["test_page"]
    if page.get("printed"):
        lines.append(f"  [ok] test page printed as job {page['job_id']} ({page['state']}, "
                     f"{page['bytes']} bytes)")
    elif "error" in page:
        lines.append(f"  [FAIL] test page: {page['error']}")
    else:
        lines.append(f"  [--] test page not printed: {page.get('skipped', '')}")
    lines.append("")
    ports = report["serial_ports"]
    lines.append(f"Serial ports ({len(ports)}):")
    for p in ports:
        ids = f"{p['vid']}:{p['pid']}" if p["vid"] else "-"
        lines.append(f"  {p['device']:<16} {ids:<10} {p['description']}"
                     f"{'  [' + p['known'] + ']' if p['known'] else ''}")
    usb = report["usb_devices"]
    backend = "libusb backend found" if report["usb_backend"] else "no libusb backend"
    lines.append(f"USB devices ({len(usb)}, {backend}):")
    for u in usb:
        lines.append(f"  bus {u['bus']} addr {u['address']}  {u['vid']}:{u['pid']}"
                     f"{'  [' + u['known'] + ']' if u['known'] else ''}")
    lines.append("")
    journal = report["print_journal"]
    lines.append(f"Print journal (last {len(journal)}):")
    for j in journal:
        reason = f"  {j['reason']}" if j.get("reason") else ""
        lines.append(f"  #{j['id']:<5} {j['doc_kind']:<10} {j['doc_ref']:<24} "
                     f"{j['state']:<10} {j.get('updated_local') or j['updated_at']}{reason}")
    for problem in report.get("config_problems", []):
        lines.append(f"config: {problem}")
    if "speech" in report:
        from kiosk.speech.check import render_speech_lines

        lines.append("")
        lines += render_speech_lines(report["speech"])
    return "\n".join(lines)
