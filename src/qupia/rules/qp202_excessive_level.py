"""QP202 excessive-level: a mark above the level the departmental list sets.

What it checks
    With a departmental list loaded: a document whose legal mark is higher than the highest
    level of the list items that apply to it.

Why
    Article 16 requires classification to be justified, and Article 18(1) ties the degree to
    the harm disclosure could do: a degree above the list's restricts access more than the law
    allows and multiplies the cost of handling.

Example
    With a list whose item 7 is "secret", a document stamped::

        ӨТЕ ҚҰПИЯ
        Тізбенің 7-тармағы

How to fix
    Lower the mark to the list item's level through the procedure for changing a degree of
    secrecy.
"""

from __future__ import annotations

from qupia.i18n import level_name, msg, place
from qupia.model import LEGAL_LEVELS, Finding
from qupia.rules.base import Facts, finding, level_mark, list_requirement, quoted

CODE = "QP202"
NAME = "excessive-level"
FAMILY = "excessive"
SEVERITY = "warning"
ARTICLE = "16"


def check(facts: Facts) -> list[Finding]:
    level = facts.markings.document_level
    top = list_requirement(facts)
    if level is None or top is None:
        return []
    if LEGAL_LEVELS.index(level) <= LEGAL_LEVELS.index(top.level):
        return []
    mark = level_mark(facts, level)
    return [finding(
        __name__,
        msg('Mark "{mark}" ({level}) {place} is above the level {required} that departmental '
            'list item {item} ("{title}") sets ({why})',
            mark=quoted(mark), level=level_name(level), place=place(mark),
            required=level_name(top.level), item=top.id, title=top.title, why=top.why),
        mark, article=f"list item {top.id}",
    )]
