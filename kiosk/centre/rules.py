"""The queue's rules, as pure functions: who is called next, who is ahead of whom, how long.

Nothing here touches SQLite, the clock or the network, so every rule can be tested by building a
handful of :class:`QueueToken` values. :mod:`kiosk.centre.service` loads the waiting tokens
inside its write transaction and asks these functions what to do.

The rules (configuration; :class:`QueueRules` holds them):

* Within a group tokens are called by **original issue time** (a transferred or re-queued token
  keeps its place; the daily sequence breaks ties).
* **Priority** tokens (senior, divyang, pregnant) go first, but while general tokens of the group
  wait, at most ``priority_per_general`` priority calls are made in a row; then one general
  token is called. The streak is kept *per group* (not per counter), so the call order of a
  group does not depend on which counter happens to press Call next — which is what makes
  "people ahead" exact.
* A counter serves a set of groups; call-next takes each group's next token under the rule above
  and calls the one issued earliest. A token transferred to a named counter is called only by
  that counter, before the counter's group queues (the citizen has already waited once).
* **Samadhan Ek Din** issues tokens only inside its window.
* **Recall** up to ``recall_limit`` times, then no-show; a no-show may be **re-queued** within
  ``requeue_minutes`` at its original position.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

# Token states (the Token JSON's ``state``).
WAITING, CALLED, SERVED, NO_SHOW, PARKED = "waiting", "called", "served", "no_show", "parked"
TOKEN_STATES = (WAITING, CALLED, SERVED, NO_SHOW, PARKED)
# Counter states.
CLOSED, OPEN, BREAK = "closed", "open", "break"

#: How many served tokens the rolling median looks at.
MEDIAN_WINDOW = 30


@dataclass(frozen=True)
class QueueRules:
    """The configurable rules (``[queue]``); defaults are the brief's."""

    priority_per_general: int = 2
    samadhan_group: str = "S"
    samadhan_window: tuple[time, time] = (time(9, 30), time(13, 30))
    recall_limit: int = 2
    requeue_minutes: int = 10


@dataclass(frozen=True)
class QueueToken:
    """What the rules need to know about one token."""

    id: str
    group: str
    seq: int
    priority: bool
    issued_at: datetime
    state: str = WAITING
    target_counter: str | None = None
    recalls: int = 0
    no_show_at: datetime | None = None

    @property
    def order_key(self) -> tuple[datetime, int, str]:
        return (self.issued_at, self.seq, self.id)


@dataclass
class GroupQueue:
    """One group's waiting tokens split by kind, each list in call order."""

    priority: list[QueueToken] = field(default_factory=list)
    general: list[QueueToken] = field(default_factory=list)


def split_groups(tokens: Iterable[QueueToken]) -> dict[str, GroupQueue]:
    """Waiting tokens without a target counter, by group, in issue order."""
    out: dict[str, GroupQueue] = {}
    for t in sorted(tokens, key=lambda t: t.order_key):
        if t.state != WAITING or t.target_counter is not None:
            continue
        q = out.setdefault(t.group, GroupQueue())
        (q.priority if t.priority else q.general).append(t)
    return out


def take_priority(streak: int, priority_waiting: bool, general_waiting: bool,
                  rules: QueueRules) -> bool:
    """Should the group's next call be a priority token? ``streak`` = priority calls in a row."""
    if not priority_waiting:
        return False
    if not general_waiting:
        return True
    return streak < rules.priority_per_general


def next_streak(streak: int, called_priority: bool) -> int:
    return streak + 1 if called_priority else 0


def group_order(queue: GroupQueue, streak: int, rules: QueueRules) -> list[QueueToken]:
    """The order in which a group's waiting tokens will be called, from the current streak."""
    prio, gen = list(queue.priority), list(queue.general)
    order: list[QueueToken] = []
    while prio or gen:
        if take_priority(streak, bool(prio), bool(gen), rules):
            order.append(prio.pop(0))
            streak += 1
        else:
            order.append(gen.pop(0))
            streak = 0
    return order


