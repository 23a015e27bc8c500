"""The "DEMO — NOT VALID" stamp every printout carries in demo mode (and the screens' badge).

Why on paper and not only on screen: a slip leaves the kiosk. A token, acknowledgement or
certificate printed by a demo kiosk (whose payments confirm themselves) must never pass for a
real one at a counter or an office, so the stamp is large, bold, in both languages, and printed
at the top *and* the bottom of the slip: a torn-off half still says it.
"""

from __future__ import annotations

from kiosk.config import Config
from kiosk.documents.bilingual import bilingual
from kiosk.documents.model import Block, Cut, Rule
from kiosk.i18n import N_, translate

MSG_DEMO_SLIP = N_("DEMO — NOT VALID")
#: The badge every screen (kiosk and counter console) shows in demo mode.
MSG_DEMO_BADGE = N_("DEMO — NOT REAL")


def demo_badge(demo: bool) -> str:
    """"डेमो — असली नहीं / DEMO — NOT REAL" (Hindi first, both always) in demo mode, else ""."""
    if not demo:
        return ""
    return f"{translate(MSG_DEMO_BADGE, 'hi')} / {translate(MSG_DEMO_BADGE, 'en')}"


def demo_stamp(config: Config, langs: tuple[str, str]) -> list[Block]:
    """The stamp's blocks (a ruled bilingual line), or none outside demo mode."""
    if not config.demo:
        return []
    return [Rule(), *bilingual(langs, lambda lng: translate(MSG_DEMO_SLIP, lng), size="large",
                               second_size="large", bold=True, static=True), Rule()]


def stamped(blocks: list[Block], config: Config, langs: tuple[str, str]) -> list[Block]:
    """``blocks`` with the demo stamp first and again before the final cut (demo mode only)."""
    stamp = demo_stamp(config, langs)
    if not stamp:
        return blocks
    body = blocks[:-1] if blocks and isinstance(blocks[-1], Cut) else blocks
    tail = blocks[len(body):]
    return [*stamp, *body, *stamp, *tail]


__all__ = ["MSG_DEMO_BADGE", "MSG_DEMO_SLIP", "demo_badge", "demo_stamp", "stamped"]
