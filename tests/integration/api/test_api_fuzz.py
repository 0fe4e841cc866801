"""Schemathesis over the OpenAPI document: no generated request gets a 5xx, every answer is as
documented (status, content type, headers, body schema). Per operation: Schemathesis' coverage
phase (boundary values: the largest integers, empty and over-long strings, NUL …, valid and
invalid), then bounded random positive and negative examples, to stay well under 90 s."""

from __future__ import annotations

import itertools
import json
import time
from collections import Counter
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.generation.drivers import CoverageGenerator
from schemathesis.generation.feedback import NO_FEEDBACK
from schemathesis.generation.overrides import Override
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from pro_service.safety import service as safety
from tests.factories import T0

EXAMPLES = {GenerationMode.POSITIVE: 10, GenerationMode.NEGATIVE: 5}
COVERAGE_CASES = 20  # per operation, at most
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_headers_conformance, response_schema_conformance]
REPORT = Path(__file__).resolve().parents[3] / "test-output" / "api-fuzz.json"


@pytest.fixture
def admin(make_site, make_staff, make_participant):
    make_site("302")
    make_site("303")
    people = [make_participant() for _ in range(3)]
    make_participant(site="303")
    safety.raise_alert(people[0], category="gi_bleeding", urgency="emergency", source="free_text",
                       evidence={"excerpt": "吐血"}, now=T0)
    return make_staff("admin", sites=())


def _check(operation, case, label: str, headers: dict[str, str], counts: Counter[str],
           failures: list[str]) -> None:
    response = case.call(headers=headers)
    counts["cases"] += 1
    counts[f"{response.status_code // 100}xx"] += 1
    try:
        case.validate_response(response, checks=CHECKS)
    except (AssertionError, BaseExceptionGroup) as exc:  # collect them all, report at the end
        failures.append(f"{operation.label} [{label}] {str(exc)[:600]}")


def _coverage(schema, operation, headers: dict[str, str], counts: Counter[str],
              failures: list[str]) -> None:
    """Schemathesis' deterministic boundary cases for one operation, positive and negative."""
    cases = CoverageGenerator(
        operation=operation, generation_modes=list(EXAMPLES), auth_storage=None,
        generation_config=schema.config.generation_for(operation=operation, phase="coverage"),
        override=Override(), feedback=NO_FEEDBACK)
    for case in itertools.islice(cases, COVERAGE_CASES):
        _check(operation, case, "coverage", headers, counts, failures)


def _fuzz(operation, mode: GenerationMode, headers: dict[str, str], counts: Counter[str],
          failures: list[str]) -> None:
    """Send EXAMPLES[mode] generated requests to one operation and run the checks on each."""

    @settings(max_examples=EXAMPLES[mode], deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case) -> None:
        _check(operation, case, mode.value, headers, counts, failures)

    try:
        run()
    except Unsatisfiable:  # nothing to make invalid (an action without parameters or body)
        counts["operations without negative cases"] += 1


def test_every_generated_api_request_is_answered_without_a_5xx_and_as_documented(app, admin):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    counts: Counter[str] = Counter()
    failures: list[str] = []
    started = time.monotonic()
    for result in schema.get_all_operations():
        _coverage(schema, result.ok(), admin.headers, counts, failures)
        for mode in EXAMPLES:
            _fuzz(result.ok(), mode, admin.headers, counts, failures)
    counts["seconds"] = round(time.monotonic() - started)
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text(json.dumps({**counts, "failures": failures[:50]}, indent=1, ensure_ascii=False))
    print(f"\nAPI fuzz: {dict(counts)}")  # noqa: T201 - the figures the note reports
    assert counts["5xx"] == 0 and not failures, "\n".join(failures[:20])
    assert counts["2xx"] > 0 and counts["4xx"] > 0
