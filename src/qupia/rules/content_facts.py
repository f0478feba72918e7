"""Helpers the content rules share: which matches are classifiable, which are Article 17."""

from __future__ import annotations

from qupia.model import CategoryMatch


def classifiable(categories: tuple[CategoryMatch, ...]) -> list[CategoryMatch]:
    """Article 11–14 matches, best first."""
    return sorted((c for c in categories if c.article in ("11", "12", "13", "14")),
                  key=lambda c: -c.score)


def article17(categories: tuple[CategoryMatch, ...]) -> list[CategoryMatch]:
    """Article 17(1) matches, best first."""
    return sorted((c for c in categories if c.article == "17"), key=lambda c: -c.score)


def quote(match: CategoryMatch) -> str:
    return match.evidence[0].text if match.evidence else ""
