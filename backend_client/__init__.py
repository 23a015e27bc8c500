"""Client for the central backend contract (``openapi.yaml`` next to this file).

Usable on its own: imports nothing from the kiosk. See :class:`BackendClient`.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

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

if TYPE_CHECKING:
    from backend_client.client import BackendClient, batch_key, new_key, parse_retry_after

OPENAPI_PATH = Path(__file__).resolve().parent / "openapi.yaml"

# The HTTP client (and with it requests, ~0.25 s to import) loads on first use (PEP 562), so a
# program that only needs the typed models — the kiosk's start-up path — does not pay for it.
_CLIENT_NAMES = {"BackendClient", "batch_key", "new_key", "parse_retry_after"}


def __getattr__(name: str) -> Any:
    if name in _CLIENT_NAMES:
        return getattr(importlib.import_module("backend_client.client"), name)
    raise AttributeError(f"module 'backend_client' has no attribute {name!r}")


__all__ = [
    "BATCH_KINDS", "OPENAPI_PATH", "REFERENCE_NAMES", "Accepted", "Application",
    "ApplicationStatus", "AuthError", "BackendClient", "BackendClientError", "BatchItem",
    "BatchItemResult", "BatchResult", "Certificate", "Credential", "DocumentMeta", "Heartbeat",
    "HeartbeatAck", "NetworkError", "Payment", "PaymentIntent", "ProtocolError", "QueueToken",
    "RateLimitedError", "ReferenceDocument", "RejectedError", "ServerError", "TokenEvent",
    "batch_key", "new_key", "parse_retry_after",
]
