"""QP400 inconsistent-marking: different levels in different places of one document.

What it checks
    Secrecy marks in effect that name different levels: header against footer, one page against
    another, a table cell or text box against the header. A document property against the
    visible stamp is QP401.

Why
    Article 18 gives a carrier one degree of secrecy matching the gravest harm its content could
    do; two levels on one carrier leave its handling undefined, and the lower one may be wrong.

Example
    One stamp at the top, another at the foot of the same page::

        ҚҰПИЯ

        Жоспар 2025 жылғы 3 ақпан.

        СОВЕРШЕННО СЕКРЕТНО

How to fix
    Decide the document's level from the departmental list and mark every place with it.
"""

from __future__ import annotations

from qupia.i18n import level_name, msg, place
from qupia.model import LEGAL_LEVELS, Finding, Level, Marking, legal_level
from qupia.rules.base import Facts, finding, quoted

CODE = "QP400"
NAME = "inconsistent-marking"
FAMILY = "inconsistent"
SEVERITY = "warning"
ARTICLE = "18"


def check(facts: Facts) -> list[Finding]:
    marks = facts.markings.page_marks
    completes = dict(facts.markings.stands_with)
    present = {m.form for m in marks}
    # a mark that another mark of the document completes counts as part of that one: a Soviet
    # "Особая папка" beside "Сов. секретно" is one stamp, not two levels (``stands_with`` in
    # patterns/markings.yaml)
    companions = {c for form in present for c in completes.get(form, ())}
    first: dict[Level, Marking] = {}
    for mark in marks:
        if mark.form in companions:
            continue
        level = legal_level(mark)
        if level is not None and level not in first:
            first[level] = mark
    if len(first) < 2:
        return []
    low, high = sorted(first, key=LEGAL_LEVELS.index)[0], max(first, key=LEGAL_LEVELS.index)
    a, b = first[low], first[high]
    return [finding(
        __name__,
        msg('"{first}" ({first_level}) {first_place} but "{second}" ({second_level}) '
            "{second_place}", first=quoted(a), first_level=level_name(low),
            first_place=place(a), second=quoted(b), second_level=level_name(high),
            second_place=place(b)),
        a, evidence=f"{a.text} | {b.text}",
    )]
