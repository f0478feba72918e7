"""Blocks → markings with requisites; see :mod:`qupia.markings.detect`."""

from qupia.markings.detect import MarkingFacts, detect, fold_blocks
from qupia.markings.patterns import Pack, load

__all__ = ["MarkingFacts", "Pack", "detect", "fold_blocks", "load"]
