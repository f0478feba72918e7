"""Render labelled corpus sources (see corpus/FORMAT.md) to PDF, DOCX and TXT files.

Usage::

    python corpus/build.py [SRC_DIR [OUT_DIR]] [--check] [--keep-going]
    python -m corpus.build            # corpus/src -> corpus/build

Every ``*.yaml`` under SRC_DIR (recursively) is one document. It is validated against the
fields of FORMAT.md, rendered to ``OUT_DIR/<id>.<pdf|docx|txt>``, and described by one line
of ``OUT_DIR/labels.jsonl`` (id, path relative to OUT_DIR, format, lang, genre, split, date,
labels with their defaults filled in).

What each block becomes in each format:

============  =====================================  ==========================  ===========
block         DOCX                                   PDF                         TXT
============  =====================================  ==========================  ===========
paragraph     w:p (``\\n`` -> w:br), alignment       wrapped paragraph           lines
table         w:tbl, style "Table Grid"              grid table with cell text   tab-separated
textbox       VML v:textbox/w:txbxContent            bordered box, ``rotate``    lines
footnote      footnotes part + w:footnoteReference   foot of the body, small     ``[n]`` note
comment       comments part (python-docx)            omitted (anchor kept)       omitted
hidden        run with w:vanish                      omitted                     omitted
deleted       w:del / w:delText                      omitted                     omitted
inserted      w:ins                                  normal text                 normal text
============  =====================================  ==========================  ===========

Pages. PDF (A4, DejaVu Sans embedded): each page's header is drawn right-aligned in the band
15-30 mm below the top edge and its footer centred 10-25 mm above the bottom edge (type
shrinks to fit); a body that overflows continues on new pages with the same header and
footer; ``first_page_header`` replaces the header of page 1 only. DOCX: consecutive pages
with the same header and footer share a section (page breaks between them), a change starts
a new section; ``first_page_header`` becomes the first section's distinct first-page header.
TXT: header lines right-aligned to column 72, footer centred, pages joined by a form feed.

A ``footnote`` or ``comment`` attaches to the first paragraph of the same page that contains
its ``anchor`` text; when no paragraph does, the anchor becomes a new paragraph at the block's
place; without an anchor it attaches to the paragraph before it. Small extensions to
FORMAT.md: ``align`` may be ``left``, ``center`` or ``right`` (on paragraphs and text boxes;
a text box defaults to ``right``); comments and tracked changes take an optional ``author``;
``properties`` may also give ``author``, ``category`` and ``comments``.

Output is reproducible: PDFs are written with reportlab's invariant mode and DOCX archives
with fixed timestamps, so rebuilding unchanged sources gives identical bytes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import itertools
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import yaml

CORPUS_DIR = Path(__file__).resolve().parent
DEFAULT_SRC = CORPUS_DIR / "src"
DEFAULT_OUT = CORPUS_DIR / "build"

FONT_REGULAR = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
FONT_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

DEFAULT_REFERENCE_DATE = "2026-11-26"
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
TXT_WIDTH = 72  # column used to right-align or centre lines in TXT output

# ---------------------------------------------------------------------------------------------
# Validation
# ---------------------------------------------------------------------------------------------

LANGS = ("kk", "ru", "kk-latn", "mixed")
GENRES = (
    "order",
    "report",
    "plan",
    "memo",
    "protocol",
    "table",
    "letter",
    "news",
    "academic",
    "legal",
    "statistics",
    "job-posting",
    "history",
    "other",
)
#: Made from the DOCX rendering by LibreOffice (``soffice``; debian-packages.txt).
LEGACY_FORMATS = ("odt", "doc", "rtf")
FORMATS = ("pdf", "docx", "txt", *LEGACY_FORMATS)
SPLITS = ("train", "dev", "test")
LEVELS = ("special-importance", "top-secret", "secret")
ENCODINGS = ("utf-8", "utf-8-sig", "cp1251", "utf-16")
ALIGNS = ("left", "center", "right")
FAMILIES = ("missing", "excessive", "unlawful", "inconsistent")
# SPEC §3: rule code -> family
RULE_FAMILY = {
    "QP100": "missing",
    "QP101": "missing",
    "QP102": "missing",
    "QP200": "excessive",
    "QP201": "excessive",
    "QP202": "excessive",
    "QP300": "unlawful",
    "QP301": "unlawful",
    "QP302": "unlawful",
    "QP303": "unlawful",
    "QP400": "inconsistent",
    "QP401": "inconsistent",
}
# Items of Articles 11-14 as the law numbers them (SPEC §1).
ITEMS: frozenset[str] = frozenset(
    [f"11.{n}" for n in range(1, 23)]
    + [f"12.{n}" for n in range(1, 37)]
    + [f"13.{n}" for n in range(1, 9)]
    + [f"14.{n}" for n in range(1, 20)]
    + ["14.1-1", "14.18-1"]
)
ART17_ITEMS: frozenset[str] = frozenset(f"17.1.{n}" for n in range(1, 12))

ID_RE = re.compile(r"^[a-z0-9-]+$")
TOP_KEYS = {
    "id",
    "lang",
    "genre",
    "format",
    "split",
    "date",
    "properties",
    "first_page_header",
    "pages",
    "labels",
    "encoding",
}
REQUIRED_TOP = ("id", "lang", "genre", "format", "split", "pages", "labels")
PAGE_KEYS = {"header", "footer", "blocks"}
PROPERTY_KEYS = {"title", "subject", "keywords", "author", "category", "comments", "custom",
                 "content_status", "label", "xmp"}
PDF_PROPERTY_KEYS = {"title", "subject", "keywords", "author", "label", "xmp"}
LABEL_KEYS = {"name", "id", "enabled", "removed"}
DEFAULT_LABEL_ID = "3f1c2a55-8d4e-4b7a-9c61-2e0d5b7a9f10"  # an invented label GUID
DEFAULT_SITE_ID = "5b0e7c21-6a3d-4f88-b1c9-0d2e4f6a8b13"  # an invented tenant GUID
LABEL_DEFAULTS: dict[str, Any] = {
    "limited": False,
    "declassified": False,
    "legacy": False,
    "items": [],
    "art17": [],
    "hard_negative": False,
    "reference_date": DEFAULT_REFERENCE_DATE,
    "note": "",
}
REQUIRED_LABELS = ("level", "families", "rules")
LABEL_ORDER = (
    "level",
    "limited",
    "declassified",
    "legacy",
    "items",
    "art17",
    "families",
    "rules",
    "hard_negative",
    "reference_date",
    "note",
)
# Block kinds: the key naming the kind, and the other keys it may carry.
BLOCK_KINDS: dict[str, set[str]] = {
    "text": {"align"},
    "table": set(),
    "textbox": {"rotate", "align"},
    "footnote": {"anchor"},
    "comment": {"anchor", "author"},
    "hidden": set(),
    "deleted": {"author"},
    "inserted": {"author"},
}


class SourceError(ValueError):
    """A source file does not follow corpus/FORMAT.md (the message names the file)."""


class BuildError(RuntimeError):
    """A valid source could not be rendered (e.g. text not encodable in cp1251)."""


def _as_iso_date(value: Any) -> str | None:
    """YAML gives ``2025-03-14`` as a date; a quoted one stays a string."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError:
            return None
    return None


