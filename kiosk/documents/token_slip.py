"""The printed queue token: bilingual, citizen's language first.

Both languages are printed on purpose: the citizen reads their own language, while the counter
operator (and a relative helping an elderly citizen) may read the other. Every fixed sentence is
an English msgid translated per line, so the slip follows the catalogue; when a translation is
still missing the Hindi line would repeat the English one, so identical lines are printed once.
The layout says nothing about dots or code pages — long lines are wrapped by the renderer.
"""

from __future__ import annotations

from kiosk.config import Config
from kiosk.documents.bilingual import bilingual, labelled, languages
from kiosk.documents.demo import stamped
from kiosk.documents.model import Block, Cut, Document, Feed, Qr, Rule, Size, Text
from kiosk.i18n import N_, translate
from kiosk.i18n.formatting import format_number, format_time
from kiosk.issuing.wording import note_phrase, wait_phrase
from kiosk.queue import PRIORITY_LABELS, Token

DOC_KIND = "token"

MSG_TOKEN_NUMBER = N_("Token number")
MSG_PEOPLE_AHEAD = N_("People ahead of you: {count}")
MSG_WAIT = N_("Estimated wait: {minutes} min")
#: A centre's estimate: a range, "—" with no counter open, or "not known" when the token was
#: issued from the kiosk's lease (kiosk.issuing.wording words each one).
MSG_WAIT_TEXT = N_("Estimated wait: {wait}")
MSG_AHEAD_UNKNOWN = N_("People ahead of you: not known")
#: The Hindi label above "People ahead of you: 3" (the count is printed once, in figures).
MSG_AHEAD_LABEL = N_("People ahead of you:")
MSG_INSTRUCTION = N_("Please wait for your number to be called.")
MSG_KEEP = N_("Keep this slip until your work is done.")

#: QR module size in dots: a 40-character payload is a 29-module code, 145 dots wide at 5,
#: which fits 58 mm paper and scans from a phone or the counter's scanner.
QR_MODULE = 5


def qr_payload(token: Token) -> str:
    """What the token's QR holds: a prefix that says what it is, then the token id."""
    return f"TKN:{token.id}"


def build_token_slip(token: Token, config: Config, lang: str) -> Document:
    """The token slip for ``token`` with ``lang`` ("hi" or "en") printed first."""
    langs = languages(lang)
    group = config.groups.get(token.group)

    def group_name(lng: str) -> str:
        return group.name(lng) if group is not None else token.group

    # The date and time once, in figures: both readers read "22-11-2026 7:43 PM", and a Hindi
    # date line would be a raster printed under an English one saying the same.
    when = f"{token.issued_at:%d-%m-%Y}  {format_time(token.issued_at, 'en')}"

    label = PRIORITY_LABELS[token.priority]
    blocks: list[Block] = []
    # Fixed lines are ``static``: a printer with graphics memory holds their Hindi rasters.
    # The centre's name in the same style on every slip: one graphic held for all of them.
    blocks += bilingual(langs, config.centre_name, static=True)
    blocks.append(Rule())
    blocks += bilingual(langs, lambda lng: translate(MSG_TOKEN_NUMBER, lng), size="small",
                        static=True)
    blocks.append(Text(token.number, size="huge", align="center", bold=True))
    blocks += bilingual(langs, group_name, bold=True, static=True)
    if token.priority.is_priority:
        blocks.append(Rule())
        blocks += bilingual(langs, lambda lng: translate(label, lng), bold=True, static=True)
        blocks.append(Rule())
    else:
        blocks += bilingual(langs, lambda lng: translate(label, lng), static=True)
    blocks.append(Feed(1))
    # The two facts a citizen waits by: their Hindi label as large as the value line when Hindi
    # is the citizen's language (a held graphic: the size costs nothing after the first slip).
    label_size: Size = "normal" if langs[0] == "hi" else "small"
    if token.offline:
        blocks += bilingual(langs, lambda lng: translate(MSG_AHEAD_UNKNOWN, lng), align="left",
                            static=True)
    else:
        blocks += labelled(langs, MSG_PEOPLE_AHEAD, lambda lng: {
            "count": format_number(token.people_ahead, lng)}, label_msgid=MSG_AHEAD_LABEL,
            label_size=label_size)
    if wait_phrase(token, lang) is None:
        blocks += labelled(langs, MSG_WAIT, lambda lng: {
            "minutes": format_number(token.wait_minutes, lng)}, label_msgid=MSG_WAIT_TEXT,
            label_size=label_size)
    else:
        blocks += labelled(langs, MSG_WAIT_TEXT, lambda lng: {
            "wait": wait_phrase(token, lng) or ""}, label_size=label_size)
    if note_phrase(token, lang) is not None:
        blocks += bilingual(langs, lambda lng: note_phrase(token, lng) or "", size="small",
                            align="left")
    blocks.append(Text(when, size="small", align="left"))
    blocks.append(Feed(1))
    blocks.append(Qr(qr_payload(token), module_size=QR_MODULE))
    blocks += bilingual(langs, lambda lng: translate(MSG_INSTRUCTION, lng), size="small",
                        bold=True, static=True)
    blocks += bilingual(langs, lambda lng: translate(MSG_KEEP, lng), size="small", static=True)
    blocks.append(Cut())
    return Document(blocks=tuple(stamped(blocks, config, langs)), kind=DOC_KIND, ref=token.id)
