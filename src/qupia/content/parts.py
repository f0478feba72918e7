"""The parts of a long document read on their own: its sections, its short runs and
overlapping segments where neither reaches.

Averaged over a long text, one disclosing section drowns; :func:`qupia.content.detect.analyse`
reads each part like a document of its own when the whole does not reach a group's threshold.
A section is a paragraph of the file (:func:`paragraphs`): a TXT file's part between blank
lines, a DOCX paragraph, or a PDF's lines joined where the layout leaves no paragraph gap. A
short run (:func:`short_runs`) is a few short paragraphs together: a two-line message, a
heading and a table's rows.
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass

import numpy

from qupia.content.matcher import Packs, Scan
from qupia.content.prepared import Text
from qupia.content.signals import Signals
from qupia.model import Block, Region

SEGMENT = 2_000  # characters of a segment of a long document, read like a document of its own
MAX_SEGMENTS = 16
SECTION_MIN = 250  # characters of a block (paragraph, or a TXT file's part) read on its own
SHORT_MIN = 100  # characters of the shortest run of short paragraphs read on its own
RUN_MAX = 600  # characters a run of short paragraphs reaches at most
UNCOVERED = 200  # characters of a segment outside the sections and runs for it to be read
LAW_BLOCK_MIN = 250  # the same in a file laid out as law, which is read in its blocks alone


def segments(folded: str, size: int = SEGMENT) -> list[tuple[int, int]]:
    """A long text as overlapping parts of about *size* characters cut at line ends, each
    starting half a part after the one before (so a section of up to *size* characters
    lies whole in one of them); [] for a text short enough to be read as one (the corpus's
    documents, on which the calibration was fitted, are under 5,000 characters)."""
    if len(folded) <= SEGMENT * 2:
        return []
    out = []
    start = 0
    while True:
        end = folded.find("\n", start + size)
        if end < 0 or len(folded) - end < size // 4:
            out.append((start, len(folded)))
            return out
        out.append((start, end))
        nxt = folded.find("\n", start + size // 2)
        start = nxt + 1 if 0 <= nxt < end else end + 1


GAP = 0.35  # of a line's height: how much further apart than the file's usual line pitch
# two PDF lines must be to start a paragraph (reportlab's paragraph spacing of 6 pt at 10.5 pt
# type is about 0.6; a table cell's dash or a line without ascenders moves a line's box, not
# its middle, by less)
GOES_ON = ",;).:"  # a line that starts so (or in lower case) goes on the sentence before it


@dataclass(frozen=True)
class _Layout:
    pitch: float  # the usual distance between the middles of two lines of a paragraph
    height: float  # the usual height of a line
    top: float  # the highest top and the lowest bottom of a body line: a page's frame
    bottom: float


def paragraph_starts(text: Text, soft: list[int] | None = None) -> list[int]:
    """The indices of the blocks of *text* that start a paragraph. A TXT file's blocks (its
    parts between blank lines) and a DOCX's paragraphs each do; a PDF's blocks are its lines.
    A PDF line goes on the paragraph of the line before it in its region (header and footer
    lines between pages skipped) when it starts in lower case or with one of GOES_ON (the
    sentence goes on), when it stands on the same line (a link's words are runs of their
    own), or when its middle lies below that line's by no more than the file's usual pitch
    and GAP of a line's height. A line that starts a page after a page filled to its foot
    starts a paragraph that may also be the first one's next page: nothing shows a
    paragraph's end there; such starts are also added to *soft* when given."""
    blocks = text.doc.blocks
    boxes = [b.bbox for b in blocks]
    if not blocks or any(box is None for box in boxes):
        return list(range(len(blocks)))
    pitches = [_middle(b) - _middle(a) for a, b in itertools.pairwise(blocks)
               if a.page == b.page and a.region is b.region and _middle(b) > _middle(a)]
    body = [b.bbox for b in blocks if b.bbox is not None and b.region is Region.BODY]
    layout = _Layout(statistics.median(pitches) if pitches else 0.0,
                     statistics.median(b[3] - b[1] for b in body) if body else 0.0,
                     min((b[1] for b in body), default=0.0),
                     max((b[3] for b in body), default=0.0))
    out = [0]
    last: dict[Region, Block] = {blocks[0].region: blocks[0]}
    for k in range(1, len(blocks)):
        block = blocks[k]
        before = last.get(block.region)
        starts = 1 if before is None else _starts(before, block, layout)
        if starts:
            out.append(k)  # (a page's header and footer lines between stay in the span)
            if starts == 2 and soft is not None:
                soft.append(k)
        last[block.region] = block
    return out


def _middle(block: Block) -> float:
    return (block.bbox[1] + block.bbox[3]) / 2 if block.bbox is not None else 0.0


