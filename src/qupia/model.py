"""The facts that flow from one stage to the next, in one place.

extract → :class:`Document` (pages of :class:`Block`) → markings → :class:`MarkingFacts` (its
:class:`Marking` s) → content → :class:`CategoryMatch` → rules read :class:`Facts` and make
:class:`Finding` s → one :class:`FileResult` per file; :class:`Limits` bound every reader. All
are plain frozen dataclasses with no formatting methods.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class Region(StrEnum):
    """Where on a page a block of text sits (docs/law.md)."""

    HEADER = "header"
    FOOTER = "footer"
    BODY = "body"
    TABLE = "table"
    TEXTBOX = "textbox"
    FOOTNOTE = "footnote"
    COMMENT = "comment"
    HIDDEN = "hidden"
    METADATA = "metadata"


@dataclass(frozen=True)
class Block:
    """One run of text: a PDF text line group, a DOCX paragraph, a TXT line group.

    ``bbox`` is (x0, top, x1, bottom) in points from the page's top-left corner for PDF,
    None where the format has no geometry.
    """

    text: str
    page: int
    region: Region
    bbox: tuple[float, float, float, float] | None = None
    align: str | None = None  # "right", "center", … when the format says so
    label: str | None = None  # metadata: the property name ("title", "custom:Classification")
    ocr: bool = False  # read by OCR from a page image: its words may carry recognition noise


@dataclass(frozen=True)
class Document:
    path: str
    format: str  # pdf | docx | txt | image
    pages: int
    blocks: tuple[Block, ...]
    #: pages whose text could not be read (no text layer, OCR off or failed), and why: such a
    #: page is never passed as clean (the file gets status no-text)
    unreadable_pages: tuple[int, ...] = ()
    unreadable_reason: str | None = None


class Level(StrEnum):
    SPECIAL_IMPORTANCE = "special-importance"
    TOP_SECRET = "top-secret"
    SECRET = "secret"
    LIMITED = "limited"
    DECLASSIFIED = "declassified"
    NONSTANDARD = "nonstandard"
    PUBLIC = "public"  # metadata only: a label that calls the document open ("Public", "Ашық")


#: Order of the three legal levels of Article 18, lowest first.
LEGAL_LEVELS: tuple[Level, ...] = (Level.SECRET, Level.TOP_SECRET, Level.SPECIAL_IMPORTANCE)


@dataclass(frozen=True)
class Requisites:
    """What the lines around a marking say about it (docs/law.md)."""

    copy: str | None = None
    list_item: str | None = None
    date: date | None = None
    period_years: int | None = None
    until: date | None = None
    extended_until: date | None = None


@dataclass(frozen=True)
class Marking:
    level: Level
    text: str  # the matched words, as written
    page: int
    region: Region
    form: str  # the pattern id that matched
    requisites: Requisites = field(default_factory=Requisites)
    legacy: bool = False  # Soviet-era mark on a document that predates the law
    in_effect: bool = True  # False when a declassification stamp covers it
    maps_to: Level | None = None  # legacy and nonstandard marks: the nearest legal level
    property: str | None = None  # region metadata: the property it came from (Block.label)


def legal_level(mark: Marking) -> Level | None:
    """The Article 18 level a mark stands for: its own, or a legacy mark's mapping."""
    if mark.level in LEGAL_LEVELS:
        return mark.level
    if mark.legacy and mark.maps_to in LEGAL_LEVELS:
        return mark.maps_to
    return None


@dataclass(frozen=True)
class Evidence:
    page: int
    text: str
    region: str | None = None  # header, body, table, … (Region's value)


@dataclass(frozen=True)
class CategoryMatch:
    article: str
    item: str
    score: float
    evidence: tuple[Evidence, ...] = ()
    explanation: str = ""  # which cues, signals and model score made it (no document words)
    cues: tuple[str, ...] = ()  # the document's words the cues matched (evidence: removable)
    weight: float = 0.0  # the item's cue weight (its cues less its exceptions) where it was read
    group_score: float = 0.0  # the document score of its group (Articles 11–14, or 17)
    chars: int = 0  # characters of the paragraphs where its cues weigh most (the substance)


@dataclass(frozen=True)
class Message:
    """A message by its id and the values that fill it; its text is made when a report is
    written, in the report's language (:func:`qupia.i18n.render`), so that the stages hold no
    language. ``id`` is the English text, which is the msgid of the catalogues; ``plural`` and
    ``n`` choose a plural form (``ngettext``). A value is a str, a number, a date, another
    Message (a phrase translated with it) or :class:`Words`."""

    id: str
    args: tuple[tuple[str, Any], ...] = ()
    plural: str | None = None
    n: int = 1


@dataclass(frozen=True)
class Words:
    """The document's own words inside a message (a stamp as written): evidence, which a report
    without evidence (``--no-evidence``) replaces by *instead* (the level and the form's id)."""

    text: str
    instead: Message


@dataclass(frozen=True)
class ListMatch:
    """An item of the organisation's departmental list that applies to the document."""

    id: str
    title: str
    level: Level
    why: Message  # "named by the stamp" or the cues that matched


