"""The JSON report against its published schema (src/qupia/schemas/qupia-report-1.schema.json),
on the bundled samples: every file, marking, category and finding the report holds."""

from __future__ import annotations

import copy
import json
from datetime import date
from importlib import resources
from typing import Any

import jsonschema
import pytest

from qupia.engine import check_file
from qupia.report import json_report
from qupia.settings import Settings
from tests.conftest import ROOT

SAMPLES = sorted((ROOT / "corpus" / "samples").iterdir())
SETTINGS = Settings(reference_date=date(2026, 11, 26))


def schema() -> dict[str, Any]:
    text = resources.files("qupia").joinpath("schemas/qupia-report-1.schema.json").read_text(
        encoding="utf-8")
    return json.loads(text)


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    results = [check_file(p, SETTINGS) for p in SAMPLES]
    return json_report.report(results, SETTINGS)


def test_the_samples_report_is_valid_and_uses_every_part_of_the_schema(
        report: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator.check_schema(schema())
    jsonschema.validate(report, schema(), cls=jsonschema.Draft202012Validator)
    files = report["files"]
    assert len(files) == len(SAMPLES)
    # The samples exercise markings, categories and findings, so the schema's parts are used.
    assert any(f["markings"] for f in files) and any(f["categories"] for f in files)
    assert sum(len(f["findings"]) for f in files) >= 9


@pytest.mark.parametrize(("where", "value"), [
    (("schema",), "qupia-report/2"),
    (("files", 0, "status"), "fine"),
    (("files", 0, "document_level"), "very-secret"),
    (("summary", "findings"), {"missing": -1, "excessive": 0, "unlawful": 0,
                               "inconsistent": 0}),
    (("reference_date",), "26.11.2026"),
])
def test_the_schema_refuses_a_wrong_report(report: dict[str, Any], where: tuple[Any, ...],
                                           value: Any) -> None:
    bad = copy.deepcopy(report)
    target = bad
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema(), cls=jsonschema.Draft202012Validator)


def test_a_finding_without_its_code_is_refused(report: dict[str, Any]) -> None:
    bad = copy.deepcopy(report)
    finding = next(f for file in bad["files"] for f in file["findings"])
    del finding["code"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema(), cls=jsonschema.Draft202012Validator)

