"""Load, validate and compile the category packs ``patterns/categories/art*.yaml``.

Format: ``patterns/categories/FORMAT.md``. Every cue of every item becomes a pattern over
folded text (:mod:`qupia.markings.fold`), compiled on first use. Each cue's literal anchor goes
into one Aho–Corasick automaton; :meth:`Packs.hits` finds the anchors at word starts among the
document's distinct tokens and tries each cue only there, so overlapping cues are all counted
(one regex alternation reports one match per position and drops the rest: docs/measurements.md).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import ahocorasick
import numpy
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from qupia.markings.fold import fold, fold_regex
from qupia.markings.patterns import PatternError, load_yaml, patterns_dir, split_branches

_WORDISH = re.compile(r"[\w-]*")  # what a stem may be followed by inside its word
_WORD_DIGIT = re.compile(r"(?<!\w)\d")
# str.isspace of every character up to U+3000, the last whitespace one; none above it
_WHITESPACE = numpy.array([chr(c).isspace() for c in range(0x3001)] + [False])
WINDOW = 160  # characters around a needle in which a needle-bearing cue is searched for
ITEM = r"^(1[1-4])\.\d+(-1)?$|^17\.1\.(?:[1-9]|1[01])$"


class CueSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    stems: list[str] = []
    regex: str | None = None
    weight: float = Field(default=1.0, gt=0, le=5)

    @model_validator(mode="after")
    def _one_kind(self) -> CueSpec:
        if bool(self.stems) == bool(self.regex):
            raise ValueError("a cue has either stems or a regex")
        for stem in self.stems:
            if len(fold(stem).replace(" ", "")) < 3:
                raise ValueError(f"stem {stem!r} is shorter than 3 letters")
        return self


class ItemSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    item: str = Field(pattern=ITEM)
    title: str
    level: Literal["special-importance", "top-secret", "secret"] | None = None
    cues: list[CueSpec] = Field(min_length=1)
    exceptions: list[CueSpec] = []


class PackSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    schema_: Literal["qupia-categories/1"] = Field(alias="schema")
    article: Literal["11", "12", "13", "14", "17"]
    items: list[ItemSpec] = Field(min_length=1)


#: cue patterns compiled when the packs were built, loaded ready from the cache (:func:`_load`)
_READY: dict[str, re.Pattern[str]] = {}


@functools.cache
def _regex(source: str) -> re.Pattern[str]:
    ready = _READY.get(source)
    return ready if ready is not None else re.compile(source)


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


@dataclass(frozen=True, eq=False)
class Packs:
    items: dict[str, ItemSpec]  # item id → spec, every article
    cues: tuple[Cue, ...]
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
    # the last text hits() read, its tokens and anchor places: spread() on it reuses them
    memo: dict[str, Any] = field(default_factory=dict, repr=False)

    def article(self, item: str) -> str:
        return item.split(".", 1)[0]

    @functools.cached_property
    def anchor_weight(self) -> dict[str, float]:
        """Each literal anchor's weight: the heaviest cue (not an exception) it starts."""
        return {a: max((self.cues[i].weight for i in cues if not self.cues[i].exception),
                       default=0.0) for a, cues in self.anchored.items()}

    def spread(self, folded: str, parts: list[tuple[int, int]]) -> list[float]:
        """How much cue weight each of *parts* (start, end) of *folded* holds, roughly: for each
        distinct word in it that bears cue anchors at a word start, the heaviest cue weight of
        each anchor, summed. It reuses the tokens and anchors of the last :meth:`hits` on the
        same text (else one automaton pass), to choose which parts of a long document to read
        on their own."""
        last = self.memo.get("hits")
        if last is not None and last[0] is folded:  # hits() has just read this text
            text, places = last[1], last[2]
        else:
            text = _Tokens(folded)
            places, _ = self._places(text)
            text.index([t for where in places.values() for t, _ in where])
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

    def _places(self, text: _Tokens) -> tuple[dict[str, list[tuple[str, int]]],
                                              dict[str, list[str]]]:
        """One automaton pass over *text*'s distinct tokens: each anchor's places (token,
        offset) at a word start, and the tokens that hold each needle."""
        places: dict[str, list[tuple[str, int]]] = {}
        holders: dict[str, list[str]] = {}
        joined = text.joined
        for end, (literal, anchor, needle) in self.automaton.iter(joined):
            start = end - len(literal) + 1
            # at a word start in the joined tokens is at a word start in the token ("\n" between)
            starts_word = anchor and _word_start(joined, start)
            if not (starts_word or needle):
                continue  # most hits: an anchor inside a word
            token, offset = text.at(start)
            if starts_word:
                places.setdefault(literal, []).append((token, offset))
            if needle:
                holders.setdefault(literal, []).append(token)
        return places, holders

    def hits(self, folded: str) -> dict[int, tuple[int, int]]:
        """The first match (start, end) of every cue found in *folded* text, by cue index.

        Each cue counts once per document, at its first match. The text's distinct tokens go
        once through an Aho–Corasick automaton of every cue's literal anchor and needle
        (pyahocorasick: 3,000 such patterns over 1.1 MB took 0.03 s here, where one
        alternation of them took 0.3 s and dropped overlapping hits, docs/measurements.md).
        Stems are then decided on tokens without a regex: a one-word stem matches wherever
        its anchor starts a word, a longer one where the tokens that follow start with its
        other words. A regex cue is tried where its anchor stands, or around its needles, or
        at the digits that start words when its match starts with one.
        """
        text = _Tokens(folded)
        places, holders = self._places(text)
        digits = ([text.at(m.start()) for m in _WORD_DIGIT.finditer(text.joined)]
                  if self.digit_first else [])
        text.index([t for where in places.values() for t, _ in where]
                   + [t for tokens in holders.values() for t in tokens] + [t for t, _ in digits])
        self.memo["hits"] = (folded, text, places)  # for spread() on the same text
        found: dict[int, tuple[int, int]] = {}
        for anchor, where in places.items():
            ordered: list[int] | None = None  # the anchor's positions in text order
            # where the anchor, as a stem's first word, runs to its token's end
            ends = [(token, offset) for token, offset in where
                    if _WORDISH.match(token, offset + len(anchor)).end() == len(token)]
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
                    if _word_start(folded, hit.start()):
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


