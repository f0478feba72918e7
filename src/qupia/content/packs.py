"""Load, validate and compile the category packs ``patterns/categories/art*.yaml``.

Format: ``patterns/categories/FORMAT.md``. Every cue of every item becomes a pattern over
folded text (:mod:`qupia.markings.fold`), compiled on first use. Each cue's literal anchor goes
into one Aho–Corasick automaton; :meth:`Packs.hits` finds the anchors at word starts among the
document's distinct tokens and tries each cue only there, so overlapping cues are all counted
(one regex alternation reports one match per position and drops the rest: MEASURED.md).
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import ahocorasick
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from qupia.markings.fold import fold, fold_regex
from qupia.markings.patterns import PatternError, load_yaml, patterns_dir

_TOKEN = re.compile(r"\S+")
WINDOW = 160  # characters around a needle in which a needle-bearing cue is searched for
ITEM = r"^(1[1-4])\.\d+(-1)?$|^17\.1\.(?:[1-9]|1[01])$"


class CueSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
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
    model_config = ConfigDict(extra="forbid")
    item: str = Field(pattern=ITEM)
    title: str
    level: Literal["special-importance", "top-secret", "secret"] | None = None
    cues: list[CueSpec] = Field(min_length=1)
    exceptions: list[CueSpec] = []


class PackSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    schema_: Literal["qupia-categories/1"] = Field(alias="schema")
    article: Literal["11", "12", "13", "14", "17"]
    items: list[ItemSpec] = Field(min_length=1)


@functools.cache
def _regex(source: str) -> re.Pattern[str]:
    return re.compile(source)


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
    automaton: Any  # ahocorasick.Automaton over anchors without spaces: anchor → (anchor, ())
    anchored: dict[str, tuple[int, ...]]  # literal anchor → indices of the cues it starts
    spaced: tuple[str, ...]  # anchors with a space inside: looked for in the text itself
    # regex cues with no literal anchor: (index, literals one of which every match contains,
    # or None), searched in full when one of those literals is in the text
    anywhere: tuple[tuple[int, frozenset[str] | None], ...]
    # cue index → every cue with the same pattern (items share cues): matched once for all
    same: dict[int, tuple[int, ...]]

    def article(self, item: str) -> str:
        return item.split(".", 1)[0]

    def hits(self, folded: str) -> dict[int, tuple[int, int]]:
        """The first match (start, end) of every cue found in *folded* text, by cue index.

        Each cue counts once per document, so only its first match is looked for. The text's
        distinct tokens go once through an Aho–Corasick automaton of every cue's literal anchor
        (pyahocorasick: 3,000 such patterns over 1.1 MB took 0.03 s here, where one
        alternation of them took 0.3 s and dropped overlapping hits, ../shared/MEASURED.md);
        a cue is then tried only where a token with its anchor at a word start stands, and
        only until it matches.
        """
        tokens: dict[str, list[int]] = {}
        for m in _TOKEN.finditer(folded):
            tokens.setdefault(m.group(), []).append(m.start())
        unique = list(tokens)
        joined = "\n".join(unique)
        offsets = list(itertools.accumulate((len(t) + 1 for t in unique[:-1]), initial=0))
        places: dict[str, list[tuple[str, int]]] = {}
        for end, (anchor, _) in self.automaton.iter(joined):
            start = end - len(anchor) + 1
            if _word_start(joined, start):
                k = bisect.bisect_right(offsets, start) - 1
                places.setdefault(anchor, []).append((unique[k], start - offsets[k]))
        found: dict[int, tuple[int, int]] = {}
        for anchor, where in places.items():
            waiting = {i: self.cues[i].pattern for i in self.anchored[anchor] if i not in found}
            for token, offset in where:
                for pos in tokens[token]:
                    at = pos + offset
                    for i, pattern in tuple(waiting.items()):
                        hit = pattern.match(folded, at)
                        if hit:
                            found[i] = (at, hit.end())
                            del waiting[i]
                    if not waiting:
                        break
                if not waiting:
                    break
        # An anchor with a space in it ("в целом по"): its first word must be among the tokens.
        for anchor in self.spaced:
            if anchor.split(None, 1)[0] not in tokens or anchor not in folded:
                continue
            for i in self.anchored[anchor]:
                if i in found:
                    continue
                for hit in self.cues[i].search.finditer(folded):
                    if _word_start(folded, hit.start()):
                        found[i] = (hit.start(), hit.end())
                        break
        for i, needles in self.anywhere:
            if needles is None:
                hit = self.cues[i].pattern.search(folded)
                if hit:
                    found[i] = (hit.start(), hit.end())
                continue
            # Every match contains one of the needles: look only around their occurrences,
            # neighbouring windows merged.
            for lo, hi in _windows(folded, needles):
                hit = self.cues[i].pattern.search(folded, lo, hi)
                if hit:
                    found[i] = (hit.start(), hit.end())
                    break
        return {twin: span for i, span in found.items() for twin in self.same[i]}


def _windows(text: str, needles: frozenset[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for needle in needles:
        pos = text.find(needle)
        while pos >= 0:
            spans.append((max(0, pos - WINDOW), pos + len(needle) + WINDOW))
            pos = text.find(needle, pos + 1)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def _word_start(text: str, pos: int) -> bool:
    return pos == 0 or not (text[pos - 1].isalnum() or text[pos - 1] == "_")


def stem_regex(stems: str) -> str:
    """A stem of one or more words: each word a prefix of the word in the text."""
    words = [re.escape(w) for w in fold(stems).split()]
    return r"\s+".join(w + r"[\w-]*" for w in words)


def _line(text: str, needle: str) -> int:
    pos = text.find(needle)
    return text.count("\n", 0, pos) + 1 if pos >= 0 else 0


def split_branches(source: str) -> list[str]:
    """The top-level alternatives of a regex (``a|b(c|d)`` → ``a``, ``b(c|d)``), so that each
    gets its own literal anchor."""
    parts, depth, in_class, escaped, start = [], 0, False, False, 0
    for i, ch in enumerate(source):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            parts.append(source[start:i])
            start = i + 1
    parts.append(source[start:])
    return parts


def _compile(cue: CueSpec, item: str, exception: bool, where: str, group: str = ""
             ) -> list[Cue]:
    sources = [(s, stem_regex(s)) for s in cue.stems] or [
        (cue.regex or "", branch) for branch in split_branches(fold_regex(cue.regex or ""))]
    out = []
    for label, src in sources:
        if cue.stems:  # escaped words: always valid; the first word is the literal anchor
            first = src.split("[", 1)[0].replace("\\", "")
            anchors = frozenset({first}) if len(first) >= 2 else None
        else:
            try:
                re.compile(src)  # validated at load, so a bad pack fails before any file
            except re.error as exc:
                raise PatternError(f"{where}: item {item}: bad cue {label!r}: {exc}") from None
            found = literal_prefixes(src)
            anchors = frozenset(found) if found else None
        out.append(Cue(item, cue.weight, label, src, exception, group or label, anchors))
    return out


def load_packs(directory: Path | None = None) -> Packs:
    return _load(str(directory or patterns_dir() / "categories"))


@functools.lru_cache(maxsize=4)
def _load(directory: str) -> Packs:
    items: dict[str, ItemSpec] = {}
    cues: list[Cue] = []
    files = sorted(Path(directory).glob("art*.yaml"))
    if not files:
        raise PatternError(f"{directory}: no category packs (art*.yaml)")
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
    automaton = ahocorasick.Automaton()
    anchored: dict[str, list[int]] = {}
    anywhere: list[tuple[int, frozenset[str] | None]] = []
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
            continue
        for anchor in anchors:
            anchored.setdefault(anchor, []).append(index)
    spaced = tuple(a for a in anchored if any(ch.isspace() for ch in a))
    for anchor in anchored:
        if anchor not in spaced:
            automaton.add_word(anchor, (anchor, ()))
    if len(automaton):
        automaton.make_automaton()
    return Packs(items=items, cues=tuple(cues), automaton=automaton,
                 anchored={a: tuple(v) for a, v in anchored.items()}, spaced=spaced,
                 anywhere=tuple(anywhere), same={k: tuple(v) for k, v in same.items()})


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
