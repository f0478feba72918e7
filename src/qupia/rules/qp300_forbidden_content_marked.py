"""QP300 forbidden-content-marked: a secrecy mark on information Article 17 opens.

What it checks
    A document with a legal secrecy mark in effect whose only classifiable-looking content is
    Article 17(1) matter: an emergency and its casualties, health, sanitary, demographic or
    crime statistics, facts of terrorist acts, the ecological or radiation situation, benefits,
    violations of citizens' rights, the gold and currency reserves, budget figures (except what
    reveals the provision of security), violations of law by officials, mass repressions
    (except Article 14 matter).

Why
    Article 17(1) forbids classifying such information, and Article 17(2) makes the officials
    who classify it liable: this mark is unlawful, not merely excessive.

Example
    A flood report stamped secret::

        СЕКРЕТНО
        Экз. № 1

        Донесение о чрезвычайной ситуации от 12.04.2024. В результате паводка в Атырауской
        области погибли 3 человека, пострадали 214, эвакуированы 1 480 жителей, разрушены
        46 жилых домов.

How to fix
    Remove the mark through the declassification procedure and release the information as
    Article 17 requires; report the classification to the official responsible.
"""

from __future__ import annotations

from qupia.i18n import msg, place, sentences
from qupia.model import Finding
from qupia.rules.base import Facts, finding, quoted
from qupia.rules.content_facts import marked_substance, quote

CODE = "QP300"
NAME = "forbidden-content-marked"
FAMILY = "unlawful"
SEVERITY = "error"
ARTICLE = "17"


def check(facts: Facts) -> list[Finding]:
    hit = marked_substance(facts)
    if hit is None or not hit[0].art17:
        return []
    found, mark = hit
    top = found.top17
    return [finding(
        __name__,
        sentences(
            msg('Mark "{mark}" {place} classifies Article 17 matter (item {item}), which the '
                "law forbids classifying", mark=quoted(mark), place=place(mark), item=top.item),
            found.explain()),
        mark, article=top.item, evidence=quote(top),
    )]
