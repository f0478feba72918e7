"""Dates as Kazakh and Russian documents write them, over folded text (see :mod:`fold`).

"14.03.2025", "2025-03-14", "14 марта 2025 г.", "от «14» марта 2025 года", "2025 жылғы 14
наурыз", "14 наурыз 2025 ж.", "2025 jylğy 14 nauryz", and the Soviet office's Roman months
("5.V.1932", "17/III-49 г."). Month names come from the pattern pack.

:func:`line_date` also reads a line that is only a partial date — "Декабрь 1931 г.", "г.
Алма-Ата, 1932 г." — as archival documents often carry: enough to tell a document's era.
"""

from __future__ import annotations

import functools
from datetime import date

import regex

from qupia.markings.patterns import Pack

_NUMERIC = regex.compile(r"(?<!\d)(\d{1,2})[./](\d{1,2})[./](\d{4})(?!\d)")
_ISO = regex.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_YEAR = regex.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
# Roman month between day and year, Latin or Cyrillic look-alike letters (х for x, и for
# folded і); a two-digit year is of the 1900s, as such dates were written then.
_ROMAN = regex.compile(
    r"(?<!\d)(\d{1,2})\s?[./-]\s?([ivxхи]{1,4})\s?[./-]\s?(\d{4}|\d{2})(?![\d.]\d)")
_ROMAN_MONTHS = {r: n for n, r in enumerate(
    ("i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"), start=1)}


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


@functools.lru_cache(maxsize=4)
def _stems(pack: Pack) -> tuple[tuple[int, regex.Pattern[str], regex.Pattern[str]], ...]:
    """Each month with its stem compiled, alone and after no letter: compiled once, not looked
    up in ``regex``'s cache at every call (about 10 µs each, 39 stems a date)."""
    return tuple((month, regex.compile(stem), regex.compile(rf"(?<!\w){stem}"))
                 for month, stem in pack.months)


def _month(pack: Pack, word: str) -> int | None:
    for month, stem, _ in _stems(pack):
        if stem.match(word):
            return month
    return None


#: the years a document's date may have: "№ 11/4022" above "29 октября 1937 г." is a number
#: and a date, not 29 October 4022 (the Kazakh order "2025 жылғы 14 наурыз" reads so otherwise)
_YEARS = range(1850, 2200)


def _make(y: int, m: int, d: int) -> date | None:
    if y not in _YEARS:
        return None
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
    for m in _ROMAN.finditer(text):
        month = _ROMAN_MONTHS.get(m[2].replace("х", "x").replace("и", "i"))
        year = int(m[3]) if len(m[3]) == 4 else 1900 + int(m[3])
        d = _make(year, month, int(m[1])) if month else None
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


@functools.lru_cache(maxsize=4)
def _partial(pack: Pack) -> regex.Pattern[str]:
    stems = "|".join(f"(?:{stem})" for _, stem in pack.months)
    return regex.compile(
        r"^\W*(?:не\s+ранее|не\s+позднее|не\s+позже|около|ранее)?\s*"  # an editor's dating
        r"(?:г\.\s*[\w-]+\s*,?\s*)?"  # the place: "г. Алма-Ата,"
        rf"(?:(?:{stems})\w*\s+)?"  # the month
        r"(1[89]\d\d)\s*(?:г\.?|года?|ж\.?|жыл\w*)?\W*$"
    )


def line_date(line: str, pack: Pack) -> date | None:
    """The date of a folded *line* that is nothing but a partial date ("декабрь 1931 г.",
    "г. алма-ата, 1932 г."): the first day of its month or year, else None."""
    m = _partial(pack).match(line.strip())
    if not m:
        return None
    month = next((n for n, _, after in _stems(pack) if after.search(line)), 1)
    return _make(int(m[1]), month, 1)


def parse_date(text: str, pack: Pack) -> date | None:
    """The first full date in *text*, else 1 January of a lone year ("до 2031 года")."""
    dates = find_dates(text, pack)
    if dates:
        return dates[0][1]
    m = _YEAR.search(text)
    return date(int(m[1]), 1, 1) if m else None
