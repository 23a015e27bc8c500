"""Entry point: ``python main.py`` is ``kiosk run --demo`` (simulated devices, no configuration).

A first-time developer who runs this file gets a working demo: the embedded backend plays the
payer's bank, every screen shows a DEMO badge and every slip prints "DEMO — NOT VALID". The
``kiosk run`` command itself is never a demo unless told (``--demo`` or ``[demo] enabled``), so
a production kiosk with a broken configuration cannot record unpaid payments as paid.
"""

import sys

from kiosk.cli import main


def _argv(args: list[str]) -> list[str]:
    """``args`` as ``kiosk run`` arguments with ``--demo`` added (other commands untouched)."""
    if args and not args[0].startswith("-"):
        return args if args[0] != "run" or "--demo" in args else [*args, "--demo"]
    if {"-h", "--help", "--version"} & set(args):
        return args
    return ["run", *args] if "--demo" in args else ["run", *args, "--demo"]


if __name__ == "__main__":
    sys.exit(main(_argv(sys.argv[1:])))
