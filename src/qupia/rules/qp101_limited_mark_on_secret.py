"""QP101 limited-mark-on-secret: state-secret content carried under ДСП / ҚБП only.

What it checks
    A document that holds Article 11–14 content and whose only mark is "для служебного
    пользования" / "Қызмет бабында пайдалану үшін" (ДСП, ҚБП), with no legal secrecy mark in
    effect.

Why
    Article 18 gives state secrets three marks (аса маңызды, өте құпия, құпия); "for official use
    only" is not one of them and gives the information none of the protection the law requires
    for Articles 11–14 matter.

Example
    A note under "ДСП" that gives a unit's call signs, radio frequencies and the change cycle of
    its cipher keys (Article 14, cipher and communications matter)::

        ДСП

        Позывной командного пункта войсковой части 35721 — «Гранит-12», запасной — «Кедр-5».
        Радиосети управления работают на частотах 4,215 МГц днем и 2,870 МГц ночью;
        шифрключи аппаратуры засекречивания меняются каждые 72 часа.

How to fix
    Classify the document with the level the departmental list sets for the item and handle it
    as a state secret, or remove the classifiable facts before it circulates under ДСП.
"""

from __future__ import annotations

from qupia.i18n import msg
from qupia.model import Finding, Level
from qupia.rules.base import Facts, finding, quoted
from qupia.rules.content_facts import classifiable

CODE = "QP101"
NAME = "limited-mark-on-secret"
FAMILY = "missing"
SEVERITY = "error"
ARTICLE = "18"


def check(facts: Facts) -> list[Finding]:
    if not facts.markings.limited or facts.markings.document_level is not None:
        return []
    found = classifiable(facts.categories)  # Article 17 matter is no state secret
    if not found or facts.markings.declassified:
        return []
    mark = next(m for m in facts.markings.markings if m.level is Level.LIMITED)
    top = found[0]
    evidence = top.evidence[0].text if top.evidence else mark.text
    return [finding(
        __name__,
        msg('Article {article} content (item {item}) is marked only "{mark}", which is not a '
            "state-secret mark", article=top.article, item=top.item, mark=quoted(mark)),
        mark, article=top.item, evidence=evidence,
    )]
