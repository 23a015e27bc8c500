"""Every field kind against right, wrong, empty, too long, mixed-script and malicious input:
a clear bilingual message per field, the clean value otherwise — never an exception."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.catalogue import FieldDef, packaged_catalogue
from kiosk.validation import (
    MSG_AADHAAR_BAD,
    MSG_AADHAAR_LEN,
    MSG_CONTROL,
    MSG_DATE,
    MSG_DATE_DAY,
    MSG_DATE_FUTURE,
    MSG_DATE_MONTH,
    MSG_DEVA,
    MSG_LATIN,
    MSG_MIN_AGE,
    MSG_MOBILE,
    MSG_NAME_CHARS,
    MSG_PIN,
    MSG_PIN_AREA,
    MSG_RANGE,
    MSG_REQUIRED,
    MSG_TOO_LONG,
    mobile_digits,
    validate_answers,
    validate_field,
)

TODAY = date(2026, 11, 23)
CAT = packaged_catalogue()
ALL_FIELDS: dict[str, FieldDef] = {f.key: f for s in CAT.services for f in CAT.all_fields(s)}


def check(key: str, raw: Any) -> tuple[Any, str | None]:
    value, err = validate_field(ALL_FIELDS[key], raw, TODAY)
    return value, err.msgid if err else None


@pytest.mark.parametrize(("raw", "value"), [
    ("2345 6789 0124", "234567890124"), ("234567890124", "234567890124"),
    ("२३४५६७८९०१२४", "234567890124"),  # Devanagari digits, as a Hindi keyboard types them
])
def test_aadhaar_accepted(raw: str, value: str) -> None:
    assert check("aadhaar", raw) == (value, None)


@pytest.mark.parametrize(("raw", "msg"), [
    ("234567890125", MSG_AADHAAR_BAD),    # Verhoeff check digit wrong
    ("123456789012", MSG_AADHAAR_BAD),    # first digit must be 2–9
    ("12345", MSG_AADHAAR_LEN), ("abcdefghijkl", MSG_AADHAAR_LEN),
    ("2345678901240", MSG_AADHAAR_LEN),
])
def test_aadhaar_refused(raw: str, msg: str) -> None:
    assert check("aadhaar", raw) == (None, msg)


def test_aadhaar_is_optional() -> None:
    assert check("aadhaar", "") == (None, None)


@pytest.mark.parametrize(("raw", "value"), [
    ("9876543210", "9876543210"), ("+91 98765 43210", "9876543210"),
    ("09876543210", "9876543210"), ("919876543210", "9876543210"), ("६९८७६५४३२१", "6987654321"),
])
def test_mobile_accepted(raw: str, value: str) -> None:
    assert check("mobile", raw) == (value, None)


@pytest.mark.parametrize("raw", ["5876543210", "07552555555", "+1 415 555 0100", "98765",
                                 "98765432109876", "phone"])
def test_mobile_refused_including_landlines_and_foreign_numbers(raw: str) -> None:
    assert check("mobile", raw) == (None, MSG_MOBILE)
    assert mobile_digits(raw) is None


@pytest.mark.parametrize(("raw", "msg"), [
    ("462001", None), ("४६२००१", None), ("110001", MSG_PIN_AREA), ("062001", MSG_PIN),
    ("46200", MSG_PIN), ("4620011", MSG_PIN),
])
def test_pin_codes_of_madhya_pradesh(raw: str, msg: str | None) -> None:
    assert check("pin", raw)[1] == msg


@pytest.mark.parametrize(("raw", "value", "msg"), [
    ("15-08-1985", "1985-08-15", None), ("15/08/1985", "1985-08-15", None),
    ("1985-08-15", "1985-08-15", None), ("१५-०८-१९८५", "1985-08-15", None),
    ("31-02-1990", None, MSG_DATE_DAY), ("15-13-1990", None, MSG_DATE_MONTH),
    ("29-02-1992", "1992-02-29", None), ("15-08-2027", None, MSG_DATE_FUTURE),
    ("yesterday", None, MSG_DATE),
])
def test_dates(raw: str, value: str | None, msg: str | None) -> None:
    assert check("dob", raw) == (value, msg)


def test_an_impossible_day_says_how_many_days_the_month_has() -> None:
    _, err = validate_field(ALL_FIELDS["dob"], "31-02-1985", TODAY)
    assert err is not None
    assert err.message("en") == "This month has only 28 days in 1985. Please check the day."
    assert err.message("hi") == "1985 में इस महीने में केवल 28 दिन हैं। कृपया दिन जाँच लीजिए।"


@pytest.mark.parametrize(("key", "raw", "msg"), [
    ("name_hi", "सीता देवी", None), ("name_hi", "Sita Devi", MSG_DEVA),
    ("name_hi", "सीता Devi", MSG_DEVA),               # mixed script in a Hindi-only field
    ("name_en", "Sita Devi", None), ("name_en", "सीता", MSG_LATIN),
    ("name_en", "Sita D'Souza-Rao", None), ("name_en", "Sita 2", MSG_NAME_CHARS),
    ("relative_name", "रामप्रसाद Sharma", None),      # "any" script allows both
    ("name_hi", "श्री\u200dमती", None),              # ZWJ is legitimate in Devanagari
])
def test_names_and_scripts(key: str, raw: str, msg: str | None) -> None:
    assert check(key, raw)[1] == msg


@pytest.mark.parametrize("raw", [
    "<script>alert(1)</script>", "Robert'); DROP TABLE applications;--", "x\x00y", "a\x1b[31mb",
    "{{7*7}}", "${jndi:ldap://x}", "ab\u202econtrol", "a\u200bb",
])
@pytest.mark.parametrize("key", ["name_en", "village", "caste_name"])
def test_malicious_text_is_refused_with_a_message(key: str, raw: str) -> None:
    value, msg = check(key, raw)
    assert value is None and msg in (MSG_CONTROL, MSG_NAME_CHARS)


def test_too_long_and_enormous_answers() -> None:
    assert check("village", "क" * 61)[1] == MSG_TOO_LONG
    assert check("village", "क" * 1_000_000)[1] == MSG_TOO_LONG


def test_numbers_and_money() -> None:
    assert check("annual_income", "1,20,000") == (120000, None)
    assert check("annual_income", "₹ 84,000") == (84000, None)
    assert check("family_members", "0")[1] == MSG_RANGE
    assert check("family_members", "31")[1] == MSG_RANGE
    assert check("family_members", "4.5")[1] is not None
    assert check("land_acres", "1.50") == ("1.5", None)
    assert check("land_acres", "NaN")[1] is not None
    assert check("land_acres", "1e400")[1] is not None


def test_wrong_types_from_a_data_file() -> None:
    for raw in ([1], {"a": 1}, True, object()):
        assert check("village", raw)[0] is None


def test_all_errors_at_once_and_the_good_answers_kept() -> None:
    svc = CAT.get("INC")
    assert svc is not None
    clean, errors = validate_answers(CAT.all_fields(svc), {
        "name_hi": "सीता देवी", "name_en": "<b>", "mobile": "12", "pin": "462001"}, TODAY)
    keys = {e.key for e in errors}
    assert {"name_en", "mobile", "relation", "dob", "annual_income"} <= keys
    assert clean["name_hi"] == "सीता देवी" and clean["pin"] == "462001"
    assert all(e.message("hi") and e.message("en") for e in errors)
    assert [e.msgid for e in errors if e.key == "relation"] != [MSG_REQUIRED]  # a choice


def test_age_rule_of_a_service() -> None:
    svc = CAT.get("MRG")
    assert svc is not None and svc.min_age == 18
    fields = tuple(f for f in CAT.all_fields(svc) if f.key == "dob")
    _, errors = validate_answers(fields, {"dob": "01-01-2012"}, TODAY, svc.min_age)
    assert [e.msgid for e in errors] == [MSG_MIN_AGE]
    assert "18" in errors[0].message("en")


@settings(max_examples=300, deadline=None)
@given(key=st.sampled_from(sorted(ALL_FIELDS)), raw=st.one_of(
    st.text(max_size=300), st.integers(), st.floats(allow_nan=True), st.none(),
    st.binary(max_size=50).map(lambda b: b.decode("latin-1"))))
def test_fuzz_no_answer_raises(key: str, raw: Any) -> None:
    value, err = validate_field(ALL_FIELDS[key], raw, TODAY)
    assert (value is None) or (err is None)
    if err is not None:
        assert err.message("hi") and err.message("en")
