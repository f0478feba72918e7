"""QP102 insufficient-level: a mark below the level the departmental list sets.

What it checks
    With a departmental list loaded (configuration key ``departmental-list``): a document whose
    legal mark is lower than the highest level of the list items that apply to it — the item
    its stamp names ("п. 14 Перечня"), or items whose cues its content matches.

Why
    Article 18(1) requires the degree of secrecy to match the gravity of the harm disclosure
    could do, and the departmental lists (Article 19) fix that degree item by item; a lower mark
    gives the carrier less protection than the list demands.

Example
    With a list whose item 14 is "top-secret", a document stamped::

        СЕКРЕТНО
        п. 14 Перечня

How to fix
    Re-mark the document with the level of the list item, or correct the list item reference.
"""

from __future__ import annotations

from qupia.i18n import level_name, msg, place
from qupia.model import LEGAL_LEVELS, Finding
from qupia.rules.base import Facts, finding, level_mark, list_requirement, quoted

CODE = "QP102"
NAME = "insufficient-level"
FAMILY = "missing"
SEVERITY = "warning"
ARTICLE = "18"


def check(facts: Facts) -> list[Finding]:
    level = facts.markings.document_level
    top = list_requirement(facts)
    if level is None or top is None:
        return []
    if LEGAL_LEVELS.index(level) >= LEGAL_LEVELS.index(top.level):
        return []
    mark = level_mark(facts, level)
    return [finding(
        __name__,
        msg('Mark "{mark}" ({level}) {place} is below the level {required} that departmental '
            'list item {item} ("{title}") sets ({why})',
            mark=quoted(mark), level=level_name(level), place=place(mark),
            required=level_name(top.level), item=top.id, title=top.title, why=top.why),
        mark, article=f"list item {top.id}",
    )]
