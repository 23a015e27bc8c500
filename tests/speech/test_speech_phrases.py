"""What a call says, from [announce]: wording, order, letters, fallbacks, bad settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import load_config
from kiosk.speech.phrases import cache_clips, parse_token, plan_call, settings_from


def _settings(tmp_path: Path, toml: str = ""):  # type: ignore[no-untyped-def]
    path = tmp_path / "kiosk.toml"
    path.write_text(toml, encoding="utf-8")
    return settings_from(load_config(path, tmp_path / "data", environ={}))


def test_the_issue_phrases_hindi_then_english(tmp_path: Path) -> None:
    phrases = plan_call(_settings(tmp_path), "C-017", "3")
    assert [p.text for p in phrases] == [
        "टोकन नंबर सी सत्रह, काउंटर नंबर तीन पर आइए",
        "Token number C 17, please go to counter 3",
    ]
    hindi = phrases[0]
    assert [c.text for c in hindi.clips] == ["टोकन नंबर", "सी", "सत्रह", "काउंटर नंबर", "तीन",
                                             "पर आइए"]
    # the comma is a longer pause than the gap between words
    assert hindi.clips[3].pause_ms > hindi.clips[1].pause_ms > 0 == hindi.clips[0].pause_ms


@pytest.mark.parametrize(("token", "group", "number"), [
    ("L-245", "एल", "दो सौ पैंतालीस"), ("A-1", "ए", "एक"), ("S-099", "एस", "निन्यानवे"),
    ("T-1100", "टी", "एक हज़ार एक सौ"), ("r 7", "आर", "सात")])
def test_letters_by_hindi_name_numbers_as_words(tmp_path: Path, token: str, group: str,
                                               number: str) -> None:
    hindi = plan_call(_settings(tmp_path), token, "12", languages=("hi",))[0]
    assert hindi.text == f"टोकन नंबर {group} {number}, काउंटर नंबर बारह पर आइए"


def test_order_languages_and_wording_come_from_config(tmp_path: Path) -> None:
    settings = _settings(tmp_path, """
[announce]
languages = ["en", "hi"]
call_en = "Ticket {group}{number}: counter {counter}"
call_hi = "{group} {number} — काउंटर {counter}"
""")
    assert [p.text for p in plan_call(settings, "C-017", "3")] == [
        "Ticket C17: counter 3", "सी सत्रह — काउंटर तीन"]
    only_en = _settings(tmp_path, '[announce]\nlanguages = ["en"]\n')
    assert [p.lang for p in plan_call(only_en, "C-017", "3")] == ["en"]


def test_recall_has_its_own_wording(tmp_path: Path) -> None:
    hindi, english = plan_call(_settings(tmp_path), "C-017", "3", recall=True)
    assert hindi.text.startswith("फिर से, टोकन नंबर सी सत्रह")
    assert english.text.startswith("Once again, token number C 17")


@pytest.mark.parametrize(("token", "counter"), [
    ("Q-017", "3"),        # a letter the centre has no group for
    ("C-017", "front"),    # a counter that is not a number
    ("C-", "3"), ("", "3"), ("CC-12", "3"), ("C-12345", "3"), ("C-017", "")])
def test_unknown_group_or_counter_gives_the_generic_phrase(tmp_path: Path, token: str,
                                                           counter: str) -> None:
    phrases = plan_call(_settings(tmp_path), token, counter)
    assert [p.text for p in phrases] == ["कृपया काउंटर पर आइए", "Please go to the counter"]
    assert all(p.generic and p.clips for p in phrases)


def test_token_forms() -> None:
    assert parse_token("C-017") == ("C", 17)
    assert parse_token(" c017 ") == ("C", 17)
    assert parse_token("C 7") == ("C", 7)
    assert parse_token("17") is None


def test_bad_settings_are_named_and_defaults_kept(tmp_path: Path) -> None:
    settings = _settings(tmp_path, """
[announce]
languages = ["hi", "fr"]
volume = 3
engine = "gtts"
call_hi = "टोकन {token}"
quiet_hours = "late"
recall_times = 9
""")
    text = "\n".join(settings.problems)
    for key in ("languages", "volume", "engine", "call_hi", "quiet_hours", "recall_times"):
        assert f"announce.{key}" in text
    assert settings.languages == ("hi", "en") and settings.volume == 0.9
    assert settings.engine == "espeak-ng" and settings.quiet_hours is None
    assert plan_call(settings, "C-017", "3")[0].text.startswith("टोकन नंबर सी सत्रह")


def test_quiet_hours_may_wrap_midnight(tmp_path: Path) -> None:
    settings = _settings(tmp_path, '[announce]\nquiet_hours = "20:00-08:00"\n')
    assert settings.in_quiet_hours(21 * 60) and settings.in_quiet_hours(7 * 60 + 59)
    assert not settings.in_quiet_hours(8 * 60) and not settings.in_quiet_hours(13 * 60)


def test_the_cache_holds_every_clip_a_default_call_needs(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    held = {(c.text, c.lang) for c in cache_clips(settings)}
    for group in "CLASTR":
        for n in (1, 17, 117, 300):
            for counter in settings.counters:
                for phrase in plan_call(settings, f"{group}-{n:03d}", counter) + \
                        plan_call(settings, f"{group}-{n:03d}", counter, recall=True):
                    missing = {(c.text, c.lang) for c in phrase.clips} - held
                    assert not missing, missing
