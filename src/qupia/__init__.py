"""qupia: a linter for documents under Kazakhstan's Law "On State Secrets" (No 349-I)."""

__version__ = "0.1.0"
