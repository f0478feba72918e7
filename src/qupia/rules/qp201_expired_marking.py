"""QP201 expired-marking: the mark has outlived its classification period.

What it checks
    A secrecy mark in effect whose stated period is over by the reference date ("срок
    засекречивания 5 лет" from 2015, "до 2020 года", "мерзімі 2021 жылға дейін"), or, with no
    period stated, whose date is more than 30 years before the reference date — with no
    extension ("продлен до …", "… дейін ұзартылды") and no declassification stamp.

Why
    Article 20(3) limits a classification period to 30 years, and Articles 22–23 require
    declassification when the period ends; a mark kept after that restricts public information
    with no legal basis.

Example
    An order of 2015 whose five-year period ended in 2020 (checked on 2026-11-26)::

        СЕКРЕТНО
        Экз. № 1
        Срок засекречивания 5 лет

        ПРИКАЗ от 12.05.2015 № 45
        О передислокации войсковой части 12345 в г. Сарыозек.

How to fix
    Declassify the document and put a declassification stamp with its date and basis on it, or
    record the authorised body's extension beside the mark.
"""

from __future__ import annotations

from datetime import date

from qupia.i18n import msg, msg_n, place
from qupia.model import LEGAL_LEVELS, Finding, Marking, Message
from qupia.rules.base import Facts, add_years, finding, quoted

CODE = "QP201"
NAME = "expired-marking"
FAMILY = "excessive"
SEVERITY = "warning"
ARTICLE = "20(3)"


def expiry(mark: Marking) -> tuple[date, Message, str] | None:
    """When the mark's period ends, why (a message), and the article; None when
    nothing says."""
    req = mark.requisites
    if req.extended_until:
        why = msg("its extension ran until {until}", until=req.extended_until)
        return req.extended_until, why, "22"
    if req.until:
        return req.until, msg("its period ran until {until}", until=req.until), "22"
    if req.period_years and req.date:
        end = add_years(req.date, req.period_years)
        why = msg_n("its {years}-year period from {start} ended {end}",
                    "its {years}-year period from {start} ended {end}",
                    req.period_years, years=req.period_years, start=req.date, end=end)
        return end, why, "22"
    if req.date:
        end = add_years(req.date, 30)
        why = msg("it is dated {date}, more than 30 years ago, with no extension", date=req.date)
        return end, why, "20(3)"
    return None


def check(facts: Facts) -> list[Finding]:
    for mark in facts.markings.in_effect:
        if mark.level not in LEGAL_LEVELS:
            continue
        known = expiry(mark)
        if known and facts.reference_date >= known[0]:
            _end, why, article = known
            return [finding(
                __name__,
                msg('Mark "{mark}" {place} has expired: {why}, and no declassification is '
                    "noted", mark=quoted(mark), place=place(mark), why=why),
                mark, article=article,
            )]
    return []
