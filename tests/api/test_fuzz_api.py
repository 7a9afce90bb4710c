"""Schema-driven fuzzing of the whole HTTP API (Schemathesis over the app's OpenAPI document).

Every operation, with the key of every role, against a real server on SQLite: no answer may be
a 500, have a status the document does not list, or break the documented body (errors
included: ``{"error": {"code", "message"}}``). The budget is fixed (examples per operation and
role, derandomised) so the run is repeatable and takes about a minute on two cores.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from genguard.api.app import create_app
from genguard.auth.keys import create_key
from genguard.vocabulary import Role
from genguard.config import Settings
from genguard.guard import Guard
from genguard.store.db import open_store
from tests.conftest import serve

#: Examples per operation: the admin key (admitted everywhere) explores each operation; the
#: other roles check that refusals and their own routes keep to the document too.
EXAMPLES = {Role.ADMIN: 15, Role.SERVICE: 4, Role.REVIEWER: 4, Role.AUDITOR: 4}
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@dataclass
class Target:
    url: str
    keys: dict[Role, str]
    key_ids: set[int]


@pytest.fixture(scope="module")
def target(detectors, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:  # noqa: ANN001
    home = tmp_path_factory.mktemp("fuzz-home")
    app_settings = Settings(database_url=f"sqlite:///{home / 'genguard.db'}", home=home)
    store = open_store(app_settings.database_url)
    guard = Guard(app_settings, detectors=detectors, store=store)
    try:
        with serve(create_app(app_settings, guard=guard)) as url:
            made = {role: create_key(store, role, f"fuzz-{role.value}") for role in Role}
            yield Target(url, {r: k.secret for r, k in made.items()}, {k.key_id for k in made.values()})
    finally:
        guard.close()
        store.close()


def _operations(url: str) -> list[Any]:
    spec = httpx.get(f"{url}/openapi.json", timeout=30).json()
    schema = schemathesis.openapi.from_dict(spec)
    return [result.ok() for result in schema.get_all_operations()]


def _fuzz(target: Target, operation: Any, role: Role, examples: int, statuses: Counter[int]) -> str | None:
    """``examples`` generated requests to one operation with one role's key; the first
    failure's description, or None."""
    headers = {"Authorization": f"Bearer {target.keys[role]}"}
    where = f"{role.value} {operation.method.upper()} {operation.path}"
    failed: list[str] = []

    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        case = data.draw(operation.as_strategy())
        if operation.path == "/v1/keys/{key_id}" and case.path_parameters.get("key_id") in target.key_ids:
            case.path_parameters["key_id"] += 10_000  # never revoke the fuzzer's own keys
        response = case.call(base_url=target.url, headers=headers)
        statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (Exception, BaseExceptionGroup) as exc:  # Schemathesis raises a FailureGroup
            failed.append(f"{where}: {response.status_code} {str(exc)[:400]}")
            raise

    try:
        run()
    except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - reported with the others below
        return failed[0] if failed else f"{where}: {type(exc).__name__}: {str(exc)[:400]}"
    return None


def test_every_operation_and_role_keeps_to_the_document(target: Target) -> None:
    operations = _operations(target.url)
    assert len(operations) >= 45  # every route of the API, not a sample
    statuses: Counter[int] = Counter()
    started = time.monotonic()
    failures = [failure for role, examples in EXAMPLES.items() for operation in operations
                if (failure := _fuzz(target, operation, role, examples, statuses)) is not None]
    elapsed = time.monotonic() - started
    print(f"\nfuzzed {sum(statuses.values())} requests in {elapsed:.0f} s; statuses {dict(sorted(statuses.items()))}")
    assert not failures, "\n".join(failures)
    assert statuses[500] == 0 and sum(statuses.values()) > 300