class _Tokens:
    """A text as its whitespace-separated tokens: each token's index and position, the
    distinct tokens joined by newlines (what the automaton reads), and, for the tokens asked
    for, where they occur and which distinct tokens follow them."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Tokens by str.split (C); their positions from a whitespace mask in numpy: a token
        # starts where a character is not whitespace and the one before it is.
        self.seq = text.split()
        codes = numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)
        space = _WHITESPACE[numpy.minimum(codes, len(_WHITESPACE) - 1)]
        start = ~space
        start[1:] &= space[:-1]
        self.pos = numpy.flatnonzero(start).tolist()
        if len(self.pos) != len(self.seq):  # cannot happen: str.split uses str.isspace
            raise AssertionError("token positions do not match the tokens")
        self.present = dict.fromkeys(self.seq)
        self.unique = [t for t in self.present if t]
        self.joined = "\n".join(self.unique)
        self.offsets = list(itertools.accumulate((len(t) + 1 for t in self.unique[:-1]),
                                                 initial=0))
        self.occurs: dict[str, list[int]] = {}
        self.following: dict[str, list[str]] = {}  # token → its next tokens, sorted

    def at(self, start: int) -> tuple[str, int]:
        """The distinct token at *start* in :attr:`joined`, and the offset in it."""
        k = bisect.bisect_right(self.offsets, start) - 1
        return self.unique[k], start - self.offsets[k]

    def index(self, tokens: list[str]) -> None:
        """Where each of *tokens* occurs (token indices), in one pass over the text."""
        occurs: dict[str, list[int]] = {t: [] for t in tokens}
        for j, token in enumerate(self.seq):
            if token in occurs:
                occurs[token].append(j)
        self.occurs = occurs

    def positions(self, where: list[tuple[str, int]]) -> list[int]:
        return sorted(self.pos[j] + offset for token, offset in where
                      for j in self.occurs[token])

    def after(self, token: str, prefix: str) -> int | None:
        """The first occurrence of *token* that a token starting with *prefix* follows."""
        nexts = self.following.get(token)
        if nexts is None:
            seq = self.seq
            nexts = self.following[token] = sorted(
                {seq[j + 1] for j in self.occurs[token] if j + 1 < len(seq)})
        k = bisect.bisect_left(nexts, prefix)
        if k == len(nexts) or not nexts[k].startswith(prefix):
            return None  # no such pair: the common case, decided by bisection
        for j in self.occurs[token]:
            if j + 1 < len(self.seq) and self.seq[j + 1].startswith(prefix):
                return j
        return None

    def stem(self, words: tuple[str, ...], key: int, where: list[tuple[str, int]],
             ends: list[tuple[str, int]]) -> tuple[int, int] | None:
        """The first match of a stem cue (:func:`stem_regex`) whose word *key* is at *where*;
        *ends*: the places of *where* at which the word runs to its token's end."""
        seq, pos = self.seq, self.pos
        if len(words) == 1:
            token, offset = min(where, key=lambda w: self.pos[self.occurs[w[0]][0]] + w[1])
            j = self.occurs[token][0]
            return pos[j] + offset, pos[j] + _WORDISH.match(token, offset).end()
        if key == 0:
            # the next token starts with the second word; for a longer stem that only says
            # where to look
            starts = [(j, offset) for token, offset in ends
                      if (j := self.after(token, words[1])) is not None]
            if not starts:
                return None
            if len(words) == 2:
                j, offset = min(starts)
                return (pos[j] + offset,
                        pos[j + 1] + _WORDISH.match(seq[j + 1], len(words[1])).end())
            tokens = {seq[j] for j, _ in starts}
            where = [(token, offset) for token, offset in where if token in tokens]
        for j, offset in sorted((j, offset) for token, offset in where
                                for j in self.occurs[token]):
            at = _stem_at(seq, j, offset, words, key)
            if at is not None:
                return pos[at[0]] + at[1], pos[at[2]] + at[3]
        return None

    def windows(self, needles: frozenset[str], holders: dict[str, list[str]]
                ) -> list[tuple[int, int]]:
        """Spans of the text around the needles' tokens (around the occurrences of a needle
        with a space in it), WINDOW characters either side, overlapping ones merged."""
        spans: list[tuple[int, int]] = []
        for needle in needles:
            if any(ch.isspace() for ch in needle):
                at = self.text.find(needle)
                while at >= 0:
                    spans.append((max(0, at - WINDOW), at + len(needle) + WINDOW))
                    at = self.text.find(needle, at + 1)
                continue
            for token in holders.get(needle, ()):
                for j in self.occurs[token]:
                    spans.append((max(0, self.pos[j] - WINDOW),
                                  self.pos[j] + len(token) + WINDOW))
        spans.sort()
        merged: list[tuple[int, int]] = []
        for lo, hi in spans:
            if merged and lo <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
            else:
                merged.append((lo, hi))
        return merged