def _check_block(block: Any, where: str, errors: list[str]) -> None:
    if isinstance(block, str):
        return
    if not isinstance(block, dict):
        errors.append(f"{where}: a block must be a string or a mapping, not {block!r}")
        return
    kinds = [k for k in block if k in BLOCK_KINDS]
    if len(kinds) != 1:
        errors.append(
            f"{where}: a block needs exactly one of {sorted(BLOCK_KINDS)}, got keys {sorted(block)}"
        )
        return
    kind = kinds[0]
    extra = set(block) - {kind} - BLOCK_KINDS[kind]
    if extra:
        errors.append(f"{where}: unknown key(s) {sorted(extra)} in a {kind!r} block")
    if kind == "table":
        rows = block["table"]
        if not isinstance(rows, list) or not rows:
            errors.append(f"{where}: 'table' must be a non-empty list of rows")
            return
        for r, row in enumerate(rows):
            if not isinstance(row, list) or not row:
                errors.append(f"{where}: table row {r + 1} must be a non-empty list of cells")
                continue
            for c, cell in enumerate(row):
                if cell is not None and not isinstance(cell, str | int | float | dt.date):
                    errors.append(f"{where}: table cell ({r + 1},{c + 1}) must be text")
    elif not isinstance(block[kind], str):
        errors.append(f"{where}: {kind!r} must be a string")
    if "align" in block and block["align"] not in ALIGNS:
        errors.append(f"{where}: align must be one of {ALIGNS}, not {block['align']!r}")
    if "rotate" in block and (
        isinstance(block["rotate"], bool) or not isinstance(block["rotate"], int | float)
    ):
        errors.append(f"{where}: rotate must be a number of degrees")
    for key in ("anchor", "author"):
        if key in block and (not isinstance(block[key], str) or not block[key].strip()):
            errors.append(f"{where}: {key!r} must be a non-empty string")


def _check_labels(labels: Any, where: str, errors: list[str]) -> dict[str, Any]:
    if not isinstance(labels, dict):
        errors.append(f"{where}: 'labels' must be a mapping")
        return {}
    out: dict[str, Any] = {
        k: list(v) if isinstance(v, list) else v for k, v in LABEL_DEFAULTS.items()
    }
    out.update(labels)
    unknown = set(labels) - set(LABEL_DEFAULTS) - set(REQUIRED_LABELS)
    if unknown:
        errors.append(f"{where}: unknown label key(s) {sorted(unknown)}")
    for key in REQUIRED_LABELS:
        if key not in labels:
            errors.append(f"{where}: labels.{key} is required")
    if out.get("level") not in (*LEVELS, None):
        errors.append(f"{where}: labels.level must be one of {LEVELS} or null")
    for key in ("limited", "declassified", "legacy", "hard_negative"):
        if not isinstance(out[key], bool):
            errors.append(f"{where}: labels.{key} must be true or false")
    for key, allowed in (
        ("items", ITEMS),
        ("art17", ART17_ITEMS),
        ("families", frozenset(FAMILIES)),
        ("rules", frozenset(RULE_FAMILY)),
    ):
        value = out.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            errors.append(f'{where}: labels.{key} must be a list of strings (quote "11.3")')
            out[key] = []
            continue
        bad = [v for v in value if v not in allowed]
        if bad:
            errors.append(f"{where}: labels.{key} has unknown value(s) {bad}")
        if len(set(value)) != len(value):
            errors.append(f"{where}: labels.{key} has duplicates")
    if isinstance(out.get("rules"), list) and isinstance(out.get("families"), list):
        implied = {RULE_FAMILY[r] for r in out["rules"] if r in RULE_FAMILY}
        if implied != set(out["families"]):
            errors.append(
                f"{where}: labels.families {sorted(out['families'])} do not match the families "
                f"of labels.rules {sorted(implied)}"
            )
    ref = _as_iso_date(out["reference_date"])
    if ref is None:
        errors.append(f"{where}: labels.reference_date must be a date YYYY-MM-DD")
    else:
        out["reference_date"] = ref
    if not isinstance(out["note"], str):
        errors.append(f"{where}: labels.note must be a string")
    return {key: out[key] for key in LABEL_ORDER if key in out}


def validate_source(raw: Any, origin: str = "<source>") -> dict[str, Any]:
    """Check one parsed source against FORMAT.md; return a copy with label defaults filled.

    Raises SourceError listing every problem, each prefixed with ``origin`` (the file).
    """
    errors: list[str] = []
    if not isinstance(raw, dict):
        raise SourceError(f"{origin}: the file must hold a YAML mapping")
    for key in REQUIRED_TOP:
        if key not in raw:
            errors.append(f"{origin}: '{key}' is required")
    unknown = set(raw) - TOP_KEYS
    if unknown:
        errors.append(f"{origin}: unknown top-level key(s) {sorted(unknown)}")
    src_id = raw.get("id")
    if "id" in raw and (not isinstance(src_id, str) or not ID_RE.match(src_id)):
        errors.append(f"{origin}: id must match [a-z0-9-]+, got {src_id!r}")
    for key, allowed in (
        ("lang", LANGS),
        ("genre", GENRES),
        ("format", FORMATS),
        ("split", SPLITS),
    ):
        if key in raw and raw[key] not in allowed:
            errors.append(f"{origin}: {key} must be one of {allowed}, got {raw[key]!r}")
    if raw.get("date") is not None and _as_iso_date(raw["date"]) is None:
        errors.append(f"{origin}: date must be YYYY-MM-DD, got {raw['date']!r}")
    if "encoding" in raw:
        if raw["encoding"] not in ENCODINGS:
            errors.append(f"{origin}: encoding must be one of {ENCODINGS}")
        if raw.get("format") != "txt":
            errors.append(f"{origin}: 'encoding' applies to format txt only")
    props = raw.get("properties")
    if props is not None:
        allowed = PROPERTY_KEYS - {"xmp"} if raw.get("format") == "docx" else (
            PDF_PROPERTY_KEYS if raw.get("format") == "pdf" else set())
        if not isinstance(props, dict):
            errors.append(f"{origin}: 'properties' must be a mapping")
        else:
            bad = set(props) - allowed
            if bad:
                errors.append(f"{origin}: properties {sorted(bad)} are not rendered in "
                              f"{raw.get('format')!r}")
            for key in PROPERTY_KEYS - {"custom", "label", "xmp"}:
                if key in props and not isinstance(props[key], str):
                    errors.append(f"{origin}: properties.{key} must be a string")
            label = props.get("label")
            if label is not None and (not isinstance(label, dict) or set(label) - LABEL_KEYS
                                      or not isinstance(label.get("name"), str)):
                errors.append(f"{origin}: properties.label must map name (and id, enabled, "
                              "removed)")
            xmp = props.get("xmp", {})
            if not isinstance(xmp, dict) or not all(
                isinstance(k, str) and re.fullmatch(r"(dc|pdf|pdfx|msip):\w[\w-]*", k)
                and isinstance(v, str) for k, v in xmp.items()
            ):
                errors.append(f"{origin}: properties.xmp must map dc:/pdf:/pdfx:/msip: names "
                              "to strings")
            custom = props.get("custom", {})
            if not isinstance(custom, dict) or not all(
                isinstance(k, str) and isinstance(v, str | int | float | bool | dt.date)
                for k, v in custom.items()
            ):
                errors.append(f"{origin}: properties.custom must map names to scalar values")
    fph = raw.get("first_page_header")
    if fph is not None and not isinstance(fph, str):
        errors.append(f"{origin}: first_page_header must be a string")
    pages = raw.get("pages")
    if "pages" in raw:
        if not isinstance(pages, list) or not pages:
            errors.append(f"{origin}: 'pages' must be a non-empty list")
        else:
            for p, page in enumerate(pages, 1):
                where = f"{origin}: pages[{p}]"
                if not isinstance(page, dict):
                    errors.append(f"{where} must be a mapping with header/footer/blocks")
                    continue
                bad = set(page) - PAGE_KEYS
                if bad:
                    errors.append(f"{where}: unknown key(s) {sorted(bad)}")
                for key in ("header", "footer"):
                    if page.get(key) is not None and not isinstance(page[key], str):
                        errors.append(f"{where}: {key} must be a string")
                blocks = page.get("blocks", [])
                if not isinstance(blocks, list):
                    errors.append(f"{where}: blocks must be a list")
                    continue
                for b, block in enumerate(blocks, 1):
                    _check_block(block, f"{where}.blocks[{b}]", errors)
    labels = _check_labels(raw.get("labels"), origin, errors) if "labels" in raw else {}
    if not errors and isinstance(pages, list):
        try:
            _plan_pages(raw)  # anchors must resolve
        except SourceError as exc:
            errors.append(f"{origin}: {exc}")
    if errors:
        raise SourceError("\n".join(errors))
    out = dict(raw)
    out["labels"] = labels
    if out.get("date") is not None:
        out["date"] = _as_iso_date(out["date"])
    return out


