"""Demo mode is explicit (issue 11, finding 1): off by default, on by ``kiosk run --demo`` or
``[demo] enabled``; when on, the embedded backend plays the bank, and every slip and report
says DEMO; when off, nothing confirms a UPI payment but the backend's provider status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backend_client import PaymentIntent
from kiosk.application_cli import template
from kiosk.applications import ApplicationService
from kiosk.catalogue import packaged_catalogue
from kiosk.cli import main
from kiosk.config import Config, load_config
from kiosk.documents.acknowledgement import build_acknowledgement
from kiosk.documents.certificate import build_certificate_slip
from kiosk.documents.demo import MSG_DEMO_SLIP
from kiosk.documents.model import Document, Text
from kiosk.documents.self_test_page import build_test_page
from kiosk.documents.token_slip import build_token_slip
from kiosk.i18n import translate
from kiosk.printing.escpos_render import PrinterProfile, render_escpos
from kiosk.printing.preview import sample_certificate, sample_token
from kiosk.store import Store
from kiosk.sync.runtime import DEMO_UPI_CONFIRM_S, start_sync

DEMO_EN = translate(MSG_DEMO_SLIP, "en")
DEMO_HI = translate(MSG_DEMO_SLIP, "hi")


def _config(tmp_path: Path, demo: bool | None) -> Config:
    env = {} if demo is None else {"KIOSK_DEMO__ENABLED": "true" if demo else "false"}
    return load_config(data_dir=tmp_path / "data", environ=env)


def test_demo_is_off_unless_configured(tmp_path: Path) -> None:
    assert _config(tmp_path, None).demo is False
    assert _config(tmp_path, True).demo is True
    cfg = load_config(data_dir=tmp_path, environ={"KIOSK_DEMO__ENABLED": '"yes"'})
    assert cfg.demo is False and any("demo.enabled" in p for p in cfg.problems)


def _pay(config: Config, tr: str) -> str:
    """Start a UPI payment on the embedded backend, let an hour pass there, and ask again."""
    with Store(config.db_path) as store, start_sync(config, store, start_worker=False) as rt:
        assert rt.embedded and rt.backend is not None
        rt.client.create_payment(PaymentIntent("MP-BPL-HZR-20261122-0001-7", 2000, "upi", tr),
                                 f"pay:{tr}")
        assert rt.client.payment_status(tr).status == "pending"
        rt.backend.faults.clock_skew_s = 3600.0
        return rt.client.payment_status(tr).status


def test_without_demo_the_embedded_backend_never_confirms_a_payment(tmp_path: Path) -> None:
    assert _pay(_config(tmp_path, None), "TRDEF1") == "pending"


def test_with_demo_the_embedded_backend_plays_the_bank(tmp_path: Path) -> None:
    config = _config(tmp_path, True)
    with Store(config.db_path) as store, start_sync(config, store, start_worker=False) as rt:
        assert rt.backend is not None and rt.backend.db.upi_auto_confirm_s == DEMO_UPI_CONFIRM_S
    assert _pay(config, "TRDEMO1") == "paid"


def _stamped_top_and_bottom(doc: Document, first: str) -> None:
    texts = doc.texts()
    assert texts.count(DEMO_EN) == 2 and texts.count(DEMO_HI) == 2, texts
    assert texts[0] == first  # the stamp comes first, in the citizen's language
    big = [b for b in doc.blocks if isinstance(b, Text) and b.text in (DEMO_EN, DEMO_HI)]
    assert all(b.size == "large" and b.bold for b in big)


@pytest.mark.parametrize("lang", ["hi", "en"])
def test_every_slip_says_demo_not_valid_in_demo_mode(tmp_path: Path, lang: str) -> None:
    first = DEMO_HI if lang == "hi" else DEMO_EN
    for demo in (False, True):
        config = _config(tmp_path / str(demo), demo)
        token_doc = build_token_slip(sample_token(config, lang), config, lang)
        fields, qr = sample_certificate(config)
        cert_doc = build_certificate_slip(fields, qr, config, lang, title_hi="आय प्रमाण पत्र",
                                          title_en="Income certificate")
        with Store(config.db_path) as store:
            apps = ApplicationService(store, config, catalogue=packaged_catalogue)
            svc = packaged_catalogue().get("INC")
            assert svc is not None
            answers = template(packaged_catalogue(), svc, apps.now().date(), lang)["answers"]
            app = apps.submit("INC", answers, lang=lang)
            ack_doc = build_acknowledgement(app, packaged_catalogue(), config, lang)
        docs = [token_doc, ack_doc, cert_doc]
        if not demo:
            assert all(DEMO_EN not in d.texts() and DEMO_HI not in d.texts()
                       for d in [*docs, build_test_page(config)])
            continue
        for doc in docs:
            _stamped_top_and_bottom(doc, first)
        assert DEMO_EN in build_test_page(config).texts()
        # On paper: the English line is native printer text (the dash as CP437 has it).
        data = render_escpos(token_doc, PrinterProfile(paper_mm=58))
        assert data.count(b"DEMO - NOT VALID") == 2


def _json_out(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    out: dict[str, object] = json.loads(capsys.readouterr().out)
    return out


def test_sync_status_json_reports_demo(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    data = str(tmp_path / "data")
    monkeypatch.delenv("KIOSK_DEMO__ENABLED", raising=False)
    assert main(["sync", "status", "--json", "--data-dir", data]) == 0
    assert _json_out(capsys)["demo"] is False
    monkeypatch.setenv("KIOSK_DEMO__ENABLED", "true")
    assert main(["sync", "status", "--json", "--data-dir", data]) == 0
    assert _json_out(capsys)["demo"] is True


def test_doctor_json_reports_demo(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_DEMO__ENABLED", "true")
    main(["doctor", "--json", "--no-test-page", "--data-dir", str(tmp_path / "data")])
    assert _json_out(capsys)["demo"] is True
    main(["doctor", "--no-test-page", "--data-dir", str(tmp_path / "data")])
    assert "WARNING: demo mode is on" in capsys.readouterr().out


def test_kiosk_run_demo_flag_and_main_py(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``kiosk run`` is never a demo by default; ``--demo`` makes it one; ``python main.py``
    (a first-time developer) always passes ``--demo``; other commands pass through."""
    import importlib.util

    import kiosk.ui.app as ui_app

    seen: list[bool] = []
    monkeypatch.setattr(ui_app, "run_kiosk", lambda config, **_kw: seen.append(config.demo) or 0)
    monkeypatch.delenv("KIOSK_DEMO__ENABLED", raising=False)
    data = ["--data-dir", str(tmp_path / "data")]
    assert main(["run", *data]) == 0
    assert main(["run", "--demo", *data]) == 0
    assert seen == [False, True]

    spec = importlib.util.spec_from_file_location(
        "seva_main", Path(__file__).resolve().parents[2] / "main.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    argv = module._argv
    assert argv([]) == ["run", "--demo"]
    assert argv(["--windowed", "--lang", "en"]) == ["run", "--windowed", "--lang", "en", "--demo"]
    assert argv(["run", "--windowed"]) == ["run", "--windowed", "--demo"]
    assert argv(["doctor", "--json"]) == ["doctor", "--json"]
    assert argv(["--help"]) == ["--help"]
