"""QP302 period-over-30-years: a classification period longer than the law allows.

What it checks
    A secrecy mark whose stated period is longer than 30 years ("срок засекречивания 35 лет",
    "мерзімі 50 жыл"), or whose "until" date lies more than 30 years after its date.

Why
    Article 20(3): the period of classification may not exceed 30 years; only the authorised
    body may extend it, in exceptional cases, by a separate conclusion — not by the mark itself.

Example
    A Kazakh order whose stamp sets forty years::

        ӨТЕ ҚҰПИЯ
        Дана № 2
        Мерзімі 40 жыл

        2025 жылғы 14 наурыздағы № 17 бұйрық

How to fix
    Set a period of at most 30 years; if a longer protection is needed, ask the authorised body
    for an extension when the period ends.
"""

from __future__ import annotations

from qupia.i18n import msg, msg_n, place
from qupia.model import LEGAL_LEVELS, Finding
from qupia.rules.base import Facts, add_years, finding, quoted

CODE = "QP302"
NAME = "period-over-30-years"
FAMILY = "unlawful"
SEVERITY = "error"
ARTICLE = "20(3)"


def check(facts: Facts) -> list[Finding]:
    for mark in facts.markings.markings:
        if mark.level not in LEGAL_LEVELS:
            continue
        req = mark.requisites
        if req.period_years and req.period_years > 30:
            why = msg_n("a period of {years} year", "a period of {years} years",
                        req.period_years, years=req.period_years)
        elif req.until and req.date and req.until > add_years(req.date, 30):
            why = msg("a period from {start} until {until}", start=req.date, until=req.until)
        else:
            continue
        return [finding(
            __name__,
            msg('Mark "{mark}" {place} states {why}, over the 30-year limit',
                mark=quoted(mark), place=place(mark), why=why),
            mark,
        )]
    return []
