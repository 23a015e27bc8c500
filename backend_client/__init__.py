"""Client for the central backend contract (``openapi.yaml`` next to this file).

Usable on its own: imports nothing from the kiosk. The package exports the typed models and
errors; the HTTP client lives in :mod:`backend_client.client` (``from backend_client.client
import BackendClient``) and is not imported here, because it pulls in requests (~0.25 s) and
the kiosk's start-up path needs only the models.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from backend_client.errors import (
    AuthError,
    BackendClientError,
    NetworkError,
    ProtocolError,
    RateLimitedError,
    RejectedError,
    ServerError,
)
from backend_client.models import (
    BATCH_KINDS,
    REFERENCE_NAMES,
    Accepted,
    Application,
    ApplicationStatus,
    BatchItem,
    BatchItemResult,
    BatchResult,
    Certificate,
    Credential,
    DocumentMeta,
    Heartbeat,
    HeartbeatAck,
    Payment,
    PaymentIntent,
    QueueToken,
    ReferenceDocument,
    TokenEvent,
)

OPENAPI_PATH = Path(__file__).resolve().parent / "openapi.yaml"


def __getattr__(name: str) -> Any:
    """Compatibility: ``from backend_client import BackendClient`` (kiosk/centre/runtime.py,
    written before the client moved out of this module's imports) loads the client on demand
    instead of failing. Remove once every caller imports ``backend_client.client``."""
    if name == "BackendClient":
        from backend_client.client import BackendClient

        return BackendClient
    raise AttributeError(f"module 'backend_client' has no attribute {name!r}")

__all__ = [
    "BATCH_KINDS", "OPENAPI_PATH", "REFERENCE_NAMES", "Accepted", "Application",
    "ApplicationStatus", "AuthError", "BackendClientError", "BatchItem",
    "BatchItemResult", "BatchResult", "Certificate", "Credential", "DocumentMeta", "Heartbeat",
    "HeartbeatAck", "NetworkError", "Payment", "PaymentIntent", "ProtocolError", "QueueToken",
    "RateLimitedError", "ReferenceDocument", "RejectedError", "ServerError", "TokenEvent",
]
