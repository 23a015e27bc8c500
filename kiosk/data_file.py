"""Reading a file a person named on the command line: bounded, regular files only.

Why not ``path.read_text()``: ``--data /dev/zero`` never ends, a FIFO blocks until someone
writes to it, and ``st_size`` of a growing file (or of ``/proc`` files) says nothing about how
much a read returns. Here the file is opened non-blocking, must be a regular file, and at most
``limit + 1`` bytes are read, so the answer is "too large", never an exhausted kiosk.
JSON may start with a UTF-8 byte-order mark (Windows Notepad writes one), and a document
nested too deep for the parser is a clear refusal, not a traceback.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

from kiosk.errors import ValidationError
from kiosk.i18n import N_

MSG_NOT_A_FILE = N_("The data file is not an ordinary file (it is a folder, a device or a "
                    "pipe).")
MSG_FILE_TOO_BIG = N_("The data file is too large.")
MSG_BAD_FILE = N_("The data file could not be read as JSON.")
MSG_TOO_DEEP = N_("The data file is nested too deeply to be read.")


def read_limited(path: Path, limit: int, *, message: str = MSG_BAD_FILE) -> bytes:
    """At most ``limit`` bytes of the regular file ``path`` (ValidationError otherwise)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise ValidationError(f"{path}: {exc.strerror or exc}", message=message) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise ValidationError(f"{path}: not a regular file", message=MSG_NOT_A_FILE)
        chunks: list[bytes] = []
        got = 0
        while got <= limit:
            chunk = os.read(fd, min(65536, limit + 1 - got))
            if not chunk:
                break
            chunks.append(chunk)
            got += len(chunk)
    except OSError as exc:
        raise ValidationError(f"{path}: {exc.strerror or exc}", message=message) from None
    finally:
        os.close(fd)
    if got > limit:
        raise ValidationError(f"{path}: larger than {limit} bytes", message=MSG_FILE_TOO_BIG)
    return b"".join(chunks)


def decode_text(data: bytes, path: Path, *, message: str = MSG_BAD_FILE) -> str:
    """UTF-8 text, a leading byte-order mark dropped."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError(f"{path}: not UTF-8 ({exc})", message=message) from None


def read_json_file(path: Path, limit: int) -> Any:
    """The JSON document in ``path`` (≤ ``limit`` bytes, BOM allowed)."""
    text = decode_text(read_limited(path, limit), path)
    try:
        return json.loads(text)
    except RecursionError:
        raise ValidationError(f"{path}: JSON nested too deeply", message=MSG_TOO_DEEP) from None
    except ValueError as exc:
        raise ValidationError(f"{path}: {exc}", message=MSG_BAD_FILE) from None
