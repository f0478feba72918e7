"""Blocks → markings with requisites; see :mod:`qupia.markings.detect`."""

from qupia.markings.detect import MarkingFacts, detect, fold_blocks
from qupia.markings.patterns import Pack, PatternError, load

__all__ = ["MarkingFacts", "Pack", "PatternError", "detect", "fold_blocks", "load"]