def _starts(before: Block, block: Block, layout: _Layout) -> int:
    """0: *block* goes on the paragraph of *before*; 1: it starts one; 2: it starts a page
    after a page filled to its foot (it may go on)."""
    if before.bbox is None or block.bbox is None:
        return 1
    first = block.text.lstrip()[:1]
    if first and (first.islower() or first in GOES_ON):
        return 0  # the sentence goes on (over a page break too)
    (_, top0, _, bottom0), (_, top, _, bottom) = before.bbox, block.bbox
    if before.page != block.page:
        full = before.page + 1 == block.page and bottom0 >= layout.bottom - 2 * layout.pitch \
            and top <= layout.top + 2 * layout.pitch
        return 2 if full else 1
    if top < bottom0 and bottom > top0:  # on the same line: the line goes on
        return 0
    if top <= top0:  # above the line before it: a new column, a part of its own
        return 1
    return int(_middle(block) - _middle(before) > layout.pitch + GAP * layout.height)


def paragraphs(text: Text, soft: list[int] | None = None) -> list[tuple[int, int]]:
    """The paragraphs of *text* (:func:`paragraph_starts`) as spans of its folded text; the
    indices of those that may go on the one before them (over a page break) are added to
    *soft* when given."""
    where: list[int] = []
    firsts = paragraph_starts(text, where)
    ends = [*(text.starts[k] for k in firsts[1:]), len(text.folded) + 1]
    if soft is not None:
        index = {k: n for n, k in enumerate(firsts)}
        soft.extend(index[k] for k in where)
    return [(text.starts[k], end - 1) for k, end in zip(firsts, ends, strict=True)]


def sections(text: Text, least: int = SECTION_MIN) -> list[tuple[int, int]]:
    """The paragraphs of a long text (:func:`paragraphs`) of *least* to SEGMENT * 2
    characters, each a place the file gives a part of its own (a pasted document, a report's
    section), and a paragraph cut by a page break read whole too (the two parts joined);
    [] for a short text."""
    if len(text.folded) <= SEGMENT * 2:
        return []
    soft: list[int] = []
    spans = paragraphs(text, soft)
    joined = [(spans[n - 1][0], spans[n][1]) for n in soft]
    return sorted({(a, b) for a, b in [*spans, *joined] if least <= b - a <= SEGMENT * 2})


def short_runs(text: Text, least: int = SHORT_MIN, most: int = RUN_MAX
               ) -> list[tuple[int, int]]:
    """The places of a long text where a short disclosure may stand whole but no section
    (:func:`sections`) holds it: each stretch of consecutive paragraphs shorter than
    SECTION_MIN (a message of two lines between long paragraphs; a heading and the rows of
    a table, each a paragraph of a DOCX or a PDF's layout) cut into runs of whole paragraphs
    of up to *most* characters, each starting about half a run after the one before (so
    that a disclosure of up to half a run lies whole in one, and no place lies in more than
    two), kept when they have *least* characters or more. [] for a short text."""
    if len(text.folded) <= SEGMENT * 2:
        return []
    spans = paragraphs(text)
    out = []
    k = 0
    while k < len(spans):
        if spans[k][1] - spans[k][0] >= SECTION_MIN:
            k += 1
            continue
        last = k  # the stretch of short paragraphs: k..last
        while last + 1 < len(spans) and spans[last + 1][1] - spans[last + 1][0] < SECTION_MIN:
            last += 1
        first = k
        while True:
            start = spans[first][0]
            j = first
            while j < last and spans[j + 1][1] - start <= most:
                j += 1
            if spans[j][1] - start >= least:
                out.append((start, spans[j][1]))
            if j >= last:
                break
            nxt = first + 1
            while nxt <= j and spans[nxt][0] < start + most // 2:
                nxt += 1
            first = nxt
        k = last + 1
    return out


def best_segments(text: Text, packs: Packs, scan: Scan, signals: Signals | None = None,
                  blocks_only: bool = False) -> list[tuple[int, int]]:
    """The parts to read on their own, each kind all or the MAX_SEGMENTS that rank first: the
    sections (:func:`sections`), the short runs that hold a disclosure signal
    (:func:`short_runs`) and the segments that reach where no section or short run read does
    (:func:`_uncovered`). With *blocks_only* (a file laid out as law) only sections of
    LAW_BLOCK_MIN characters or more: a document pasted whole between its articles is a block of
    its own, while a segment cut across the law joins the fragments its layout leaves between
    the law blocks, and short runs there found one disclosure more in ``make eval-long`` (of
    147) but read the 1,000-page bench PDF's shuffled words as one. A part ranks by its cue
    weight times one plus its disclosure signals (*signals*' specific ones: unit numbers,
    frequencies, call signs…): a short report of a unit's strength and call signs outranks a
    long news story that names more topics. A short run is read only with a disclosure signal of
    its own (a few lines name a topic; only figures, numbers or names make them a disclosure),
    and those that name a protected thing itself (an operational signal: a frequency, a call
    sign, a unit's number, coordinates) rank first: a news digest's short paragraphs hold more
    cue words than a table of radio frequencies."""
    least = LAW_BLOCK_MIN if blocks_only else SECTION_MIN
    runs = [] if blocks_only else _chosen_runs(text, packs, scan, signals)
    out = _ranked(sections(text, least), text, packs, scan, signals)
    if not blocks_only:  # the segments where no part read above reaches
        out += _ranked(_uncovered(text.folded, segments(text.folded), [*out, *runs]), text,
                       packs, scan, signals)
    return out + runs


