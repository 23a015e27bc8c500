"""The centre service against its own OpenAPI document, with schemathesis.

Like tests/sync/test_contract.py for the state backend: the ASGI app served by uvicorn on
loopback (schemathesis' in-process ASGI client keeps a process-wide event-loop thread, which
the suite's leak check rightly refuses); positive and negative examples for every operation;
each answer must be documented (status, content type, body schema) and never a 5xx. The event
stream never ends, so it is left to test_centre_http.py.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from centre_helpers import PIN, add_operator, new_id
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

from kiosk.centre.db import CentreStore
from kiosk.centre.server import OPENAPI_PATH, CentreServer
from kiosk.centre.service import CentreService
from kiosk.config import load_config

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]


@pytest.fixture
def app(tmp_path: Path) -> Iterator[tuple[CentreServer, str]]:
    config = load_config(data_dir=tmp_path / "data", environ={})
    store = CentreStore(tmp_path / "centre.sqlite3")
    svc = CentreService(store, config, enrolment_code="CODE-S")
    add_operator(store, "op1")
    for group in ("C", "A", "L"):
        svc.issue(new_id(), group)
    svc.login("1", PIN, operator_id="op1")
    server = CentreServer(svc).start()
    try:
        yield server, svc.issue_credential("K-SCHEMA", "kiosk")
    finally:
        server.close()
        store.close()


def test_the_document_covers_the_api() -> None:
    schema = schemathesis.openapi.from_path(str(OPENAPI_PATH))
    assert schema.raw_schema["openapi"].startswith("3.1")
    ids = {r.ok().definition.raw.get("operationId") for r in schema.get_all_operations()}
    assert ids == {"health", "enrol", "issueToken", "getToken", "leaseNumbers", "getQueue",
                   "getBoard", "requestHelp",
                   "login", "logout", "counterAction", "counterStats", "events",
                   "dayEndReport", "declareDayEnd", "closeDayEnd", "closeDay",
                   # the desk: applications
                   "handOverApplication", "enterApplication", "findApplications",
                   "getDeskApplication", "recordDocumentsSeen", "recordApplicationPrint",
                   "checkApplicationStep",
                   "confirmCash", "cashSummary", "getCashReceipt", "voidCash"}  # desk-cash


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
                         ids=["positive", "negative"])
def test_service_conforms_to_openapi(app: tuple[CentreServer, str],
                                     mode: GenerationMode) -> None:
    import requests

    logging.getLogger("kiosk.centre").setLevel(logging.CRITICAL)
    server, token = app
    schema = schemathesis.openapi.from_path(str(OPENAPI_PATH))
    headers = {"Authorization": f"Bearer {token}"}
    session = requests.Session()
    for result in schema.get_all_operations():
        op = result.ok()
        if op.definition.raw.get("operationId") == "events":
            continue

        @settings(max_examples=8, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        @given(case=op.as_strategy(generation_mode=mode))
        def check(case: schemathesis.Case) -> None:
            case.call_and_validate(base_url=server.url, session=session, headers=headers,
                                   checks=CHECKS)

        try:
            check()
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE
    session.close()
