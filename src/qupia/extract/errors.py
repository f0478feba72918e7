"""Extraction errors and the hardening limits (docs/architecture.md)."""

from __future__ import annotations

from dataclasses import dataclass

#: ``--ocr``: never; when Tesseract is there, on pages without a usable text layer; every page.
OCR_MODES: tuple[str, ...] = ("off", "auto", "force")


class ExtractError(Exception):
    """A file that cannot be read; the message is the one-line reason shown to the user."""


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
