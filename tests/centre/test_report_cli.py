"""``kiosk report day-end``: JSON and CSV of a real centre-day, the text in both languages,
and clear bilingual refusals for a missing database, a bad date and a day without data."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from day_helpers import make_day
from test_day_end import _build_day

from kiosk.cli import main

DEVANAGARI = re.compile(r"[\u0900-\u097F]")


@pytest.fixture
def centre_db(tmp_path: Path) -> tuple[Path, str]:
    day = make_day(tmp_path)
    _build_day(day)
    from kiosk.centre.day_end import DayEndDesk

    DayEndDesk(day.svc).declare("1", day.sessions["1"], 7500)
    name = day.day
    day.svc.store.close()
    return tmp_path / "centre.sqlite3", name


def _run(capsys: pytest.CaptureFixture[str], tmp_path: Path, *args: str) -> tuple[int, str, str]:
    code = main(["report", "day-end", "--data-dir", str(tmp_path / "cli"), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_json_and_csv_agree_with_the_records(centre_db: tuple[Path, str], tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    db, day = centre_db
    code, out, _ = _run(capsys, tmp_path, "--db", str(db), "--date", day, "--json")
    assert code == 0
    report = json.loads(out)
    assert report["tokens"]["issued"] == 10 and report["fees"]["cash"]["paise"] == 15000
    op1 = next(c for c in report["cash"] if c["operator_id"] == "op1")
    assert (op1["declared_paise"], op1["difference_paise"]) == (7500, -500)
    code, out, _ = _run(capsys, tmp_path, "--db", str(db), "--date", day, "--csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    figure = {(r["section"], r["key"], r["field"]): r["value"] for r in rows}
    assert figure[("tokens", "", "served")] == "4"
    assert figure[("fees", "upi", "paise")] == "7000"
    assert figure[("cash", "1/op1", "declared_paise")] == "7500"
    served = sum(int(r["value"]) for r in rows if r["section"] == "groups"
                 and r["field"] == "served")
    assert served == 4
    code, out, _ = _run(capsys, tmp_path, "--db", str(db), "--date", day, "--counter", "2",
                        "--json")
    assert json.loads(out)["counter"] == "2"
    code, out, _ = _run(capsys, tmp_path, "--db", str(db), "--date", day)
    assert code == 0 and DEVANAGARI.search(out) and "Day-end report" in out
    assert "₹" in out or "Rs" in out


def test_bilingual_refusals(centre_db: tuple[Path, str], tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    db, _day = centre_db
    code, _, err = _run(capsys, tmp_path)      # no centre database in that data directory
    assert code == 2 and DEVANAGARI.search(err) and "no centre database" in err
    code, _, err = _run(capsys, tmp_path, "--db", str(db), "--date", "2026-11-31")
    assert code == 2 and "YYYY-MM-DD" in err and DEVANAGARI.search(err)
    code, _, err = _run(capsys, tmp_path, "--db", str(db), "--date", "2026-11-30")
    assert code == 2 and "Nothing was recorded on 2026-11-30" in err and DEVANAGARI.search(err)
    assert "Traceback" not in err
