"""Helpers the content rules share: which matches are classifiable, which are Article 17."""

from __future__ import annotations

from qupia.model import CategoryMatch, Marking
from qupia.rules.base import Facts, level_mark


def classifiable(categories: tuple[CategoryMatch, ...]) -> list[CategoryMatch]:
    """Article 11–14 matches, best first."""
    return sorted((c for c in categories if c.article in ("11", "12", "13", "14")),
                  key=lambda c: -c.score)


def article17(categories: tuple[CategoryMatch, ...]) -> list[CategoryMatch]:
    """Article 17(1) matches, best first."""
    return sorted((c for c in categories if c.article == "17"), key=lambda c: -c.score)


def marked_article17(facts: Facts) -> tuple[CategoryMatch, Marking] | None:
    """The strongest Article 17(1) match of a document under a legal mark in effect, and that
    mark (QP300 and QP301 differ only in whether Article 11–14 content stands beside it)."""
    if facts.markings.document_level is None:
        return None
    found = article17(facts.categories)
    return (found[0], level_mark(facts)) if found else None


def quote(match: CategoryMatch) -> str:
    return match.evidence[0].text if match.evidence else ""
