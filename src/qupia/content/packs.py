"""Load, validate and compile the category packs ``patterns/categories/art*.yaml``.

Format: ``patterns/categories/FORMAT.md``; schema: :mod:`qupia.content.pack_schema`. Every cue
of every item becomes a pattern over folded text (:mod:`qupia.text.fold`), compiled on first
use; the compiled :class:`~qupia.content.matcher.Packs` match them. They are kept in the user
cache (:mod:`qupia.cache`), so a warm run neither reads the YAML nor validates it.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import TYPE_CHECKING

import ahocorasick

from qupia.content.matcher import Cue, CueList, Item, Packs, use_ready
from qupia.content.tokens import stem_regex
from qupia.text.fold import fold, fold_regex
from qupia.text.literals import literal_prefixes, required_literals, starts_with_digit
from qupia.text.patterns import PatternError, load_yaml, patterns_dir, split_branches

if TYPE_CHECKING:
    from qupia.content.pack_schema import CueSpec


def _line(text: str, needle: str) -> int:
    pos = text.find(needle)
    return text.count("\n", 0, pos) + 1 if pos >= 0 else 0


def compile_cue(cue: CueSpec, item: str, exception: bool, where: str, group: str = ""
             ) -> list[Cue]:
    """The cues of one YAML cue entry: one a stem, one a top-level alternative of a regex.
    A Russian stem with "ц" also matches it written "тс", and one with "э" written "е":
    Kazakh Latin writes the loanwords so (mobilizatsiia, epidemiologiialyq), and a Latin text
    is read in Cyrillic letter by letter (мобилизатсииа, епидемиологииалык), so "мобилизац"
    and "эпидеми" would miss it."""
    variants = {s.replace("ц", "тс").replace("э", "е") for s in cue.stems} - set(cue.stems)
    stems = [*cue.stems, *sorted(variants)]
    sources = [(s, stem_regex(s)) for s in stems] or [
        (cue.regex or "", branch) for branch in split_branches(fold_regex(cue.regex or ""))]
    out = []
    for label, src in sources:
        words: tuple[str, ...] = ()
        key = 0
        if stems:  # always valid; the first word of two letters or more is the anchor
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


def _written(cue: CueSpec) -> str:
    return " | ".join(cue.stems) if cue.stems else cue.regex or ""


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
    code = [here / name for name in ("packs.py", "matcher.py", "tokens.py", "pack_schema.py")]
    code += [here.parent / "text" / name for name in ("fold.py", "patterns.py", "literals.py")]
    packs = cache.cached("packs", [*files, *code], lambda: _compile_packs(files))
    use_ready(packs.compiled)
    return packs


def _compile_packs(files: list[Path]) -> Packs:
    import yaml
    from pydantic import ValidationError

    from qupia.content.pack_schema import CuePackSpec

    items: dict[str, Item] = {}
    cues: list[Cue] = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        try:
            raw = load_yaml(text)
            spec = CuePackSpec.model_validate(raw)
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
            items[item.item] = Item(item.item, item.title, item.level,
                                    tuple(_written(c) for c in item.cues),
                                    tuple(_written(c) for c in item.exceptions))
            for n, cue in enumerate(item.cues):
                cues.extend(compile_cue(cue, item.item, False, where, f"{item.item}#{n}"))
            for n, cue in enumerate(item.exceptions):
                cues.extend(compile_cue(cue, item.item, True, where, f"{item.item}!{n}"))
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
            if not needles and starts_with_digit(cue.source):
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
    packs = Packs(items=items, cues=CueList(cues), automaton=automaton,
                  anchored={a: tuple(v) for a, v in anchored.items()}, spaced=spaced,
                  anywhere=tuple(anywhere), same={k: tuple(v) for k, v in same.items()},
                  digit_first=frozenset(digit_first), compiled=compiled)
    # made now, so that the cache holds it (a cached property is pickled with the packs): else
    # every worker that meets a long text would unpickle nearly every cue to make it
    _ = packs.anchor_weight
    return packs