def _stem_at(seq: list[str], j: int, offset: int, words: tuple[str, ...], key: int
             ) -> tuple[int, int, int, int] | None:
    """A stem of several words matched on tokens, its word *key* at token *j* (at *offset*):
    (first token, offset in it, last token, end in it), or None. As :func:`stem_regex`: each
    word a prefix of its token, every word but the last running to its token's end."""
    first, last = j - key, j - key + len(words) - 1
    if first < 0 or last >= len(seq) or (key and offset):
        return None
    token = seq[first]
    if key:
        start = token.find(words[0])
        while start >= 0 and not (_word_start(token, start) and _WORDISH.match(
                token, start + len(words[0])).end() == len(token)):
            start = token.find(words[0], start + 1)
        if start < 0:
            return None
    else:
        start = offset
        if _WORDISH.match(token, start + len(words[0])).end() != len(token):
            return None
    for k in range(1, len(words)):
        token = seq[first + k]
        if not token.startswith(words[k]) or (
                k < len(words) - 1 and _WORDISH.match(token, len(words[k])).end() != len(token)):
            return None
    return first, start, last, _WORDISH.match(seq[last], len(words[-1])).end()


def _word_start(text: str, pos: int) -> bool:
    return pos == 0 or not (text[pos - 1].isalnum() or text[pos - 1] == "_")


def stem_regex(stems: str) -> str:
    """A stem of one or more words: each word a prefix of the word in the text."""
    words = [re.escape(w) for w in fold(stems).split()]
    return r"\s+".join(w + r"[\w-]*" for w in words)


def _line(text: str, needle: str) -> int:
    pos = text.find(needle)
    return text.count("\n", 0, pos) + 1 if pos >= 0 else 0


