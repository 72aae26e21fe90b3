"""Property-based fuzzing of our own OpenAPI schema: no input gets a 5xx or an undeclared answer.

Every operation is fuzzed, local runs included: the app under test trains with the stand-in
runner and a short timeout, so a generated `dry_run: false` request is cheap and harmless.
schemathesis's pytest integration is not used: it rewrites pytest internals that differ in
the pytest we run, so each operation gets a plain Hypothesis test here instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python import asgi
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.tunix.conftest import STAND_IN_RUNNER
from tunix_rt.app import create_app
from tunix_rt.settings import Settings
from tunix_rt.tunix.availability import clear_cache

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Examples per operation and mode: bounded so both dialects fuzz in about a minute.
EXAMPLES = {GenerationMode.POSITIVE: 15, GenerationMode.NEGATIVE: 8}


@pytest.fixture
def api_schema(make_settings: Callable[..., Settings]) -> Iterator[schemathesis.BaseSchema]:
    clear_cache()
    app = create_app(
        make_settings(tunix_runner_script=STAND_IN_RUNNER, tunix_run_timeout_seconds=5)
    )
    try:
        yield schemathesis.openapi.from_asgi("/openapi.json", app)
    finally:
        # schemathesis keeps each app's lifespan open for the whole process; close this one
        # now, so its database connections end with the test.
        asgi.shutdown_lifespans()


def fuzz(operation: schemathesis.APIOperation, mode: GenerationMode) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(checks=CHECKS)

    check()


def test_every_operation_conforms_to_the_schema(api_schema: schemathesis.BaseSchema) -> None:
    failures: list[str] = []
    labels: list[str] = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        labels.append(operation.label)
        for mode in EXAMPLES:
            try:
                fuzz(operation, mode)
            except Unsatisfiable:
                pass  # no invalid input exists (no parameters, or a free-form path segment)
            except (Exception, BaseExceptionGroup) as exc:  # schemathesis raises groups
                failures.append(f"{operation.label} ({mode.value}): {exc}")
    assert "POST /api/tunix/run" in labels  # the fuzzing really reached every router
    assert "GET /api/tunix/runs" in labels
    assert not failures, "\n\n".join(failures)
