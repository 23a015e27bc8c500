"""One rule for typed amounts: the cash panel, the day-end count and ``kiosk payment`` agree."""

from __future__ import annotations

import pytest

from kiosk.centre import desk_cash
from kiosk.errors import ValidationError
from kiosk.rupees import rupees_to_paise
from kiosk.ui.counter import day_end

GOOD = {"20": 2000, "20.5": 2050, "₹20.50": 2050, "1,020": 102000, "₹ 1,250.50": 125050,
        "Rs.20": 2000, "rs 20": 2000, "१२५०": 125000, "२०.५०": 2050, "0": 0, " 35 ": 3500}
BAD = ["", "abc", "-5", "20.505", "1e3", "२०-", "NaN", "Infinity", "20 rupees", "₹", "1.2.3"]


@pytest.mark.parametrize(("text", "paise"), sorted(GOOD.items()))
def test_amounts_operators_type_are_read_the_same_everywhere(text: str, paise: int) -> None:
    assert rupees_to_paise(text, 10**12) == paise
    assert desk_cash.parse_rupees(text) == paise
    assert day_end.parse_rupees(text) == paise


@pytest.mark.parametrize("text", BAD)
def test_what_is_not_an_amount_is_refused_everywhere(text: str) -> None:
    assert rupees_to_paise(text, 10**12) is None
    assert day_end.parse_rupees(text) is None
    with pytest.raises(ValidationError) as err:
        desk_cash.parse_rupees(text)
    assert err.value.message == desk_cash.MSG_BAD_AMOUNT  # the bilingual message, not a trace


def test_each_screen_keeps_its_own_ceiling() -> None:
    assert desk_cash.parse_rupees("10,00,000") == desk_cash.MAX_CASH_PAISE
    with pytest.raises(ValidationError):
        desk_cash.parse_rupees("10,00,000.01")
    assert day_end.parse_rupees("10,00,000.01") is not None  # a drawer can hold more
