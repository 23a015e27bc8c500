"""Queue tokens: numbering, priority, people ahead and the estimated wait.

A token number is the service-group letter and a daily sequence (``C-017``). The sequence is
taken inside the same ``BEGIN IMMEDIATE`` transaction that inserts the token, and ``(day, group,
seq)`` is UNIQUE, so numbers never repeat — not across threads, not across a restart mid-day.
The token and its outbox entry for the central backend are committed together (transactional
outbox): if one is on disk, so is the other.

Priority citizens (senior 60+, divyang, pregnant woman) are served before general tokens of the
same group; "people ahead" follows that order so the estimate a citizen is given is honest.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo

from kiosk.config import Config
from kiosk.errors import StoreError, ValidationError
from kiosk.i18n import N_
from kiosk.store import Store, store_error


class Priority(StrEnum):
    GENERAL = "general"
    SENIOR = "senior"
    DIVYANG = "divyang"
    PREGNANT = "pregnant"

    @property
    def is_priority(self) -> bool:
        return self is not Priority.GENERAL


#: English msgids for each priority (translated at display time).
PRIORITY_LABELS: dict[Priority, str] = {
    Priority.GENERAL: N_("General"),
    Priority.SENIOR: N_("Senior citizen (60+)"),
    Priority.DIVYANG: N_("Divyang (person with disability)"),
    Priority.PREGNANT: N_("Pregnant woman / mother with infant"),
}


@dataclass(frozen=True)
class Token:
    """One issued token as stored; everything a slip or a screen needs."""

    id: str
    number: str
    group: str
    seq: int
    priority: Priority
    lang: str
    issued_at: datetime
    people_ahead: int
    wait_minutes: int
    #: Where the estimate comes from: ``local`` (a stand-alone kiosk: ahead × configured
    #: minutes), ``range`` (the centre's ``wait_min``–``wait_max``), ``no_counter`` (the centre
    #: knows the position but no counter serves the group: the wait is "—"), ``offline`` (issued
    #: from this kiosk's lease while the centre could not be reached: position and wait unknown,
    #: ``people_ahead`` is then 0 and must not be shown as a figure).
    estimate: str = "local"
    wait_min: int | None = None
    wait_max: int | None = None

    @property
    def offline(self) -> bool:
        return self.estimate == "offline"

    @property
    def day(self) -> str:
        return self.issued_at.date().isoformat()

    def to_json(self) -> dict[str, object]:
        d = asdict(self)
        d["priority"] = self.priority.value
        d["issued_at"] = self.issued_at.isoformat()
        d["offline"] = self.offline
        return d


def parse_priority(value: str) -> Priority:
    try:
        return Priority(value)
    except ValueError:
        raise ValidationError(
            f"unknown priority {value!r}; expected one of "
            f"{', '.join(p.value for p in Priority)}",
            message=N_("Please choose one of the listed categories."),
        ) from None


class CentreIssuing(Protocol):
    """What :class:`TokenService` delegates to when the kiosk is part of a centre
    (:class:`kiosk.issuing.issuer.CentreIssuer`): numbers from the centre service, or from
    this kiosk's lease when it cannot be reached."""

    def issue(self, group: str, priority: Priority, lang: str) -> Token: ...

    def get(self, token_id: str) -> Token | None: ...


