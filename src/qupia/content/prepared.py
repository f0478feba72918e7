"""A document's text as the content stage reads it: marks blanked, folded, block starts kept.

:func:`prepare` makes it; :func:`part` cuts a segment of it into a text of its own (a long
file's section), and :func:`without` blanks spans of it (quoted law). Offsets are kept
throughout, so evidence points back into the document.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from qupia.markings import Pack
from qupia.model import Document
from qupia.text.fold import fold, latin_to_cyrillic


@dataclass(frozen=True)
class Text:
    """A document's text with its marks blanked, folded, and where each block starts.

    ``cyrillic`` is the same text with Kazakh Latin letters written as Cyrillic ones (same
    offsets), made when a tenth or more of the letters are Latin: the classifier and the
    Cyrillic cues then read a Latin-script document too.
    """

    original: str
    folded: str
    starts: tuple[int, ...]
    doc: Document
    cyrillic: str | None = None

    @property
    def for_model(self) -> str:
        return self.cyrillic if self.cyrillic is not None else self.folded

    @property
    def readings(self) -> tuple[str, ...]:
        """The texts cues and signals are matched on: the folded text and, for Kazakh Latin,
        its Cyrillic reading (a Latin form matches the one, a Cyrillic form the other)."""
        return (self.folded,) if self.cyrillic is None else (self.folded, self.cyrillic)


LATIN = re.compile(r"[a-zäğıñöşūüáóúǵń]", re.IGNORECASE)
LETTER = re.compile(r"[^\W\d_]")


def blank(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """*text* with each span replaced by as many spaces (offsets kept)."""
    out = []
    last = 0
    for start, end in spans:
        start = max(start, last)
        out.append(text[last:start])
        out.append(" " * (end - start))
        last = end
    out.append(text[last:])
    return "".join(out)


def prepare(doc: Document, marks: Pack | None, folded_blocks: list[str] | None = None,
            spans: tuple[tuple[int, int], ...] | None = None) -> Text:
    """The document's text for the content stage. *folded_blocks* and *spans* come from the
    markings stage when it ran (:func:`qupia.text.fold.fold_blocks`, ``MarkingFacts.spans``),
    so nothing is folded or matched twice and *marks* is not needed (the check path passes
    None); without them they are made here, with *marks* (the model's training does so)."""
    parts = []
    starts = []
    pos = 0
    for block in doc.blocks:
        starts.append(pos)
        parts.append(block.text)
        pos += len(block.text) + 1
    original = "\n".join(parts)
    folded = "\n".join(folded_blocks) if folded_blocks is not None else fold(original)
    # Blank every mark and mention of one: the classifier must not learn the stamp.
    if spans is None:
        if marks is None:
            raise ValueError("prepare: neither the marks' spans nor the marks pack")
        spans = tuple(m.span() for m in marks.matcher.finditer(folded))
    cyrillic = None
    sample = original[:20_000]
    latin = sum(1 for _ in LATIN.finditer(sample))
    if latin and latin * 10 >= sum(1 for _ in LETTER.finditer(sample)):
        cyrillic = blank(fold(latin_to_cyrillic(original)), spans)
    return Text(original, blank(folded, spans), tuple(starts), doc, cyrillic)


def part(text: Text, start: int, end: int) -> Text:
    """A segment of *text* as a text of its own (spans in it are offsets from *start*). A
    Kazakh Latin part of a mostly Cyrillic file is read in Cyrillic too, as a Latin document
    is (:func:`prepare`)."""
    original, folded = text.original[start:end], text.folded[start:end]
    if text.cyrillic is not None:
        return Text(original, folded, (0,), text.doc, text.cyrillic[start:end])
    cyrillic = None
    latin = sum(1 for _ in LATIN.finditer(original))
    if latin and latin * 10 >= sum(1 for _ in LETTER.finditer(original)):
        # blanked where the folded text was blanked (its marks, quoted law)
        converted = fold(latin_to_cyrillic(original))
        cyrillic = "".join(" " if f == " " and o != " " else c
                           for c, f, o in zip(converted, folded, original, strict=True))
    return Text(original, folded, (0,), text.doc, cyrillic)


def rest(folded: str, spans: tuple[tuple[int, int], ...]) -> int:
    """Letters and digits of *folded* outside *spans*."""
    inside = sum(len(_LETTER_OR_DIGIT.findall(folded, a, b)) for a, b in spans)
    return len(_LETTER_OR_DIGIT.findall(folded)) - inside


def rest_at_most(folded: str, spans: tuple[tuple[int, int], ...], limit: int) -> bool:
    """Whether *folded* has at most *limit* letters and digits outside *spans* (sorted, not
    overlapping): :func:`rest` ``<= limit``, counted only until the limit is passed."""
    count = 0
    last = 0
    for start, end in (*spans, (len(folded), len(folded))):
        for _ in _LETTER_OR_DIGIT.finditer(folded, last, max(start, last)):
            count += 1
            if count > limit:
                return False
        last = max(last, end)
    return True


_LETTER_OR_DIGIT = re.compile(r"\w")


def without(text: Text, spans: tuple[tuple[int, int], ...]) -> Text:
    """*text* with *spans* blanked (offsets kept), or *text* itself when there are none."""
    if not spans:
        return text
    return Text(blank(text.original, spans), blank(text.folded, spans), text.starts, text.doc,
                blank(text.cyrillic, spans) if text.cyrillic is not None else None)


