"""Load shaping: a bound on writes in flight per worker, and a spread-out ``Retry-After``.

Why: after a district-wide outage every kiosk comes back within the same minute with its
whole outbox. A server that queues them all answers the last ones after the kiosks' 10 s read
timeout; those kiosks resend, the queue grows, and nobody drains. Refusing at once with 429
costs the server almost nothing and tells the kiosk exactly when to come back; the kiosks
already honour ``Retry-After`` (``backend_client``, ``kiosk/sync/engine.py``). The wait is
drawn at random from a window that widens with how far over the bound the worker is, so a
storm of refusals does not come back as one storm a second later.

The gate is per worker process and lives on its event loop: admission and release happen on
the loop's thread, so no lock is needed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class WriteGate:
    """At most ``limit`` writes in flight; the rest are refused with a Retry-After."""

    limit: int = 8
    #: The widest Retry-After (seconds) the gate hands out.
    max_retry_after_s: int = 10
    rng: random.Random = field(default_factory=random.Random)
    in_flight: int = 0
    admitted: int = 0
    refused: int = 0
    #: Refusals since the last write was admitted: how hard the kiosks are pushing right now.
    _pressure: int = 0

    def try_enter(self) -> bool:
        """Admit one write (True), or count a refusal (False); call :meth:`leave` after."""
        if self.in_flight >= self.limit:
            self.refused += 1
            self._pressure += 1
            return False
        self.in_flight += 1
        self.admitted += 1
        self._pressure = max(0, self._pressure - 1)
        return True

    def leave(self) -> None:
        self.in_flight = max(0, self.in_flight - 1)

    def retry_after(self) -> int:
        """Whole seconds to wait, uniformly spread over a window that grows with pressure.

        One refusal per admitted slot widens the window by a second: ``limit`` refused
        writes fit into the next second's slots, twice as many need two seconds, and so on
        up to :attr:`max_retry_after_s`. At least 1 s (the header takes whole seconds).
        """
        window = min(self.max_retry_after_s, 1 + self._pressure // max(1, self.limit))
        return self.rng.randint(1, max(1, window))
