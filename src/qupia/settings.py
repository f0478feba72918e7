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
    evidence: bool = True  # False (--no-evidence): no words of the document in any output
    # Findings keep their evidence in memory, never in output, even when evidence is off: the
    # CLI hashes it for baseline identities (qupia.baseline). Messages follow `evidence`.
    keep_evidence: bool = False
    limits: Limits = field(default_factory=Limits)
    jobs: int = 1
    lang: str = "en"  # kk | ru | en: the language of messages and explanations
    departmental_list: Path | None = None  # a departmental list file, resolved and checked
    content_threshold: float | None = None  # None: the calibrated threshold of the model
    # "compare-only": a level in the document's properties is compared with the stamps (QP401)
    # only; "count": it also counts as a page mark for the other rules (QP100, QP200, …)
    metadata_marks: str = "compare-only"
    ocr: str = "auto"  # off | auto (when Tesseract is there) | force (every page)