def load_sources(src_dir: str | Path, *, errors: list[str] | None = None) -> list[dict[str, Any]]:
    """Read and validate every ``*.yaml`` under ``src_dir`` (recursively), sorted by path.

    Raises SourceError naming each bad file (all of them, not only the first) and every
    duplicated id. When an ``errors`` list is given, the messages go there instead and the
    bad files are skipped.
    """
    root = Path(src_dir)
    if not root.is_dir():
        raise SourceError(f"{root}: not a directory")
    files = sorted(
        p
        for p in root.rglob("*.yaml")
        if not any(part.startswith(".") for part in p.relative_to(root).parts)
    )
    sources: list[dict[str, Any]] = []
    problems: list[str] = []
    seen: dict[str, Path] = {}
    for path in files:
        try:
            with path.open(encoding="utf-8") as fh:
                raw = yaml.safe_load(fh)
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            problems.append(f"{path}: cannot parse YAML: {exc}")
            continue
        try:
            source = validate_source(raw, str(path))
        except SourceError as exc:
            problems.append(str(exc))
            continue
        if source["id"] != path.stem:
            problems.append(f"{path}: id {source['id']!r} differs from the file name {path.stem!r}")
            continue
        if source["id"] in seen:
            problems.append(f"{path}: id {source['id']!r} is already used by {seen[source['id']]}")
            continue
        seen[source["id"]] = path
        sources.append(source)
    if problems and errors is None:
        raise SourceError("\n".join(problems))
    if errors is not None:
        errors.extend(problems)
    return sources


# ---------------------------------------------------------------------------------------------
# Page plan: blocks resolved into render items, shared by the three writers
# ---------------------------------------------------------------------------------------------


@dataclass
class Note:
    """A footnote or comment attached to [start, end) of a paragraph's text."""

    kind: str  # "footnote" | "comment"
    text: str
    start: int
    end: int
    author: str = "Reviewer"
    number: int = 0  # footnote number, document-wide


@dataclass
class Para:
    text: str
    align: str = "left"
    notes: list[Note] = field(default_factory=list)


@dataclass
class Table:
    rows: list[list[str]]


@dataclass
class TextBox:
    text: str
    rotate: float = 0.0
    align: str = "right"


@dataclass
class Special:
    """A hidden run, a tracked deletion or a tracked insertion, in its own paragraph."""

    kind: str  # "hidden" | "deleted" | "inserted"
    text: str
    author: str = "Reviewer"


Item = Para | Table | TextBox | Special


@dataclass
class PagePlan:
    header: str | None
    footer: str | None
    items: list[Item]

    @property
    def footnotes(self) -> list[Note]:
        return [
            n for it in self.items if isinstance(it, Para) for n in it.notes if n.kind == "footnote"
        ]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _plan_pages(source: dict[str, Any]) -> list[PagePlan]:
    plans: list[PagePlan] = []
    number = 0
    for p, page in enumerate(source["pages"], 1):
        items: list[Item] = []
        pending: list[tuple[int, dict[str, Any]]] = []  # annotation blocks, by item position
        for block in page.get("blocks") or []:
            if isinstance(block, str):
                items.append(Para(block))
            elif "text" in block:
                items.append(Para(block["text"], block.get("align", "left")))
            elif "table" in block:
                rows = [[_cell(c) for c in row] for row in block["table"]]
                width = max(len(r) for r in rows)
                items.append(Table([r + [""] * (width - len(r)) for r in rows]))
            elif "textbox" in block:
                items.append(
                    TextBox(
                        block["textbox"], float(block.get("rotate", 0)), block.get("align", "right")
                    )
                )
            elif "footnote" in block or "comment" in block:
                pending.append((len(items), block))
                items.append(Para(""))  # placeholder, dropped if the anchor is found elsewhere
            else:
                kind = next(k for k in ("hidden", "deleted", "inserted") if k in block)
                items.append(Special(kind, block[kind], block.get("author", "Reviewer")))
        drop: set[int] = set()
        for pos, block in pending:
            kind = "footnote" if "footnote" in block else "comment"
            anchor = block.get("anchor")
            target: Para | None = None
            start = end = 0
            if anchor:
                for it in items:
                    if isinstance(it, Para) and it.text and anchor in it.text:
                        target, start = it, it.text.index(anchor)
                        end = start + len(anchor)
                        break
                if target is None:  # the anchor paragraph is written by this block
                    target = items[pos]
                    assert isinstance(target, Para)
                    target.text, start, end = anchor, 0, len(anchor)
            else:
                drop.add(pos)
                before = [it for it in items[:pos] if isinstance(it, Para) and it.text]
                if not before:
                    raise SourceError(
                        f"pages[{p}]: a {kind} without 'anchor' needs a paragraph before it"
                    )
                target = before[-1]
                start, end = 0, len(target.text)
            if target is not items[pos]:
                drop.add(pos)
            target.notes.append(
                Note(kind, block[kind], start, end, block.get("author", "Reviewer"))
            )
        items = [it for i, it in enumerate(items) if i not in drop]
        for it in items:
            if isinstance(it, Para):
                it.notes.sort(key=lambda n: (n.end, n.start))
                for note in it.notes:
                    if note.kind == "footnote":
                        number += 1
                        note.number = number
        plans.append(PagePlan(page.get("header") or None, page.get("footer") or None, items))
    return plans


