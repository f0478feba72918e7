"""Declassification stamps through heavy OCR noise (``patterns/ocr-noise.yaml``).

On text read by OCR a mark already takes one letter missing, doubled or misread
(:func:`qupia.markings.patterns.fuzzy_forms`). A declassification stamp is often the faintest
ink on a scanned page, and Tesseract misreads more of it ("ГРИФ СНЯТ" read "тРМФ смят"); lost,
it leaves the older mark standing and the scan gets a false QP201 that the same document as
text does not. Here its phrases are matched again with the letters Tesseract confuses taken as
one, plus a few other errors, and a match counts only where a stamp would be: on a short line,
beside its basis (an act, a protocol, a decision, on its line or the next two) or in a box, the
header or the footer. What is found then goes through the same stamp-or-mention test as any
mark.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import regex

from qupia.markings.patterns import Pack
from qupia.model import Region
from qupia.text.fold import HOMOGLYPHS, fold
from qupia.text.patterns import PatternError, load_yaml, patterns_dir

NAME = "ocr-noise.yaml"


def _schema() -> Any:
    """The file's schema (pydantic is imported only when OCR'd text is first matched: a
    text document's check never loads it)."""
    from pydantic import BaseModel, ConfigDict, Field

    class Stamp(BaseModel):
        model_config = ConfigDict(extra="forbid")
        form: str
        phrase: str = Field(min_length=4)
        errors: int = Field(ge=0, le=4)

    class Spec(BaseModel):
        model_config = ConfigDict(extra="forbid")
        schema_: str = Field(alias="schema", pattern=r"^qupia-ocr-noise/1$")
        confusions: list[str]
        stamps: list[Stamp]
        basis: list[str]
        max_words: int = Field(ge=0, le=20)

    return Spec


@dataclass(frozen=True)
class Noise:
    """The compiled file: a letter map (each confusion group to its first letter, Latin
    look-alikes to Cyrillic) and the stamps' patterns on text mapped so."""

    table: dict[int, str]
    stamps: tuple[tuple[str, regex.Pattern[str]], ...]  # (form id, pattern)
    basis: regex.Pattern[str]
    max_words: int


@functools.cache
def load(path: str | None = None) -> Noise:
    """The compiled ``ocr-noise.yaml`` (from the pattern folder unless *path*)."""
    file = Path(path) if path else patterns_dir() / NAME
    try:
        spec = _schema().model_validate(load_yaml(file.read_text(encoding="utf-8")))
    except Exception as exc:  # unreadable, not YAML, not the schema: one reason
        raise PatternError(f"{file}: {str(exc).splitlines()[0]}") from None
    table = {ord(latin): cyr for cyr, latin in HOMOGLYPHS.items()}
    for group in spec.confusions:
        folded = fold(group)
        for ch in folded:
            table[ord(ch)] = folded[0]
    stamps = []
    for stamp in spec.stamps:
        words = [_canon(w, table) for w in fold(stamp.phrase).split()]
        body = r"\s*".join(regex.escape(w) for w in words)
        stamps.append((stamp.form, regex.compile(
            rf"(?<!\w)(?:{body}){{e<={stamp.errors}}}(?!\w)", regex.BESTMATCH)))
    basis = regex.compile("|".join(f"(?:{fold(b)})" for b in spec.basis))
    return Noise(table, tuple(stamps), basis, spec.max_words)


def _canon(text: str, table: dict[int, str]) -> str:
    return text.translate(table)


_FRAMED = (Region.TEXTBOX, Region.HEADER, Region.FOOTER)


def near_stamps(pack: Pack, folded: str, region: Region) -> list[tuple[int, int, int]]:
    """(start, end, form index into ``pack.forms``) of each declassification stamp in the
    folded text of an OCR'd page region, read through the noise ``ocr-noise.yaml`` allows.
    Spans do not overlap; exact matches are the caller's to prefer."""
    noise = load()
    index = {form.id: i for i, form in enumerate(pack.forms)}
    canon = _canon(folded, noise.table)  # as long as *folded*: offsets are shared
    lines = folded.split("\n")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    found: list[tuple[int, int, int]] = []
    for form_id, pattern in noise.stamps:
        if form_id not in index:
            continue
        for m in pattern.finditer(canon):
            a, b = m.span()
            if any(a < e and s < b for s, e, _ in found):
                continue
            n = canon.count("\n", 0, a)
            line = lines[n]
            rest = line[: a - starts[n]] + " " + line[b - starts[n]:]
            if len(regex.findall(r"\w+", rest)) > noise.max_words:
                continue
            near = "\n".join(lines[n : n + 3])
            if region not in _FRAMED and not any(
                    noise.basis.fullmatch(w) for w in regex.findall(r"\w+", near)):
                continue
            found.append((a, b, index[form_id]))
    return sorted(found)
