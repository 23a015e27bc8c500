"""The reference backend against its own OpenAPI document, with schemathesis.

Positive and negative examples for every operation; every answer must be a documented status,
with the documented content type, headers and body schema, and never a 5xx. Bounded so the
whole test takes a few seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from backend_client import OPENAPI_PATH
from reference_backend import ReferenceBackend
from reference_backend.workers import AsgiBackend

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
SCHEMA = schemathesis.openapi.from_path(str(OPENAPI_PATH))
OPERATIONS = [r.ok() for r in SCHEMA.get_all_operations()]


def test_the_document_is_openapi_3_1_and_covers_the_contract() -> None:
    assert SCHEMA.raw_schema["openapi"].startswith("3.1")
    ids = {op.definition.raw.get("operationId") for op in OPERATIONS}
    assert {"registerKiosk", "getReference", "postTokenEvent", "uploadBatch",
            "submitApplication", "getApplicationStatus", "createPayment", "getPayment",
            "getCertificate", "callNext", "recallToken", "transferToken", "completeToken",
            "noShowToken", "heartbeat", "health", "ready"} <= ids


@pytest.fixture(params=["test-server", "production"])
def either_backend(request: pytest.FixtureRequest, backend: ReferenceBackend,
                   tmp_path: Path) -> Iterator[ReferenceBackend]:
    """The in-process test server, and the production server (``kiosk backend``)."""
    if request.param == "test-server":
        yield backend
        return
    with AsgiBackend(tmp_path / "production.sqlite3", seed=20261122) as be:
        yield be


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                         ids=["positive", "negative"])
def test_server_conforms_to_openapi(either_backend: ReferenceBackend,
                                    mode: GenerationMode) -> None:
    backend = either_backend
    logging.getLogger("reference_backend").setLevel(logging.CRITICAL)
    headers = {"Authorization": f"Bearer {backend.issue_credential('K-SCHEMA')}"}
    import requests

    session = requests.Session()
    try:
        for op in OPERATIONS:
            @settings(max_examples=6, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            @given(case=op.as_strategy(generation_mode=mode))
            def check(case: schemathesis.Case) -> None:
                case.call_and_validate(base_url=backend.url, session=session,
                                       headers=headers, checks=CHECKS)

            try:
                check()
            except Unsatisfiable:
                # Nothing to negate (e.g. GET /v1/health has no inputs at all).
                assert mode is GenerationMode.NEGATIVE
    finally:
        session.close()
