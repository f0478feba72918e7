"""One line per finding, as compilers and linters print them.

``path:page:region: CODE [family] message (Art. N)``, then a summary line. Files that could not
be read print ``path: error: reason``. Lines are written as each file finishes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from qupia.engine import FileResult
from qupia.model import FAMILIES
from qupia.settings import Settings


def emit(results: Iterable[FileResult], settings: Settings, out: TextIO) -> None:
    files = errors = suppressed = baselined = 0
    counts = dict.fromkeys(FAMILIES, 0)
    for r in results:
        files += 1
        suppressed += len(getattr(r, "suppressed", ()))
        baselined += getattr(r, "baselined", 0)
        if r.status == "error":
            errors += 1
            out.write(f"{r.path}: error: {r.error}\n")
            continue
        if r.status == "no-text":
            out.write(f"{r.path}: no-text: no readable text (a scan needs OCR)\n")
            continue
        for f in r.findings:
            counts[f.family] += 1
            place = f"{f.page if f.page is not None else '-'}:{f.region or 'document'}"
            evidence = f" «{f.evidence}»" if f.evidence and settings.evidence else ""
            out.write(f"{r.path}:{place}: {f.code} [{f.family}] {f.severity}: {f.message}"
                      f" (Art. {f.article}){evidence}\n")
        out.flush()
    total = sum(counts.values())
    parts = ", ".join(f"{n} {fam}" for fam, n in counts.items() if n)
    out.write(f"{files} file{'s' if files != 1 else ''} checked, {total} finding"
              f"{'s' if total != 1 else ''}{f' ({parts})' if parts else ''}, "
              f"{errors} unreadable"
              f"{f', {suppressed} suppressed' if suppressed else ''}"
              f"{f', {baselined} in the baseline' if baselined else ''}\n")
