"""Blocks → markings with requisites; see :mod:`qupia.markings.facts`."""

from qupia.markings.facts import detect
from qupia.markings.patterns import Pack, load
from qupia.model import MarkingFacts

__all__ = ["MarkingFacts", "Pack", "detect", "load"]
