"""The requisites of a stamp (docs/law.md), read from the short lines around it, and the
document's own date.

A stamp without its own requisites inherits what the first page's stamp block says (a header
mark whose "Экз. № 1" and "Срок засекречивания" lines stand in the body below it):
:func:`merge_requisites`.
"""

from __future__ import annotations

from datetime import date

import regex

from qupia.markings.dates import find_dates, line_date, parse_date
from qupia.markings.patterns import Pack
from qupia.markings.streams import Stream, words_of
from qupia.model import Region, Requisites

SHORT_LINE = 12  # tokens: a line this short can be part of a stamp block
DATE_LINE = 10  # tokens: a line this short that holds a date gives the document's date
_ENDS_OT = regex.compile(r"(?<!\w)от\s*[\"«]?\s*$")


def stamp_window(stream: Stream, start: int, end: int) -> str:
    """The stamp block around a match: its line and the short lines next to it."""
    lines = stream.folded.split("\n")
    index = stream.folded.count("\n", 0, start)
    last = stream.folded.count("\n", 0, end)
    lo = index
    while lo > 0 and index - lo < 2 and len(words_of(lines[lo - 1])) <= SHORT_LINE:
        lo -= 1
    hi = last
    while hi + 1 < len(lines) and hi - last < 5 and len(words_of(lines[hi + 1])) <= SHORT_LINE:
        hi += 1
    return "\n".join(lines[lo : hi + 1])


def read_requisites(text: str, pack: Pack) -> Requisites:
    """Requisites from folded stamp-block *text*."""

    def first(name: str) -> regex.Match[str] | None:
        hits = [m for p in pack.requisites[name] if (m := p.search(text))]
        return min(hits, key=lambda m: m.start()) if hits else None

    copy = first("copy")
    item = first("list_item")
    period = first("period")
    until = first("until")
    extended = first("extended")
    spans = [m.span() for m in (until, extended) if m]
    dates = [d for pos, d in find_dates(text, pack) if not any(a <= pos < b for a, b in spans)]
    until_date = parse_date(until[1], pack) if until else None
    extended_date = parse_date(extended[1], pack) if extended else None
    if until and extended and until.start() >= extended.start() and until_date == extended_date:
        until_date = None
    return Requisites(
        copy=copy[1] if copy else None,
        list_item=item[1] if item else None,
        date=dates[0] if dates else None,
        period_years=int(period[1]) if period else None,
        until=until_date,
        extended_until=extended_date,
    )


def merge_requisites(own: Requisites, inherited: Requisites) -> Requisites:
    return Requisites(
        **{
            field: getattr(own, field) if getattr(own, field) is not None
            else getattr(inherited, field)
            for field in ("copy", "list_item", "date", "period_years", "until",
                          "extended_until")
        }
    )


def document_date(
    streams: list[Stream], pack: Pack, skip_lines: set[tuple[int, int]]
) -> tuple[date | None, bool]:
    """The document's own date, and whether it stands where a document's date does.

    The first date on page 1 outside a period clause and outside a declassification stamp's
    lines (*skip_lines*: stream index, line index), taken from a short line ("17 июня 1988 г.
    № 312сс", "2025 жылғы 14 наурыз") when one has a date, else from a line that is only a
    partial date ("Декабрь 1931 г."); failing both, the same on the last page, where a protocol
    or an order is dated under its signature. Else from running text on page 1, which is
    weaker: a history article's first date is the events', not its own.
    """
    last = max((s.page for s in streams), default=1)
    fallback: date | None = None
    for page in dict.fromkeys((1, last)):
        lines = [(s_index, l_index, line)
                 for s_index, stream in enumerate(streams)
                 if stream.page == page and stream.region is not Region.METADATA
                 for l_index, line in enumerate(stream.folded.split("\n"))
                 if (s_index, l_index) not in skip_lines]
        for _, _, line in lines:
            found = find_dates(line, pack)
            if not found:
                continue
            skip = [m.span() for name in ("until", "extended")
                    for p in pack.requisites[name] if (m := p.search(line))]
            kept = [(pos, d) for pos, d in found if not any(a <= pos < b for a, b in skip)]
            dates = [d for _, d in kept]
            if not dates:
                continue
            if len(words_of(line)) <= DATE_LINE:
                return dates[0], True
            # a document's title names its own date and ends with it, or with a stamp after it:
            # "Выписка из протокола № 51 … от 5/VIII-37 г. Строго секретно"
            titled = [d for pos, d in kept if _ENDS_OT.search(line, 0, pos)
                      and not [t for t in words_of(pack.matcher.sub(" ", line[pos:]))
                               if not any(c.isdigit() for c in t)
                               and not pack.stamp_word.match(t)]]
            if titled and any(pack.document_word.match(t) for t in words_of(line)):
                return titled[0], True
            if page == 1:
                fallback = fallback or dates[0]
        for _, _, line in lines:
            partial = line_date(line, pack)
            if partial:
                return partial, True
    return fallback, False
