"""Name chips: the words a citizen would pick come first, so a common name is a few presses.

The issue's examples are the measure: "Kamal Singh" is K a m [Kamal] [Singh] (5 presses, not
11) and "Ram Singh" R a [Ram] [Singh] or fewer; a relative's name offers the applicant's own
surname first.
"""

from __future__ import annotations

import pytest

from kiosk.translit import compose, name_suggest
from kiosk.translit.name_suggest import family_words, suggestions, take


def tap(before: str, word: str) -> str:
    edit = take(before, word, "latin" if before.isascii() and word.isascii() else "deva")
    return before[:len(before) - edit.delete] + edit.insert


@pytest.mark.parametrize(("keys", "chips", "name"), [
    ("Kam", ["Kamal", "Singh"], "Kamal Singh "),
    ("Ra", ["Ram", "Singh"], "Ram Singh "),
    ("Su", ["Sunita", "Devi"], "Sunita Devi "),
])
def test_common_names_in_a_few_presses(keys: str, chips: list[str], name: str) -> None:
    text = keys
    for chip in chips:
        shown = suggestions(text, "latin")
        assert chip in shown, (text, shown)
        text = tap(text, chip)
    assert text == name
    assert len(keys) + len(chips) <= len(name.strip()) // 2


def test_the_issue_counts_for_kamal_singh_and_ram_singh() -> None:
    assert "Kamal" in suggestions("Kam", "latin")
    assert "Singh" in suggestions("Kamal ", "latin")
    assert "Ram" in suggestions("Ra", "latin")
    assert "Singh" in suggestions("Ram ", "latin")


def test_devanagari_names_complete_in_devanagari() -> None:
    assert suggestions("कम", "deva")[0] == "कमल"
    assert "सिंह" in suggestions("कमल ", "deva")
    assert tap("कम", "कमल") == "कमल "
    assert all(all("\u0900" <= c <= "\u097f" for c in w) for w in suggestions("र", "deva"))


def test_first_word_ranks_given_names_later_words_surnames() -> None:
    assert suggestions("S", "latin")[0] == "Sunita"        # a given name first
    assert suggestions("Ram S", "latin")[0] == "Singh"     # a surname second
    after = suggestions("Kamal ", "latin")
    assert after[:4] == ["Devi", "Singh", "Kumar", "Das"]  # Forebears' top four
    vocabulary = {w.latin[0]: w for w in name_suggest.vocabulary()}
    assert not any(vocabulary[w].surname is False for w in after)


def test_the_family_surname_comes_first_and_words_are_not_repeated() -> None:
    assert suggestions("Ramesh ", "latin", ["Ahirwar"])[0] == "Ahirwar"
    assert suggestions("Ramesh A", "latin", ["Ahirwar"])[0] == "Ahirwar"
    assert "Singh" not in suggestions("Ram Singh ", "latin")
    # The applicant's own name: the relative's field gets its surname in either script.
    assert family_words(["Kamal Ahirwar", "कमल अहिरवार"], "latin") == ["Ahirwar"]
    assert family_words(["Kamal Ahirwar"], "deva") == ["अहिरवार"]
    assert family_words(["Kamal", ""], "latin") == []      # one word: no surname to offer


def test_nothing_before_the_first_letter_and_nothing_after_a_mark() -> None:
    assert suggestions("", "latin") == []
    assert suggestions("   ", "latin") == []
    assert suggestions("Ward 5,", "latin") == []
    assert suggestions("Xq", "latin") == []


def test_limit_and_no_duplicates() -> None:
    shown = suggestions("A", "latin", limit=8)
    assert len(shown) == 8 and len(set(shown)) == 8
    assert len(suggestions("A", "latin")) == name_suggest.LIMIT
    assert suggestions("A", "latin", limit=0) == []


def test_alternative_spellings_complete_as_typed() -> None:
    assert "Seeta" in suggestions("See", "latin")
    assert "Laxmi" in suggestions("Lax", "latin")


def test_only_names_not_compound_parts() -> None:
    words = {w.latin[0] for w in name_suggest.vocabulary()}
    assert {"Ram", "Sunita", "Singh", "Devi", "Kumari", "Bai", "Prasad", "Lal"} <= words
    assert "Wati" not in words and "Kant" not in words


@pytest.mark.parametrize(("before", "caps", "capital"), [
    ("", "words", True), ("Kamal ", "words", True), ("Kamal", "words", False),
    ("Kumar-", "words", True), ("", "none", False), ("mp", "all", True),
])
def test_latin_capitals(before: str, caps: str, capital: bool) -> None:
    assert compose.latin_capital(before, caps) is capital


def test_latin_keys_are_named_by_their_small_letter() -> None:
    assert compose.key_name("K") == compose.key_name("k") == "key_k"
    assert compose.key_name(compose.SHIFT) == "key_shift"
    assert compose.key_name("/") == "key_/"
    assert compose.key_name("क") == "key_क"
    flat = [k for row in compose.LATIN_ROWS for k in row]
    assert set("abcdefghijklmnopqrstuvwxyz0123456789-/,.") <= set(flat)
