"""Extraction errors and the hardening limits (docs/architecture.md)."""

from __future__ import annotations

from qupia.model import Limits

__all__ = ["ExtractError", "Limits"]

#: ``--ocr``: never; when Tesseract is there, on pages without a usable text layer; every page.
OCR_MODES: tuple[str, ...] = ("off", "auto", "force")


class ExtractError(Exception):
    """A file that cannot be read; the message is the one-line reason shown to the user."""
