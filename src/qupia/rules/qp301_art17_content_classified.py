"""QP301 art17-content-classified: a rightly classified document also hides Article 17 facts.

What it checks
    A document with a legal secrecy mark in effect and real Article 11–14 content that also
    holds Article 17(1) facts (an accident's casualties, a pollution incident, an outbreak, a
    beating in the barracks, officials' violations of law …) — also one paragraph of them
    whose item has few cues beside the secrets' many, when the classifier reads Article 17
    facts in the document; the finding points at the paragraph with those facts and states the
    substance decision (the Article 11–14 item and its share, and the Article 17 facts beside
    it).

Why
    Article 17(1) forbids classifying those facts even when they stand beside state secrets;
    they must be reported openly, in a carrier of their own.

Example
    An exercise report that also records a fuel spill::

        СЕКРЕТНО
        Экз. № 2

        Донесение от 05.09.2025. Войсковая часть 54321 (г. Капшагай, 820 человек, 24 БМП-2)
        провела ротные учения на полигоне «Илийский». В ходе учений произошёл разлив 12 тонн
        дизельного топлива в реку Или; загрязнено 3 км береговой линии.

How to fix
    Move the Article 17 facts into an open document (or report them to the competent body)
    and keep only the classifiable facts under the mark.
"""

from __future__ import annotations

from qupia.i18n import msg, sentences
from qupia.model import Finding
from qupia.rules.base import Facts, finding
from qupia.rules.content_facts import marked_substance, quote

CODE = "QP301"
NAME = "art17-content-classified"
FAMILY = "unlawful"
SEVERITY = "warning"
ARTICLE = "17"


def check(facts: Facts) -> list[Finding]:
    hit = marked_substance(facts)
    if hit is None or hit[0].art17:
        return []
    found, mark = hit
    top = found.top17
    page = top.evidence[0].page if top.evidence else mark.page
    return [finding(
        __name__,
        sentences(
            msg("This classified document also holds Article 17 facts (item {item}) that may "
                "not be classified", item=top.item),
            found.explain()),
        None, article=top.item, evidence=quote(top), page=page,
    )]
