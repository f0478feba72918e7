"""What every rule is: its identity, the facts it reads, and how it makes a finding."""

from __future__ import annotations

import sys
from datetime import date
from typing import Protocol

from qupia.model import (
    LEGAL_LEVELS,
    Facts,
    Finding,
    Level,
    ListMatch,
    Marking,
    Message,
    Words,
    legal_level,
)


class RuleModule(Protocol):
    """The module-level names every rule module defines."""

    CODE: str
    NAME: str
    FAMILY: str
    SEVERITY: str
    ARTICLE: str
    __doc__: str | None

    def check(self, facts: Facts) -> list[Finding]: ...


def finding(
    module: str,
    message: Message,
    mark: Marking | None = None,
    article: str | None = None,
    evidence: str | None = None,
    page: int | None = None,
) -> Finding:
    """A finding of the rule in *module* (its ``__name__``) at *mark*'s place.

    Severity is the rule's default; the settings change it later, in one place.
    """
    rule: RuleModule = sys.modules[module]  # type: ignore[assignment]
    return Finding(
        code=rule.CODE,
        rule=rule.NAME,
        family=rule.FAMILY,
        severity=rule.SEVERITY,
        article=article or rule.ARTICLE,
        message=message,
        page=mark.page if mark else page,
        region=mark.region.value if mark else None,
        evidence=evidence if evidence is not None else (mark.text if mark else ""),
    )


def quoted(mark: Marking) -> Words:
    """How a message names *mark*: its words as written, which a report that may carry no
    words of the document (``--no-evidence``) replaces by its level and the identifier of its
    form (``<secret: ru-secret>``): they say what the mark was without quoting it."""
    from qupia.i18n import level_name, msg

    return Words(mark.text, msg("<{level}: {form}>", level=level_name(mark.level),
                                form=mark.form))


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def level_mark(facts: Facts, level: Level | None = None) -> Marking:
    """The first legal mark in effect (of *level*, when given): where a finding points."""
    return next(m for m in facts.markings.in_effect
                if (lvl := legal_level(m)) is not None and (level is None or lvl == level))


def list_requirement(facts: Facts) -> ListMatch | None:
    """The departmental list item that applies with the highest level, if any applies."""
    if not facts.list_matches:
        return None
    return max(facts.list_matches, key=lambda m: LEGAL_LEVELS.index(m.level))
