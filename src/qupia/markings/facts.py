"""Blocks → markings: find every mark, tell a marking from a mention
(:mod:`qupia.markings.stamps`), read its requisites (:mod:`qupia.markings.requisites`).

Two steps, in one direction. First each page region's stream alone
(:mod:`qupia.markings.streams`): the pack's matches in it, each judged a stamp or a mention,
a stamp's own requisites read. Then the document as a whole: its date, the marks a page lists
rather than bears dropped, requisites inherited, declassification applied. The first step
needs nothing outside its stream, so a long document's streams are scanned on two cores: a
forked helper scans the second part while the caller scans the first (:func:`scan_all`). The
properties' levels come from :mod:`qupia.markings.metadata`.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from qupia.markings.metadata import detect_metadata
from qupia.markings.patterns import Form, Pack
from qupia.markings.requisites import (
    SHORT_LINE,
    document_date,
    merge_requisites,
    read_requisites,
    stamp_window,
)
from qupia.markings.stamps import (
    apply_declassification,
    drop_mark_lists,
    form_of,
    is_marking,
    marking_level,
    with_fuzzy,
)
from qupia.markings.streams import Stream, global_spans, make_stream, stream_groups, words_of
from qupia.model import Block, Document, Level, Marking, MarkingFacts, Region, Requisites
from qupia.startup import gc_paused

#: The Law "On State Secrets" took effect on 15 March 1999; marks on older documents are legacy.
LAW_DATE = date(1999, 3, 15)

#: a document with at least this many characters has its streams scanned on two cores
SPLIT_CHARS = 400_000


@dataclass(frozen=True)
class Hit:
    """A match of the pack in a stream, judged: what the document-wide step needs of it."""

    start: int
    end: int
    form: int  # index into Pack.forms
    stamp: bool  # it stands as a stamp (:func:`.stamps.is_marking`)
    text: str  # the matched words, as written, spaces folded
    block: int  # the block it starts in (index in the document)
    requisites: Requisites | None  # a stamp's own (:func:`.requisites.read_requisites`)


@dataclass(frozen=True)
class Scanned:
    """One stream's matches: its hits, their spans in the document's text and the lines of
    its declassification stamps (no date of the document is read there)."""

    index: int  # the stream's place among the document's streams
    hits: tuple[Hit, ...]
    spans: tuple[tuple[int, int], ...]
    stamp_lines: tuple[int, ...]


#: a stream up to this many characters is judged once per document for each text it has: a
#: long document repeats its header and footer (its stamp block) page after page
REPEATED_CHARS = 2_000

#: what :func:`_judge` finds in one stream: its matches' spans, each hit as (start, end, form,
#: stamp, text, the block it starts in as a place in the stream, requisites), stamp lines
Judged = tuple[tuple[tuple[int, int], ...],
               tuple[tuple[int, int, int, bool, str, int, Requisites | None], ...],
               tuple[int, ...]]


def scan(stream: Stream, index: int, pack: Pack, offsets: list[int],
         read: dict[str, Requisites] | None = None, ocr: bool = True,
         seen: dict[tuple[object, ...], Judged] | None = None) -> Scanned | None:
    """Every match of the pack in one stream, judged a stamp or a mention; None when there is
    none. *read*: the requisites of stamp blocks already read in this document (a long
    document's stamp blocks repeat page after page), filled in here; *ocr*: whether any
    block of the document was read by OCR; *seen*: what earlier short streams of the document
    gave (:data:`REPEATED_CHARS`), filled in here: a stream with the same region, text and
    block starts gives the same."""
    fuzzy = ocr and any(b.ocr for b in stream.blocks)
    if seen is not None and len(stream.text) <= REPEATED_CHARS:
        key = (stream.region, stream.text, stream.starts, fuzzy)
        judged = seen.get(key)
        if judged is None:
            judged = seen[key] = _judge(stream, pack, read, fuzzy)
    else:
        judged = _judge(stream, pack, read, fuzzy)
    found, hits, stamp_lines = judged
    if not found:
        return None
    spans = [span for a, b in found for span in global_spans(stream, a, b, offsets)]
    return Scanned(index, tuple(Hit(start, end, form, stamp, text, stream.ids[at], own)
                                for start, end, form, stamp, text, at, own in hits),
                   tuple(spans), stamp_lines)


def _judge(stream: Stream, pack: Pack, read: dict[str, Requisites] | None,
           fuzzy: bool) -> Judged:
    """:func:`scan`'s work on one stream, in the stream's own terms (no block of the document
    named, no offset in its text)."""
    read = {} if read is None else read
    matches: list[Any] = list(pack.matcher.finditer(stream.folded))
    if fuzzy:
        matches = with_fuzzy(pack, stream, matches)
    if not matches:
        return (), (), ()
    pieces, last = [], 0
    for m in matches:  # the stream with every match blanked (matches do not overlap)
        pieces += [stream.folded[last : m.start()], " " * (m.end() - m.start())]
        last = m.end()
    masked_text = "".join([*pieces, stream.folded[last:]])
    stamp_lines: list[int] = []
    hits = []
    for m in matches:
        form_id = form_of(m)
        form = pack.forms[form_id]
        start, end = m.start(), m.end()
        if form.kind == "declassified":
            first = stream.folded.count("\n", 0, start)
            stamp_lines.extend(first + k for k in range(3))
        if stream.region is Region.METADATA:  # qupia.markings.metadata reads the properties
            continue
        stamp = is_marking(pack, form, stream, masked_text, start, end)
        at = max(0, bisect.bisect_right(stream.starts, start) - 1)
        own = None
        if stamp:
            window = stamp_window(stream, start, end)
            own = read.get(window)
            if own is None:
                own = read[window] = read_requisites(window, pack)
        hits.append((start, end, form_id, stamp, " ".join(stream.text[start:end].split()), at,
                     own))
    return (tuple((m.start(), m.end()) for m in matches), tuple(hits), tuple(stamp_lines))


def _scan_part(doc: Document, folded: list[str] | None,
               groups: list[tuple[int, Region, list[int]]], lo: int, hi: int, pack: Pack,
               offsets: list[int], ocr: bool) -> list[Scanned]:
    """:func:`scan` of streams lo … hi-1 (each stream folded by :func:`.streams.make_stream`
    when *folded* is None)."""
    out = []
    read: dict[str, Requisites] = {}
    seen: dict[tuple[object, ...], Judged] = {}
    for index in range(lo, hi):
        got = scan(make_stream(doc, folded, *groups[index]), index, pack, offsets, read, ocr,
                   seen)
        if got is not None:
            out.append(got)
    return out


def scan_all(doc: Document, folded: list[str] | None,
             groups: list[tuple[int, Region, list[int]]], pack: Pack, offsets: list[int]
             ) -> list[Scanned]:
    """:func:`scan` of every stream, in order. From :data:`SPLIT_CHARS` characters and with a
    second core, a forked helper scans the streams of the second half of the text meanwhile
    (:mod:`qupia.extract.pages`); if it fails, they are scanned here. Without *folded*, each
    process folds the streams it scans."""
    from qupia.extract import pages

    ocr = any(b.ocr for b in doc.blocks)
    cut = _cut(doc, groups, offsets) if pages.cores() > 1 else len(groups)

    def part(lo: int, hi: int) -> Callable[[], list[Scanned]]:
        return lambda: _scan_part(doc, folded, groups, lo, hi, pack, offsets, ocr)

    if cut == len(groups):
        return part(0, cut)()
    first, second = pages.on_two_cores(part(0, cut), part(cut, len(groups)))
    return first + second


def _cut(doc: Document, groups: list[tuple[int, Region, list[int]]], offsets: list[int]) -> int:
    """Where the helper's streams begin: about half of the text on each side; no helper
    (the number of streams) below :data:`SPLIT_CHARS` characters."""
    size = offsets[-1] + len(doc.blocks[-1].text) if doc.blocks else 0
    if size < SPLIT_CHARS:
        return len(groups)
    done = 0
    for index, (_, _, ids) in enumerate(groups):
        if done * 2 >= size:
            return index
        done += sum(len(doc.blocks[i].text) + 1 for i in ids)
    return len(groups)


@gc_paused()
def detect(doc: Document, pack: Pack, folded: list[str] | None = None) -> MarkingFacts:
    """The markings of *doc*; *folded* is :func:`qupia.text.fold.fold_blocks` of it when
    already made.

    The garbage collector is paused meanwhile: the streams, matches and hits of a long
    document are many objects and no garbage, and its passes walked the document's blocks
    again and again."""
    groups = stream_groups(doc)
    offsets = list(itertools.accumulate((len(b.text) + 1 for b in doc.blocks[:-1]), initial=0))
    scanned = scan_all(doc, folded, groups, pack, offsets)
    # The streams of the first and the last page: the document's date and the requisites a
    # first page's stamp block lends are read there.
    last = max((page for page, _, _ in groups), default=1)
    edge = [(index, make_stream(doc, folded, *group)) for index, group in enumerate(groups)
            if group[0] in (1, last)]
    place = {index: k for k, (index, _) in enumerate(edge)}
    stamp_lines = {(place[s.index], line) for s in scanned if s.index in place
                   for line in s.stamp_lines}
    streams = [stream for _, stream in edge]
    doc_date, dated_line = document_date(streams, pack, stamp_lines)
    # Only a date in a document's date position makes it older than the law: a modern
    # article about 1937 is not a 1937 document.
    predates = bool(dated_line and doc_date is not None and doc_date < LAW_DATE)
    found_all: list[tuple[Marking, Requisites, Block]] = []  # marking, its own requisites
    mentions = 0
    for s in scanned:
        page, region, _ = groups[s.index]
        for hit in s.hits:
            form = pack.forms[hit.form]
            if form.era == "soviet" and form.kind == "legacy" and not predates:
                mentions += 1  # a Soviet number in a modern text is cited, not borne
                continue
            if not hit.stamp:
                mentions += 1
                continue
            assert hit.requisites is not None
            found_all.append((_marking(form, hit.text, page, region, predates), hit.requisites,
                              doc.blocks[hit.block]))
    found = drop_mark_lists(found_all)
    # Requisites: each stamp's own, else what the first page's stamp blocks say.
    own = [req for _, req in found]
    inherited = Requisites()
    for stream in streams:
        if stream.page == 1 and stream.region in (Region.HEADER, Region.FOOTER):
            short = [ln for ln in stream.folded.split("\n") if len(words_of(ln)) <= SHORT_LINE]
            inherited = merge_requisites(inherited, read_requisites("\n".join(short), pack))
    for (mark, _), req in zip(found, own, strict=True):
        if mark.level is Level.DECLASSIFIED:  # its date and basis are the stamp's own
            continue
        if mark.page == 1 or mark.region in (Region.HEADER, Region.FOOTER, Region.METADATA):
            inherited = merge_requisites(inherited, req)
    if doc_date and inherited.date is None:
        inherited = replace(inherited, date=doc_date)
    markings = [
        replace(mark, requisites=merge_requisites(req, inherited))
        for (mark, _), req in zip(found, own, strict=True)
    ]
    markings = apply_declassification(markings)
    present = {m.form for m in markings}
    stands_with = tuple(
        (f.id, f.stands_with + (f.stands_with_before_law if predates else ()))
        for f in pack.forms
        if f.id in present and (f.stands_with or (predates and f.stands_with_before_law)))
    spans = sorted(span for s in scanned for span in s.spans)
    return MarkingFacts(tuple(markings), mentions, doc_date, predates, tuple(spans),
                        metadata=detect_metadata(doc.blocks), stands_with=stands_with)


def _marking(form: Form, text: str, page: int, region: Region, predates: bool) -> Marking:
    """The marking a stamp of *form* makes (:func:`.stamps.marking_of`, from a hit's text)."""
    level, legacy, maps_to = marking_level(form, predates)
    return Marking(level=level, text=text, page=page, region=region, form=form.id,
                   legacy=legacy, maps_to=maps_to)
