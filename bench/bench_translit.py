"""Accuracy of the name transliteration (kiosk/translit), both directions, and its speed.

Two lists: the names table itself (kiosk/translit/names.tsv, common names — scored with the
table, and with rules alone to show what the rules would do without it) and a held-out list
the table never sees (bench/data/translit_heldout.tsv). A suggestion counts as right when it
equals the reference exactly (any of the accepted English spellings; English compared
without case). Prints the accuracy per list and direction, some misses, and µs per name. Run::

    .venv/bin/python bench/bench_translit.py [--misses 10]
"""

from __future__ import annotations

import argparse
import time
import unicodedata
from pathlib import Path

from kiosk.translit import to_english, to_hindi

NAMES = Path(__file__).parent.parent / "kiosk" / "translit" / "names.tsv"
HELD_OUT = Path(__file__).parent / "data" / "translit_heldout.tsv"


def read(path: Path) -> list[tuple[str, list[str]]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        hi, _, en = line.partition("\t")
        rows.append((unicodedata.normalize("NFC", hi), [s.strip() for s in en.split(",")]))
    return rows


def score(rows: list[tuple[str, list[str]]], use_table: bool
          ) -> tuple[float, float, list[str], list[str]]:
    to_en_ok = to_hi_ok = 0
    miss_en: list[str] = []
    miss_hi: list[str] = []
    for hi, spellings in rows:
        en = to_english(hi, use_table=use_table)
        if en.lower() in {s.lower() for s in spellings}:
            to_en_ok += 1
        else:
            miss_en.append(f"{hi} → {en} (want {spellings[0]})")
        hits = [to_hindi(s, use_table=use_table) == hi for s in spellings]
        if hits[0]:
            to_hi_ok += 1
        else:
            miss_hi.append(f"{spellings[0]} → {to_hindi(spellings[0], use_table=use_table)} "
                           f"(want {hi})")
    n = len(rows)
    return to_en_ok / n, to_hi_ok / n, miss_en, miss_hi


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--misses", type=int, default=8)
    args = ap.parse_args()
    own = list({hi: (hi, en) for hi, en in read(NAMES)}.values())
    held = read(HELD_OUT)
    print(f"{'list':<40}{'names':>6}{'hi→en':>9}{'en→hi':>9}")
    results = {}
    for label, rows, use_table in (("table names, with the table", own, True),
                                   ("table names, rules alone", own, False),
                                   ("held-out names (table + rules)", held, True),
                                   ("held-out names, rules alone", held, False)):
        en_acc, hi_acc, miss_en, miss_hi = score(rows, use_table)
        results[label] = (miss_en, miss_hi)
        print(f"{label:<40}{len(rows):>6}{en_acc:>9.1%}{hi_acc:>9.1%}")
    miss_en, miss_hi = results["held-out names (table + rules)"]
    print(f"\nheld-out misses, hi→en ({len(miss_en)}): " + "; ".join(miss_en[:args.misses]))
    print(f"held-out misses, en→hi ({len(miss_hi)}): " + "; ".join(miss_hi[:args.misses]))
    words = [hi for hi, _ in held] * 20
    t0 = time.perf_counter()
    for w in words:
        to_english(w)
    t1 = time.perf_counter()
    for _, spellings in held * 20:
        to_hindi(spellings[0])
    t2 = time.perf_counter()
    print(f"\nspeed: hi→en {(t1 - t0) / len(words) * 1e6:,.0f} µs/name, "
          f"en→hi {(t2 - t1) / len(words) * 1e6:,.0f} µs/name")


if __name__ == "__main__":
    main()