class TokenService:
    """Issues tokens and answers "how many before me?".

    With a centre attached (``centre=`` or :meth:`attach_centre`; every real entry point —
    ``kiosk run``, ``kiosk token issue`` — does so) the number comes from the centre service and
    the centre forwards ``token.issued`` to the state; this kiosk writes no outbox entry for it.
    Without one (tests, a library user, a kiosk that is a centre of one) it numbers tokens
    itself from its own store as it always did, outbox entry included, since nobody else
    would forward them.
    """

    def __init__(self, store: Store, config: Config,
                 clock: Callable[[], datetime] | None = None, *,
                 centre: CentreIssuing | None = None) -> None:
        self.store = store
        self.config = config
        tz = ZoneInfo(config.timezone)
        self._clock = clock or (lambda: datetime.now(tz))
        self._centre = centre

    def attach_centre(self, centre: CentreIssuing | None) -> None:
        """Issue through ``centre`` from now on (None: back to stand-alone numbering)."""
        self._centre = centre

    @property
    def centre(self) -> CentreIssuing | None:
        return self._centre

    def now(self) -> datetime:
        return self._clock()

    def _check_group(self, group: str) -> str:
        g = group.strip().upper()
        if g not in self.config.groups:
            raise ValidationError(
                f"unknown service group {group!r}; configured: {', '.join(self.config.groups)}",
                message=N_("Please choose one of the listed services."),
            )
        return g

    def issue(self, group: str, priority: Priority | str = Priority.GENERAL,
              lang: str = "hi") -> Token:
        """Issue the next token for ``group``, committed durably before this returns."""
        grp = self._check_group(group)
        prio = priority if isinstance(priority, Priority) else parse_priority(priority)
        if self._centre is not None:
            return self._centre.issue(grp, prio, lang)
        now = self.now()
        day = now.date().isoformat()
        token_id = str(uuid.uuid4())
        try:
            with self.store.transaction() as conn:
                row = conn.execute("SELECT COALESCE(MAX(seq), 0) FROM tokens "
                                   "WHERE day = ? AND grp = ? AND scope = 'local'",
                                   (day, grp)).fetchone()
                seq = int(row[0]) + 1
                number = f"{grp}-{seq:03d}"
                conn.execute(
                    "INSERT INTO tokens (id, day, grp, seq, number, priority, lang, issued_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (token_id, day, grp, seq, number, prio.value, lang, now.isoformat()))
                ahead = self._people_ahead(conn, day, grp, seq, prio)
                payload = {"token_id": token_id, "number": number, "group": grp,
                           "priority": prio.value, "issued_at": now.isoformat(),
                           "centre": self.config.centre_code}
                conn.execute(
                    "INSERT INTO outbox (idempotency_key, kind, record_id, payload, created_at) "
                    "VALUES (?, 'token.issued', ?, ?, ?)",
                    (f"token.issued:{token_id}", token_id,
                     json.dumps(payload, ensure_ascii=False), now.isoformat()))
        except StoreError:
            raise
        except Exception as exc:  # sqlite3.Error and friends: nothing was committed
            # SQLite's own words stay in the detail; a full disk says so to the citizen too
            raise store_error(exc, f"issuing a token for group {grp} failed") from exc
        return Token(id=token_id, number=number, group=grp, seq=seq, priority=prio, lang=lang,
                     issued_at=now, people_ahead=ahead,
                     wait_minutes=self.estimate_minutes(grp, ahead))

    @staticmethod
    def _people_ahead(conn: sqlite3.Connection, day: str, grp: str, seq: int,
                      prio: Priority) -> int:
        if prio.is_priority:
            sql = ("SELECT COUNT(*) FROM tokens WHERE day = ? AND grp = ? AND status = 'waiting' "
                   "AND scope = 'local' "
                   "AND priority != 'general' AND seq < ?")
            return int(conn.execute(sql, (day, grp, seq)).fetchone()[0])
        sql = ("SELECT COUNT(*) FROM tokens WHERE day = ? AND grp = ? AND status = 'waiting' "
               "AND scope = 'local' "
               "AND (priority != 'general' OR seq < ?) AND seq != ?")
        return int(conn.execute(sql, (day, grp, seq, seq)).fetchone()[0])

    def estimate_minutes(self, group: str, people_ahead: int) -> int:
        """People ahead × the group's configured minutes per citizen, rounded up."""
        minutes = self.config.groups[group].minutes
        return int(-(-people_ahead * minutes // 1))

    def get(self, token_id: str) -> Token | None:
        """A stored token with its *current* people-ahead figure (for a reprint)."""
        if self._centre is not None:
            return self._centre.get(token_id)
        row = self.store.conn.execute("SELECT * FROM tokens WHERE id = ?",
                                      (token_id,)).fetchone()
        if row is None:
            return None
        prio = Priority(row["priority"])
        ahead = self._people_ahead(self.store.conn, row["day"], row["grp"], row["seq"], prio)
        return Token(id=row["id"], number=row["number"], group=row["grp"], seq=row["seq"],
                     priority=prio, lang=row["lang"],
                     issued_at=datetime.fromisoformat(row["issued_at"]), people_ahead=ahead,
                     wait_minutes=self.estimate_minutes(row["grp"], ahead))

    def count_today(self) -> int:
        day = self.now().date().isoformat()
        return int(self.store.conn.execute("SELECT COUNT(*) FROM tokens WHERE day = ?",
                                           (day,)).fetchone()[0])
