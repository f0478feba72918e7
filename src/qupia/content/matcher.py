"""The compiled category packs and how a folded text is matched against them: each cue's
literal anchor is in one Aho–Corasick automaton; :meth:`Packs.hits` finds the anchors at word
starts among the document's distinct tokens and tries each cue only there, so overlapping cues
are all counted (one regex alternation reports one match per position and drops the rest:
docs/measurements.md). Built by :mod:`qupia.content.packs`.
"""

from __future__ import annotations

import functools
import pickle
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

import numpy

from qupia.content.tokens import WORD_DIGIT, WORDISH, Tokens, word_start

#: cue patterns compiled when the packs were built, loaded ready from the cache (:func:`use_ready`)
_READY: dict[str, re.Pattern[str]] = {}


@functools.cache
def _regex(source: str) -> re.Pattern[str]:
    ready = _READY.get(source)
    return ready if ready is not None else re.compile(source)




def use_ready(compiled: dict[str, re.Pattern[str]]) -> None:
    """Use the cue patterns the packs were built with (:attr:`Packs.compiled`), not compiled
    again."""
    _READY.update(compiled)


@dataclass(frozen=True)
class Item:
    """An article item of the packs, as validated (:class:`~qupia.content.pack_schema.ItemSpec`):
    its cues are compiled into :attr:`Packs.cues`; here they are named only."""

    item: str
    title: str
    level: str | None  # special-importance, top-secret, secret or None
    cues: tuple[str, ...]  # each cue as written: its stems joined by " | ", or its regex
    exceptions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cue:
    """One cue: which item it speaks for, its weight, what it looks like.

    Its regex is compiled on first use: a document meets a few hundred of the packs' five
    thousand cues, and compiling them all took most of a second at start-up.
    """

    item: str
    weight: float
    label: str  # the stem or regex as written, for explanations
    source: str  # the folded regex
    exception: bool = False
    group: str = ""  # the cue (one YAML entry) this stem belongs to: it counts once
    anchors: frozenset[str] | None = None  # literal prefixes, one of which starts each match
    words: tuple[str, ...] = ()  # a stem cue's folded words (each a word's prefix); () a regex
    key: int = 0  # which of the words is the anchor: the first of at least two letters

    @property
    def pattern(self) -> re.Pattern[str]:
        """The cue at a word start."""
        return _regex(rf"(?<!\w)(?:{self.source})")

    @property
    def search(self) -> re.Pattern[str]:
        """The cue without its word-start lookbehind (re scans for a literal start in C)."""
        return _regex(self.source)


class CueList(Sequence[Cue]):
    """The packs' cues, as a tuple of them reads, each unpickled when first used.

    A document meets a few hundred of the packs' six thousand cues: stored in the cache each
    as its own pickle, loading the packs unpickles none of them (all at once took about 25 ms
    of every start-up, before the workers are forked), and a process unpickles only those it
    reads, a few microseconds each (a worker over the bench's 200 corpus files, about 4,000).
    The gain is a short run's: one file, a pre-commit hook."""

    __slots__ = ("_blobs", "_cues")

    def __init__(self, cues: Iterable[Cue] = (), blobs: tuple[bytes, ...] | None = None
                 ) -> None:
        self._blobs = blobs
        self._cues: list[Cue | None] = list(cues) if blobs is None else [None] * len(blobs)

    def __len__(self) -> int:
        return len(self._cues)

    @overload
    def __getitem__(self, index: int) -> Cue: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Cue, ...]: ...

    def __getitem__(self, index: int | slice) -> Cue | tuple[Cue, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(len(self))[index])
        cue = self._cues[index]
        if cue is None:
            assert self._blobs is not None
            cue = self._cues[index] = pickle.loads(self._blobs[index])
        return cue

    def __reduce__(self) -> tuple[Any, ...]:
        blobs = self._blobs
        if blobs is None:
            blobs = tuple(pickle.dumps(cue, protocol=pickle.HIGHEST_PROTOCOL) for cue in self)
        return CueList, ((), blobs)


@dataclass(frozen=True, eq=False)
class Scan:
    """A folded text read once through the packs' automaton (:meth:`Packs.scan`)."""

    folded: str
    tokens: Tokens
    places: dict[str, list[tuple[str, int]]]  # anchor → (token, offset) at a word start
    holders: dict[str, list[str]]  # needle → the tokens that hold it
    digits: list[tuple[str, int]]  # the tokens' word starts with a digit (when a cue needs them)


