"""Is a page's text layer worth reading, or must the page be read from its image (OCR)?

A scan often carries a text layer that does not say what the page shows: an earlier poor OCR,
text drawn invisible over the image, or a font without a Unicode map that gives letters in the
wrong script ("Ñåêðåòíî" for "Секретно"). qupia never takes such a layer for the page (a stamp
it misses would pass a secret page as clean): the page is read by OCR, or, without OCR, counted
as unreadable.
"""

from __future__ import annotations

import re

import regex

_WORD = regex.compile(r"\p{L}{2,}")
_CYRILLIC = frozenset(chr(c) for c in range(0x0400, 0x0530))
_LATIN = frozenset(chr(c) for c in [*range(0x61, 0x7B), *range(0xDF, 0x250)])
_VOWELS = frozenset("аәеёиоөуұүыіэюяaeiouyäöüıáóúéàèìòù")
# everything but Cyrillic letters: what is left when it is deleted is the Cyrillic letters
# (counted so, not found one by one: a tenth of the time, and every text page is judged)
_NOT_CYRILLIC = re.compile(r"[^\u0400-\u04ff]+")
_MOJIBAKE = frozenset(chr(c) for c in range(0xC0, 0x100))  # cp1251 letters read as Latin-1
_CONSONANT_RUN = regex.compile(r"[^аәеёиоөуұүыіэюяaeiouyäöüıáóúéàèìòùй'\W\d_]{6,}")
_JUNK = regex.compile(r"[\ufffd\ue000-\uf8ff\x00-\x08\x0e-\x1f]")
MIN_WORDS = 8  # fewer words than this say too little to judge
MAX_WORDS = 30  # words judged
MIN_PLAUSIBLE = 0.4  # share of plausible words below which a layer is garbled
SAMPLE = 400  # characters judged: a garbled layer is garbled throughout (and every text page
# of every PDF is judged, so this keeps it to a tenth of a millisecond a page)


def plausible(word: str) -> bool:
    """A word that could be Kazakh, Russian or Latin-script text: one script, a vowel, no long
    run of consonants, not Latin-1 letters standing for Cyrillic ones."""
    low = word.lower()
    chars = set(low)
    if not (chars <= _CYRILLIC or chars <= _LATIN):
        return False
    if chars.isdisjoint(_VOWELS):
        return len(low) <= 3  # abbreviations: "ДСП", "ҚР"
    if not chars.isdisjoint(_MOJIBAKE) and sum(ch in _MOJIBAKE for ch in low) * 2 > len(low):
        return False
    return len(low) < 6 or not _CONSONANT_RUN.search(low)


def garbled(text: str) -> bool:
    """Whether a page's text layer is garbage: replacement or private-use characters, or too
    few plausible words."""
    text = text[:SAMPLE]
    if not text.strip():
        return False
    if len(_JUNK.findall(text)) * 10 > len(text.strip()):
        return True
    if len(_NOT_CYRILLIC.sub("", text)) * 2 > len(text):
        return False  # mostly Cyrillic letters: no mojibake, no font without a Unicode map
    words = _WORD.findall(text)[:MAX_WORDS]
    if len(words) < MIN_WORDS:
        return False
    good = sum(1 for w in words if plausible(w))
    return good < MIN_PLAUSIBLE * len(words)