def _segments(para: Para) -> list[tuple[str, list[Note], list[Note]]]:
    """Split a paragraph at note boundaries.

    Returns (text, footnotes ending after this piece, comments covering this piece) triples;
    a piece may have empty text when only a footnote reference sits there.
    """
    cuts = sorted({0, len(para.text), *(n.start for n in para.notes), *(n.end for n in para.notes)})
    out: list[tuple[str, list[Note], list[Note]]] = []
    for a, b in itertools.pairwise(cuts):
        covering = [n for n in para.notes if n.kind == "comment" and n.start <= a and b <= n.end]
        out.append((para.text[a:b], [], covering))
        ending = [n for n in para.notes if n.kind == "footnote" and n.end == b]
        if ending:
            out.append(("", ending, []))
    if not out:
        out.append((para.text, [], []))
    return out


def _first_page_header(source: dict[str, Any]) -> str | None:
    return source.get("first_page_header") or None


# ---------------------------------------------------------------------------------------------
# TXT
# ---------------------------------------------------------------------------------------------


def _txt_align(text: str, align: str) -> list[str]:
    lines = text.split("\n")
    if align == "right":
        return [line.rjust(TXT_WIDTH) if line.strip() else "" for line in lines]
    if align == "center":
        return [line.center(TXT_WIDTH).rstrip() if line.strip() else "" for line in lines]
    return lines


def render_txt(source: dict[str, Any], path: Path) -> None:
    """Lines of header, blocks and footer per page; pages separated by a form feed."""
    pages: list[str] = []
    fph = _first_page_header(source)
    for index, plan in enumerate(_plan_pages(source)):
        lines: list[str] = []
        header = fph if index == 0 and fph else plan.header
        if header:
            lines += [*_txt_align(header, "right"), ""]
        for it in plan.items:
            if isinstance(it, Para):
                text = "".join(
                    seg if not refs else "".join(f"[{n.number}]" for n in refs)
                    for seg, refs, _ in _segments(it)
                )
                lines += _txt_align(text, it.align)
            elif isinstance(it, Table):
                lines += ["\t".join(" ".join(c.split("\n")) for c in row) for row in it.rows]
            elif isinstance(it, TextBox):
                lines += _txt_align(it.text, it.align)
            elif it.kind == "inserted":
                lines += it.text.split("\n")
            else:  # hidden text and tracked deletions do not show in plain text
                continue
            lines.append("")
        notes = plan.footnotes
        if notes:
            lines.append("-" * 20)
            lines += [f"[{n.number}] {n.text}" for n in notes]
            lines.append("")
        if plan.footer:
            if lines and lines[-1] != "":
                lines.append("")
            lines += _txt_align(plan.footer, "center")
        while lines and lines[-1] == "":
            lines.pop()
        pages.append("\n".join(lines) + "\n")
    text = "\f".join(pages)
    encoding = source.get("encoding", "utf-8")
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError as exc:
        line = text.count("\n", 0, exc.start) + 1
        raise BuildError(
            f"{source['id']}: {exc.object[exc.start]!r} (line {line}) cannot be written in "
            f"{encoding}; use utf-8 or utf-16 for Kazakh letters"
        ) from exc
    path.write_bytes(data)


# ---------------------------------------------------------------------------------------------
# PDF (reportlab)
# ---------------------------------------------------------------------------------------------

MM = 72 / 25.4
PDF_LEFT = 25 * MM
PDF_RIGHT = 15 * MM
HEADER_BAND = (15 * MM, 30 * MM)  # distance from the top edge
FOOTER_BAND = (10 * MM, 25 * MM)  # distance from the bottom edge
BODY_TOP = 35 * MM  # from the top edge
BODY_BOTTOM = 30 * MM  # from the bottom edge
FONT = "QupiaDejaVuSans"
FONT_B = "QupiaDejaVuSans-Bold"


@cache
def _register_fonts() -> None:
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name, path in ((FONT, FONT_REGULAR), (FONT_B, FONT_BOLD)):
        if not path.exists():
            raise BuildError(f"font not found: {path} (install fonts-dejavu-core)")
        pdfmetrics.registerFont(TTFont(name, str(path)))  # TrueType is embedded (subset)
    for bold, italic, name in ((0, 0, FONT), (1, 0, FONT_B), (0, 1, FONT), (1, 1, FONT_B)):
        addMapping(FONT, bold, italic, name)


def _para_markup(para: Para) -> str:
    parts: list[str] = []
    for seg, refs, _ in _segments(para):
        if refs:
            parts.append("".join(f"<super>{n.number}</super>" for n in refs))
        else:
            parts.append(escape(seg).replace("\n", "<br/>"))
    return "".join(parts)


def _draw_band(
    canvas: Any, text: str, top: float, bottom: float, align: str, x0: float, x1: float
) -> None:
    """Draw text lines inside the horizontal band [bottom, top], shrinking type to fit."""
    from reportlab.pdfbase import pdfmetrics

    lines = text.split("\n")
    face = pdfmetrics.getFont(FONT).face
    # room above the baseline for accented capitals (Ó, Й, Ü reach ~0.93 em in DejaVu Sans)
    ascent, descent = max(face.ascent / 1000, 0.95), abs(face.descent) / 1000 + 0.02
    leading = 1.2
    size = 10.0
    size = min(size, (top - bottom) / (ascent + descent + leading * (len(lines) - 1)))
    widest = max(pdfmetrics.stringWidth(line, FONT, 1) for line in lines) or 1
    size = max(min(size, (x1 - x0) / widest), 4.0)
    canvas.saveState()
    canvas.setFont(FONT, size)
    y = top - ascent * size
    for line in lines:
        if align == "right":
            canvas.drawRightString(x1, y, line)
        elif align == "center":
            canvas.drawCentredString((x0 + x1) / 2, y, line)
        else:
            canvas.drawString(x0, y, line)
        y -= leading * size
    canvas.restoreState()


def _column_widths(rows: list[list[str]], total: float, size: float, pad: float) -> list[float]:
    """Share the width so that no column is narrower than its longest word (no split words),
    giving the rest in proportion to how much wider each column's lines would like to be."""
    from reportlab.pdfbase import pdfmetrics

    def width(text: str) -> float:
        return pdfmetrics.stringWidth(text, FONT, size) + pad + 2

    cols = len(rows[0])
    least = [max(width(w) for row in rows for w in row[c].split() or [""]) for c in range(cols)]
    want = [max(width(ln) for row in rows for ln in row[c].split("\n")) for c in range(cols)]
    if sum(least) >= total:  # even the longest words do not fit: scale (words will break)
        return [total * w / sum(least) for w in least]
    if sum(want) <= total:  # everything fits on one line: spread the slack evenly
        return [w + (total - sum(want)) / cols for w in want]
    extra = [w - m for w, m in zip(want, least, strict=True)]
    room = total - sum(least)
    return [m + room * e / sum(extra) for m, e in zip(least, extra, strict=True)]


