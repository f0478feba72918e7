"""Dates as Kazakh and Russian documents write them, over folded text (see :mod:`fold`).

"14.03.2025", "2025-03-14", "14 марта 2025 г.", "от «14» марта 2025 года", "2025 жылғы 14
наурыз", "14 наурыз 2025 ж.", "2025 jylğy 14 nauryz". Month names come from the pattern pack.
"""

from __future__ import annotations

import functools
from datetime import date

import regex

from qupia.markings.patterns import Pack

_NUMERIC = regex.compile(r"(?<!\d)(\d{1,2})[./](\d{1,2})[./](\d{4})(?!\d)")
_ISO = regex.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_YEAR = regex.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")


@functools.lru_cache(maxsize=4)
def _written(pack: Pack) -> tuple[regex.Pattern[str], regex.Pattern[str], dict[str, int]]:
    stems = "|".join(f"(?:{stem})" for _, stem in pack.months)
    day_month_year = regex.compile(
        rf'(?<!\d)"?(\d{{1,2}})"?\s+((?:{stems})\w*)\s+(\d{{4}})(?!\d)'
    )
    year_day_month = regex.compile(
        rf"(?<!\d)(\d{{4}})\s*(?:ж\.|жыл\w*|jyl\w*|ж)?\s*\"?(\d{{1,2}})\"?\s*-?\s*((?:{stems})\w*)"
    )
    month_of = {stem: month for month, stem in pack.months}
    return day_month_year, year_day_month, month_of


def _month(pack: Pack, word: str) -> int | None:
    for month, stem in pack.months:
        if regex.match(stem, word):
            return month
    return None


def _make(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def find_dates(text: str, pack: Pack) -> list[tuple[int, date]]:
    """Every date in folded *text*, as (offset, date), in order of offset."""
    found: list[tuple[int, date]] = []
    for m in _NUMERIC.finditer(text):
        d = _make(int(m[3]), int(m[2]), int(m[1]))
        if d:
            found.append((m.start(), d))
    for m in _ISO.finditer(text):
        d = _make(int(m[1]), int(m[2]), int(m[3]))
        if d:
            found.append((m.start(), d))
    dmy, ydm, _ = _written(pack)
    for m in dmy.finditer(text):
        month = _month(pack, m[2])
        d = _make(int(m[3]), month, int(m[1])) if month else None
        if d:
            found.append((m.start(), d))
    for m in ydm.finditer(text):
        month = _month(pack, m[3])
        d = _make(int(m[1]), month, int(m[2])) if month else None
        if d:
            found.append((m.start(), d))
    found.sort()
    return found


def parse_date(text: str, pack: Pack) -> date | None:
    """The first full date in *text*, else 1 January of a lone year ("до 2031 года")."""
    dates = find_dates(text, pack)
    if dates:
        return dates[0][1]
    m = _YEAR.search(text)
    return date(int(m[1]), 1, 1) if m else None
