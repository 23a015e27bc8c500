"""Logging to a rotating file in the data directory, plus stderr.

A technician reads the log after the fact, so it keeps full technical detail (tracebacks,
device bytes in hex); it never gets personal data — code logs ids and token numbers, never
names, Aadhaar or mobile numbers.
"""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"


def setup_logging(data_dir: Path | None, level: int = logging.INFO,
                  stderr_level: int = logging.WARNING) -> Path | None:
    """Configure the root logger once; returns the log file path (None if it is unwritable)."""
    root = logging.getLogger()
    root.setLevel(level)
    for h in list(root.handlers):
        if getattr(h, "_kiosk", False):
            root.removeHandler(h)
            h.close()
    console = logging.StreamHandler()
    console.setLevel(stderr_level)
    console.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    console._kiosk = True  # type: ignore[attr-defined]
    root.addHandler(console)
    if data_dir is None:
        return None
    log_path = data_dir / "logs" / "kiosk.log"
    try:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        fh = logging.handlers.RotatingFileHandler(log_path, maxBytes=2_000_000, backupCount=5,
                                                  encoding="utf-8")
    except OSError as exc:
        logging.getLogger(__name__).warning("cannot write log file %s: %s", log_path, exc)
        return None
    fh.setLevel(level)
    fh.setFormatter(logging.Formatter(FORMAT))
    fh._kiosk = True  # type: ignore[attr-defined]
    root.addHandler(fh)
    return log_path
