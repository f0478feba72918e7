"""Load, validate and compile the category packs ``patterns/categories/art*.yaml``.

Format: ``patterns/categories/FORMAT.md``. Every cue of every item becomes one compiled
pattern over folded text (:mod:`qupia.markings.fold`); one combined alternation finds every
position where some cue starts, and the cues are then tried one by one at those positions only,
so overlapping cues are all counted (one alternation alone reports one match per position and
drops the rest: ../shared/MEASURED.md).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import ahocorasick
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from qupia.markings.fold import fold, fold_regex
from qupia.markings.patterns import PatternError, patterns_dir

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


@dataclass(frozen=True)
class Cue:
    """One compiled cue: which item it speaks for, its weight, what it looks like."""

    item: str
    weight: float
    label: str  # the stem or regex as written, for explanations
    pattern: re.Pattern[str]
    exception: bool = False
    group: str = ""  # the cue (one YAML entry) this stem belongs to: it counts once


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

    def article(self, item: str) -> str:
        return item.split(".", 1)[0]

    def hits(self, folded: str) -> dict[int, tuple[int, int]]:
        """The first match (start, end) of every cue found in *folded* text, by cue index.

        Each cue counts once per document, so only its first match is looked for. An
        Aho–Corasick automaton (pyahocorasick) over the document's distinct words finds which
        cues' literal anchors occur at a word start — 3,000 such patterns over 1.1 MB took
        0.03 s here, where one alternation of them took 0.3 s and dropped overlapping hits
        (../shared/MEASURED.md) — and only those cues are then tried in the text, at their
        anchor's occurrences, until they match.
        """
        words = "\n".join(set(folded.split()))
        present = {anchor for end, (anchor, _) in self.automaton.iter(words)
                   if _word_start(words, end - len(anchor) + 1)}
        present.update(a for a in self.spaced if a in folded)
        found: dict[int, tuple[int, int]] = {}
        for anchor in present:
            waiting = [i for i in self.anchored[anchor] if i not in found]
            pos = folded.find(anchor)
            while pos >= 0 and waiting:
                if _word_start(folded, pos):
                    for i in tuple(waiting):
                        hit = self.cues[i].pattern.match(folded, pos)
                        if hit:
                            found[i] = (pos, hit.end())
                            waiting.remove(i)
                pos = folded.find(anchor, pos + 1)
        for i, needles in self.anywhere:
            if needles is not None and not any(n in folded for n in needles):
                continue  # a literal every match must contain is absent
            hit = self.cues[i].pattern.search(folded)
            if hit:
                found[i] = (hit.start(), hit.end())
        return found


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
    sources = [(s, stem_regex(s)) for s in cue.stems] or [(cue.regex or "", fold_regex(cue.regex
                                                                                       or ""))]
    out = []
    for label, src in sources:
        try:
            pattern = re.compile(rf"(?<!\w)(?:{src})")
        except re.error as exc:
            raise PatternError(f"{where}: item {item}: bad cue {label!r}: {exc}") from None
        out.append(Cue(item, cue.weight, label, pattern, exception, group or label))
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
            raw = yaml.safe_load(text)
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
    for index, cue in enumerate(cues):
        anchors = literal_prefixes(cue.pattern.pattern)
        if anchors is None:
            needles = required_literals(cue.pattern.pattern)
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
                 anywhere=tuple(anywhere))


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
    """A literal made of symbols only ("°", "+", "/"): rare enough in text to look for."""
    return bool(literal) and not any(ch.isalnum() or ch.isspace() for ch in literal)
