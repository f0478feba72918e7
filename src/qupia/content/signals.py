"""Load ``patterns/signals.yaml``: what disclosure looks like and what discussion looks like."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from qupia.text.fold import fold_regex
from qupia.text.patterns import PatternError, load_yaml, patterns_dir

if TYPE_CHECKING:
    from qupia.content.signals_schema import SignalSpec


@dataclass(frozen=True)
class Signal:
    name: str
    pattern: re.Pattern[str]
    original: bool
    operational: bool = False


@dataclass(frozen=True)
class LegalExcerpt:
    """What an excerpt of a legal act looks like (``legal_excerpt`` in signals.yaml)."""

    heading: re.Pattern[str]
    note: re.Pattern[str]
    line: re.Pattern[str]
    min_share: float
    min_line: int


_CONTINUED = "(№;,"  # a line that starts so, or in lower case, goes on the line before it
_ENDS = ".;:!?)»\"”"  # a line that ends so ends its sentence
_GOES_ON = ";,).:"  # a line that starts so goes on the one before it, even after a blank line


def _lines(folded: str, original: str | None, breaks: frozenset[int] = frozenset()
           ) -> list[tuple[int, int, str, bool]]:
    """The non-empty lines of *folded*: start, end, stripped folded line, and whether the
    line goes on the one before it — read on *original* (same offsets), where case tells: it
    starts in lower case or with "(", "№", ";", ",", or the line before it did not end a
    sentence (a PDF's or a database's wrapped line). Without *original*, no line does. At one
    of *breaks* (where the file itself starts a paragraph) only a lower-case start or one of
    _GOES_ON does (a page of a law pasted with a blank line between)."""
    out = []
    pos = 0
    before = ""
    for raw in folded.split("\n"):
        start, end = pos, pos + len(raw)
        pos = end + 1
        line = raw.strip()
        if not line:
            continue
        continues = False
        if original is not None:
            own = original[start:end].strip()
            if start in breaks:  # a paragraph of the file's own: only a lower-case or
                # punctuation start goes on (a page break pasted as a blank line)
                continues = bool(before) and (own[0].islower() or own[0] in _GOES_ON)
            else:
                continues = bool(before) and (own[0].islower() or own[0] in _CONTINUED
                                              or before[-1] not in _ENDS)
            before = own
        out.append((start, end, line, continues))
    return out


@dataclass(frozen=True, eq=False)
class Signals:
    specific: tuple[Signal, ...]
    discussion: tuple[Signal, ...]
    legal_act: re.Pattern[str]
    legal_act_min: int
    excerpt: LegalExcerpt | None = None

    def is_legal_act(self, folded: str) -> bool:
        """Laid out as a legal act: at least ``legal_act_min`` article headings."""
        count = 0
        for _ in self.legal_act.finditer(folded):
            count += 1
            if count >= self.legal_act_min:
                return True
        return False

    def legal_share(self, folded: str, original: str | None = None) -> float:
        """The share of the text's characters laid out as law (headings, amendment notes,
        numbered paragraphs and list lines), over lines of ``min_line`` characters or more,
        when the text has a heading or an amendment note; else 0. *original* (the text
        before folding, same offsets) tells wrapped lines by their lower-case start."""
        ex = self.excerpt
        if ex is None or not (ex.heading.search(folded) or ex.note.search(folded)):
            return 0.0
        legal = total = 0
        status = False
        pending = 0  # characters of the current logical line
        for _, _, line, continues in _lines(folded, original):
            if pending and continues and not ex.line.match(line):
                pending += len(line)  # a wrapped line goes on the one before it
                status = status or bool(ex.line.search(line))
                continue
            if pending >= ex.min_line:
                total += pending
                legal += pending if status else 0
            pending = len(line)
            status = bool(ex.line.search(line) or ex.note.search(line))
        if pending >= ex.min_line:
            total += pending
            legal += pending if status else 0
        return legal / total if total else 0.0

    def law_blocks(self, folded: str, original: str | None = None,
                   breaks: frozenset[int] = frozenset()) -> list[tuple[int, int]]:
        """Spans of *folded* that are quoted law: runs of consecutive lines laid out as law
        (see :meth:`legal_share`) of which one is an article heading or an amendment note.
        A memo or a long file that pastes an article keeps its own text; the article is
        discussion wherever it stands. At one of *breaks* (offsets where the file starts a
        paragraph of its own: a TXT file's blank line) a line never goes on the line before
        it, and a run goes on only with a paragraph whose first line is laid out as law (or
        after an article heading): the title lines of a document pasted after an article
        are neither the article's last sentence wrapped nor, with the numbered points of an
        order under them, more law."""
        ex = self.excerpt
        if ex is None or not (ex.heading.search(folded) or ex.note.search(folded)):
            return []
        # [start, end, legal, anchor, opens, heading] per logical line; opens: it starts a
        # paragraph of the file's own with a line not laid out as law
        lines: list[list[int]] = []
        for start, end, line, continues in _lines(folded, original, breaks):
            if lines and continues and not ex.line.match(line):
                lines[-1][1] = end  # a wrapped line goes on the one before it
                lines[-1][2] |= bool(ex.line.search(line))
                lines[-1][3] |= bool(ex.note.search(line))  # an amendment note wrapped in
                lines[-1][2] |= lines[-1][3]
                continue
            heading = bool(ex.heading.match(line))
            anchor = heading or bool(ex.note.search(line))
            legal = anchor or bool(ex.line.search(line))
            lines.append([start, end, int(legal), int(anchor),
                          int(start in breaks and not legal), int(heading)])
        blocks = []
        i = 0
        while i < len(lines):
            if not lines[i][2]:
                i += 1
                continue
            j = i
            # (an article's opening sentence, wrapped, goes on its heading)
            while j + 1 < len(lines) and lines[j + 1][2] and \
                    not (lines[j + 1][4] and not lines[j][5]):
                j += 1
            if any(lines[k][3] for k in range(i, j + 1)):
                blocks.append((lines[i][0], lines[j][1]))
            i = j + 1
        return blocks

    def is_legal_excerpt(self, folded: str, original: str | None = None) -> bool:
        """An excerpt of a legal act: a heading or an amendment note, and most of the text
        laid out as law (:meth:`legal_share`)."""
        return self.excerpt is not None and \
            self.legal_share(folded, original) >= self.excerpt.min_share

    @staticmethod
    def count(signals: tuple[Signal, ...], text: str, folded: str) -> dict[str, int]:
        return {s.name: n for s in signals
                if (n := len(s.pattern.findall(text if s.original else folded)))}


def load_signals(path: Path | None = None) -> Signals:
    return _load(str(path or patterns_dir() / "signals.yaml"))


@functools.lru_cache(maxsize=4)
def _load(path_str: str) -> Signals:
    """The compiled signals: from the user cache (:mod:`qupia.cache`) when the file and the
    code that compiles it are unchanged, else compiled and stored there."""
    from qupia import cache

    path = Path(path_str)
    here = Path(__file__).parent
    code = [here / "signals.py", here / "signals_schema.py", here.parent / "text" / "fold.py"]
    try:
        return cache.cached("signals", [path, *code], lambda: _compile_signals(path))
    except OSError as exc:
        raise PatternError(f"{path}: {str(exc).splitlines()[0]}") from None


def _compile_signals(path: Path) -> Signals:
    import yaml
    from pydantic import ValidationError

    from qupia.content.signals_schema import SignalsSpec

    try:
        spec = SignalsSpec.model_validate(load_yaml(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as exc:
        raise PatternError(f"{path}: {str(exc).splitlines()[0]}") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err["loc"])
        raise PatternError(f"{path}: {where}: {err['msg']}") from None

    def compile_all(items: list[SignalSpec]) -> tuple[Signal, ...]:
        out = []
        for s in items:
            source = s.regex if s.text == "original" else fold_regex(s.regex)
            try:
                out.append(Signal(s.name, re.compile(source), s.text == "original",
                                  s.operational))
            except re.error as exc:
                raise PatternError(f"{path}: signal {s.name}: bad regex: {exc}") from None
        return tuple(out)

    try:
        legal = re.compile(fold_regex(spec.legal_act.regex))
    except re.error as exc:
        raise PatternError(f"{path}: legal_act: bad regex: {exc}") from None
    ex = spec.legal_excerpt
    try:
        excerpt = LegalExcerpt(re.compile(fold_regex(ex.heading)), re.compile(fold_regex(ex.note)),
                               re.compile(fold_regex(ex.line), re.MULTILINE), ex.min_share,
                               ex.min_line)
    except re.error as exc:
        raise PatternError(f"{path}: legal_excerpt: bad regex: {exc}") from None
    return Signals(compile_all(spec.specific), compile_all(spec.discussion), legal,
                   spec.legal_act.min_count, excerpt)
