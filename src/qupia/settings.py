"""Settings resolved once and passed down; nothing reads options from anywhere else."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from qupia.extract.errors import Limits


@dataclass(frozen=True)
class Settings:
    reference_date: date = field(default_factory=date.today)
    enabled: frozenset[str] | None = None  # None: every rule
    severity: dict[str, str] = field(default_factory=dict)  # code → severity override
    # False (--no-evidence): no words of the document in any output. Read in one place,
    # qupia.finish, which removes them from each file's result once its findings are finished
    # (the baseline hashes the evidence before that).
    evidence: bool = True
    limits: Limits = field(default_factory=Limits)
    jobs: int = 1
    lang: str = "en"  # kk | ru | en: the language reports and explanations are written in
    departmental_list: Path | None = None  # a departmental list file, resolved and checked
    content_threshold: float | None = None  # None: the calibrated threshold of the model
    # "compare-only": a level in the document's properties is compared with the stamps (QP401)
    # only; "count": it also counts as a page mark for the other rules (QP100, QP200, …)
    metadata_marks: str = "compare-only"
    ocr: str = "auto"  # off | auto (when Tesseract is there) | force (every page)
