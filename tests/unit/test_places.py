"""MP's place lists (kiosk/catalogue/places.py): what each address field offers, pure Python."""

from __future__ import annotations

import json

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
        "बैरसिया", "हुज़ूर"]
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
