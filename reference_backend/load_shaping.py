"""Load shaping: a bound on writes in flight per worker, and a spread-out ``Retry-After``.

Why: after a district-wide outage every kiosk comes back within the same minute with its
whole outbox. A server that queues them all answers the last ones after the kiosks' 10 s read
timeout; those kiosks resend, the queue grows, and nobody drains. Refusing at once with 429
costs the server almost nothing and tells the kiosk exactly when to come back; the kiosks
already honour ``Retry-After`` (``backend_client``, ``kiosk/sync/engine.py``).

Two bounds, both per worker:

* at most ``limit`` writes in flight, whatever happens;
* and no more than fit in ``budget_s`` at the pace the store is going now (an average of
  recent write times): a write admitted behind ``n`` others waits about ``n`` × that pace,
  and must still be answered well inside the kiosk's read timeout. One write is always
  admitted, so a slow store is never shut out entirely.

The wait handed out is drawn at random from a window as long as the refused writes need to
get through at the current pace (capped at ``max_retry_after_s``), so a storm of refusals
does not come back as one storm a second later.

The gate lives on its worker's event loop: admission and release happen on the loop's thread,
so no lock is needed.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class WriteGate:
    """At most ``limit`` writes in flight (fewer if the store is slow); the rest refused."""

    limit: int = 4
    #: The widest Retry-After (seconds) the gate hands out.
    max_retry_after_s: int = 10
    #: How long an admitted write may expect to wait behind the others at the current pace.
    budget_s: float = 4.0
    rng: random.Random = field(default_factory=random.Random)
    clock: Callable[[], float] = time.monotonic
    in_flight: int = 0
    admitted: int = 0
    refused: int = 0
    #: Seconds one write takes at the moment (exponential average of recent ones).
    pace_s: float = 0.0
    #: Refusals not yet balanced by admissions: how many writes are waiting to come back.
    _backlog: int = 0

    @property
    def bound(self) -> int:
        """Writes in flight allowed now: ``limit``, or fewer when the store is slow."""
        if self.pace_s <= 0:
            return self.limit
        return max(1, min(self.limit, int(self.budget_s / self.pace_s)))

    def try_enter(self) -> float | None:
        """Admit one write (returns its start time for :meth:`leave`), or refuse (None)."""
        if self.in_flight >= self.bound:
            self.refused += 1
            self._backlog += 1
            return None
        self.in_flight += 1
        self.admitted += 1
        self._backlog = max(0, self._backlog - 1)
        return self.clock()

    def leave(self, started: float | None = None) -> None:
        """A write admitted at ``started`` has ended; its time updates the pace."""
        self.in_flight = max(0, self.in_flight - 1)
        if started is not None:
            took = max(0.0, self.clock() - started)
            # Time in flight includes waiting behind the others; one write's own share is
            # that divided by how many ran alongside it.
            share = took / max(1, self.in_flight + 1)
            self.pace_s = share if self.pace_s <= 0 else 0.8 * self.pace_s + 0.2 * share

    def retry_after(self) -> int:
        """Whole seconds to wait, uniform over the time the waiting writes need to get through.

        At least 1 s (the header takes whole seconds), at most :attr:`max_retry_after_s`.
        """
        per_s = self.bound / self.pace_s if self.pace_s > 0 else float(self.limit)
        window = math.ceil(self._backlog / max(per_s, 1e-6))
        return self.rng.randint(1, max(1, min(self.max_retry_after_s, window)))
