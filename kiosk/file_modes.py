"""Who may read the kiosk's files: the data directory 0700, every file in it 0600.

Why: the database, its WAL, the logs and the simulated printer's job files hold citizens'
names and mobile numbers. On a shared machine (a technician's account, a second service) a
world-readable 0644 file is a leak, so the kiosk creates everything private and tightens what
an older version (or a careless ``cp``) left open each time it starts.

These functions only ``stat`` a path before deciding: a FIFO or a device given as the data
directory is refused without ever being opened, so a mistyped ``--data-dir /dev/zero`` cannot
hang the kiosk.
"""

from __future__ import annotations

import logging
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from kiosk.errors import StoreError
from kiosk.i18n import N_

log = logging.getLogger(__name__)

PRIVATE_DIR = 0o700
PRIVATE_FILE = 0o600

#: The process umask every kiosk command runs under (new files 0600, new directories 0700).
PRIVATE_UMASK = 0o077

NOT_A_DIRECTORY = N_("The kiosk's data folder is not a folder (it is a file or a device). "
                     "Nothing was changed. Please give a folder with --data-dir.")


@dataclass(frozen=True)
class ModeChange:
    """One path whose permission bits were tightened (for the log and ``kiosk doctor``)."""

    path: Path
    before: int
    after: int


def check_data_dir(path: Path) -> None:
    """Refuse a data directory that exists and is not a directory (file, FIFO, device).

    Raises :class:`StoreError` with a bilingual message; never opens ``path``.
    """
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"data directory {path}: {exc}", message=NOT_A_DIRECTORY) from exc
    if not stat.S_ISDIR(st.st_mode):
        raise StoreError(f"data directory {path} is a {_kind(st.st_mode)}, not a directory",
                         message=NOT_A_DIRECTORY)


def prepare_data_dir(path: Path) -> list[ModeChange]:
    """Create ``path`` 0700 (or check it) and tighten everything under it; returns the changes."""
    check_data_dir(path)
    try:
        path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_DIR)
    except OSError as exc:
        raise StoreError(f"cannot create data directory {path}: {exc}",
                         message=NOT_A_DIRECTORY) from exc
    changes = tighten_tree(path)
    for c in changes:
        log.info("permissions of %s tightened from %o to %o", c.path, c.before, c.after)
    return changes


def tighten_tree(root: Path) -> list[ModeChange]:
    """Directories 0700 and regular files 0600 under (and including) ``root``.

    Symbolic links are not followed (a link may point at a system file), and files that are
    not ours (another owner: chmod fails) are left alone with a log line.
    """
    changes: list[ModeChange] = []
    change = _tighten(root, PRIVATE_DIR)
    if change:
        changes.append(change)
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        base = Path(dirpath)
        for name in dirnames:
            change = _tighten(base / name, PRIVATE_DIR)
            if change:
                changes.append(change)
        for name in filenames:
            change = _tighten(base / name, PRIVATE_FILE)
            if change:
                changes.append(change)
    return changes


def private_file(path: Path) -> ModeChange | None:
    """Make one existing file 0600 (None if it was already, or does not exist)."""
    return _tighten(path, PRIVATE_FILE)


def too_open(root: Path) -> list[tuple[Path, int]]:
    """Paths under ``root`` that others (group or world) may read or enter, with their mode."""
    found: list[tuple[Path, int]] = []
    if not root.is_dir():
        return found
    paths = [root]
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        paths += [Path(dirpath) / n for n in dirnames + filenames]
    for p in paths:
        try:
            st = os.lstat(p)
        except OSError:
            continue
        if not stat.S_ISLNK(st.st_mode) and st.st_mode & 0o077:
            found.append((p, stat.S_IMODE(st.st_mode)))
    return found


def _tighten(path: Path, wanted: int) -> ModeChange | None:
    try:
        st = os.lstat(path)
    except OSError:
        return None
    mode = stat.S_IMODE(st.st_mode)
    if stat.S_ISLNK(st.st_mode) or not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
        return None
    new = mode & wanted
    if new == mode:
        return None
    try:
        os.chmod(path, new)
    except OSError as exc:
        log.warning("cannot tighten permissions of %s: %s", path, exc)
        return None
    return ModeChange(path, mode, new)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISREG(mode):
        return "regular file"
    return "special file"
