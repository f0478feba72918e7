"""What a document is about, by its text: the paragraphs each reported item's facts hold.

A marked document with both Article 11–14 and Article 17(1) matches is about one of the two
(its substance: QP300 when it is Article 17 matter, QP301 when it is a rightly classified
document that also holds Article 17 facts; ``rules/content_facts.py``). Summed cue weights
tell it badly: a paragraph on an earthquake names many Article 17 cues, a border outpost's
strength and patrols fewer, and the outpost's note then looked like an emergency report. So
each paragraph (block) of the text goes to the reported item whose cues weigh most in it,
and an item's share of the text is the characters of its paragraphs
(:func:`paragraph_chars`). On the train and dev splits (2026-12-07, 44 documents whose gold
answer is QP301 with facts of both groups) the Article 17 share by characters is 0.00–0.59
but one (0.71); by summed cue weight a QP301 had 0.66 and a QP300 0.63. Of the QP300
documents one has an Article 11–14 fact beside its Article 17 matter (0.36, still taken
for QP301); the others have none.
"""

from __future__ import annotations

from collections.abc import Callable

from qupia.content.matcher import Packs
from qupia.content.prepared import Text

PART = 300  # characters: short blocks (a heading, a signature) join the blocks after them
MAX_PARTS = 200  # a long text is read in at most about this many parts


def parts(text: Text) -> list[tuple[int, int]]:
    """The text's blocks, each joined to the ones after it until it has PART characters or
    more (more for a long text, so that there are at most about MAX_PARTS of them)."""
    least = max(PART, len(text.folded) // MAX_PARTS)
    ends = [*text.starts[1:], len(text.folded) + 1]
    out: list[tuple[int, int]] = []
    begin = None
    for a, b in zip(text.starts, ends, strict=True):
        begin = a if begin is None else begin
        if b - 1 - begin >= least:
            out.append((begin, b - 1))
            begin = None
    if begin is not None:
        out.append((begin, len(text.folded)))
    return out


def cue_weights(text: Text, packs: Packs, start: int, end: int,
                keep: Callable[[str], bool]) -> dict[str, float]:
    """The weight of each kept item's cues in ``text[start:end]``, on the folded text and its
    Cyrillic reading; an item's exceptions weigh against it, as they do in its cue score."""
    weight: dict[str, float] = {}
    for source in text.readings:
        for index in packs.hits(source[start:end]):
            cue = packs.cues[index]
            if keep(cue.item):
                sign = -1.0 if cue.exception else 1.0
                weight[cue.item] = weight.get(cue.item, 0.0) + sign * cue.weight
    return weight


def paragraph_chars(text: Text, packs: Packs, items: set[str]) -> dict[str, int]:
    """Per item of *items* (the items reported), the characters of the parts (:func:`parts`)
    its cues hold: a part goes to the item whose cues weigh most in it, and a part where
    another item's cues weigh at least half as much is shared between them by weight (a
    one-paragraph report of an exercise and of a fuel spill holds both); a part with none of
    their cues goes to none. An item's exceptions found in a part weigh against it there, as
    they do in its cue score (17.1.2 in an operative-search plan against a criminal group)."""
    out = dict.fromkeys(items, 0)
    for start, end in parts(text):
        weight = cue_weights(text, packs, start, end, lambda item: item in items)
        weight = {item: w for item, w in weight.items() if w > 0}
        if not weight:
            continue
        top = max(weight.values())
        shared = {item: w for item, w in weight.items() if w * 2 >= top}
        total = sum(shared.values())
        for item, w in shared.items():
            out[item] += round((end - start) * w / total)
    return out
