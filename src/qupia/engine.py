"""One file → one :class:`FileResult`: extract → markings → content → rules.

This is the whole pipeline for a file and nothing else: no printing, no exit status, no
process handling (see :mod:`qupia.runner` for that). The result is unfinished: its findings
carry their rules' default severity, their evidence and messages by id, and the document's own
suppressions are read but not applied; :func:`qupia.finish.finish` does that, in the main
process, from the settings.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import replace
from pathlib import Path

from qupia.content import analyse, load_list, load_resources, match_list, prepare
from qupia.content.article17 import with_paragraphs
from qupia.extract import SUFFIXES, ExtractError, extract, regular_file
from qupia.extract.errors import Limits
from qupia.extract.ocr import threads as ocr_threads
from qupia.extract.zipped import is_archive, walk
from qupia.markings import detect, load
from qupia.members import check_member
from qupia.model import (
    LEGAL_LEVELS,
    Document,
    FileResult,
    Level,
    Region,
)
from qupia.review import read as read_review
from qupia.rules import RULES, Facts, run
from qupia.settings import Settings
from qupia.text.fold import fold_blocks


def sha256(path: Path) -> str | None:
    return digests(path)[0]


def digests(path: Path) -> tuple[str | None, str | None]:
    """The file's sha256, and its evidence key: the sha256 of a fixed prefix and the content,
    which keys the evidence hashes of a baseline (:mod:`qupia.baseline`) and is written nowhere.
    (None, None) when the file cannot be read."""
    digest = hashlib.sha256()
    key = hashlib.sha256(b"qupia evidence key\0")
    try:
        # O_NONBLOCK: a path swapped for a FIFO after regular_file() looked cannot block here.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    except OSError:
        return None, None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None, None
        with os.fdopen(fd, "rb", closefd=False) as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                digest.update(chunk)
                key.update(chunk)
    except OSError:
        return None, None
    finally:
        os.close(fd)
    return digest.hexdigest(), key.hexdigest()


_KK_WORD = re.compile(r"\w*[әғқңөұүһіӘҒҚҢӨҰҮҺІ]\w*")
_KK_LATIN_WORD = re.compile(r"\w*[äğıñöūüşÄĞÑÖŪÜŞáóúńǵ]\w*")
_CYRILLIC_WORD = re.compile(r"\w*[а-яёА-ЯЁ]\w*")
_SAMPLE = 20_000


def language(doc: Document) -> str | None:
    """kk, ru or mixed, from the words of the first 20,000 characters: a word with a
    Kazakh-only letter (Cyrillic or Latin) is Kazakh; not every Kazakh word has one."""
    text = "\n".join(b.text for b in doc.blocks)[:_SAMPLE]
    kk = len(_KK_WORD.findall(text))
    latin = len(_KK_LATIN_WORD.findall(text))
    ru = len(_CYRILLIC_WORD.findall(text)) - kk
    kk_total = kk * 4 + latin * 3
    if not kk_total and not ru:
        return None
    if kk_total > ru * 2 or (latin and latin * 3 > ru):
        return "kk"
    if kk_total * 2 < ru // 2 or kk == 0:
        return "ru"
    return "mixed"


def over_memory(limits: Limits) -> str:
    """The reason given for a file whose reading went over the worker's memory limit."""
    return f"over the memory limit ({limits.memory_bytes // (1024 * 1024)} MiB; --memory-limit)"


def _digests_of(data: bytes) -> tuple[str, str]:
    key = hashlib.sha256(b"qupia evidence key\0")
    key.update(data)
    return hashlib.sha256(data).hexdigest(), key.hexdigest()


