"""The JSON report, schema ``qupia-report/1`` (docs/report-format.md).

It writes finished results (:mod:`qupia.finish`) as they are: a result without evidence has
none to write. Messages are translated into the run's language as they are written."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from datetime import date
from typing import Any, TextIO

from qupia import __version__
from qupia.i18n import Catalogue, catalogue
from qupia.model import FAMILIES, FileResult, Finding, Marking
from qupia.report import Run

SCHEMA = "qupia-report/1"


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def marking_dict(m: Marking) -> dict[str, Any]:
    """A marking; its words (``text``) are empty when the report may carry none of the
    document's words (``--no-evidence``): ``level`` and ``form`` say what the mark was."""
    r = m.requisites
    return {
        "level": m.level.value, "text": m.text, "page": m.page,
        "region": m.region.value,
        "requisites": {"copy": r.copy, "list_item": r.list_item, "date": _day(r.date),
                       "period_years": r.period_years, "until": _day(r.until),
                       "extended_until": _day(r.extended_until)},
        "form": m.form, "legacy": m.legacy, "in_effect": m.in_effect,
        "maps_to": m.maps_to.value if m.maps_to else None,
        "property": m.property,
    }


def finding_dict(f: Finding, t: Catalogue) -> dict[str, Any]:
    """A finding, its message in the language of *t*."""
    return {"code": f.code, "rule": f.rule, "family": f.family, "severity": f.severity,
            "article": f.article, "message": t.text(f.message), "page": f.page,
            "region": f.region, "evidence": f.evidence}


def file_dict(result: FileResult, run: Run) -> dict[str, Any]:
    """One file of the report. ``suppressed`` (findings the document's own review suppresses,
    with the reason) and ``baselined`` (findings hidden by ``--baseline``) are additions to
    qupia-report/1, as are ``metadata_level`` (the highest level the document's properties
    say; ``document_level`` stays the pages') and a marking's ``property``; no field of it is
    renamed. So is ``unreadable_pages``: the pages of a ``no-text`` file that could not be read
    (its findings come from the other pages)."""
    t = catalogue(run.lang)
    facts = result.facts
    level = facts.document_level if facts else None
    return {
        "path": result.path, "sha256": result.sha256, "status": result.status,
        "error": result.error, "pages": result.pages,
        "unreadable_pages": list(result.unreadable_pages),
        "language": result.language,
        "document_level": level.value if level else None,
        "limited": facts.limited if facts else False,
        "declassified": facts.declassified if facts else False,
        "metadata_level": facts.metadata_level.value if facts and facts.metadata_level
        else None,
        "markings": ([marking_dict(m) for m in facts.markings]
                     + [marking_dict(m) for m in facts.metadata if m not in facts.markings]
                     if facts else []),
        "categories": [
            {"article": c.article, "item": c.item, "score": round(c.score, 3),
             "evidence": [asdict(e) for e in c.evidence], "cues": list(c.cues),
             "explanation": c.explanation}
            for c in result.categories
        ],
        "findings": [finding_dict(f, t) for f in result.findings],
        "suppressed": [
            {**finding_dict(s.finding, t), "reason": s.reason, "source": s.source}
            for s in result.suppressed
        ],
        "baselined": result.baselined,
    }


def summary(files: list[dict[str, Any]],
            skipped: Mapping[str, int] | None = None) -> dict[str, Any]:
    """Counts over the report. ``skipped`` (an addition to qupia-report/1): the files a folder
    scan found but cannot read, by suffix — a scan fails closed and says what it left out."""
    counts = dict.fromkeys(FAMILIES, 0)
    for f in files:
        for finding in f["findings"]:
            counts[finding["family"]] += 1
    # errors: every file that could not be read in full (status error or no-text); both fail
    # the run. no_text: those of them that are scans or pages without readable text.
    return {"files": len(files),
            "errors": sum(1 for f in files if f["status"] in ("error", "no-text")),
            "no_text": sum(1 for f in files if f["status"] == "no-text"),
            "findings": counts,
            "suppressed": sum(len(f["suppressed"]) for f in files),
            "baselined": sum(f["baselined"] for f in files),
            "skipped": {"files": sum((skipped or {}).values()),
                        "types": dict(sorted((skipped or {}).items()))}}


def report(results: Iterable[FileResult], run: Run,
           skipped: Mapping[str, int] | None = None) -> dict[str, Any]:
    files = [file_dict(r, run) for r in results]
    return {
        "schema": SCHEMA, "tool": {"name": "qupia", "version": __version__},
        "reference_date": run.reference_date.isoformat(),
        "files": files, "summary": summary(files, skipped),
    }


def emit(results: Iterable[FileResult], run: Run, out: TextIO,
         skipped: Mapping[str, int] | None = None) -> None:
    json.dump(report(results, run, skipped), out, ensure_ascii=False, indent=2)
    out.write("\n")
