"""Logging to a rotating file in the data directory, plus stderr; to the systemd journal
instead when the process runs as a service (kiosk/journal_log.py).

A technician reads the log after the fact, so it keeps full technical detail (tracebacks,
device bytes in hex); it never gets personal data — code logs ids and token numbers, never
names, Aadhaar or mobile numbers. The files are still private (0600 in a 0700 directory): ids
and times of a citizen's visit are not for every account on the machine.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from collections.abc import Mapping
from io import TextIOWrapper
from pathlib import Path
from typing import TextIO

from kiosk.file_modes import PRIVATE_DIR, PRIVATE_FILE, private_file

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


class CurrentStderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever ``sys.stderr`` is *now*, not the object it was when set up.

    Why: a caller that swaps stderr (pytest's capture, an embedding program) and closes the
    old one would otherwise leave a handler that fails on every later record ("I/O operation
    on closed file") on whichever thread logs next.
    """

    @property  # type: ignore[override]
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, value: TextIO) -> None:
        pass


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose every file (the current one and each rotation) is 0600.

    Why not just the umask: a library user (tests, another entry point) may run with 022, and
    a log written once by an older version stays 0644 until it is tightened here.
    """

    def _open(self) -> TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, PRIVATE_FILE)
        os.close(fd)
        private_file(Path(self.baseFilename))
        return super()._open()

    def doRollover(self) -> None:
        super().doRollover()
        for n in range(1, self.backupCount + 1):
            private_file(Path(f"{self.baseFilename}.{n}"))


def setup_logging(data_dir: Path | None, level: int = logging.INFO,
                  stderr_level: int = logging.WARNING,
                  environ: Mapping[str, str] | None = None) -> Path | None:
    """Configure the root logger once; returns the log file path (None if it is unwritable,
    or when the records go to the systemd journal instead)."""
    from kiosk.journal_log import journal_handler

    root = logging.getLogger()
    root.setLevel(level)
    for h in list(root.handlers):
        if getattr(h, "_kiosk", False):
            root.removeHandler(h)
            h.close()
    journal = journal_handler(environ)
    if journal is not None:
        # Under systemd stderr is the journal too: one handler, so no line appears twice.
        journal.setLevel(level)
        journal._kiosk = True  # type: ignore[attr-defined]
        root.addHandler(journal)
        return None
    console = CurrentStderrHandler()
    console.setLevel(stderr_level)
    console.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    console._kiosk = True  # type: ignore[attr-defined]
    root.addHandler(console)
    if data_dir is None:
        return None
    log_path = data_dir / "logs" / "kiosk.log"
    try:
        data_dir.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
        log_path.parent.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
        fh = PrivateRotatingFileHandler(log_path, maxBytes=2_000_000, backupCount=5,
                                        encoding="utf-8")
    except OSError as exc:
        logging.getLogger(__name__).warning("cannot write log file %s: %s", log_path, exc)
        return None
    fh.setLevel(level)
    fh.setFormatter(logging.Formatter(FORMAT))
    fh._kiosk = True  # type: ignore[attr-defined]
    root.addHandler(fh)
    return log_path
