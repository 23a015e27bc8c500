"""What the kiosk believes one printer holds in its download-graphics memory.

Why the kiosk keeps this at all: a fixed Hindi label (the centre's name, "please wait…") is a
raster of 1–2 KB, sent on every slip over a 9600–115200 baud line. An Epson-style printer can
keep such rasters in RAM under a two-byte key (``GS ( L`` function 83) and print one later from
an 11-byte call (function 85). The kiosk may only send the short call when it is sure the
printer still has that graphic, so this record is deliberately pessimistic: it is emptied
whenever the printer may have lost its RAM (power cycle, reset, offline → online, a lost link),
narrowed to what the printer itself reports (function 80, its key list) before each job, and
only grows after a job that defined graphics was confirmed printed.

Keys are derived from the pixels (see :func:`graphic_key`), so the same label always has the
same key, and a record holds the digest too: a key whose digest differs is never trusted.
Thread-safe: print jobs (worker threads) and the device manager's polls both touch it.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

log = logging.getLogger(__name__)

#: Bytes of graphics the kiosk lets itself keep in one printer. Download-graphics areas are
#: tens to hundreds of KB on current heads; a slip's fixed labels are ~10 KB, so a modest
#: budget holds every document's labels without ever hitting a small printer's limit.
DEFAULT_BUDGET_BYTES = 48 * 1024

#: Key codes are two bytes, each 32–126 (printable ASCII): 95 × 95 keys.
KEY_FIRST, KEY_LAST = 32, 126
_KEY_RANGE = KEY_LAST - KEY_FIRST + 1


#: FS q rewrites the printer's flash; vendors advise at most ~10 writes a day.
NV_WRITES_PER_DAY = 10


@dataclass(frozen=True)
class HeldGraphic:
    """One graphic in printer memory: the digest of its pixels and its size in bytes.

    ``image`` (width, height, packed rows) is kept for NV bit images (``FS q``): that command
    replaces *all* images at once, so adding one means sending the others again.
    """

    digest: str
    size: int
    image: tuple[int, int, bytes] | None = None


def graphic_key(width: int, height: int, data: bytes) -> tuple[bytes, str]:
    """``(kc1 kc2, digest)`` for a packed 1-bit image: the key is a function of the pixels."""
    digest = hashlib.sha256(b"%d,%d," % (width, height) + data).hexdigest()
    n = int(digest[:8], 16) % (_KEY_RANGE * _KEY_RANGE)
    hi, lo = divmod(n, _KEY_RANGE)
    return bytes((KEY_FIRST + hi, KEY_FIRST + lo)), digest


class HeldGraphics:
    """The graphics one printer is believed to hold, keyed by ``kc1 kc2``."""

    def __init__(self, budget_bytes: int = DEFAULT_BUDGET_BYTES) -> None:
        self.budget_bytes = budget_bytes
        self._lock = threading.Lock()
        self._held: dict[bytes, HeldGraphic] = {}
        #: How often the record was emptied (for tests, logs and the technician screen).
        self.forgotten = 0
        self._nv_writes: list[float] = []
        #: Does the printer answer the key-list query (``GS ( L`` fn 80)? ``None``: not known
        #: yet. A printer that stays silent is not asked again (each silence costs a timeout);
        #: the record then lives on what the kiosk itself saw.
        self.answers_key_list: bool | None = None

    def nv_write_allowed(self, now: float | None = None) -> bool:
        """May the kiosk rewrite the printer's NV bit images now (flash wear, see above)?"""
        t = time.time() if now is None else now
        with self._lock:
            self._nv_writes = [w for w in self._nv_writes if t - w < 86400]
            return len(self._nv_writes) < NV_WRITES_PER_DAY

    def note_nv_write(self, now: float | None = None) -> None:
        with self._lock:
            self._nv_writes.append(time.time() if now is None else now)

    def snapshot(self) -> dict[bytes, HeldGraphic]:
        with self._lock:
            return dict(self._held)

    def __len__(self) -> int:
        with self._lock:
            return len(self._held)

    @property
    def total_bytes(self) -> int:
        with self._lock:
            return sum(g.size for g in self._held.values())

    def forget(self, why: str) -> None:
        """The printer may have lost its RAM: trust nothing until it is defined again."""
        with self._lock:
            if self._held:
                log.info("printer graphics memory forgotten (%d graphics): %s",
                         len(self._held), why)
                self.forgotten += 1
            self._held.clear()

    def keep_only(self, keys: Iterable[bytes]) -> None:
        """The printer reported the keys it holds: drop every record it did not name."""
        reported = set(keys)
        with self._lock:
            lost = [k for k in self._held if k not in reported]
            for k in lost:
                del self._held[k]
            if lost:
                log.info("printer no longer holds %d of our graphics; they will be defined "
                         "again", len(lost))

    def job_sent(self, defined: Mapping[bytes, HeldGraphic], *, reset: bool) -> None:
        """A job was confirmed: it began with a reset (``ESC @`` clears download graphics)
        if ``reset``, and it defined ``defined``."""
        with self._lock:
            if reset:
                self._held.clear()
            self._held.update(defined)

    def job_failed(self, defined: Mapping[bytes, HeldGraphic], *, reset: bool) -> None:
        """A job broke off: its definitions may be half-done, so none of them is trusted."""
        with self._lock:
            if reset:
                self._held.clear()
            for k in defined:
                self._held.pop(k, None)
