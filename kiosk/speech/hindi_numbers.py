"""Hindi number words 0–9999, the way a waiting hall hears a token number.

Why a table and not digits: in Hindi every number from 1 to 99 is its own word (17 सत्रह, 45
पैंतालीस, 99 निन्यानवे), so a call read digit by digit ("एक सात") is wrong, and the tens do not
compose regularly either (39 उनतालीस, 49 उनचास, 79 उन्यासी, 89 नवासी). Above 99 the words do
compose: ``<digit> सौ`` and ``<0–99> हज़ार`` (117 = एक सौ सत्रह, 2045 = दो हज़ार पैंतालीस).

Reference for the 0–99 table: the standard Hindi cardinal list as given in Wikipedia's
"Hindustani numerals" (Devanagari column) and the Transparent Language Hindi grammar page
"Cardinal Numerals"; where common spellings differ we use the one those lists lead with:
5 पाँच (not पांच), 6 छह (not छः), 44 चवालीस, 53 तिरेपन (also written तिरपन), 63 तिरेसठ
(तिरसठ), 95 पचानवे (पंचानवे). Neither Babel (no rule-based spell-out for ``hi``) nor num2words
0.5.14 (``NotImplementedError`` for ``lang="hi"``) spells Hindi numbers, so the table is ours;
tests/speech/test_hindi_numbers.py checks every value 0–9999 against it and the composition
rules. Beyond 9999 a call is not a token any more, so we refuse rather than guess (lakh, crore).
"""

from __future__ import annotations

#: 0–99, index = value. Written out by hand from the reference above; read it in groups of ten.
UNITS_AND_TENS: tuple[str, ...] = (
    "शून्य", "एक", "दो", "तीन", "चार", "पाँच", "छह", "सात", "आठ", "नौ",
    "दस", "ग्यारह", "बारह", "तेरह", "चौदह", "पंद्रह", "सोलह", "सत्रह", "अठारह", "उन्नीस",
    "बीस", "इक्कीस", "बाईस", "तेईस", "चौबीस", "पच्चीस", "छब्बीस", "सत्ताईस", "अट्ठाईस", "उनतीस",
    "तीस", "इकतीस", "बत्तीस", "तैंतीस", "चौंतीस", "पैंतीस", "छत्तीस", "सैंतीस", "अड़तीस",
    "उनतालीस",
    "चालीस", "इकतालीस", "बयालीस", "तैंतालीस", "चवालीस", "पैंतालीस", "छियालीस", "सैंतालीस",
    "अड़तालीस", "उनचास",
    "पचास", "इक्यावन", "बावन", "तिरेपन", "चौवन", "पचपन", "छप्पन", "सत्तावन", "अट्ठावन", "उनसठ",
    "साठ", "इकसठ", "बासठ", "तिरेसठ", "चौंसठ", "पैंसठ", "छियासठ", "सड़सठ", "अड़सठ", "उनहत्तर",
    "सत्तर", "इकहत्तर", "बहत्तर", "तिहत्तर", "चौहत्तर", "पचहत्तर", "छिहत्तर", "सतहत्तर", "अठहत्तर",
    "उन्यासी",
    "अस्सी", "इक्यासी", "बयासी", "तिरासी", "चौरासी", "पचासी", "छियासी", "सत्तासी", "अट्ठासी", "नवासी",
    "नब्बे", "इक्यानवे", "बानवे", "तिरानवे", "चौरानवे", "पचानवे", "छियानवे", "सत्तानवे", "अट्ठानवे",
    "निन्यानवे",
)

HUNDRED = "सौ"
THOUSAND = "हज़ार"
MAX = 9999


def hindi_number(n: int) -> str:
    """``n`` (0–9999) in Hindi words, e.g. ``hindi_number(117) == "एक सौ सत्रह"``.

    Raises ValueError outside 0–9999 (and for bool, which is an int but never a token number).
    """
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX:
        raise ValueError(f"Hindi number words cover 0-{MAX}, not {n!r}")
    if n < 100:
        return UNITS_AND_TENS[n]
    words: list[str] = []
    thousands, rest = divmod(n, 1000)
    if thousands:
        words += [UNITS_AND_TENS[thousands], THOUSAND]
    hundreds, rest = divmod(rest, 100)
    if hundreds:
        words += [UNITS_AND_TENS[hundreds], HUNDRED]
    if rest:
        words.append(UNITS_AND_TENS[rest])
    return " ".join(words)
