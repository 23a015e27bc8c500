"""Where the centre service finds operators and the audit trail (kiosk/centre/operators.py and
audit.py from branch centre-ops); a stand-in until that branch is merged."""

from __future__ import annotations

from kiosk.centre import _standin as audit
from kiosk.centre import _standin as operators

__all__ = ["audit", "operators"]