def check_path(path: Path, settings: Settings,
               hashed: tuple[str, str] | None = None) -> list[FileResult]:
    """The results for *path*: one for a document, one per readable member for a .zip archive
    (named ``archive.zip!inside/order.docx``, in the archive's order). *hashed*: the file's
    :func:`digests`, when the caller has just worked them out (``qupia scan``'s seen check)."""
    if not is_archive(path.name):
        return [check_file(path, settings, hashed=hashed)]
    try:
        regular_file(path)  # never open a FIFO or a device named .zip
    except ExtractError as exc:
        return [FileResult(str(path), None, "error", str(exc))]
    wanted = set(SUFFIXES)
    results: list[FileResult] = []
    try:
        for member in walk(str(path), str(path), settings.limits, wanted):
            # each member under its own time limit, with its own suppressions
            results.append(check_member(member, settings))
    except ExtractError as exc:
        results.append(FileResult(str(path), sha256(path), "error", str(exc)))
    if not results:
        results.append(FileResult(str(path), sha256(path), "error",
                                  "ZIP archive holds no file of a type qupia reads"))
    return results


def check_file(path: Path, settings: Settings, data: bytes | None = None,
               hashed: tuple[str, str] | None = None) -> FileResult:
    """One document: the file at *path*, or the bytes *data* of an archive member so named;
    *hashed*: the file's :func:`digests` when the caller has them (the file is not read twice
    for them)."""
    if data is None:
        try:
            # Before anything opens it: a FIFO or a device would block or never end (a FIFO
            # named x.txt, /dev/zero); only regular files are read.
            regular_file(path)
        except ExtractError as exc:
            return FileResult(str(path), None, "error", str(exc))
    if data is not None:
        digest, key = _digests_of(data)
    else:
        digest, key = hashed if hashed is not None else digests(path)
    try:
        doc = extract(path, settings.limits, data=data, ocr=settings.ocr,
                      ocr_workers=ocr_threads(settings.jobs))
    except ExtractError as exc:
        return FileResult(str(path), digest, "error", str(exc))
    except MemoryError:
        return FileResult(str(path), digest, "error", over_memory(settings.limits))
    except RecursionError:
        return FileResult(str(path), digest, "error", "file too complex to read within limits")
    if not any(b.text.strip() for b in doc.blocks if b.region is not Region.METADATA):
        # Nothing to check: a scan without OCR, or a file with no words at all. Never clean.
        pages = doc.unreadable_pages or tuple(range(1, doc.pages + 1))
        return FileResult(str(path), digest, "no-text",
                          doc.unreadable_reason or "no readable text", pages=doc.pages,
                          unreadable_pages=pages)
    folded = fold_blocks(doc)
    facts = detect(doc, load(), folded)
    if settings.metadata_marks == "count":  # the properties' levels count as the pages' do
        facts = replace(facts, markings=facts.markings + tuple(
            m for m in facts.metadata if m.level in (*LEGAL_LEVELS, Level.LIMITED)))
    text = prepare(doc, None, folded, facts.spans)
    categories, scores = analyse(text, load_resources(), settings.content_threshold)
    if facts.document_level is not None:  # Article 17 facts in a paragraph of a marked one
        categories = with_paragraphs(categories, scores, text, load_resources(),
                                     settings.content_threshold,
                                     soviet=any(m.legacy for m in facts.in_effect))
    listed = (match_list(load_list(settings.departmental_list), text, categories, facts.markings)
              if settings.departmental_list else ())
    rule_facts = Facts(markings=facts, categories=categories,
                       reference_date=settings.reference_date, list_matches=listed)
    findings = run(rule_facts, set(settings.enabled) if settings.enabled is not None else None)
    # A reviewed document's own suppressions (qupia.review) are read with it, here in the
    # worker under the time limit; an archive's members have none.
    review = (read_review(path, {r.CODE for r in RULES}, settings.limits)
              if findings and data is None else None)
    # Some pages could not be read: the file is checked on the pages that were, and still
    # fails the run (a page that could not be read is never passed).
    return FileResult(
        path=str(path), sha256=digest, status="no-text" if doc.unreadable_pages else "ok",
        error=doc.unreadable_reason if doc.unreadable_pages else None, pages=doc.pages,
        unreadable_pages=doc.unreadable_pages,
        language=language(doc), facts=facts, categories=categories, findings=tuple(findings),
        evidence_key=key, review=review,
    )