def _compile(cue: CueSpec, item: str, exception: bool, where: str, group: str = ""
             ) -> list[Cue]:
    sources = [(s, stem_regex(s)) for s in cue.stems] or [
        (cue.regex or "", branch) for branch in split_branches(fold_regex(cue.regex or ""))]
    out = []
    for label, src in sources:
        words: tuple[str, ...] = ()
        key = 0
        if cue.stems:  # always valid; the first word of two letters or more is the anchor
            words = tuple(fold(label).split())
            key = next((k for k, w in enumerate(words) if len(w) >= 2), -1)
            anchors = frozenset({words[key]}) if key >= 0 else None
        else:
            try:
                re.compile(src)  # validated at load, so a bad pack fails before any file
            except re.error as exc:
                raise PatternError(f"{where}: item {item}: bad cue {label!r}: {exc}") from None
            found = literal_prefixes(src)
            anchors = frozenset(found) if found else None
        out.append(Cue(item, cue.weight, label, src, exception, group or label, anchors, words,
                       max(key, 0)))
    return out


def load_packs(directory: Path | None = None) -> Packs:
    return _load(str(directory or patterns_dir() / "categories"))


@functools.lru_cache(maxsize=4)
def _load(directory: str) -> Packs:
    """The compiled packs: from the user cache (:mod:`qupia.cache`) when the pack files and
    the code that compiles them are unchanged, else compiled and stored there."""
    from qupia import cache

    files = sorted(Path(directory).glob("art*.yaml"))
    if not files:
        raise PatternError(f"{directory}: no category packs (art*.yaml)")
    here = Path(__file__).parent
    code = [here / "packs.py", here.parent / "markings" / "fold.py",
            here.parent / "markings" / "patterns.py"]
    packs = cache.cached("packs", [*files, *code], lambda: _compile_packs(files))
    _READY.update(packs.compiled)
    return packs


def _compile_packs(files: list[Path]) -> Packs:
    import yaml

    items: dict[str, ItemSpec] = {}
    cues: list[Cue] = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        try:
            raw = load_yaml(text)
            spec = PackSpec.model_validate(raw)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f":{mark.line + 1}" if mark else ""
            raise PatternError(f"{path}{where}: not valid YAML: {exc}") from None
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = err["loc"]
            line = 0
            if len(loc) >= 2 and loc[0] == "items" and isinstance(loc[1], int):
                try:
                    line = _line(text, f"item: \"{raw['items'][loc[1]]['item']}\"")
                except (KeyError, TypeError, IndexError):
                    line = 0
            dotted = ".".join(str(x) for x in loc)
            raise PatternError(f"{path}{f':{line}' if line else ''}: {dotted}: {err['msg']}"
                               ) from None
        for item in spec.items:
            where = f"{path}:{_line(text, item.item)}"
            if not item.item.startswith(spec.article + "."):
                raise PatternError(f"{where}: item {item.item} is not in article {spec.article}")
            if item.item in items:
                raise PatternError(f"{where}: item {item.item} defined twice")
            items[item.item] = item
            for n, cue in enumerate(item.cues):
                cues.extend(_compile(cue, item.item, False, where, f"{item.item}#{n}"))
            for n, cue in enumerate(item.exceptions):
                cues.extend(_compile(cue, item.item, True, where, f"{item.item}!{n}"))
    anchored: dict[str, list[int]] = {}
    anywhere: list[tuple[int, frozenset[str] | None]] = []
    digit_first: set[int] = set()
    first_of: dict[str, int] = {}
    same: dict[int, list[int]] = {}
    for index, cue in enumerate(cues):
        rep = first_of.setdefault(cue.source, index)
        same.setdefault(rep, []).append(index)
        if rep != index:
            continue  # matched through its twin
        anchors = cue.anchors
        if anchors is None:
            needles = required_literals(cue.source)
            anywhere.append((index, frozenset(needles) if needles else None))
            if not needles and _starts_with_digit(cue.source):
                digit_first.add(index)
            continue
        for anchor in anchors:
            anchored.setdefault(anchor, []).append(index)
    spaced = tuple(a for a in anchored if any(ch.isspace() for ch in a))
    literals: dict[str, tuple[bool, bool]] = {a: (True, False) for a in anchored
                                              if a not in spaced}
    for _, needles in anywhere:
        for needle in needles or ():
            if not any(ch.isspace() for ch in needle):
                literals[needle] = (literals.get(needle, (False, False))[0], True)
    automaton = ahocorasick.Automaton()
    for literal, (anchor, needle) in literals.items():
        automaton.add_word(literal, (literal, anchor, needle))
    if len(automaton):
        automaton.make_automaton()
    compiled = {p.pattern: p for cue in cues if not cue.words
                for p in (cue.pattern, cue.search)}
    return Packs(items=items, cues=tuple(cues), automaton=automaton,
                 anchored={a: tuple(v) for a, v in anchored.items()}, spaced=spaced,
                 anywhere=tuple(anywhere), same={k: tuple(v) for k, v in same.items()},
                 digit_first=frozenset(digit_first), compiled=compiled)