def pick_next(tokens: Sequence[QueueToken], counter: str, groups: Sequence[str],
              streaks: dict[str, int], rules: QueueRules) -> QueueToken | None:
    """The token ``counter`` (serving ``groups``) calls next, or None if nobody waits for it."""
    targeted = sorted((t for t in tokens if t.state == WAITING and t.target_counter == counter),
                      key=lambda t: t.order_key)
    if targeted:
        return targeted[0]
    queues = split_groups(t for t in tokens if t.group in groups)
    heads: list[QueueToken] = []
    for g, q in queues.items():
        prio = take_priority(streaks.get(g, 0), bool(q.priority), bool(q.general), rules)
        heads.append(q.priority[0] if prio else q.general[0])
    return min(heads, key=lambda t: t.order_key) if heads else None


def people_ahead(tokens: Sequence[QueueToken], token: QueueToken, streak: int,
                 rules: QueueRules) -> int:
    """Waiting tokens of ``token``'s group that will be called before it under the rules.

    A token waiting for a named counter has the ones targeted at that counter ahead of it.
    """
    if token.target_counter is not None:
        return sum(1 for t in tokens if t.state == WAITING and t.target_counter ==
                   token.target_counter and t.order_key < token.order_key)
    queue = split_groups(t for t in tokens if t.group == token.group)
    q = queue.get(token.group)
    if q is None:
        return 0
    for i, t in enumerate(group_order(q, streak, rules)):
        if t.id == token.id:
            return i
    return 0


def ahead_from_counts(*, priority: bool, older_priority: int, older_general: int,
                      priority_waiting: int, general_waiting: int, streak: int,
                      rules: QueueRules) -> int:
    """:func:`people_ahead` from four counts, without walking the queue (what SQL can count).

    The group's calls merge two first-come queues: runs of up to ``k`` priority calls, one
    general call between runs while both wait; the first run is ``k - streak`` long. So the
    m-th priority token has ``ceil((m - first_run) / k)`` general calls before it and the n-th
    general token ``first_run + k·(n - 1)`` priority calls — each capped by how many of the
    other kind wait. ``*_waiting`` count the whole group (the token itself included).
    """
    k = rules.priority_per_general
    first_run = max(k - streak, 0)
    if priority:
        m = older_priority + 1
        generals = 0 if m <= first_run else -(-(m - first_run) // k)
        return older_priority + min(generals, general_waiting)
    n = older_general + 1
    return older_general + min(priority_waiting, first_run + k * (n - 1))


def samadhan_open(now: datetime, rules: QueueRules) -> bool:
    start, end = rules.samadhan_window
    return start <= now.time().replace(tzinfo=None) < end


def group_accepts(group: str, now: datetime, rules: QueueRules) -> bool:
    """May a token for ``group`` be issued at ``now``? (Only Samadhan has a window.)"""
    return group != rules.samadhan_group or samadhan_open(now, rules)


def can_recall(token: QueueToken, rules: QueueRules) -> bool:
    return token.state == CALLED and token.recalls < rules.recall_limit


def can_no_show(token: QueueToken, rules: QueueRules) -> bool:
    """No-show only after the citizen was called ``recall_limit`` more times."""
    return token.state == CALLED and token.recalls >= rules.recall_limit


def can_requeue(token: QueueToken, now: datetime, rules: QueueRules) -> bool:
    return (token.state == NO_SHOW and token.no_show_at is not None
            and now - token.no_show_at <= timedelta(minutes=rules.requeue_minutes))


def median_service_minutes(served_minutes: Sequence[float], seed_minutes: float) -> float:
    """Rolling median of the last :data:`MEDIAN_WINDOW` service times, seeded by the config.

    The configured minutes count as one sample, so the first real service times move the
    estimate at once but a single odd one cannot (the median of [seed, x] is their mean).
    """
    window = [seed_minutes, *list(served_minutes)[-(MEDIAN_WINDOW - 1):]]
    return float(statistics.median(window))


def wait_range(ahead: int, median_minutes: float, counters_open: int) -> tuple[int, int] | None:
    """An honest range in minutes ("about 10–15"), or None when no counter serves the group.

    The estimate is ahead × median ÷ counters open, shown as the 5-minute band it falls in.
    """
    if counters_open <= 0:
        return None
    estimate = ahead * median_minutes / counters_open
    low = int(math.floor(estimate / 5.0)) * 5
    return low, low + 5