def render_pdf(source: dict[str, Any], path: Path) -> None:
    """A4 pages: header band, wrapped body, footnotes at the foot of the body, footer band."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.platypus import (
        BaseDocTemplate,
        Flowable,
        Frame,
        NextPageTemplate,
        PageBreak,
        PageTemplate,
        Paragraph,
        Spacer,
    )
    from reportlab.platypus import Table as RLTable

    _register_fonts()
    page_w, page_h = A4
    body_w = page_w - PDF_LEFT - PDF_RIGHT
    aligns = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
    body = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=13.5, spaceAfter=6)
    cell = ParagraphStyle("cell", fontName=FONT, fontSize=9.5, leading=12)
    note_style = ParagraphStyle("note", fontName=FONT, fontSize=8, leading=10)
    stamp = ParagraphStyle("stamp", fontName=FONT_B, fontSize=12, leading=15, alignment=TA_CENTER)

    class StampBox(Flowable):
        """Bordered box of text, optionally rotated about its centre (a rubber stamp)."""

        pad = 6.0

        def __init__(self, box: TextBox) -> None:
            super().__init__()
            self.box = box
            self.hAlign = box.align.upper()
            ink = "#1a2a80" if box.rotate else "#000000"
            self.style = ParagraphStyle("stampbox", parent=stamp, textColor=colors.HexColor(ink))
            self.ink = colors.HexColor(ink)
            self.para = Paragraph(escape(box.text).replace("\n", "<br/>"), self.style)
            self.bw = self.bh = 0.0

        def wrap(self, aw: float, ah: float) -> tuple[float, float]:
            rad = math.radians(self.box.rotate)
            cos, sin = abs(math.cos(rad)), abs(math.sin(rad))
            lines = self.box.text.split("\n")
            natural = max(pdfmetrics.stringWidth(ln, FONT_B, 12) for ln in lines) + 2
            inner = min(natural, aw * 0.9 - 2 * self.pad)
            for _ in range(4):  # shrink until the rotated box fits the frame width
                _, h = self.para.wrap(inner, ah)
                bw, bh = inner + 2 * self.pad, h + 2 * self.pad
                if bw * cos + bh * sin <= aw or inner < 40:
                    break
                inner = max(40.0, (aw - bh * sin) / max(cos, 0.2) - 2 * self.pad)
            self.bw, self.bh = bw, bh
            self.width, self.height = bw * cos + bh * sin, bw * sin + bh * cos
            return self.width, self.height

        def draw(self) -> None:
            c = self.canv
            c.saveState()
            c.translate(self.width / 2, self.height / 2)
            c.rotate(self.box.rotate)
            c.setStrokeColor(self.ink)
            c.setLineWidth(1.6)
            c.rect(-self.bw / 2, -self.bh / 2, self.bw, self.bh)
            c.setLineWidth(0.6)
            c.rect(-self.bw / 2 + 2.5, -self.bh / 2 + 2.5, self.bw - 5, self.bh - 5)
            self.para.drawOn(c, -self.bw / 2 + self.pad, -self.bh / 2 + self.pad)
            c.restoreState()

    class Decor:
        """Header, footer and footnotes of one source page, on each physical page it fills."""

        def __init__(
            self,
            header: str | None,
            footer: str | None,
            first: str | None,
            notes: list[tuple[Note, Any]],
            notes_top: float,
        ) -> None:
            self.header, self.footer, self.first = header, footer, first
            self.notes = {n.number: (n, p) for n, p in notes}
            self.notes_top = notes_top
            self.pending: list[int] = []

        def on_page(self, canvas: Any, _doc: Any) -> None:
            header = self.header
            if self.first is not None and canvas.getPageNumber() == 1:
                header = self.first
            x0, x1 = PDF_LEFT, page_w - PDF_RIGHT
            if header:
                top, bottom = page_h - HEADER_BAND[0], page_h - HEADER_BAND[1]
                _draw_band(canvas, header, top, bottom, "right", x0, x1)

        def on_page_end(self, canvas: Any, _doc: Any) -> None:
            # drawn last so that the reading order is header, body, footnotes, footer
            self._footnotes(canvas)
            if self.footer:
                x0, x1 = PDF_LEFT, page_w - PDF_RIGHT
                _draw_band(canvas, self.footer, FOOTER_BAND[1], FOOTER_BAND[0], "center", x0, x1)

        def _footnotes(self, canvas: Any) -> None:
            if not self.pending:
                return
            y = self.notes_top - 2
            canvas.saveState()
            canvas.setLineWidth(0.5)
            canvas.line(PDF_LEFT, y, PDF_LEFT + 50 * MM, y)
            y -= 3
            for number in self.pending:
                _, para = self.notes[number]
                _, h = para.wrap(body_w, page_h)
                para.drawOn(canvas, PDF_LEFT, y - h)
                y -= h + 1
            canvas.restoreState()
            self.pending.clear()

    class NoteAnchor(Flowable):
        """Zero-size marker: its footnotes go to the foot of the page where it lands."""

        def __init__(self, decor: Decor, numbers: list[int]) -> None:
            super().__init__()
            self.decor, self.numbers = decor, numbers
            self.width = self.height = 0

        def wrap(self, aw: float, ah: float) -> tuple[float, float]:
            return 0, 0

        def draw(self) -> None:
            self.decor.pending.extend(self.numbers)

    first = _first_page_header(source)
    templates: list[Any] = []
    story: list[Any] = []
    for index, plan in enumerate(_plan_pages(source)):
        notes = [
            (
                n,
                Paragraph(
                    f"<super>{n.number}</super> " + escape(n.text).replace("\n", "<br/>"),
                    note_style,
                ),
            )
            for n in plan.footnotes
        ]
        reserve = sum(p.wrap(body_w, page_h)[1] + 1 for _, p in notes) + 8 if notes else 0
        bottom = BODY_BOTTOM + reserve
        frame = Frame(
            PDF_LEFT,
            bottom,
            body_w,
            page_h - BODY_TOP - bottom,
            id=f"body{index}",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        decor = Decor(plan.header, plan.footer, first if index == 0 else None, notes, bottom)
        templates.append(
            PageTemplate(
                id=f"p{index}",
                frames=[frame],
                onPage=decor.on_page,
                onPageEnd=decor.on_page_end,
                pagesize=A4,
            )
        )
        if index:
            story += [NextPageTemplate(f"p{index}"), PageBreak()]
        start = len(story)
        for it in plan.items:
            if isinstance(it, Para):
                style = ParagraphStyle(f"body-{it.align}", parent=body, alignment=aligns[it.align])
                story.append(Paragraph(_para_markup(it), style))
                numbers = [n.number for n in it.notes if n.kind == "footnote"]
                if numbers:
                    story.append(NoteAnchor(decor, numbers))
            elif isinstance(it, Table):
                data = [
                    [Paragraph(escape(c).replace("\n", "<br/>"), cell) for c in row]
                    for row in it.rows
                ]
                widths = _column_widths(it.rows, body_w, 9.5, 8.0)
                table = RLTable(data, colWidths=widths, hAlign="LEFT")
                table.setStyle(
                    [
                        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 4),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                    ]
                )
                story += [table, Spacer(1, 6)]
            elif isinstance(it, TextBox):
                story += [StampBox(it), Spacer(1, 8)]
            elif it.kind == "inserted":  # accepted insertion reads as normal text
                story.append(Paragraph(escape(it.text).replace("\n", "<br/>"), body))
            # hidden text and tracked deletions are not printed
        if len(story) == start:  # an empty page still gets its page
            story.append(Paragraph("", body))

    props = source.get("properties") or {}
    doc = BaseDocTemplate(
        str(path),
        pagesize=A4,
        pageTemplates=templates,
        invariant=1,
        title=props.get("title", ""),
        author=props.get("author", ""),
        subject=props.get("subject", ""),
        keywords=props.get("keywords", ""),
        creator="qupia corpus/build.py",
        producer="ReportLab",
    )
    packet = xmp_packet(props)
    if packet is None:
        doc.build(story)
        return
    from reportlab.pdfbase.pdfdoc import XMP
    from reportlab.pdfgen.canvas import Canvas

    class _XmpCanvas(Canvas):  # the catalogue's /Metadata stream (ISO 32000-1 §14.3.2)
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._doc.Catalog.Metadata = XMP(creator=lambda _doc: packet)

    doc.build(story, canvasmaker=_XmpCanvas)


# ---------------------------------------------------------------------------------------------
# DOCX (python-docx + raw OOXML)
# ---------------------------------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
V_NS = "urn:schemas-microsoft-com:vml"
O_NS = "urn:schemas-microsoft-com:office:office"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # FMTID_UserDefinedProperties

FOOTNOTES_XML = f"""<w:footnotes xmlns:w="{W_NS}">
<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240"
 w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0"
 w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>