def _starts_with_digit(pattern: str) -> bool:
    """Whether every match of *pattern* starts with a digit (``\\d``, ``[0-9]``), read off
    Python's regex parse tree; assertions before it (``\\b``) are passed over."""
    from re import _constants as c
    from re import _parser as parser

    def first(seq: list) -> bool:
        for op, av in seq:
            if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
                continue
            if op is c.IN:
                return all((kind is c.CATEGORY and value is c.CATEGORY_DIGIT)
                           or (kind is c.RANGE and 48 <= value[0] <= value[1] <= 57)
                           or (kind is c.LITERAL and chr(value).isdigit())
                           for kind, value in av)
            if op is c.LITERAL:
                return chr(av).isdigit()
            if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
                return av[0] >= 1 and first(list(av[2]))
            if op is c.SUBPATTERN:
                return first(list(av[-1]))
            if op is c.BRANCH:
                return all(first(list(branch)) for branch in av[1])
            return False
        return False

    try:
        return first(list(parser.parse(pattern)))
    except Exception:
        return False


def literal_prefixes(pattern: str, limit: int = 64) -> set[str] | None:
    """Literal strings one of which every match of *pattern* starts with (at least two
    characters each), or None when the pattern can start otherwise (with ``\\d``, ``\\w``…).

    Read off Python's own regex parse tree (``re._parser``): literals, small character classes
    and alternations are followed; anything else ends the prefix.
    """
    from re import _constants as c
    from re import _parser as parser

    def walk(seq: list) -> tuple[set[str], bool]:  # (prefixes, may continue after)
        out = {""}
        for op, av in seq:
            if op in (c.ASSERT, c.ASSERT_NOT, c.AT):
                continue
            if op is c.LITERAL:
                out = {p + chr(av) for p in out}
                continue
            if op is c.IN and all(kind is c.LITERAL for kind, _ in av) and len(av) <= 4:
                out = {p + chr(v) for p in out for _, v in av}
            elif op is c.SUBPATTERN:
                sub, whole = walk(list(av[-1]))
                out = {p + q for p in out for q in sub}
                if whole:
                    continue
                return out, False
            elif op is c.BRANCH:
                sub = set()
                for branch in av[1]:
                    sub |= walk(list(branch))[0]
                return {p + q for p in out for q in sub}, False
            else:
                return out, False
            if len(out) > limit:
                return out, False
        return out, True

    try:
        found, _ = walk(list(parser.parse(pattern)))
    except Exception:  # an unusual construct: search for the cue everywhere
        return None
    if not found or len(found) > limit or any(len(p) < 2 for p in found):
        return None
    return found


def required_literals(pattern: str, shortest: int = 3) -> set[str] | None:
    """Literal strings one of which every match of *pattern* contains (each at least
    *shortest* characters, or a symbol such as "°" or "+"), or None when no such set can be
    read off the parse tree."""
    from re import _constants as c
    from re import _parser as parser

    def seq_literals(seq: list) -> set[str] | None:
        best: set[str] | None = None
        run = ""

        def consider(candidate: set[str] | None) -> None:
            nonlocal best
            if candidate and all(len(x) >= shortest or _rare(x) for x in candidate) and (
                best is None or min(map(len, candidate)) > min(map(len, best))
            ):
                best = candidate

        for op, av in seq:
            if op is c.LITERAL:
                run += chr(av)
                continue
            consider({run} if run else None)
            run = ""
            if op is c.SUBPATTERN:
                consider(seq_literals(list(av[-1])))
            elif op is c.BRANCH:
                parts = [seq_literals(list(branch)) for branch in av[1]]
                if all(parts):
                    consider(set().union(*parts))  # type: ignore[arg-type]
            elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and av[0] >= 1:
                consider(seq_literals(list(av[2])))
        consider({run} if run else None)
        return best

    try:
        return seq_literals(list(parser.parse(pattern)))
    except Exception:
        return None


def _rare(literal: str) -> bool:
    """A literal made of uncommon symbols only ("°", "+", "№"): rare enough to look for."""
    return bool(literal) and not any(ch.isalnum() or ch.isspace() or ch in _COMMON
                                     for ch in literal)


_COMMON = set(".,;:-/()\"'!?")