def _ranked(parts: list[tuple[int, int]], text: Text, packs: Packs, scan: Scan,
            signals: Signals | None) -> list[tuple[int, int]]:
    """*parts* (sorted), or the MAX_SEGMENTS of them that rank first by cue weight times one
    plus their disclosure signals."""
    if len(parts) <= MAX_SEGMENTS:
        return parts
    weight = packs.spread(scan, parts)  # the scan features() matched: no second pass
    if signals is not None:
        weight = [w * (1 + sum(signals.count(signals.specific, text.original[a:b],
                                             text.folded[a:b]).values()))
                  if w > 0 else 0.0 for w, (a, b) in zip(weight, parts, strict=True)]
    ranked = sorted(range(len(parts)), key=lambda k: -weight[k])[:MAX_SEGMENTS]
    return [parts[k] for k in sorted(ranked) if weight[k] > 0]


def _chosen_runs(text: Text, packs: Packs, scan: Scan, signals: Signals | None
                 ) -> list[tuple[int, int]]:
    """The short runs (:func:`short_runs`, of RUN_MAX and of half as many characters: a short
    disclosure among short paragraphs of other text, a table in a news digest, lies whole in
    a run of either size, with less of the other text in the smaller) that are read: those
    that name a protected thing first (most names first, then the shorter), then those with
    another disclosure signal by cue weight (of at most four times MAX_SEGMENTS),
    MAX_SEGMENTS at most."""
    if signals is None:
        return []
    sizes = [short_runs(text, most=most) for most in (RUN_MAX, RUN_MAX // 2)]
    runs = [run for size in sizes for run in size]
    if not runs:
        return []
    named = _operational(signals, text, runs)
    chosen = sorted((k for k in range(len(runs)) if named[k]),
                    key=lambda k: (-named[k], runs[k][1] - runs[k][0]))[:MAX_SEGMENTS]
    if len(chosen) == MAX_SEGMENTS:
        return sorted({runs[k] for k in chosen})
    # (each size apart: a place lies in at most two runs of one size)
    weight = [w for size in sizes for w in (packs.spread(scan, size) if len(size) > MAX_SEGMENTS
                                            else [1.0] * len(size))]
    rest = sorted((k for k in range(len(runs)) if not named[k]), key=lambda k: -weight[k])
    for k in rest[:4 * MAX_SEGMENTS]:
        if len(chosen) == MAX_SEGMENTS or weight[k] <= 0:
            break
        if _has_signal(signals, text, *runs[k]):
            chosen.append(k)
    return sorted({runs[k] for k in chosen})


def _has_signal(signals: Signals, text: Text, start: int, end: int) -> bool:
    """Whether a disclosure signal matches in text[start:end]: on its folded text or, for
    Kazakh Latin, its Cyrillic reading (a signal's Latin forms match the one, its Cyrillic
    forms the other)."""
    original = text.original[start:end]
    readings = [reading[start:end] for reading in text.readings]
    return any(signal.pattern.search(original if signal.original else reading)
               for reading in readings for signal in signals.specific)


def _operational(signals: Signals, text: Text, parts: list[tuple[int, int]]) -> list[int]:
    """How many operational signals (a frequency, a call sign, a unit's number, coordinates)
    start in each of *parts* (sorted, each place in at most two), read once over *text*."""
    at = numpy.asarray(sorted({m.start() for signal in signals.specific if signal.operational
                               for reading in ((text.original,) if signal.original
                                               else text.readings)
                               for m in signal.pattern.finditer(reading)}), dtype=numpy.int64)
    starts = numpy.asarray([a for a, _ in parts], dtype=numpy.int64)
    ends = numpy.asarray([b for _, b in parts], dtype=numpy.int64)
    return [int(n) for n in numpy.searchsorted(at, ends) - numpy.searchsorted(at, starts)]


def _uncovered(folded: str, parts: list[tuple[int, int]], read: list[tuple[int, int]],
               least: int = UNCOVERED) -> list[tuple[int, int]]:
    """The *parts* with *least* characters (other than blanks) outside every span of *read*:
    a segment that only joins paragraphs read on their own adds up the topic words of
    several of them (a news story's, a statistics release's), and finds no disclosure that
    one of them does not hold."""
    if not parts or not read:
        return parts
    edge = numpy.zeros(len(folded) + 1, dtype=numpy.int32)
    numpy.add.at(edge, [a for a, _ in read], 1)
    numpy.add.at(edge, [b for _, b in read], -1)
    outside = numpy.cumsum(edge[:-1]) == 0
    codes = numpy.frombuffer(folded.encode("utf-32-le"), dtype=numpy.uint32)
    outside &= (codes != 32) & (codes != 10)
    before = numpy.concatenate(([0], numpy.cumsum(outside)))
    return [(a, b) for a, b in parts if before[b] - before[a] >= least]
