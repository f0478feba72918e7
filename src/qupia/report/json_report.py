"""The JSON report, schema ``qupia-report/1`` (docs/report-format.md)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from datetime import date
from typing import Any, TextIO

from qupia import __version__
from qupia.engine import FileResult
from qupia.model import FAMILIES, Finding, Marking
from qupia.settings import Settings

SCHEMA = "qupia-report/1"


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def marking_dict(m: Marking, evidence: bool = True) -> dict[str, Any]:
    """A marking; its words (``text``) are empty when the report may carry none of the
    document's words (``--no-evidence``): ``level`` and ``form`` say what the mark was."""
    r = m.requisites
    return {
        "level": m.level.value, "text": m.text if evidence else "", "page": m.page,
        "region": m.region.value,
        "requisites": {"copy": r.copy, "list_item": r.list_item, "date": _day(r.date),
                       "period_years": r.period_years, "until": _day(r.until),
                       "extended_until": _day(r.extended_until)},
        "form": m.form, "legacy": m.legacy, "in_effect": m.in_effect,
        "maps_to": m.maps_to.value if m.maps_to else None,
        "property": m.property,
    }


def finding_dict(f: Finding, settings: Settings) -> dict[str, Any]:
    """A finding; its evidence is left out when settings.evidence is off (``--no-evidence``)."""
    out = asdict(f)
    if not settings.evidence:
        out["evidence"] = ""
    return out


def file_dict(result: FileResult, settings: Settings) -> dict[str, Any]:
    """One file of the report. ``suppressed`` (findings the document's own review suppresses,
    with the reason) and ``baselined`` (findings hidden by ``--baseline``) are additions to
    qupia-report/1, as are ``metadata_level`` (the highest level the document's properties
    say; ``document_level`` stays the pages') and a marking's ``property``; no field of it is
    renamed. So is ``unreadable_pages``: the pages of a ``no-text`` file that could not be read
    (its findings come from the other pages)."""
    facts = result.facts
    level = facts.document_level if facts else None
    return {
        "path": result.path, "sha256": result.sha256, "status": result.status,
        "error": result.error, "pages": result.pages,
        "unreadable_pages": list(getattr(result, "unreadable_pages", ())),
        "language": result.language,
        "document_level": level.value if level else None,
        "limited": facts.limited if facts else False,
        "declassified": facts.declassified if facts else False,
        "metadata_level": facts.metadata_level.value if facts and facts.metadata_level
        else None,
        "markings": ([marking_dict(m, settings.evidence) for m in facts.markings]
                     + [marking_dict(m, settings.evidence) for m in facts.metadata
                        if m not in facts.markings] if facts else []),
        "categories": [
            {"article": c.article, "item": c.item, "score": round(c.score, 3),
             "evidence": [asdict(e) for e in c.evidence] if settings.evidence else [],
             "cues": list(c.cues) if settings.evidence else [],
             "explanation": c.explanation}
            for c in result.categories
        ],
        "findings": [finding_dict(f, settings) for f in result.findings],
        "suppressed": [
            {**finding_dict(s.finding, settings), "reason": s.reason, "source": s.source}
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


def report(results: Iterable[FileResult], settings: Settings,
           skipped: Mapping[str, int] | None = None) -> dict[str, Any]:
    files = [file_dict(r, settings) for r in results]
    return {
        "schema": SCHEMA, "tool": {"name": "qupia", "version": __version__},
        "reference_date": settings.reference_date.isoformat(),
        "files": files, "summary": summary(files, skipped),
    }


def emit(results: Iterable[FileResult], settings: Settings, out: TextIO,
         skipped: Mapping[str, int] | None = None) -> None:
    json.dump(report(results, settings, skipped), out, ensure_ascii=False, indent=2)
    out.write("\n")
