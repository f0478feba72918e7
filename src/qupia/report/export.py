"""A results store (:mod:`qupia.store`) → the data of ``qupia report``: JSON (the ``files`` of
qupia-report/1), CSV, the totals. The command writes them with :func:`qupia.fsio.atomic_writer`."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qupia import __version__
from qupia.report.json_report import SCHEMA, summary
from qupia.store import Store


@dataclass(frozen=True)
class ReportData:
    """Every file of a store, as qupia-report/1 file entries, and what the store was made with."""

    db: str
    files: list[dict[str, Any]]
    settings: dict[str, Any]

    @property
    def reference_date(self) -> str | None:
        value = self.settings.get("reference_date")
        return str(value) if value else None


def load(db: Path) -> ReportData:
    store = Store(db, create=False)
    try:
        return ReportData(str(db), list(store.entries()), store.settings() or {})
    finally:
        store.close()


def totals(data: ReportData) -> dict[str, Counter[str]]:
    """Counts by family, rule, severity, article (findings), and by document level, language and
    status (files)."""
    out: dict[str, Counter[str]] = {k: Counter() for k in (
        "family", "rule", "severity", "article", "level", "language", "status")}
    for f in data.files:
        out["level"][f["document_level"] or "none"] += 1
        out["language"][f["language"] or "unknown"] += 1
        out["status"][f["status"]] += 1
        for finding in f["findings"]:
            out["family"][finding["family"]] += 1
            out["rule"][f"{finding['code']} {finding['rule']}"] += 1
            out["severity"][finding["severity"]] += 1
            out["article"][finding["article"]] += 1
    return out


def totals_line(data: ReportData) -> str:
    t = totals(data)
    unreadable = sum(n for s, n in t["status"].items() if s != "ok")
    families = ", ".join(f"{k} {v}" for k, v in sorted(t["family"].items()))
    return (f"{data.db}: {len(data.files)} files, {sum(t['family'].values())} findings"
            f"{' (' + families + ')' if families else ''}, {unreadable} unreadable")


def json_text(data: ReportData) -> str:
    report = {"schema": SCHEMA, "tool": {"name": "qupia", "version": __version__},
              "reference_date": data.reference_date, "files": data.files,
              "summary": summary(data.files)}
    return json.dumps(report, ensure_ascii=False, indent=1) + "\n"


CSV_COLUMNS = ("path", "sha256", "status", "error", "pages", "language", "document_level",
               "code", "rule", "family", "severity", "article", "page", "region", "message",
               "evidence")


def csv_text(data: ReportData) -> str:
    """One row per finding; a file without findings has one row with the finding columns
    empty."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for f in data.files:
        head = [f["path"], f["sha256"], f["status"], f["error"], f["pages"], f["language"],
                f["document_level"]]
        for finding in f["findings"] or [None]:
            tail = [finding[k] for k in CSV_COLUMNS[7:]] if finding else [None] * 9
            writer.writerow(["" if v is None else v for v in (*head, *tail)])
    return out.getvalue()
