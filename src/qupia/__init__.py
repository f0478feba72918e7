"""qupia: a linter for documents under Kazakhstan's Law "On State Secrets" (No 349-I).

The Python API is :func:`qupia.check` and :func:`qupia.check_file` (:mod:`qupia.api`); they
are imported when first used, so that ``import qupia`` and ``qupia --version`` stay light.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["FileResult", "Settings", "__version__", "check", "check_file"]


def __getattr__(name: str) -> Any:
    if name in ("check", "check_file", "FileResult", "Settings"):
        from qupia import api

        return getattr(api, name)
    raise AttributeError(f"module 'qupia' has no attribute {name!r}")