</w:footnote></w:footnotes>"""


def _w(tag: str, **attrs: str) -> Any:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    return OxmlElement(f"w:{tag}", {qn(f"w:{k}"): v for k, v in attrs.items()})


def _append_text(r: Any, text: str, tag: str = "t") -> None:
    """Append text to a w:r as w:t (or w:delText), w:br and w:tab elements."""
    from docx.oxml.ns import qn

    for i, line in enumerate(text.split("\n")):
        if i:
            r.append(_w("br"))
        for j, chunk in enumerate(line.split("\t")):
            if j:
                r.append(_w("tab"))
            if chunk:
                t = _w(tag)
                t.text = chunk
                t.set(qn("xml:space"), "preserve")
                r.append(t)


def _zip_fixed(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps so identical sources give identical files."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            zout.writestr(fixed, zin.read(info.filename))
    return out.getvalue()


def msip_properties(label: dict[str, Any]) -> dict[str, str]:
    """The custom properties a Microsoft Purview sensitivity label writes:
    MSIP_Label_<label GUID>_<attribute> (MIP SDK metadata)."""
    prefix = f"MSIP_Label_{label.get('id', DEFAULT_LABEL_ID)}_"
    return {prefix + "Enabled": "true" if label.get("enabled", True) else "false",
            prefix + "SetDate": "2026-01-15T06:30:00Z", prefix + "Method": "Privileged",
            prefix + "Name": label["name"], prefix + "SiteId": DEFAULT_SITE_ID,
            prefix + "ActionId": "0c8b4f2e-1d7a-4e55-9a3b-6f2c1e0d9b77",
            prefix + "ContentBits": "0"}


XMP_NS = {"dc": "http://purl.org/dc/elements/1.1/", "pdf": "http://ns.adobe.com/pdf/1.3/",
          "pdfx": "http://ns.adobe.com/pdfx/1.3/",
          "msip": "http://schemas.microsoft.com/msip/1.0/"}


def xmp_packet(props: dict[str, Any]) -> bytes | None:
    """An XMP packet (ISO 16684-1) of ``properties.xmp`` and a label (as msip: properties,
    where labelling tools copy them), or None when there is neither."""
    from lxml import etree

    items = dict(props.get("xmp") or {})
    label = props.get("label")
    if label and label.get("enabled", True) and not label.get("removed"):
        items[f"msip:MSIP_Label_{label.get('id', DEFAULT_LABEL_ID)}_Name"] = label["name"]
    if not items:
        return None
    rdf_ns = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    meta = etree.Element("{adobe:ns:meta/}xmpmeta", nsmap={"x": "adobe:ns:meta/"})
    rdf = etree.SubElement(meta, f"{{{rdf_ns}}}RDF", nsmap={"rdf": rdf_ns})
    used = {k.split(":")[0] for k in items}
    desc = etree.SubElement(rdf, f"{{{rdf_ns}}}Description",
                            nsmap={p: XMP_NS[p] for p in sorted(used)})
    desc.set(f"{{{rdf_ns}}}about", "")
    for key, value in items.items():
        prefix, name = key.split(":", 1)
        el = etree.SubElement(desc, f"{{{XMP_NS[prefix]}}}{name}")
        if key in ("dc:title", "dc:description"):
            li = etree.SubElement(etree.SubElement(el, f"{{{rdf_ns}}}Alt"), f"{{{rdf_ns}}}li")
            li.set("{http://www.w3.org/XML/1998/namespace}lang", "x-default")
            li.text = value
        elif key == "dc:subject":
            bag = etree.SubElement(el, f"{{{rdf_ns}}}Bag")
            for word in value.split(";"):
                etree.SubElement(bag, f"{{{rdf_ns}}}li").text = word.strip()
        else:
            el.text = value
    return (b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
            + etree.tostring(meta, encoding="UTF-8") + b'\n<?xpacket end="w"?>')


class _DocxWriter:
    def __init__(self, source: dict[str, Any]) -> None:
        from docx import Document

        self.source = source
        self.doc = Document()
        self.footnotes: Any = None
        self.revision_id = 1000  # w:id of w:ins/w:del, clear of the comment ids
        self.shape_count = 0
        date = source.get("date") or "2026-01-01"
        self.stamp_time = f"{date}T09:00:00Z"

    # -- document-level parts ------------------------------------------------------------
    def setup(self) -> None:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.oxml.ns import qn
        from docx.shared import Pt

        normal = self.doc.styles["Normal"]
        normal.font.name = "Times New Roman"
        normal.font.size = Pt(12)
        rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            rfonts.set(qn(attr), "Times New Roman")
        # the template's thumbnail shows python-docx's own sample page: drop it
        rels = self.doc.part.package.rels
        for rid in [k for k, r in rels.items() if r.reltype == RT.THUMBNAIL]:
            del rels[rid]

    def properties(self) -> None:
        props = self.source.get("properties") or {}
        core = self.doc.core_properties
        date = dt.datetime.fromisoformat(self.source.get("date") or "2026-01-01")
        core.author = props.get("author", "")
        core.last_modified_by = props.get("author", "")
        core.created = core.modified = date
        core.revision = 1
        for key in ("title", "subject", "keywords", "category", "comments", "content_status"):
            setattr(core, key, props.get(key, ""))
        custom = dict(props.get("custom") or {})
        label = props.get("label")
        if label:  # a sensitivity label as Purview writes it (MIP SDK metadata)
            custom.update(msip_properties(label))
            self._label_info(label)
        if custom:
            self._custom_properties(custom)

    def _label_info(self, label: dict[str, Any]) -> None:
        # docMetadata/LabelInfo.xml (namespace mipLabelMetadata), as newer Office writes it
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part

        ident = label.get("id", DEFAULT_LABEL_ID)
        blob = (
            '<?xml version="1.0" encoding="utf-8" standalone="yes"?>'
            '<clbl:labelList xmlns:clbl="http://schemas.microsoft.com/office/2020/'
            f'mipLabelMetadata"><clbl:label id="{{{ident}}}" '
            f'enabled="{1 if label.get("enabled", True) else 0}" method="Privileged" '
            f'siteId="{{{DEFAULT_SITE_ID}}}" contentBits="0" '
            f'removed="{1 if label.get("removed") else 0}"/></clbl:labelList>'
        ).encode()
        package = self.doc.part.package
        part = Part(PackURI("/docMetadata/LabelInfo.xml"),
                    "application/vnd.ms-office.classificationlabels+xml", blob, package)
        package.relate_to(
            part, "http://schemas.microsoft.com/office/2020/02/relationships/classificationlabels")

    def _custom_properties(self, custom: dict[str, Any]) -> None:
        # docProps/custom.xml (ECMA-376 Part 1, §22.3), related from the package
        from docx.opc.constants import CONTENT_TYPE as CT
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.packuri import PackURI
        from docx.opc.part import Part
        from lxml import etree

        root = etree.Element(f"{{{CUSTOM_NS}}}Properties", nsmap={None: CUSTOM_NS, "vt": VT_NS})
        for pid, (name, value) in enumerate(custom.items(), start=2):
            prop = etree.SubElement(
                root, f"{{{CUSTOM_NS}}}property", fmtid=FMTID, pid=str(pid), name=name
            )
            if isinstance(value, bool):
                etree.SubElement(prop, f"{{{VT_NS}}}bool").text = "true" if value else "false"
            elif isinstance(value, int):
                etree.SubElement(prop, f"{{{VT_NS}}}i4").text = str(value)
            elif isinstance(value, float):
                etree.SubElement(prop, f"{{{VT_NS}}}r8").text = repr(value)
            elif isinstance(value, dt.date):
                etree.SubElement(
                    prop, f"{{{VT_NS}}}filetime"
                ).text = f"{value.isoformat()[:10]}T00:00:00Z"
            else:
                etree.SubElement(prop, f"{{{VT_NS}}}lpwstr").text = str(value)
        blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
        package = self.doc.part.package
        part = Part(PackURI("/docProps/custom.xml"), CT.OFC_CUSTOM_PROPERTIES, blob, package)
        package.relate_to(part, RT.CUSTOM_PROPERTIES)

    def _footnotes_part(self) -> Any:
        if self.footnotes is None:
            from docx.opc.constants import CONTENT_TYPE as CT
            from docx.opc.constants import RELATIONSHIP_TYPE as RT
            from docx.opc.packuri import PackURI
            from docx.opc.part import XmlPart
            from docx.oxml import parse_xml

            part = next(
                (
                    r.target_part
                    for r in self.doc.part.rels.values()
                    if r.reltype == RT.FOOTNOTES and not r.is_external
                ),
                None,
            )
            if part is None:  # python-docx's template has no footnotes part: create it
                part = XmlPart(
                    PackURI("/word/footnotes.xml"),
                    CT.WML_FOOTNOTES,
                    parse_xml(FOOTNOTES_XML),
                    self.doc.part.package,
                )
                self.doc.part.relate_to(part, RT.FOOTNOTES)
            self.footnotes = part
        return self.footnotes

    # -- sections, headers, footers ------------------------------------------------------
    @staticmethod
    def _fill(hf: Any, text: str | None, align: str) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        hf.is_linked_to_previous = False
        para = hf.paragraphs[0]
        para.alignment = getattr(WD_ALIGN_PARAGRAPH, align.upper())
        for extra in hf.paragraphs[1:]:
            extra._p.getparent().remove(extra._p)
        for r in list(para.runs):
            r._r.getparent().remove(r._r)
        if text:
            para.add_run(text)

    def section(
        self,
        first: bool,
        header: str | None,
        footer: str | None,
        first_header: str | None,
        first_footer: str | None,
    ) -> None:
        from docx.enum.section import WD_SECTION
        from docx.shared import Mm

        sec = self.doc.sections[0] if first else self.doc.add_section(WD_SECTION.NEW_PAGE)
        sec.page_width, sec.page_height = Mm(210), Mm(297)
        sec.left_margin, sec.right_margin = Mm(30), Mm(15)
        sec.top_margin, sec.bottom_margin = Mm(25), Mm(20)
        sec.header_distance, sec.footer_distance = Mm(10), Mm(10)
        sec.different_first_page_header_footer = first_header is not None
        # the first section needs no part for an absent header; later ones must unlink
        # from the previous section's, or they would inherit it
        if header or not first:
            self._fill(sec.header, header, "right")
        if footer or not first:
            self._fill(sec.footer, footer, "center")
        if first_header is not None:
            self._fill(sec.first_page_header, first_header, "right")
            self._fill(sec.first_page_footer, first_footer, "center")

    # -- body ----------------------------------------------------------------------------
    def paragraph(self, it: Para) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml.ns import qn

        para = self.doc.add_paragraph()
        if it.align != "left":
            para.alignment = getattr(WD_ALIGN_PARAGRAPH, it.align.upper())
        spans: dict[int, list[Any]] = {}  # comment id(note) -> runs it covers
        for seg, refs, covering in _segments(it):
            if refs:
                for note in refs:
                    self._footnote(para, note)
                continue
            if not seg:
                continue
            run = para.add_run(seg)  # python-docx turns "\n" into w:br, "\t" into w:tab
            for note in covering:
                spans.setdefault(id(note), []).append(run)
        for note in it.notes:
            if note.kind == "comment" and spans.get(id(note)):
                runs = spans[id(note)]
                initials = "".join(w[0] for w in note.author.split()[:2]).upper()
                comment = self.doc.add_comment(
                    [runs[0], runs[-1]], text=note.text, author=note.author, initials=initials
                )
                # python-docx stamps the current time; use the document's date (reproducible)
                comment._comment_elm.set(qn("w:date"), self.stamp_time)

    def _footnote(self, para: Any, note: Note) -> None:
        # anchor: w:footnoteReference in a superscript run (ECMA-376 Part 1, §17.11.14)
        ref_run = _w("r")
        rpr = _w("rPr")
        rpr.append(_w("vertAlign", val="superscript"))
        ref_run.append(rpr)
        ref_run.append(_w("footnoteReference", id=str(note.number)))
        para._p.append(ref_run)
        fn = _w("footnote", id=str(note.number))
        p = _w("p")
        ppr = _w("pPr")
        ppr.append(_w("spacing", after="0"))
        p.append(ppr)
        r1 = _w("r")
        rpr1 = _w("rPr")
        rpr1.append(_w("vertAlign", val="superscript"))
        r1.append(rpr1)
        r1.append(_w("footnoteRef"))
        p.append(r1)
        r2 = _w("r")
        rpr2 = _w("rPr")
        rpr2.append(_w("sz", val="20"))
        r2.append(rpr2)
        _append_text(r2, " " + note.text)
        p.append(r2)
        fn.append(p)
        self._footnotes_part().element.append(fn)

    def table(self, it: Table) -> None:
        table = self.doc.add_table(rows=len(it.rows), cols=len(it.rows[0]))
        table.style = self.doc.styles["Table Grid"]
        for r, row in enumerate(it.rows):
            for c, text in enumerate(row):
                if text:
                    table.cell(r, c).paragraphs[0].add_run(text)

    def textbox(self, it: TextBox) -> None:
        """A VML text box (v:shape/v:textbox/w:txbxContent), inline in its own paragraph."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.oxml import parse_xml

        self.shape_count += 1
        lines = it.text.split("\n")
        width = max(len(line) for line in lines) * 9.5 + 24
        height = len(lines) * 17 + 14
        style = f"width:{width:.0f}pt;height:{height:.0f}pt"
        if it.rotate:
            style += f";rotation:{it.rotate:g}"
        shapetype = ""
        if self.shape_count == 1:
            shapetype = (
                '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" '
                'path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
                '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
            )
        inner = "".join(
            '<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:b/><w:sz w:val="26"/>'
            f'</w:rPr><w:t xml:space="preserve">{escape(line)}</w:t></w:r></w:p>'
            for line in lines
        )
        xml = (
            f'<w:r xmlns:w="{W_NS}" xmlns:v="{V_NS}" xmlns:o="{O_NS}"><w:pict>{shapetype}'
            f'<v:shape id="qupiaTextBox{self.shape_count}"'
            f' o:spid="_x0000_s{1024 + self.shape_count}"'
            f' type="#_x0000_t202" style="{style}" strokeweight="1.5pt">'
            '<v:textbox style="mso-fit-shape-to-text:t">'
            f"<w:txbxContent>{inner}</w:txbxContent></v:textbox>"
            "</v:shape></w:pict></w:r>"
        )
        para = self.doc.add_paragraph()
        para.alignment = getattr(WD_ALIGN_PARAGRAPH, it.align.upper())
        para._p.append(parse_xml(xml))

    def special(self, it: Special) -> None:
        para = self.doc.add_paragraph()
        ppr = para._p.get_or_add_pPr()
        mark = _w("rPr")  # properties of the paragraph mark
        ppr.append(mark)
        if it.kind == "hidden":
            mark.append(_w("vanish"))
            run = para.add_run(it.text)
            run.font.hidden = True  # w:vanish (ECMA-376 Part 1, §17.3.2.41)
            return
        self.revision_id += 1
        attrs = {"id": str(self.revision_id), "author": it.author, "date": self.stamp_time}
        tag = "del" if it.kind == "deleted" else "ins"
        mark.append(_w(tag, **attrs))  # the paragraph mark is part of the revision
        self.revision_id += 1
        wrapper = _w(tag, **{**attrs, "id": str(self.revision_id)})
        run = _w("r")
        _append_text(run, it.text, "delText" if tag == "del" else "t")
        wrapper.append(run)
        para._p.append(wrapper)

    def page_break(self) -> None:
        self.doc.add_page_break()

    def save(self, path: Path) -> None:
        buf = io.BytesIO()
        self.doc.save(buf)
        path.write_bytes(_zip_fixed(buf.getvalue()))