@dataclass(frozen=True, eq=False)
class Packs:
    items: dict[str, Item]  # item id → the item, every article
    cues: Sequence[Cue]  # a CueList, or a tuple
    # ahocorasick.Automaton over the literals looked for in tokens: literal → (literal, is an
    # anchor (a cue starts with it, at a word start), is a needle (a cue's match contains it))
    automaton: Any
    anchored: dict[str, tuple[int, ...]]  # literal anchor → indices of the cues it starts
    spaced: tuple[str, ...]  # anchors with a space inside: looked for in the text itself
    # regex cues with no literal anchor: (index, literals one of which every match contains,
    # or None: then the match starts with a digit, or is searched for in the whole text)
    anywhere: tuple[tuple[int, frozenset[str] | None], ...]
    # cue index → every cue with the same pattern (items share cues): matched once for all
    same: dict[int, tuple[int, ...]]
    digit_first: frozenset[int] = frozenset()  # cues of `anywhere` whose match starts with \d
    # every regex cue's two patterns (:attr:`Cue.pattern`, :attr:`Cue.search`), compiled once
    # when the packs are built: the cache stores them ready, so no process compiles them again
    compiled: dict[str, re.Pattern[str]] = field(default_factory=dict, repr=False)

    def article(self, item: str) -> str:
        return item.split(".", 1)[0]

    @functools.cached_property
    def anchor_weight(self) -> dict[str, float]:
        """Each literal anchor's weight: the heaviest cue (not an exception) it starts."""
        return {a: max((self.cues[i].weight for i in cues if not self.cues[i].exception),
                       default=0.0) for a, cues in self.anchored.items()}

    def spread(self, scan: Scan | str, parts: list[tuple[int, int]]) -> list[float]:
        """How much cue weight each of *parts* (start, end) of a text holds, roughly: for each
        distinct word in it that bears cue anchors at a word start, the heaviest cue weight of
        each anchor, summed; to choose which parts of a long document to read on their own.
        Given the text's :meth:`scan` (the one :meth:`hits` read), no automaton pass is made
        again; given the folded text, it is scanned here."""
        if isinstance(scan, str):
            scan = self.scan(scan)
        text, places = scan.tokens, scan.places
        found: dict[str, list[str]] = {}
        for literal, where in places.items():
            if self.anchor_weight.get(literal):
                for token, _ in where:
                    found.setdefault(token, []).append(literal)
        # Each part's weight: the summed anchor weights of the distinct anchor-bearing tokens
        # in it, counted in numpy (a long text has tens of thousands of such occurrences).
        tokens = list(found)
        if not tokens or not parts:
            return [0.0] * len(parts)
        weight = numpy.array([sum(self.anchor_weight[a] for a in set(found[t])) for t in tokens])
        where = [numpy.asarray(text.occurs[t], dtype=numpy.int64) for t in tokens]
        token = numpy.repeat(numpy.arange(len(tokens)), [len(w) for w in where])
        at = numpy.asarray(text.pos, dtype=numpy.int64)[numpy.concatenate(where)]
        starts = numpy.array([a for a, _ in parts])
        ends = numpy.array([b for _, b in parts])
        part = numpy.searchsorted(starts, at, side="right") - 1
        inside = (part >= 0) & (at < ends[numpy.maximum(part, 0)])
        before = part - 1  # parts overlap: the one before may hold the position too
        also = (before >= 0) & (at < ends[numpy.maximum(before, 0)])
        pairs = numpy.unique(numpy.concatenate([part[inside] * len(tokens) + token[inside],
                                                before[also] * len(tokens) + token[also]]))
        totals = numpy.bincount(pairs // len(tokens), weights=weight[pairs % len(tokens)],
                                minlength=len(parts))
        return [float(v) for v in totals]

    def _places(self, text: Tokens) -> tuple[dict[str, list[tuple[str, int]]],
                                              dict[str, list[str]]]:
        """One automaton pass over *text*'s distinct tokens: each anchor's places (token,
        offset) at a word start, and the tokens that hold each needle."""
        places: dict[str, list[tuple[str, int]]] = {}
        holders: dict[str, list[str]] = {}
        joined = text.joined
        for end, (literal, anchor, needle) in self.automaton.iter(joined):
            start = end - len(literal) + 1
            # at a word start in the joined tokens is at a word start in the token ("\n" between)
            starts_word = anchor and word_start(joined, start)
            if not (starts_word or needle):
                continue  # most hits: an anchor inside a word
            token, offset = text.at(start)
            if starts_word:
                places.setdefault(literal, []).append((token, offset))
            if needle:
                holders.setdefault(literal, []).append(token)
        return places, holders

    def scan(self, folded: str) -> Scan:
        """One automaton pass over *folded* text's distinct tokens: what :meth:`hits` and
        :meth:`spread` read the text through."""
        text = Tokens(folded)
        places, holders = self._places(text)
        digits = ([text.at(m.start()) for m in WORD_DIGIT.finditer(text.joined)]
                  if self.digit_first else [])
        text.index([t for where in places.values() for t, _ in where]
                   + [t for tokens in holders.values() for t in tokens] + [t for t, _ in digits])
        return Scan(folded, text, places, holders, digits)

    def hits(self, scan: Scan | str) -> dict[int, tuple[int, int]]:
        """The first match (start, end) of every cue found in a folded text (or its
        :meth:`scan`), by cue index.

        Each cue counts once per document, at its first match. The text's distinct tokens go
        once through an Aho–Corasick automaton of every cue's literal anchor and needle
        (pyahocorasick: 3,000 such patterns over 1.1 MB took 0.03 s here, where one
        alternation of them took 0.3 s and dropped overlapping hits, docs/measurements.md).
        Stems are then decided on tokens without a regex: a one-word stem matches wherever
        its anchor starts a word, a longer one where the tokens that follow start with its
        other words. A regex cue is tried where its anchor stands, or around its needles, or
        at the digits that start words when its match starts with one.
        """
        if isinstance(scan, str):
            scan = self.scan(scan)
        folded, text, places, holders = scan.folded, scan.tokens, scan.places, scan.holders
        digits = scan.digits
        found: dict[int, tuple[int, int]] = {}
        for anchor, where in places.items():
            ordered: list[int] | None = None  # the anchor's positions in text order
            # where the anchor, as a stem's first word, runs to its token's end
            ends = [(token, offset) for token, offset in where
                    if WORDISH.match(token, offset + len(anchor)).end() == len(token)]
            for i in self.anchored[anchor]:
                cue = self.cues[i]
                if cue.words:
                    span = text.stem(cue.words, cue.key, where, ends)
                else:
                    if ordered is None:
                        ordered = text.positions(where)
                    span = _first_match(cue.pattern, folded, ordered)
                if span is not None:
                    found[i] = span
        # An anchor with a space in it ("в целом по"): its first word must be among the tokens.
        for anchor in self.spaced:
            if anchor.split(None, 1)[0] not in text.present or anchor not in folded:
                continue
            for i in self.anchored[anchor]:
                for hit in self.cues[i].search.finditer(folded):
                    if word_start(folded, hit.start()):
                        found[i] = (hit.start(), hit.end())
                        break
        digit_starts: list[int] | None = None  # word starts with a digit, in text order
        for i, needles in self.anywhere:
            pattern = self.cues[i].pattern
            if needles is None:
                if i in self.digit_first:
                    if digit_starts is None:
                        digit_starts = text.positions(digits)
                    span = _first_match(pattern, folded, digit_starts)
                else:
                    hit = pattern.search(folded)
                    span = hit.span() if hit else None
            else:
                # Every match contains one of the needles: look only around the tokens that
                # hold one (or, for a needle with a space, its occurrences), windows merged.
                span = None
                for lo, hi in text.windows(needles, holders):
                    hit = pattern.search(folded, lo, hi)
                    if hit:
                        span = hit.span()
                        break
            if span is not None:
                found[i] = span
        return {twin: span for i, span in found.items() for twin in self.same[i]}


def _first_match(pattern: re.Pattern[str], text: str, positions: list[int]
                 ) -> tuple[int, int] | None:
    for at in positions:
        hit = pattern.match(text, at)
        if hit:
            return hit.span()
    return None
