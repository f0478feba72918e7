"""Blocks → markings: find every mark, tell a marking from a mention
(:mod:`qupia.markings.stamps`), read its requisites (:mod:`qupia.markings.requisites`).

One pass, in one direction: the document's streams (:mod:`qupia.markings.streams`), the
pack's matches in each, the document's date, then each match judged a stamp or a mention, the
marks a page lists rather than bears dropped, requisites read and inherited, and
declassification applied. The properties' levels come from :mod:`qupia.markings.metadata`.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import replace
from datetime import date
from typing import Any

from qupia.markings.metadata import detect_metadata
from qupia.markings.patterns import Pack
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
    marking_of,
    with_fuzzy,
)
from qupia.markings.streams import Stream, global_spans, split_streams, words_of
from qupia.model import Block, Document, Level, Marking, MarkingFacts, Region, Requisites
from qupia.text.fold import fold_blocks

#: The Law "On State Secrets" took effect on 15 March 1999; marks on older documents are legacy.
LAW_DATE = date(1999, 3, 15)


def detect(doc: Document, pack: Pack, folded: list[str] | None = None) -> MarkingFacts:
    """The markings of *doc*; *folded* is :func:`fold_blocks` of it when already made."""
    streams = split_streams(doc, folded if folded is not None else fold_blocks(doc))
    offsets = list(itertools.accumulate((len(b.text) + 1 for b in doc.blocks[:-1]), initial=0))
    spans: list[tuple[int, int]] = []
    scanned: list[tuple[Stream, str, list[Any]]] = []
    stamp_lines: set[tuple[int, int]] = set()  # lines of declassification stamps
    for s_index, stream in enumerate(streams):
        matches: list[Any] = list(pack.matcher.finditer(stream.folded))
        if any(b.ocr for b in stream.blocks):
            matches = with_fuzzy(pack, stream, matches)
        if not matches:
            continue
        for m in matches:
            spans.extend(global_spans(stream, m.start(), m.end(), offsets))
        pieces, last = [], 0
        for m in matches:  # the stream with every match blanked (matches do not overlap)
            pieces += [stream.folded[last : m.start()], " " * (m.end() - m.start())]
            last = m.end()
        masked_text = "".join([*pieces, stream.folded[last:]])
        scanned.append((stream, masked_text, matches))
        for m in matches:
            form = pack.forms[form_of(m)]
            if form.kind == "declassified":
                first = stream.folded.count("\n", 0, m.start())
                stamp_lines.update((s_index, first + k) for k in range(3))
    doc_date, dated_line = document_date(streams, pack, stamp_lines)
    # Only a date in a document's date position makes it older than the law: a modern
    # article about 1937 is not a 1937 document.
    predates = dated_line and doc_date is not None and doc_date < LAW_DATE
    found_all: list[tuple[Marking, str, Block]] = []  # marking, its stamp window, its block
    mentions = 0
    for stream, masked_text, matches in scanned:
        if stream.region is Region.METADATA:  # qupia.markings.metadata reads the properties
            continue
        for m in matches:
            form = pack.forms[form_of(m)]
            if form.era == "soviet" and form.kind == "legacy" and not predates:
                mentions += 1  # a Soviet number in a modern text is cited, not borne
                continue
            if not is_marking(pack, form, stream, masked_text, m.start(), m.end()):
                mentions += 1
                continue
            window = stamp_window(stream, m.start(), m.end())
            block = stream.blocks[max(0, bisect.bisect_right(stream.starts, m.start()) - 1)]
            found_all.append((marking_of(form, stream, m, predates), window, block))
    found = drop_mark_lists(found_all)
    # Requisites: each stamp's own, else what the first page's stamp blocks say.
    own = [read_requisites(w, pack) for _, w in found]
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
    return MarkingFacts(tuple(markings), mentions, doc_date, predates, tuple(sorted(spans)),
                        metadata=detect_metadata(doc.blocks), stands_with=stands_with)
