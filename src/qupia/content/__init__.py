"""Blocks → Article 11–14 and 17(1) matches with evidence; see :mod:`qupia.content.detect`."""

from qupia.content.deplist import load_list, match_list
from qupia.content.detect import Resources, analyse, load_resources, prepare

__all__ = ["Resources", "analyse", "load_list", "load_resources", "match_list", "prepare"]
