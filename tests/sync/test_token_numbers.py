"""Token 10,000 of a day (``C-10000``) reaches the backend like any other.

The contract's pattern was ``^[A-Z]-[0-9]{3,4}$``: the kiosk numbered the 10,000th token of a
group ``C-10000`` and the backend refused it, so it was parked and never delivered.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sync_helpers import KioskUnderTest, wait_until

from reference_backend import ReferenceBackend

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "centre"))


def test_token_10000_of_a_day_is_delivered(kiosk: KioskUnderTest,
                                           backend: ReferenceBackend) -> None:
    day = kiosk.tokens.now().date().isoformat()
    with kiosk.store.transaction() as conn:  # 9,999 tokens of group C already given today
        conn.execute("INSERT INTO tokens (id, day, grp, seq, number, priority, lang, issued_at) "
                     "VALUES ('earlier', ?, 'C', 9999, 'C-9999', 'general', 'hi', ?)",
                     (day, kiosk.tokens.now().isoformat()))
    (token,) = kiosk.issue(1)
    assert token.number == "C-10000"
    kiosk.engine.cycle()
    wait_until(kiosk.all_done, what="C-10000 delivered")
    assert not kiosk.engine.status().parked
    row = backend.db.conn.execute("SELECT number, centre FROM tokens WHERE token_id = ?",
                                  (token.id,)).fetchone()
    assert (row["number"], row["centre"]) == ("C-10000", kiosk.config.centre_code)


def test_a_centre_numbers_past_its_online_band(tmp_path: Path) -> None:
    """A centre's 5,000 online numbers of a group used up: the next is C-10000, past the
    leased band (5001-9999), not a refusal."""
    from centre_helpers import Clock, make_service, new_id

    from kiosk.config import load_config

    svc = make_service(tmp_path / "centre.sqlite3", load_config(data_dir=tmp_path / "d",
                                                                environ={}), Clock())
    try:
        day = svc.today()
        with svc.store.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO sequences VALUES (?, 'C', 5000)", (day,))
        numbers = [svc.issue(new_id(), "C", "general", "hi", "K1")["number"] for _ in range(3)]
        assert numbers == ["C-5000", "C-10000", "C-10001"]
    finally:
        svc.store.close()
