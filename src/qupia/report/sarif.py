"""The SARIF 2.1.0 report (``--format sarif``), for code-scanning tools such as GitHub's.

The rules in ``tool.driver.rules`` are made from the rule modules themselves (code, name,
docstring, severity, family, article), never from a hand-kept table, like ``qupia explain``.
A finding's identity for baselines (:mod:`qupia.baseline`) is its ``partialFingerprints``, so
a code-scanning service follows a finding across runs by the same identity qupia uses.

Findings the document's own review suppresses (:mod:`qupia.review`) are results with a SARIF
``suppressions`` entry carrying the reason (``inSource`` for a DOCX property, ``external`` for a
sidecar file). Unreadable files, and files with pages that could not be read (``no-text``), are
``toolExecutionNotifications`` of level ``error``; the findings of the pages read are results.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any, TextIO
from urllib.parse import quote

from qupia import __version__, baseline, i18n
from qupia.model import FileResult, Finding
from qupia.report import Run
from qupia.rules import RULES

SCHEMA_URI = ("https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/"
              "sarif-schema-2.1.0.json")
#: qupia severity → SARIF level (SARIF has no "info"; "note" is its lowest level that counts).
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
#: The partialFingerprints key: the baseline identity (file sha256, rule, keyed evidence hash);
#: v2 since the evidence hash is keyed (qupia-baseline/2).
FINGERPRINT = "qupiaIdentity/v2"
SRCROOT = "%SRCROOT%"


def rule_descriptor(rule: ModuleType, lang: str = "en") -> dict[str, Any]:
    """A ``reportingDescriptor`` made from a rule module, in *lang*."""
    doc = i18n.explanation(rule, lang)
    return {
        "id": rule.CODE,
        "name": rule.NAME,
        "shortDescription": {"text": i18n.summary(rule, lang)},
        "fullDescription": {"text": doc.split("\n\n", 1)[-1].strip() or doc},
        "help": {"text": doc},
        "defaultConfiguration": {"level": LEVELS[rule.SEVERITY]},
        "properties": {
            "family": rule.FAMILY,
            "article": rule.ARTICLE,
            "tags": ["state-secrets", rule.FAMILY],
        },
    }


def artifact(path: str) -> dict[str, Any]:
    """An ``artifactLocation``: relative to the current folder (with ``uriBaseId``) where the
    file is inside it, else an absolute ``file:`` URI. Percent-encoded: names are often Cyrillic.
    """
    resolved = Path(path).resolve()
    try:
        relative = resolved.relative_to(Path.cwd().resolve())
    except ValueError:
        # "!" stays: an archive member is named archive.zip!inside/order.docx (a URI
        # sub-delimiter, allowed in a path)
        return {"uri": "file://" + quote(resolved.as_posix(), safe="/!")}
    return {"uri": quote(relative.as_posix(), safe="/!"), "uriBaseId": SRCROOT}


def _result(f: Finding, file: FileResult, index: dict[str, int], t: i18n.Catalogue,
            suppression: dict[str, Any] | None = None) -> dict[str, Any]:
    # A PDF or DOCX page has no lines, but SARIF readers need a line to show, and GitHub code
    # scanning rejects a result whose region has no startLine. So startLine is the page number
    # (1 for a document-wide finding), and the page and region (header, footer, table …) that
    # qupia actually knows go in the region's property bag — which the schema allows and every
    # reader that does not know them ignores.
    region: dict[str, Any] = {
        "startLine": f.page or 1,
        "properties": {"page": f.page, "region": f.region or "document"},
    }
    if f.evidence:
        region["snippet"] = {"text": f.evidence}
    out: dict[str, Any] = {
        "ruleId": f.code,
        "ruleIndex": index[f.code],
        "level": LEVELS.get(f.severity, "warning"),
        "message": {"text": f"{t.text(f.message)} (Art. {f.article})"},
        "locations": [{"physicalLocation": {"artifactLocation": artifact(file.path),
                                            "region": region}}],
        "partialFingerprints": {
            FINGERPRINT: baseline.identity(file.sha256, f, file.evidence_key).fingerprint(),
        },
        "properties": {"family": f.family, "article": f.article, "severity": f.severity},
    }
    if suppression:
        out["suppressions"] = [suppression]
    return out


def report(results: Iterable[FileResult], run: Run) -> dict[str, Any]:
    """The SARIF log of *results*: one run, every rule described, one result per finding."""
    t = i18n.catalogue(run.lang)
    index = {rule.CODE: n for n, rule in enumerate(RULES)}
    sarif_results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for file in results:
        if file.status in ("error", "no-text"):
            text = file.error or t._("no readable text (a scan needs OCR)")
            notifications.append({
                "level": "error",
                "message": {"text": f"{file.path}: {text}"},
                "locations": [{"physicalLocation": {"artifactLocation": artifact(file.path)}}],
                "properties": {"status": file.status,
                               "unreadable_pages": list(file.unreadable_pages)},
            })
            if file.status == "error":
                continue
        for f in file.findings:
            sarif_results.append(_result(f, file, index, t))
        for s in file.suppressed:
            sarif_results.append(_result(s.finding, file, index, t, {
                "kind": "inSource" if s.source == "docx-property" else "external",
                "status": "accepted",
                "justification": s.reason,
            }))
    cwd = Path.cwd().resolve().as_uri() + "/"
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "qupia",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [rule_descriptor(rule, run.lang) for rule in RULES],
            }},
            "originalUriBaseIds": {SRCROOT: {"uri": cwd}},
            "invocations": [{
                "executionSuccessful": True,
                "toolExecutionNotifications": notifications,
                "properties": {"reference_date": run.reference_date.isoformat(),
                               "language": run.lang},
            }],
            "results": sarif_results,
            "columnKind": "unicodeCodePoints",
        }],
    }


def emit(results: Iterable[FileResult], run: Run, out: TextIO) -> None:
    json.dump(report(results, run), out, ensure_ascii=False, indent=2)
    out.write("\n")
