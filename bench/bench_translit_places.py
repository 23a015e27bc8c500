"""Accuracy of the place-name transliteration (English → Hindi) on MP names whose Hindi is known.

Why: the kiosk shows villages (India Post's offices, English only) and the tehsils no source
spells in Hindi through :func:`kiosk.translit.to_hindi_place`, so its rules for place names
(-pur, -garh, -ganj, -khera, …) decide what a Hindi session reads. The reference list is every
name in kiosk/catalogue/places_mp.json that carries its own Hindi: the 55 districts (the MP
government's list) and the tehsils written by hand with the Revenue Department's spelling
(``hi_from`` absent), each English name once. A suggestion counts only when it equals the
reference exactly (after NFC). The exceptions table (kiosk/translit/places.tsv) is scored
with and without, and the names it lists itself are counted, so a figure cannot hide in it::

    .venv/bin/python bench/bench_translit_places.py [--misses 20]
"""

from __future__ import annotations

import argparse
import json
import unicodedata
from pathlib import Path

from kiosk.translit import to_hindi, to_hindi_place
from kiosk.translit.places import place_table

PLACES = Path(__file__).parent.parent / "kiosk" / "catalogue" / "places_mp.json"


def reference() -> list[tuple[str, str]]:
    """(English, Hindi) of every place in places_mp.json with Hindi of its own."""
    doc = json.loads(PLACES.read_text(encoding="utf-8"))
    rows: dict[str, str] = {}
    for d in doc["districts"]:
        rows.setdefault(d["en"], d["hi"])
        for t in d.get("tehsils", []):
            if "hi_from" not in t:
                rows.setdefault(t["en"], t["hi"])
    return [(en, unicodedata.normalize("NFC", hi)) for en, hi in sorted(rows.items())]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--misses", type=int, default=20)
    args = ap.parse_args()
    rows = reference()
    table = place_table()
    listed = sum(1 for en, _ in rows if any(w.lower() in table for w in en.split()))
    print(f"{len(rows)} MP place names with their own Hindi "
          f"({listed} contain a word of the exceptions table)")
    print(f"{'method':<44}{'exact':>8}")
    for label, fn in (("name rules (to_hindi, before place rules)", lambda s: to_hindi(s)),
                      ("place rules alone", lambda s: to_hindi_place(s, use_table=False)),
                      ("place rules + exceptions table", to_hindi_place)):
        ok = [fn(en) == hi for en, hi in rows]
        print(f"{label:<44}{sum(ok) / len(rows):>8.1%}")
    misses = [f"{en} → {to_hindi_place(en)} (want {hi})" for en, hi in rows
              if to_hindi_place(en) != hi]
    print(f"\nmisses ({len(misses)}): " + "; ".join(misses[:args.misses]))


if __name__ == "__main__":
    main()
