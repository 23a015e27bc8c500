"""A reference implementation of the backend contract (``backend_client/openapi.yaml``).

Runs embedded on loopback by default so one machine is a complete centre, and is the real HTTP
server the sync tests fail on purpose. Imports nothing from ``kiosk``.
"""

from __future__ import annotations

from reference_backend.db import BackendDB, ProblemError
from reference_backend.server import Faults, ReferenceBackend

__all__ = ["BackendDB", "Faults", "ProblemError", "ReferenceBackend"]
