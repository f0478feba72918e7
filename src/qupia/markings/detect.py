"""Blocks → markings: find every mark, tell a marking from a mention, read its requisites.

A match of the pattern pack is a **marking** when it stands as a stamp does: alone on its line
(or its segment of a line — a run of three spaces or a tab separates the organisation's name on
the left from the stamp on the right), with at most requisites, form-field labels or other marks
beside it. It is a **mention** when prose stands beside it ("под грифом «Секретно»", "«құпия»
белгісі қойылған", "аса маңызды азаматтық өнімдер"), also when the prose is on the line before
or after it (PDF and extracted text break sentences across lines).

Requisites (docs/law.md) are read from the short lines around the stamp; a stamp without its own
inherits what the first page's stamp block says (a header mark whose "Экз. № 1" and
"Срок засекречивания" lines stand in the body below it).
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import regex

from qupia.markings.dates import find_dates, line_date, parse_date
from qupia.markings.metadata import detect_metadata
from qupia.markings.patterns import FormSpec, Pack, form_index, letters
from qupia.model import (
    LEGAL_LEVELS,
    Block,
    Document,
    Level,
    Marking,
    MarkingFacts,
    Region,
    Requisites,
)
from qupia.text.fold import fold

#: The Law "On State Secrets" took effect on 15 March 1999; marks on older documents are legacy.
LAW_DATE = date(1999, 3, 15)
SHORT_LINE = 12  # tokens: a line this short can be part of a stamp block
DATE_LINE = 10  # tokens: a line this short that holds a date gives the document's date
_TOKEN = regex.compile(r"[\w]+(?:[.\-][\w]+)*")
_SEGMENT = regex.compile(r"\t| {3,}")
_TERMINAL = regex.compile(r'[.:;!?)"]\s*$')
_ENDS_OT = regex.compile(r"(?<!\w)от\s*[\"«]?\s*$")


@dataclass(frozen=True)
class _Stream:
    """The text of one page region, its blocks joined by newlines."""

    page: int
    region: Region
    text: str
    folded: str
    starts: tuple[int, ...]  # offset of each block in text
    blocks: tuple[Block, ...]
    ids: tuple[int, ...]  # each block's index in the document


def fold_blocks(doc: Document) -> list[str]:
    """Each block's text folded, once for every stage that reads folded text (one translate
    of the whole text, then cut: folding keeps lengths)."""
    whole = fold("\n".join(b.text for b in doc.blocks))
    out = []
    pos = 0
    for block in doc.blocks:
        out.append(whole[pos : pos + len(block.text)])
        pos += len(block.text) + 1
    return out


def _streams(doc: Document, folded: list[str]) -> list[_Stream]:
    groups: dict[tuple[int, Region], list[int]] = {}
    for index, block in enumerate(doc.blocks):
        groups.setdefault((block.page, block.region), []).append(index)
    out = []
    for (page, region), ids in groups.items():
        starts = []
        pos = 0
        for i in ids:
            starts.append(pos)
            pos += len(doc.blocks[i].text) + 1
        text = "\n".join(doc.blocks[i].text for i in ids)
        out.append(_Stream(page, region, text, "\n".join(folded[i] for i in ids),
                           tuple(starts), tuple(doc.blocks[i] for i in ids), tuple(ids)))
    # page order, then the regions a reader meets first
    rank = {r: i for i, r in enumerate(Region)}
    out.sort(key=lambda s: (s.page, rank[s.region]))
    return out


def _global_spans(stream: _Stream, start: int, end: int, offsets: list[int]
                  ) -> list[tuple[int, int]]:
    """A match in a stream as spans of the whole document's text (blocks joined by newlines
    in document order), one per block it touches."""
    out = []
    k = max(0, bisect.bisect_right(stream.starts, start) - 1)
    while k < len(stream.starts) and stream.starts[k] < end:
        lo = max(start, stream.starts[k])
        hi = min(end, stream.starts[k] + len(stream.blocks[k].text))
        if hi > lo:
            base = offsets[stream.ids[k]] - stream.starts[k]
            out.append((base + lo, base + hi))
        k += 1
    return out


def _segment(stream: _Stream, start: int, end: int) -> tuple[int, int]:
    """The bounds of the line segment holding [start, end)."""
    text = stream.text
    lo = text.rfind("\n", 0, start) + 1
    hi = text.find("\n", end)
    hi = len(text) if hi < 0 else hi
    for m in _SEGMENT.finditer(text, lo, start):
        lo = m.end()
    m = _SEGMENT.search(text, end, hi)
    if m:
        hi = m.start()
    return lo, hi


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _prev_line(folded: str, lo: int) -> str:
    if lo <= 0:
        return ""
    start = folded.rfind("\n", 0, lo - 1) + 1
    return folded[start : lo - 1]


def _next_line(folded: str, hi: int) -> str:
    if hi >= len(folded):
        return ""
    end = folded.find("\n", hi + 1)
    return folded[hi + 1 : len(folded) if end < 0 else end]


def _residue(tokens: list[str], allowed: list[regex.Pattern[str]]) -> list[str]:
    return [t for t in tokens if not t.isdigit() and not any(a.match(t) for a in allowed)]


def _is_marking(
    pack: Pack, form: FormSpec, stream: _Stream, masked: str, start: int, end: int
) -> bool:
    lo, hi = _segment(stream, start, end)
    before = pack.label.sub(lambda m: " " * len(m.group()), masked[lo:start])
    after = masked[end:hi]
    words_before, words_after = _tokens(before), _tokens(after)
    if form.kind == "declassified":
        extra = _residue(words_before + words_after, [pack.stamp_word, pack.declass_word])
        return len(extra) <= 2 and not _mention_cue(pack, masked, lo, hi, words_before,
                                                     words_after, declass=True)
    if form.context == "number":
        extra = _residue(words_before + words_after, [pack.stamp_word, pack.document_word])
        return len(extra) <= 3
    if _residue(words_before + words_after, [pack.stamp_word]) and not _merged_column(
            pack, stream, start, end, lo, words_before, words_after):
        return False
    if _mention_cue(pack, masked, lo, hi, words_before, words_after, declass=False):
        return False
    original = stream.text[start:end]
    if original == original.lower() and stream.region in (Region.BODY, Region.FOOTNOTE,
                                                          Region.COMMENT):
        # Stamps are written in capitals or capitalised; a lower-case mark on a line of its
        # own is a wrapped piece of a sentence unless the line before ends one.
        prev = _prev_line(stream.folded, lo).strip()
        if prev and not _TERMINAL.search(prev) and len(_tokens(prev)) > 3:
            return False
    return True


def _merged_column(pack: Pack, stream: _Stream, start: int, end: int, lo: int,
                   words_before: list[str], words_after: list[str]) -> bool:
    """A stamp at the end of a line whose left part is another column of the form: the place
    or the addressee, merged into one line by a transcription or OCR ("Алма-Ата Совершенно
    секретно"). Capitalised, ending its line (requisites may follow), after a few words (more
    when they name an addressee, "Начальнику …", or a document, "Выписка из протокола …"), on
    one of the first lines of its page region, not in quotes or after punctuation."""
    if _residue(words_after, [pack.stamp_word]):
        return False
    addressed = pack.merged_addressee is not None and any(
        pack.merged_addressee.match(w) for w in words_before)
    titled = any(pack.document_word.match(w) for w in words_before)
    limit = max(pack.merged.max_words_before,
                pack.merged.max_words_addressee if addressed else 0,
                pack.merged.max_words_title if titled else 0)
    if not 0 < len(words_before) <= limit:
        return False
    if pack.merged_refuse is not None and any(pack.merged_refuse.match(w) for w in words_before):
        return False
    if stream.folded.count("\n", 0, start) > pack.merged.max_line:
        return False
    if not stream.text[start:end][:1].isupper():
        return False
    left = stream.text[lo:start].rstrip()
    if left[-1:] == "." and pack.stamp_word.match(words_before[-1]):
        return True  # an abbreviation, not a sentence's end: "… от 5/VIII-37 г. Строго секретно"
    return bool(left) and left[-1] not in "«\"“„'(:;,.!?—–-"


def _mention_cue(
    pack: Pack,
    masked: str,
    lo: int,
    hi: int,
    words_before: list[str],
    words_after: list[str],
    declass: bool,
) -> bool:
    """Prose cue words next to the mark, looking past the line break (other marks masked)."""
    last = words_before[-1:] or _tokens(_prev_line(masked, lo))[-1:]
    first = words_after[:1] or _tokens(_next_line(masked, hi))[:1]
    if not declass and last and pack.mention_before.match(last[0]):
        return True
    return bool(first and pack.mention_after.match(first[0]))


def _window(stream: _Stream, start: int, end: int) -> str:
    """The stamp block around a match: its line and the short lines next to it."""
    lines = stream.folded.split("\n")
    index = stream.folded.count("\n", 0, start)
    last = stream.folded.count("\n", 0, end)
    lo = index
    while lo > 0 and index - lo < 2 and len(_tokens(lines[lo - 1])) <= SHORT_LINE:
        lo -= 1
    hi = last
    while hi + 1 < len(lines) and hi - last < 5 and len(_tokens(lines[hi + 1])) <= SHORT_LINE:
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


def _merge(own: Requisites, inherited: Requisites) -> Requisites:
    return Requisites(
        **{
            field: getattr(own, field) if getattr(own, field) is not None
            else getattr(inherited, field)
            for field in ("copy", "list_item", "date", "period_years", "until",
                          "extended_until")
        }
    )


def _document_date(
    streams: list[_Stream], pack: Pack, skip_lines: set[tuple[int, int]]
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
            if len(_tokens(line)) <= DATE_LINE:
                return dates[0], True
            # a document's title names its own date and ends with it, or with a stamp after it:
            # "Выписка из протокола № 51 … от 5/VIII-37 г. Строго секретно"
            titled = [d for pos, d in kept if _ENDS_OT.search(line, 0, pos)
                      and not [t for t in _tokens(pack.matcher.sub(" ", line[pos:]))
                               if not any(c.isdigit() for c in t)
                               and not pack.stamp_word.match(t)]]
            if titled and any(pack.document_word.match(t) for t in _tokens(line)):
                return titled[0], True
            if page == 1:
                fallback = fallback or dates[0]
        for _, _, line in lines:
            partial = line_date(line, pack)
            if partial:
                return partial, True
    return fallback, False


def detect(doc: Document, pack: Pack, folded: list[str] | None = None) -> MarkingFacts:
    """The markings of *doc*; *folded* is :func:`fold_blocks` of it when already made."""
    streams = _streams(doc, folded if folded is not None else fold_blocks(doc))
    offsets = list(itertools.accumulate((len(b.text) + 1 for b in doc.blocks[:-1]), initial=0))
    spans: list[tuple[int, int]] = []
    scanned: list[tuple[_Stream, str, list[Any]]] = []
    stamp_lines: set[tuple[int, int]] = set()  # lines of declassification stamps
    for s_index, stream in enumerate(streams):
        matches: list[Any] = list(pack.matcher.finditer(stream.folded))
        if any(b.ocr for b in stream.blocks):
            matches = _with_fuzzy(pack, stream, matches)
        if not matches:
            continue
        for m in matches:
            spans.extend(_global_spans(stream, m.start(), m.end(), offsets))
        pieces, last = [], 0
        for m in matches:  # the stream with every match blanked (matches do not overlap)
            pieces += [stream.folded[last : m.start()], " " * (m.end() - m.start())]
            last = m.end()
        masked_text = "".join([*pieces, stream.folded[last:]])
        scanned.append((stream, masked_text, matches))
        for m in matches:
            form = pack.forms[_form(m)]
            if form.kind == "declassified":
                first = stream.folded.count("\n", 0, m.start())
                stamp_lines.update((s_index, first + k) for k in range(3))
    doc_date, dated_line = _document_date(streams, pack, stamp_lines)
    # Only a date in a document's date position makes it older than the law: a modern
    # article about 1937 is not a 1937 document.
    predates = dated_line and doc_date is not None and doc_date < LAW_DATE
    found_all: list[tuple[Marking, str, Block]] = []  # marking, its stamp window, its block
    mentions = 0
    for stream, masked_text, matches in scanned:
        if stream.region is Region.METADATA:  # qupia.markings.metadata reads the properties
            continue
        for m in matches:
            form = pack.forms[_form(m)]
            if form.era == "soviet" and form.kind == "legacy" and not predates:
                mentions += 1  # a Soviet number in a modern text is cited, not borne
                continue
            if not _is_marking(pack, form, stream, masked_text, m.start(), m.end()):
                mentions += 1
                continue
            window = _window(stream, m.start(), m.end())
            block = stream.blocks[max(0, bisect.bisect_right(stream.starts, m.start()) - 1)]
            found_all.append((_marking(form, stream, m, predates), window, block))
    found = _drop_mark_lists(found_all)
    # Requisites: each stamp's own, else what the first page's stamp blocks say.
    own = [read_requisites(w, pack) for _, w in found]
    inherited = Requisites()
    for stream in streams:
        if stream.page == 1 and stream.region in (Region.HEADER, Region.FOOTER):
            short = [ln for ln in stream.folded.split("\n") if len(_tokens(ln)) <= SHORT_LINE]
            inherited = _merge(inherited, read_requisites("\n".join(short), pack))
    for (mark, _), req in zip(found, own, strict=True):
        if mark.level is Level.DECLASSIFIED:  # its date and basis are the stamp's own
            continue
        if mark.page == 1 or mark.region in (Region.HEADER, Region.FOOTER, Region.METADATA):
            inherited = _merge(inherited, req)
    if doc_date and inherited.date is None:
        inherited = replace(inherited, date=doc_date)
    markings = [
        replace(mark, requisites=_merge(req, inherited))
        for (mark, _), req in zip(found, own, strict=True)
    ]
    markings = _apply_declassification(markings)
    return MarkingFacts(tuple(markings), mentions, doc_date, predates, tuple(sorted(spans)),
                        metadata=detect_metadata(doc.blocks))


@dataclass(frozen=True)
class _Near:
    """A mark found with one letter missing, doubled or misread (text read by OCR)."""

    span: tuple[int, int]
    form: int

    def start(self) -> int:
        return self.span[0]

    def end(self) -> int:
        return self.span[1]


def _form(match: Any) -> int:
    return match.form if isinstance(match, _Near) else form_index(match)


def _with_fuzzy(pack: Pack, stream: _Stream, matches: list[Any]) -> list[Any]:
    """The exact matches of an OCR'd stream, and the near ones that overlap none of them.

    A near match must be written in capitals, as stamps are: recall on noisy stamps must not
    turn "секретной" in running text into a mark. It then goes through the same stamp-or-
    mention test as an exact one."""
    kept: list[Any] = list(matches)
    changed = False
    for index, pattern, phrase in pack.fuzzy:
        for m in pattern.finditer(stream.folded):
            a, b = m.span()
            found = letters(m.group())
            if found.startswith(phrase) and len(found) > len(phrase):
                continue  # an ending, not noise: "секретной", "секретного"
            inside = [k for k in kept if a <= k.start() and k.end() <= b]
            if any(a < k.end() and k.start() < b for k in kept if k not in inside):
                continue  # crosses a match already made
            if any(k.end() - k.start() >= b - a for k in inside):
                continue  # an exact match as long: nothing to add
            written = [ch for ch in stream.text[a:b] if ch.isalpha()]
            if not written or sum(ch.isupper() for ch in written) < 0.8 * len(written):
                continue
            # "СОВЕРШЕНН СЕКРЕТНО": the near top-secret mark replaces the exact "СЕКРЕТНО"
            kept = [k for k in kept if k not in inside] + [_Near((a, b), index)]
            changed = True
    return sorted(kept, key=lambda m: m.start()) if changed else matches


def _drop_mark_lists(found: list[tuple[Marking, str, Block]]) -> list[tuple[Marking, str]]:
    """Marks that a page lists rather than bears: a glossary, a register of documents with
    their marks, a commentary's table of the degrees. They do not stamp the page.

    On one page, outside the header, footer and properties: three or more blocks (table cells,
    paragraphs, PDF runs) holding marks of two or more levels; or two table cells with
    different levels; or, in a PDF, two runs with different levels side by side on one line
    (a table row, which a PDF does not mark as a table). Two places with one level can be a
    bilingual stamp ("ҚҰПИЯ" | "СЕКРЕТНО") and are kept.
    """
    inside = (Region.BODY, Region.TABLE, Region.TEXTBOX)
    per_page: dict[int, list[tuple[Marking, Block]]] = {}
    for mark, _, block in found:
        if mark.region in inside:
            per_page.setdefault(mark.page, []).append((mark, block))
    listed: set[int] = set()
    for page, marks in per_page.items():
        blocks = {id(b): b for _, b in marks}
        levels = {m.level for m, _ in marks}
        cells = {id(b) for m, b in marks if m.region is Region.TABLE}
        cell_levels = {m.level for m, b in marks if m.region is Region.TABLE}
        if len(blocks) >= 3 and len(levels) >= 2:
            listed.add(page)
        elif len(cells) >= 3 or (len(cells) == 2 and len(cell_levels) >= 2):
            listed.add(page)
        elif len(blocks) == 2 and len(levels) == 2:
            a, b = blocks.values()
            if a.bbox and b.bbox and abs(a.bbox[1] - b.bbox[1]) < 3:
                listed.add(page)
    return [(m, w) for m, w, _ in found if not (m.region in inside and m.page in listed)]


def _marking(form: FormSpec, stream: _Stream, m: Any, predates: bool) -> Marking:
    text = " ".join(stream.text[m.start() : m.end()].split())
    if form.kind == "legal":
        level, legacy, maps_to = form.level, predates, None
    elif form.kind == "limited":
        level, legacy, maps_to = Level.LIMITED, False, None
    elif form.kind == "declassified":
        level, legacy, maps_to = Level.DECLASSIFIED, False, None
    elif form.kind == "legacy":
        level, legacy, maps_to = form.maps_to, True, form.maps_to
    elif form.era == "soviet" and predates:  # "Строго секретно" of the 1930s
        level, legacy, maps_to = form.maps_to, True, form.maps_to
    else:
        level, legacy, maps_to = Level.NONSTANDARD, False, form.maps_to
    assert level is not None
    return Marking(level=level, text=text, page=stream.page, region=stream.region, form=form.id,
                   legacy=legacy, maps_to=maps_to)


def _apply_declassification(markings: list[Marking]) -> list[Marking]:
    """A declassification stamp takes the marks it covers out of effect (Articles 22, 23).

    It covers every secrecy mark of the document that is not dated after the stamp itself.
    """
    stamps = [m for m in markings if m.level is Level.DECLASSIFIED]
    if not stamps:
        return markings
    latest = max((s.requisites.date for s in stamps if s.requisites.date), default=None)
    out = []
    for m in markings:
        covered = m.level in LEGAL_LEVELS or m.legacy or m.level is Level.NONSTANDARD
        own = m.requisites.date
        if covered and not (latest and own and own > latest):
            m = replace(m, in_effect=False)
        out.append(m)
    return out