def render_docx(source: dict[str, Any], path: Path) -> None:
    """Sections per run of pages sharing header and footer; page breaks between pages."""
    writer = _DocxWriter(source)
    writer.setup()
    writer.properties()
    plans = _plan_pages(source)
    first = _first_page_header(source)
    previous: tuple[str | None, str | None] | None = None
    for index, plan in enumerate(plans):
        key = (plan.header, plan.footer)
        if index == 0 or key != previous:
            writer.section(
                index == 0,
                plan.header,
                plan.footer,
                first if index == 0 else None,
                plan.footer if index == 0 else None,
            )
        else:
            writer.page_break()
        previous = key
        handlers: dict[type, Callable[[Any], None]] = {
            Para: writer.paragraph,
            Table: writer.table,
            TextBox: writer.textbox,
            Special: writer.special,
        }
        for it in plan.items:
            handlers[type(it)](it)
        if not plan.items:  # an empty page still needs a paragraph of its own
            writer.doc.add_paragraph()
    writer.save(path)


# ---------------------------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------------------------

def render_legacy(source: dict[str, Any], path: Path) -> None:
    """ODT, DOC or RTF: the DOCX rendering, converted by LibreOffice as a user would save it."""
    with tempfile.TemporaryDirectory(prefix="qupia-build-") as tmp:
        docx = Path(tmp) / f"{path.stem}.docx"
        render_docx(source, docx)
        subprocess.run(
            ["soffice", "--headless", f"-env:UserInstallation=file://{tmp}/profile",
             "--convert-to", path.suffix[1:], "--outdir", tmp, str(docx)],
            check=True, capture_output=True, timeout=300)
        shutil.move(str(Path(tmp) / path.name), path)


