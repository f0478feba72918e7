"""Load, validate and compile ``patterns/markings.yaml`` (schema ``qupia-markings/1``,
:mod:`qupia.markings.schema`) into a :class:`Pack`.

A mistake in the pattern pack is reported with the file and the line of the offending entry.
The pack is compiled once and kept in the user cache (:mod:`qupia.cache`); it holds plain
dataclasses, so loading it from there imports neither PyYAML nor pydantic.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import regex

from qupia.model import Level
from qupia.text.fold import DIGIT_GLYPHS, HOMOGLYPHS, INVISIBLE, fold, fold_regex
from qupia.text.patterns import PatternError, literal_first, load_yaml, patterns_dir

if TYPE_CHECKING:
    from qupia.markings.schema import FormSpec, MergedColumnSpec

@dataclass(frozen=True)
class Form:
    """A marking form of the pack, as validated (:class:`~qupia.markings.schema.FormSpec`)."""

    id: str
    kind: str  # legal, limited, declassified, legacy, nonstandard
    level: Level | None
    maps_to: Level | None
    era: str | None  # "soviet" or None
    lang: str
    context: str  # "stamp" or "number"
    phrases: tuple[str, ...]
    regex: tuple[str, ...]
    stands_with: tuple[str, ...]  # forms this one completes as one stamp (not inconsistent)
    stands_with_before_law: tuple[str, ...] = ()  # the same on a document older than the law


@dataclass(frozen=True)
class MergedColumn:
    """When a stamp at the end of a line whose left part is another column stands as a stamp
    (:class:`~qupia.markings.schema.MergedColumnSpec`, whose defaults these are)."""

    max_words_before: int = 6
    max_line: int = 6
    refuse: tuple[str, ...] = ()
    addressee: tuple[str, ...] = ()
    max_words_addressee: int = 12
    max_words_title: int = 16


@dataclass(frozen=True, eq=False)  # hashed by identity: compiled once per process
class Pack:
    """The compiled pattern pack."""

    forms: tuple[Form, ...]
    matcher: re.Pattern[str]  # every form; group "f<i>_<n>" is forms[i] (form_index)
    stamp_word: regex.Pattern[str]
    label: regex.Pattern[str]
    mention_before: regex.Pattern[str]
    mention_after: regex.Pattern[str]
    declass_word: regex.Pattern[str]
    document_word: regex.Pattern[str]
    requisites: dict[str, tuple[regex.Pattern[str], ...]]
    months: tuple[tuple[int, str], ...]  # (month, folded stem regex)
    merged: MergedColumn = field(default_factory=MergedColumn)  # a stamp on a merged line
    merged_refuse: regex.Pattern[str] | None = None  # words that stop that reading
    merged_addressee: regex.Pattern[str] | None = None  # first words of an addressee line
    #: (form index, pattern) allowing one missing, doubled or misread letter: run on text read
    #: by OCR only (:func:`fuzzy_forms`)
    fuzzy: tuple[tuple[int, regex.Pattern[str], str], ...] = ()  # and the phrase's letters


def phrase_regex(phrase: str) -> str:
    """A folded phrase as a regex: flexible gaps between words, between letters too."""
    first, rest = _phrase_parts(phrase)
    return first + rest


def _phrase_parts(phrase: str) -> tuple[str, str]:
    """:func:`phrase_regex` cut after its first letter: (that letter's class, the rest)."""
    gap_letter = f"[ {INVISIBLE}']?"
    parts = []
    for word in fold(phrase).split():
        letters = []
        for ch in word:
            if ch.isalpha():
                alt = HOMOGLYPHS.get(ch, "") + DIGIT_GLYPHS.get(ch, "")
                letters.append(f"[{ch}{alt}]" if alt else regex.escape(ch))
            else:
                letters.append(regex.escape(ch))
        parts.append(gap_letter.join(letters))
    body = r"[\s\-/]*".join(parts)
    first = (body[: body.index("]") + 1] if body.startswith("[")
             else body[:2] if body.startswith("\\") else body[:1])
    return first, rf"{body[len(first):]}(?!\w)"


def _matcher(alternatives: list[tuple[int, str, tuple[str, str] | None]]) -> re.Pattern[str]:
    """One pattern for every form. Group ``f<i>_<n>`` is an alternative of ``forms[i]``.

    Longer alternatives come first, so "совершенно секретно" wins over "секретно" at one
    position. Where every alternative can be cut after a first character (class), they are
    grouped by it behind one character class of all first characters, and within a group by
    their second character: Python's re then skips in C every position that cannot start a
    mark and, where one can, tries a few second characters, not a hundred alternatives
    (bench/: 37 → 12 ms for 100 pages). Else one alternation.
    """
    ordered = sorted(alternatives, key=lambda a: -len(a[1]))
    if any(cut is None for _, _, cut in ordered):
        body = "|".join(f"(?P<f{i}_{n}>{src})" for n, (i, src, _) in enumerate(ordered))
        return re.compile(rf"(?<!\w)(?:{body})")
    # first character → second character (with the gap before it) → the rests, in order
    groups: dict[str, dict[str | int, list[str]]] = {}
    for n, (i, _, cut) in enumerate(ordered):
        first, rest = cut  # type: ignore[misc]
        second = _second(rest)
        key: str | int = second[0] if second else n  # an uncut rest stands alone
        tail = second[1] if second else rest
        groups.setdefault(first, {}).setdefault(key, []).append(f"(?P<f{i}_{n}>{tail})")
    letters = "".join(sorted({ch for first in groups for ch in (
        first[1:-1] if first.startswith("[") else first.removeprefix("\\"))}))
    body = "|".join(
        f"(?<={first})(?:"
        + "|".join(f"{key if isinstance(key, str) else ''}(?:{'|'.join(tails)})"
                   for key, tails in seconds.items())
        + ")"
        for first, seconds in groups.items())
    # the first character, not preceded by a word character; then its group
    return re.compile(rf"[{re.escape(letters)}](?<!\w.)(?:{body})")


def _second(rest: str) -> tuple[str, str] | None:
    """A rest of :func:`_matcher` cut after its next character (class), with the optional
    letter gap before it: (that prefix, the remainder), or None when it does not start so."""
    gap = f"[ {INVISIBLE}']?"
    head = gap if rest.startswith(gap) else ""
    tail = rest[len(head):]
    if tail.startswith("[") and "]" in tail[1:]:
        end = tail.index("]", 1) + 1
    elif tail.startswith("\\") and len(tail) > 1:
        end = 2
    elif tail and tail[0] not in "()|.*+?{}^$[":
        end = 1
    else:
        return None
    if tail[end : end + 1] in ("*", "+", "?", "{"):
        return None
    return head + tail[:end], tail[end:]


FUZZY_KINDS = ("legal", "nonstandard", "declassified", "legacy")
FUZZY_MIN_LETTERS = 6  # shorter phrases ("құпия", "ДСП") are too near ordinary words


def fuzzy_forms(forms: tuple[Form, ...]) -> tuple[tuple[int, regex.Pattern[str], str], ...]:
    """Each phrase of a stamp form as a pattern that also takes one letter missing, doubled or
    misread (OCR noise: "СЕКРЕЕТНО", "СЕКРТНО", "СОВЕРШЕНН0 СЕКРЕТНО"). Only phrases of at
    least six letters: one error in "құпия" makes ordinary words."""
    out = []
    for index, form in enumerate(forms):
        if form.kind not in FUZZY_KINDS:
            continue
        for phrase in form.phrases:
            if sum(ch.isalpha() for ch in phrase) < FUZZY_MIN_LETTERS:
                continue
            body = phrase_regex(phrase).removesuffix("(?!\\w)")
            out.append((index, regex.compile(rf"(?<!\w)(?:{body}){{e<=1}}(?!\w)",
                                             regex.BESTMATCH), letters(fold(phrase))))
    return tuple(out)


def letters(text: str) -> str:
    return "".join(ch for ch in text if ch.isalpha())


def form_index(match: re.Match[str]) -> int:
    """Which form (index into ``Pack.forms``) a match of ``Pack.matcher`` is."""
    return int((match.lastgroup or "f0_0")[1:].split("_", 1)[0])


def _words(items: list[str]) -> regex.Pattern[str]:
    alternation = "|".join(f"(?:{fold_regex(i)})" for i in items)
    return regex.compile(rf"^(?:{alternation})$")


def _line_of(text: str, needle: str) -> int:
    pos = text.find(needle)
    return text.count("\n", 0, pos) + 1 if pos >= 0 else 0


def load(path: Path | None = None) -> Pack:
    path = path or patterns_dir() / "markings.yaml"
    return _load(str(path))


@functools.lru_cache(maxsize=4)
def _load(path_str: str) -> Pack:
    """The compiled pack: from the user cache (:mod:`qupia.cache`) when the pattern file and
    the code that compiles it are unchanged, else compiled and stored there."""
    from qupia import cache

    path = Path(path_str)
    here = Path(__file__).parent
    code = [here / "patterns.py", here / "schema.py", here.parent / "text" / "fold.py",
            here.parent / "text" / "patterns.py"]
    try:
        return cache.cached("markings", [path, *code],
                            lambda: _compile_pack(path))
    except OSError as exc:
        raise PatternError(f"{path}: cannot read: {exc.strerror}") from None


def _form(spec: FormSpec) -> Form:
    return Form(spec.id, spec.kind, spec.level, spec.maps_to, spec.era, spec.lang, spec.context,
                tuple(spec.phrases), tuple(spec.regex), tuple(spec.stands_with),
                tuple(spec.stands_with_before_law))


def _merged(spec: MergedColumnSpec) -> MergedColumn:
    return MergedColumn(spec.max_words_before, spec.max_line, tuple(spec.refuse),
                        tuple(spec.addressee), spec.max_words_addressee, spec.max_words_title)


def _compile_pack(path: Path) -> Pack:
    import yaml
    from pydantic import ValidationError

    from qupia.markings.schema import MarkPackSpec

    try:
        raw_text = path.read_text(encoding="utf-8")
        raw = load_yaml(raw_text)
    except OSError as exc:
        raise PatternError(f"{path}: cannot read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise PatternError(f"{path}{where}: not valid YAML: {exc}") from None
    try:
        spec = MarkPackSpec.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = err["loc"]
        line = 0
        if len(loc) >= 2 and loc[0] == "forms" and isinstance(loc[1], int):
            form_id = (raw.get("forms") or [{}])[loc[1]].get("id", "")
            line = _line_of(raw_text, f"id: {form_id}") if form_id else 0
        where = f":{line}" if line else ""
        dotted = ".".join(str(x) for x in loc)
        raise PatternError(f"{path}{where}: {dotted}: {err['msg']}") from None
    ids = [f.id for f in spec.forms]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise PatternError(f"{path}: duplicate form ids: {', '.join(sorted(dupes))}")
    unknown = {w for f in spec.forms for w in (*f.stands_with, *f.stands_with_before_law)} \
        - set(ids)
    if unknown:
        raise PatternError(f"{path}: stands_with names unknown forms: "
                           f"{', '.join(sorted(unknown))}")

    alternatives: list[tuple[int, str, tuple[str, str] | None]] = []
    for index, form in enumerate(spec.forms):
        sources = [(phrase_regex(p), _phrase_parts(p)) for p in form.phrases]
        sources += [(f"(?:{fold_regex(r)})", literal_first(fold_regex(r))) for r in form.regex]
        for src, cut in sources:
            try:
                re.compile(src)
            except re.error as exc:
                line = _line_of(raw_text, f"id: {form.id}")
                raise PatternError(f"{path}:{line}: form {form.id}: bad regex: {exc}") from None
            alternatives.append((index, src, cut))
    matcher = _matcher(alternatives)
    reqs: dict[str, tuple[regex.Pattern[str], ...]] = {}
    for name, items in spec.requisites.model_dump(by_alias=True).items():
        try:
            reqs[name] = tuple(regex.compile(fold_regex(i)) for i in items)
        except regex.error as exc:
            raise PatternError(f"{path}: requisites.{name}: bad regex: {exc}") from None
    months = tuple(
        (month, fold_regex(stem)) for month, stems in spec.months.items() for stem in stems
    )
    forms = tuple(_form(f) for f in spec.forms)
    return Pack(
        forms=forms,
        matcher=matcher,
        stamp_word=_words(spec.stamp_words),
        label=regex.compile("|".join(f"(?:{fold_regex(i)})" for i in spec.label_words)),
        mention_before=_words(spec.mention_before),
        mention_after=_words(spec.mention_after),
        declass_word=_words(spec.declass_words),
        document_word=_words(spec.document_words),
        requisites=reqs,
        months=months,
        merged=_merged(spec.merged_column),
        merged_refuse=_words(spec.merged_column.refuse) if spec.merged_column.refuse else None,
        merged_addressee=(_words(spec.merged_column.addressee)
                          if spec.merged_column.addressee else None),
        fuzzy=fuzzy_forms(forms),
    )
