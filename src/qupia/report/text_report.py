"""One line per finding, as compilers and linters print them.

``path:page:region: CODE [family] message (Art. N)``, then a summary line. Files that could not
be read print ``path: error: reason``; files with pages that could not be read (a scan without
OCR) print ``path: no-text: reason`` and count as unreadable, with the findings of the pages that
were read. Lines are written as each file finishes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from qupia.i18n import catalogue
from qupia.model import FAMILIES, FileResult
from qupia.report import Run


def emit(results: Iterable[FileResult], run: Run, out: TextIO) -> None:
    t = catalogue(run.lang)
    files = errors = suppressed = baselined = 0
    counts = dict.fromkeys(FAMILIES, 0)
    for r in results:
        files += 1
        suppressed += len(r.suppressed)
        baselined += r.baselined
        if r.status == "error":
            errors += 1
            out.write(f"{r.path}: error: {r.error}\n")
            continue
        if r.status == "no-text":
            # A page or more could not be read: unreadable, whatever the pages read showed
            errors += 1
            reason = r.error or t._("no readable text (a scan needs OCR)")
            out.write(f"{r.path}: no-text: {reason}\n")
        for f in r.findings:
            counts[f.family] += 1
            place = f"{f.page if f.page is not None else '-'}:{f.region or 'document'}"
            evidence = f" «{f.evidence}»" if f.evidence else ""
            out.write(f"{r.path}:{place}: {f.code} [{f.family}] {f.severity}: "
                      f"{t.text(f.message)} (Art. {f.article}){evidence}\n")
        out.flush()
    total = sum(counts.values())
    parts = ", ".join(t._("{count} {family}").format(count=n, family=fam)
                      for fam, n in counts.items() if n)
    summary = [
        t.ngettext("{count} file checked", "{count} files checked", files).format(count=files),
        t.ngettext("{count} finding", "{count} findings", total).format(count=total)
        + (f" ({parts})" if parts else ""),
        t.ngettext("{count} unreadable", "{count} unreadable", errors).format(count=errors),
    ]
    if suppressed:
        summary.append(t.ngettext("{count} suppressed", "{count} suppressed", suppressed).format(
            count=suppressed))
    if baselined:
        summary.append(t.ngettext("{count} in the baseline", "{count} in the baseline",
                                baselined).format(count=baselined))
    out.write(", ".join(summary) + "\n")
