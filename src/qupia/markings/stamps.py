"""A match of the marking pack: a stamp or a mention, and the marking it makes.

A match is a **marking** when it stands as a stamp does: alone on its line (or its segment of a
line — a run of three spaces or a tab separates the organisation's name on the left from the
stamp on the right), with at most requisites, form-field labels or other marks beside it. It is
a **mention** when prose stands beside it ("под грифом «Секретно»", "«құпия» белгісі қойылған",
"аса маңызды азаматтық өнімдер"), also when the prose is on the line before or after it (PDF
and extracted text break sentences across lines). On text read by OCR, near matches (one
letter missing, doubled or misread) are tried too (:func:`with_fuzzy`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, TypeVar

import regex

from qupia.markings.ocrnoise import near_stamps
from qupia.markings.patterns import Form, Pack, form_index, letters
from qupia.markings.streams import Stream, line_segment, next_line, prev_line, words_of
from qupia.model import LEGAL_LEVELS, Block, Level, Marking, Region

_TERMINAL = regex.compile(r'[.:;!?)"]\s*$')


def _residue(tokens: list[str], allowed: list[regex.Pattern[str]]) -> list[str]:
    return [t for t in tokens if not t.isdigit() and not any(a.match(t) for a in allowed)]


def _any_residue(tokens: list[str], stamp_word: regex.Pattern[str]) -> bool:
    """Whether :func:`_residue` of *tokens* with only *stamp_word* allowed is not empty
    (stops at the first such token: a mention's line holds many)."""
    match = stamp_word.match
    return any(not t.isdigit() and not match(t) for t in tokens)


def is_marking(
    pack: Pack, form: Form, stream: Stream, masked: str, start: int, end: int
) -> bool:
    lo, hi = line_segment(stream, start, end)
    before = pack.label.sub(lambda m: " " * len(m.group()), masked[lo:start])
    after = masked[end:hi]
    words_before, words_after = words_of(before), words_of(after)
    if form.kind == "declassified":
        extra = _residue(words_before + words_after, [pack.stamp_word, pack.declass_word])
        return len(extra) <= 2 and not _mention_cue(pack, masked, lo, hi, words_before,
                                                     words_after, declass=True)
    if form.context == "number":
        extra = _residue(words_before + words_after, [pack.stamp_word, pack.document_word])
        return len(extra) <= 3
    if _any_residue(words_before + words_after, pack.stamp_word) and not _merged_column(
            pack, stream, start, end, lo, words_before, words_after):
        return False
    if _mention_cue(pack, masked, lo, hi, words_before, words_after, declass=False):
        return False
    original = stream.text[start:end]
    if original == original.lower() and stream.region in (Region.BODY, Region.FOOTNOTE,
                                                          Region.COMMENT):
        # Stamps are written in capitals or capitalised; a lower-case mark on a line of its
        # own is a wrapped piece of a sentence unless the line before ends one.
        prev = prev_line(stream.folded, lo).strip()
        if prev and not _TERMINAL.search(prev) and len(words_of(prev)) > 3:
            return False
    return True


def _merged_column(pack: Pack, stream: Stream, start: int, end: int, lo: int,
                   words_before: list[str], words_after: list[str]) -> bool:
    """A stamp at the end of a line whose left part is another column of the form: the place
    or the addressee, merged into one line by a transcription or OCR ("Алма-Ата Совершенно
    секретно"). Capitalised, ending its line (requisites may follow), after a few words (more
    when they name an addressee, "Начальнику …", or a document, "Выписка из протокола …"), on
    one of the first lines of its page region, not in quotes or after punctuation."""
    if _any_residue(words_after, pack.stamp_word):
        return False
    addressed = pack.merged_addressee is not None and any(
        pack.merged_addressee.match(w) for w in words_before)
    titled = any(pack.document_word.match(w) for w in words_before)
    limit = max(pack.merged.max_words_before,
                pack.merged.max_words_addressee if addressed else 0,
                pack.merged.max_words_title if titled else 0)
    if not 0 < len(words_before) <= limit:
        return False
    if pack.merged_refuse is not None and any(pack.merged_refuse.match(w) for w in words_before):
        return False
    if stream.folded.count("\n", 0, start) > pack.merged.max_line:
        return False
    if not stream.text[start:end][:1].isupper():
        return False
    left = stream.text[lo:start].rstrip()
    if left[-1:] == "." and pack.stamp_word.match(words_before[-1]):
        return True  # an abbreviation, not a sentence's end: "… от 5/VIII-37 г. Строго секретно"
    return bool(left) and left[-1] not in "«\"“„'(:;,.!?—–-"


def _mention_cue(
    pack: Pack,
    masked: str,
    lo: int,
    hi: int,
    words_before: list[str],
    words_after: list[str],
    declass: bool,
) -> bool:
    """Prose cue words next to the mark, looking past the line break (other marks masked)."""
    last = words_before[-1:] or words_of(prev_line(masked, lo))[-1:]
    first = words_after[:1] or words_of(next_line(masked, hi))[:1]
    if not declass and last and pack.mention_before.match(last[0]):
        return True
    return bool(first and pack.mention_after.match(first[0]))


@dataclass(frozen=True)
class Near:
    """A mark found with one letter missing, doubled or misread (text read by OCR)."""

    span: tuple[int, int]
    form: int

    def start(self) -> int:
        return self.span[0]

    def end(self) -> int:
        return self.span[1]


def form_of(match: Any) -> int:
    return match.form if isinstance(match, Near) else form_index(match)


def with_fuzzy(pack: Pack, stream: Stream, matches: list[Any]) -> list[Any]:
    """The exact matches of an OCR'd stream, and the near ones that overlap none of them.

    A near match must be written in capitals, as stamps are: recall on noisy stamps must not
    turn "секретной" in running text into a mark. It then goes through the same stamp-or-
    mention test as an exact one."""
    kept: list[Any] = list(matches)
    changed = False
    for index, pattern, phrase in pack.fuzzy:
        for m in pattern.finditer(stream.folded):
            a, b = m.span()
            found = letters(m.group())
            if found.startswith(phrase) and len(found) > len(phrase):
                continue  # an ending, not noise: "секретной", "секретного"
            inside = [k for k in kept if a <= k.start() and k.end() <= b]
            if any(a < k.end() and k.start() < b for k in kept if k not in inside):
                continue  # crosses a match already made
            if any(k.end() - k.start() >= b - a for k in inside):
                continue  # an exact match as long: nothing to add
            written = [ch for ch in stream.text[a:b] if ch.isalpha()]
            if not written or sum(ch.isupper() for ch in written) < 0.8 * len(written):
                continue
            # "СОВЕРШЕНН СЕКРЕТНО": the near top-secret mark replaces the exact "СЕКРЕТНО"
            kept = [k for k in kept if k not in inside] + [Near((a, b), index)]
            changed = True
    for a, b, index in near_stamps(pack, stream.folded, stream.region):  # declassification
        if not any(a < k.end() and k.start() < b for k in kept):
            kept.append(Near((a, b), index))
            changed = True
    return sorted(kept, key=lambda m: m.start()) if changed else matches


_With = TypeVar("_With")  # what goes with each mark (its own requisites)


def drop_mark_lists(found: list[tuple[Marking, _With, Block]]) -> list[tuple[Marking, _With]]:
    """Marks that a page lists rather than bears: a glossary, a register of documents with
    their marks, a commentary's table of the degrees. They do not stamp the page.

    On one page, outside the header, footer and properties: three or more blocks (table cells,
    paragraphs, PDF runs) holding marks of two or more levels; or two table cells with
    different levels; or, in a PDF, two runs with different levels side by side on one line
    (a table row, which a PDF does not mark as a table). Two places with one level can be a
    bilingual stamp ("ҚҰПИЯ" | "СЕКРЕТНО") and are kept.
    """
    inside = (Region.BODY, Region.TABLE, Region.TEXTBOX)
    per_page: dict[int, list[tuple[Marking, Block]]] = {}
    for mark, _, block in found:
        if mark.region in inside:
            per_page.setdefault(mark.page, []).append((mark, block))
    listed: set[int] = set()
    for page, marks in per_page.items():
        blocks = {id(b): b for _, b in marks}
        levels = {m.level for m, _ in marks}
        cells = {id(b) for m, b in marks if m.region is Region.TABLE}
        cell_levels = {m.level for m, b in marks if m.region is Region.TABLE}
        if len(blocks) >= 3 and len(levels) >= 2:
            listed.add(page)
        elif len(cells) >= 3 or (len(cells) == 2 and len(cell_levels) >= 2):
            listed.add(page)
        elif len(blocks) == 2 and len(levels) == 2:
            a, b = blocks.values()
            if a.bbox and b.bbox and abs(a.bbox[1] - b.bbox[1]) < 3:
                listed.add(page)
    return [(m, w) for m, w, _ in found if not (m.region in inside and m.page in listed)]


def marking_of(form: Form, stream: Stream, m: Any, predates: bool) -> Marking:
    text = " ".join(stream.text[m.start() : m.end()].split())
    level, legacy, maps_to = marking_level(form, predates)
    return Marking(level=level, text=text, page=stream.page, region=stream.region, form=form.id,
                   legacy=legacy, maps_to=maps_to)


def marking_level(form: Form, predates: bool) -> tuple[Level, bool, Level | None]:
    """The level a stamp of *form* gives, whether it is legacy, and the legal level it maps to;
    *predates*: the document is older than the law."""
    if form.kind == "legal":
        level, legacy, maps_to = form.level, predates, None
    elif form.kind == "limited":
        level, legacy, maps_to = Level.LIMITED, False, None
    elif form.kind == "declassified":
        level, legacy, maps_to = Level.DECLASSIFIED, False, None
    elif form.kind == "legacy":
        level, legacy, maps_to = form.maps_to, True, form.maps_to
    elif form.era == "soviet" and predates:  # "Строго секретно" of the 1930s
        level, legacy, maps_to = form.maps_to, True, form.maps_to
    else:
        level, legacy, maps_to = Level.NONSTANDARD, False, form.maps_to
    assert level is not None
    return level, legacy, maps_to


def apply_declassification(markings: list[Marking]) -> list[Marking]:
    """A declassification stamp takes the marks it covers out of effect (Articles 22, 23).

    It covers every secrecy mark of the document that is not dated after the stamp itself.
    """
    stamps = [m for m in markings if m.level is Level.DECLASSIFIED]
    if not stamps:
        return markings
    latest = max((s.requisites.date for s in stamps if s.requisites.date), default=None)
    out = []
    for m in markings:
        covered = m.level in LEGAL_LEVELS or m.legacy or m.level is Level.NONSTANDARD
        own = m.requisites.date
        if covered and not (latest and own and own > latest):
            m = replace(m, in_effect=False)
        out.append(m)
    return out