@dataclass(frozen=True)
class Finding:
    code: str
    rule: str
    family: str
    severity: str
    article: str
    message: Message
    page: int | None
    region: str | None
    evidence: str
    #: the keyed hash of the evidence (:mod:`qupia.baseline`), set when the finding is finished
    #: (:mod:`qupia.finish`): baselines and SARIF fingerprints use it, never the words
    evidence_hash: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Suppression:
    """A rule a reviewed document suppresses, with the reviewer's reason (:mod:`qupia.review`)."""

    code: str
    reason: str
    source: str  # "docx-property" | "sidecar"


@dataclass(frozen=True)
class Review:
    """What a document says about its own findings, read with it: its suppressions, or why they
    cannot be read (``problem``; ``quoting``: the same reason quoting the document's words)."""

    suppressions: tuple[Suppression, ...] = ()
    problem: str | None = None
    quoting: str | None = None


@dataclass(frozen=True)
class Suppressed:
    """A finding left out of the failing set by the document's own review, with the reason."""

    finding: Finding
    reason: str
    source: str  # "docx-property" | "sidecar"


SEVERITIES: tuple[str, ...] = ("info", "warning", "error")
FAMILIES: tuple[str, ...] = ("missing", "excessive", "unlawful", "inconsistent")


# The stages' contracts: what each stage hands to the next (docs/architecture.md).


@dataclass(frozen=True)
class Limits:
    """Bounds that stop a hostile or broken file from exhausting the machine."""

    max_file_bytes: int = 512 * 1024 * 1024
    max_pages: int = 20_000
    max_unzipped_bytes: int = 1024 * 1024 * 1024
    max_zip_ratio: float = 200.0
    max_zip_members: int = 10_000
    timeout_seconds: float = 120.0
    #: Address space a worker process may use (RLIMIT_AS); 0: no limit. Going over it costs the
    #: file being read, which is reported "over the memory limit", not the scan.
    memory_bytes: int = 2048 * 1024 * 1024


@dataclass(frozen=True)
class MarkingFacts:
    """What the markings stage knows about a document."""

    markings: tuple[Marking, ...]
    mentions: int
    document_date: date | None
    predates_law: bool
    # every mark and mention, as spans of the document's text (blocks joined by newlines):
    # the content stage blanks them, so that it judges the content and not the stamp
    spans: tuple[tuple[int, int], ...] = ()
    # what the document's properties say (qupia.markings.metadata); in ``markings`` too only
    # when the settings count metadata marks as the page's (metadata-marks = "count")
    metadata: tuple[Marking, ...] = ()
    # for each form found on the pages, the forms it completes as one stamp (``stands_with``
    # in patterns/markings.yaml: "Особая папка" beside "Сов. секретно"), so that the rules need
    # not go back to the markings stage's pack
    stands_with: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def page_marks(self) -> tuple[Marking, ...]:
        """The marks in effect that a reader sees: every one but the properties'."""
        return tuple(m for m in self.in_effect if m.region is not Region.METADATA)

    @property
    def metadata_level(self) -> Level | None:
        """The highest Article 18 level the properties say, else None."""
        levels = [m.level for m in self.metadata if m.level in LEGAL_LEVELS]
        return max(levels, key=LEGAL_LEVELS.index) if levels else None

    @property
    def in_effect(self) -> tuple[Marking, ...]:
        return tuple(m for m in self.markings if m.in_effect)

    @property
    def document_level(self) -> Level | None:
        """The highest legal mark in effect (docs/law.md); legacy marks count by their mapping."""
        best: Level | None = None
        for m in self.in_effect:
            level = legal_level(m)
            if level and (best is None or LEGAL_LEVELS.index(level) > LEGAL_LEVELS.index(best)):
                best = level
        return best

    @property
    def limited(self) -> bool:
        return any(m.level is Level.LIMITED for m in self.markings)

    @property
    def declassified(self) -> bool:
        return any(m.level is Level.DECLASSIFIED for m in self.markings)


@dataclass(frozen=True)
class Facts:
    """Everything a rule may know about one document; rules never read files."""

    markings: MarkingFacts
    categories: tuple[CategoryMatch, ...]
    reference_date: date
    list_matches: tuple[ListMatch, ...] = ()  # items of a loaded departmental list that apply


@dataclass(frozen=True)
class FileResult:
    path: str
    sha256: str | None
    status: str  # ok | no-text (a page or more could not be read) | error
    error: str | None
    pages: int | None = None
    language: str | None = None
    facts: MarkingFacts | None = None
    categories: tuple[CategoryMatch, ...] = ()
    findings: tuple[Finding, ...] = ()
    evidence_key: str | None = field(default=None, repr=False)  # never reported
    suppressed: tuple[Suppressed, ...] = ()  # findings the document's own review suppresses
    baselined: int = 0  # findings hidden because the baseline knows them
    unreadable_pages: tuple[int, ...] = ()  # no-text: the pages that could not be read
    review: Review | None = None  # the document's own suppressions (applied by qupia.finish)
