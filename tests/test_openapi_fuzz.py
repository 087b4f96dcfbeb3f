"""Schemathesis against /openapi.json: generated requests get no 5xx and documented answers.

Runs in-process (ASGI) on SQLite with a real account; the generated ``apiKey``
is replaced by that account's key so that requests reach the rules, not just
the key check. Bounded to a few dozen examples per operation.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from carnet.domain.accounts import create_account
from carnet.http.app import create_app
from carnet.settings import Settings
from carnet.storage import Store

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


# One database for the run, removed with the directory when the run ends.
_DIRECTORY = tempfile.TemporaryDirectory(prefix="carnet-fuzz-")
STORE = Store.open(f"sqlite:///{Path(_DIRECTORY.name) / 'carnet.db'}")
_, KEY = create_account(STORE, "fuzz")
APP = create_app(Settings(database_url="sqlite://", rate_limit=0), store=STORE)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_generated_requests_get_documented_answers(case: Any) -> None:
    if isinstance(case.query, dict):
        case.query.pop("apiKey", None)
    if isinstance(case.body, dict):
        case.body.pop("apiKey", None)
    case.call_and_validate(headers={"X-Api-Key": KEY}, checks=CHECKS)
