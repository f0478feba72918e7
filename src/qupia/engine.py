"""One file → one :class:`FileResult`: extract → markings → content → rules.

This is the whole pipeline for a file and nothing else: no printing, no exit status, no
process handling (see :mod:`qupia.runner` for that).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from qupia.extract import ExtractError, extract
from qupia.markings import MarkingFacts, detect, load
from qupia.model import CategoryMatch, Document, Finding
from qupia.rules import Facts, run
from qupia.settings import Settings


@dataclass(frozen=True)
class FileResult:
    path: str
    sha256: str | None
    status: str  # ok | no-text | error
    error: str | None
    pages: int | None = None
    language: str | None = None
    facts: MarkingFacts | None = None
    categories: tuple[CategoryMatch, ...] = ()
    findings: tuple[Finding, ...] = ()


def sha256(path: Path) -> str | None:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


_KK_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
_KK_LATIN = set("äğıñöūüşÄĞIÑÖŪÜŞáóúńǵ")


def language(doc: Document) -> str | None:
    """kk, ru or mixed, from letter counts (Kazakh-only letters mark Kazakh text)."""
    kk = ru = latin = 0
    for block in doc.blocks:
        for word in block.text.split():
            if any(c in _KK_LETTERS for c in word):
                kk += 1
            elif any(c in _KK_LATIN for c in word):
                latin += 1
            elif any("а" <= c.lower() <= "я" for c in word):
                ru += 1
    kk_total = kk * 4 + latin * 3  # not every Kazakh word has a Kazakh-only letter
    if not kk_total and not ru:
        return None
    if kk_total > ru * 2 or (latin and latin * 3 > ru):
        return "kk"
    if kk_total * 2 < ru // 2 or kk == 0:
        return "ru"
    return "mixed"


def check_file(path: Path, settings: Settings) -> FileResult:
    digest = sha256(path)
    try:
        doc = extract(path, settings.limits)
    except ExtractError as exc:
        return FileResult(str(path), digest, "error", str(exc))
    except (MemoryError, RecursionError):
        return FileResult(str(path), digest, "error", "file too complex to read within limits")
    if not any(b.text.strip() for b in doc.blocks):
        return FileResult(str(path), digest, "no-text", None, pages=doc.pages)
    facts = detect(doc, load())
    categories: tuple[CategoryMatch, ...] = ()
    rule_facts = Facts(markings=facts, categories=categories,
                       reference_date=settings.reference_date)
    findings = run(rule_facts, set(settings.enabled) if settings.enabled is not None else None)
    findings = [
        replace(f, severity=settings.severity.get(f.code, f.severity),
                evidence=f.evidence if settings.evidence else "")
        for f in findings
    ]
    return FileResult(
        path=str(path), sha256=digest, status="ok", error=None, pages=doc.pages,
        language=language(doc), facts=facts, categories=categories, findings=tuple(findings),
    )
