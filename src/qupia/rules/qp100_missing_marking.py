"""QP100 missing-marking: state-secret content with no secrecy mark.

What it checks
    A document that discloses Article 11–14 facts — a unit's garrison and strength, a radar's
    frequencies, an agent's identity, exam answers before the exam — and carries no legal
    secrecy mark in effect (nor ДСП/ҚБП, which QP101 covers, nor a declassification stamp).

Why
    Articles 11–14 list the information that constitutes state secrets, and Article 18 requires
    its carriers to bear the mark of its degree; an unmarked carrier circulates without the
    protection the law demands.

Example
    An unmarked memo that gives a brigade's garrison, strength and armament::

        Служебная записка от 14.03.2025 № 112

        Войсковая часть 12345 дислоцируется в г. Сарыозек, штатная численность 1 240
        человек, на вооружении 36 танков Т-72Б3 и 18 гаубиц Д-30. Позывной штаба «Беркут-3».

How to fix
    Classify the document with the level the departmental list sets for the item, or remove
    the classifiable facts before it circulates or is published.
"""

from __future__ import annotations

from qupia.i18n import msg_n
from qupia.model import Finding
from qupia.rules.base import Facts, finding
from qupia.rules.content_facts import classifiable, quote

CODE = "QP100"
NAME = "missing-marking"
FAMILY = "missing"
SEVERITY = "error"
ARTICLE = "11–14"


def check(facts: Facts) -> list[Finding]:
    marks = facts.markings
    if marks.document_level is not None or marks.limited or marks.declassified:
        return []
    found = classifiable(facts.categories)
    if not found:
        return []
    top = found[0]
    page = top.evidence[0].page if top.evidence else None
    items = ", ".join(c.item for c in found[:4])
    return [finding(
        __name__,
        msg_n("Discloses Article {article} facts (item {items}) but carries no secrecy mark",
              "Discloses Article {article} facts (item {items}) but carries no secrecy mark",
              len(found[:4]), article=top.article, items=items),
        None, article=top.item, evidence=quote(top), page=page,
    )]