RENDERERS: dict[str, Callable[[dict[str, Any], Path], None]] = {
    "pdf": render_pdf,
    "docx": render_docx,
    "txt": render_txt,
    **{fmt: render_legacy for fmt in LEGACY_FORMATS},
}


def render(source: dict[str, Any], out_dir: Path) -> Path:
    """Render one source to ``out_dir/<id>.<format>`` and return the path written."""
    source = validate_source(source, f"source {source.get('id', '?')!r}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{source['id']}.{source['format']}"
    RENDERERS[source["format"]](source, path)
    return path


def label_row(source: dict[str, Any], path: Path, out_dir: Path) -> dict[str, Any]:
    """One line of labels.jsonl."""
    return {
        "id": source["id"],
        "path": path.relative_to(out_dir).as_posix(),
        "format": source["format"],
        "lang": source["lang"],
        "genre": source["genre"],
        "split": source["split"],
        "date": source.get("date"),
        "labels": source["labels"],
    }


def build(
    sources: Iterable[dict[str, Any]], out_dir: Path, *, errors: list[str] | None = None
) -> list[dict[str, Any]]:
    """Render every source and write ``out_dir/labels.jsonl``; return its rows.

    When an ``errors`` list is given, a source that fails to render is noted there and left
    out instead of stopping the build.
    """
    out_dir = Path(out_dir)
    rows = []
    for source in sources:
        try:
            rows.append(label_row(source, render(source, out_dir), out_dir))
        except (SourceError, BuildError) as exc:
            if errors is None:
                raise
            errors.append(str(exc))
    rows.sort(key=lambda r: r["id"])
    with (out_dir / "labels.jsonl").open("w", encoding="utf-8", newline="\n") as fh:
        for row in rows:
            fh.write(json.dumps(row, ensure_ascii=False) + "\n")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("src_dir", nargs="?", type=Path, default=DEFAULT_SRC)
    parser.add_argument("out_dir", nargs="?", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="validate the sources only")
    parser.add_argument(
        "--keep-going", action="store_true", help="report invalid sources and build the others"
    )
    args = parser.parse_args(argv)
    errors: list[str] | None = [] if args.keep_going else None
    try:
        sources = load_sources(args.src_dir, errors=errors)
        if args.check:
            print(f"{len(sources)} source(s) valid", file=sys.stderr if errors else sys.stdout)
        else:
            rows = build(sources, args.out_dir, errors=errors)
            counts = ", ".join(f"{sum(r['format'] == f for r in rows)} {f}" for f in FORMATS)
            print(f"{len(rows)} document(s) -> {args.out_dir} ({counts})")
    except (SourceError, BuildError) as exc:
        print(exc, file=sys.stderr)
        return 1
    if errors:
        print("\n".join(errors), file=sys.stderr)
        print(f"{len(errors)} problem(s); those sources were skipped", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
