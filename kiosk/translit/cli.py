"""``kiosk translit --to hi|en TEXT``: the name suggestion the forms offer, for scripts and
tests. Prints one line; exit 2 when there is nothing to transliterate."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from kiosk.config import Config
from kiosk.i18n import N_, translate

MSG_EMPTY = N_("Give a name to write in the other script, e.g. kiosk translit --to hi "
               "\"Ram Kumar\".")


def register_translit(sub: Any, common: argparse.ArgumentParser, commands: dict[str, Any]
                      ) -> None:
    tr = sub.add_parser("translit", parents=[common],
                        help="suggest a name in the other script (Hindi ⇄ English)")
    tr.add_argument("--to", choices=["hi", "en"], required=True,
                    help="hi: English → Devanagari; en: Devanagari → English")
    tr.add_argument("text", nargs="+", help="the name (quote it, or give its words)")
    commands["translit"] = cmd_translit


def cmd_translit(args: argparse.Namespace, config: Config) -> int:
    from kiosk.translit import suggest

    text = " ".join(args.text).strip()
    if not text:
        sys.stderr.write(f"{translate(MSG_EMPTY, 'hi')}\n{translate(MSG_EMPTY, 'en')}\n")
        return 2
    sys.stdout.write(suggest(text, args.to) + "\n")
    return 0
