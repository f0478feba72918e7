"""Length-preserving text folding, so that a match in folded text points at the original.

Case, Kazakh-specific letters, Latin diacritics of the 2017–2021 Kazakh alphabets, quotes and odd
spaces must not hide a mark (docs/law.md). Each character maps to exactly one character, through one
``str.translate`` table, so offsets in the folded text are offsets in the original.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

from qupia.cache import cached

if TYPE_CHECKING:
    from qupia.model import Document

# Kazakh Cyrillic letters folded to the Russian letters they look like: OCR with a Russian model
# reads "ӨТЕ ҚҰПИЯ" as "ОТЕ КУПИЯ", and typists without a Kazakh layout type it so.
_KAZAKH = {"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у", "һ": "х",
           "і": "и", "ё": "е", "ї": "и"}
_LATIN_EXTRA = {"ı": "i", "ł": "l", "ø": "o", "ß": "s", "ʼ": "'", "ʻ": "'", "’": "'", "‘": "'",
                "`": "'", "´": "'", "ʹ": "'"}
_QUOTES = "«»„“”‟‹›\"″"
_SPACES = "\u00a0\u202f\u205f\u3000" + "".join(chr(c) for c in range(0x2000, 0x200B))
_DASHES = "‐‑‒–—―−"


def _build() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x20, 0x2100):
        ch = chr(code)
        low = ch.lower()
        out = low if len(low) == 1 else unicodedata.normalize("NFD", ch)[0].lower()
        if out in _KAZAKH:
            out = _KAZAKH[out]
        elif out in _LATIN_EXTRA:
            out = _LATIN_EXTRA[out]
        elif code < 0x0370 or 0x1E00 <= code < 0x1F00:
            base = unicodedata.normalize("NFD", out)[0]
            if base.isascii():
                out = base
        if out != ch:
            table[code] = out
    for q in _QUOTES:
        table[ord(q)] = '"'
    for s in _SPACES:
        table[ord(s)] = " "
    for d in _DASHES:
        table[ord(d)] = "-"
    table[ord("\r")] = "\n"
    table[ord("\t")] = " "
    table[ord("\u00ad")] = "\u200b"  # soft hyphen: treated like a zero-width space
    return table


def _plan(table: dict[int, str]
          ) -> tuple[tuple[tuple[str, str], ...], dict[str, str], re.Pattern[str]]:
    """*table* as ``str.lower`` plus replacements (``str.translate`` through a dict
    reads 60 ns a character; ``lower`` and ``replace`` run in C at a few ns): the Kazakh
    letters, always replaced, and the rarer characters, replaced when a class finds them."""
    after: dict[str, str] = {}
    for code in range(0x20, 0x2100):
        ch = chr(code)
        low = ch.lower() if ch != "\u0130" else "i"
        want = table.get(code, ch)
        if len(low) != 1 or after.get(low, want) != want:
            raise AssertionError(f"fold: U+{code:04X} cannot be folded after lower()")
        if low != want:
            after[low] = want
    for code in (ord("\r"), ord("\t")):
        after[chr(code)] = table[code]
    if any(v in after for v in after.values()):
        raise AssertionError("fold: a replacement would be replaced again")
    kazakh = tuple((k, after.pop(k)) for k in _KAZAKH)
    rare = re.compile("[" + "".join(re.escape(k) for k in sorted(after)) + "]")
    return kazakh, after, rare


def _tables() -> tuple[dict[int, str], tuple[tuple[str, str], ...], dict[str, str],
                      re.Pattern[str]]:
    table = _build()
    return (table, *_plan(table))


# Built once and kept in the user cache (keyed by this file and the Python version, whose
# Unicode tables they read): importing this module took 5–7 ms of CPU building them, the rare
# characters' class compiled, and takes about 2 ms now (issue 12).
TABLE, _ALWAYS, _RARE, _RARE_CLASS = cached("fold", [Path(__file__)], _tables)

#: Characters that may stand between the letters of a mark without breaking it.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


def fold(text: str) -> str:
    """Fold *text* for matching; ``len(fold(t)) == len(t)`` always.

    The same as ``text.translate(TABLE)`` on characters below U+2100, and lower case above.
    """
    if "\u0130" in text:  # "İ": the one character whose lower() is two
        text = text.replace("\u0130", "i")
    text = text.lower()
    for old, new in _ALWAYS:
        text = text.replace(old, new)
    # each rare character met is replaced everywhere at once, and the search goes on from
    # there: no replacement is itself rare, so one pass finds the next one (where a list of
    # every quote and dash of a long text cost more than the replacing)
    search = _RARE_CLASS.search
    found = search(text)
    while found is not None:
        ch = found.group()
        text = text.replace(ch, _RARE[ch])
        found = search(text, found.start())
    return text


def fold_regex(source: str) -> str:
    """Fold the literal letters of a regex, leaving escapes (``\\d``, ``\\S``) alone."""
    out: list[str] = []
    escaped = False
    for ch in source:
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        else:
            out.append(ch.translate(TABLE))
    return "".join(out)


# Latin letters that look like Cyrillic ones (after folding to lower case): OCR noise and
# hand-typed stamps mix the scripts ("CEKPETHO", "ceкретно").
HOMOGLYPHS: dict[str, str] = {
    "а": "a", "в": "b", "е": "e", "к": "k", "м": "m", "н": "h", "о": "o", "р": "p", "с": "c",
    "т": "t", "у": "y", "х": "x", "и": "u",
}
#: Digits OCR puts for letters ("СЕКРЕТН0").
DIGIT_GLYPHS: dict[str, str] = {"о": "0", "з": "3"}


# Kazakh Latin (2017–2021 alphabets) to Kazakh Cyrillic, letter for letter, so that a text in
# Latin script reads like one in Cyrillic to the classifier and to Cyrillic cues. One character
# for one here; the digraphs below are two for one (see latin_to_cyrillic).
_LATIN_CYRILLIC = dict(zip(
    "aäbcdefgğhiıjklmnñoöpqrsştuūüvwxyz",
    "аәбцдефгғһііжклмнңоөпқрсштуұүвухыз", strict=True))
LATIN_TO_CYRILLIC: dict[int, str] = {}
for _lat, _cyr in _LATIN_CYRILLIC.items():
    LATIN_TO_CYRILLIC[ord(_lat)] = _cyr
    LATIN_TO_CYRILLIC[ord(_lat.upper())] = _cyr.upper()
LATIN_TO_CYRILLIC.update({ord("á"): "ә", ord("ó"): "ө", ord("ú"): "ү", ord("ý"): "у",
                          ord("ǵ"): "ғ", ord("ń"): "ң", ord("İ"): "І", ord("Á"): "Ә",
                          ord("Ó"): "Ө", ord("Ú"): "Ү", ord("Ǵ"): "Ғ", ord("Ń"): "Ң"})


# Two Latin letters for one Cyrillic one: the digraphs of the 2018 alphabet ("sh" ш, "ch" ч:
# "shekara" is шекара) and the apostrophe letters of the 2017 one ("s'" ш, "n'" ң, "a'" ә).
# Kazakh writes no с+х or ц+х, so "sh" is always ш in a Kazakh word.
_DIGRAPH_LETTERS = {"sh": "ш", "ch": "ч", "a'": "ә", "g'": "ғ", "n'": "ң", "o'": "ө",
                    "u'": "ү", "s'": "ш", "c'": "ч", "i'": "і"}
_DIGRAPH = re.compile(r"(?i)[sc]h|[agnouc si][’'ʼ](?=\w)".replace(" ", ""))
_DIGRAPH_WORD = re.compile(r"\w+(?:[’'ʼ]\w+)*")


def _digraph_word(match: re.Match[str]) -> str:
    word = match.group()
    if not _DIGRAPH.search(word):
        return word

    def letter(m: re.Match[str]) -> str:
        pair = m.group()
        second = pair[1].lower().replace("’", "'").replace("ʼ", "'")
        cyr = _DIGRAPH_LETTERS[pair[0].lower() + second]
        return cyr.upper() if pair[0].isupper() else cyr

    converted = _DIGRAPH.sub(letter, word)
    # the word keeps its start; it ends earlier, and spaces fill up to its old end
    return converted + " " * (len(word) - len(converted))


def latin_to_cyrillic(text: str) -> str:
    """Kazakh Latin letters as Cyrillic ones; ``len`` is kept (a word written with a digraph,
    "shekara", becomes шекара and a space: every word still starts where it started)."""
    return _DIGRAPH_WORD.sub(_digraph_word, text).translate(LATIN_TO_CYRILLIC)


def fold_blocks(doc: Document) -> list[str]:
    """Each block's text folded, once for every stage that reads folded text (one translate
    of the whole text, then cut: folding keeps lengths)."""
    whole = fold("\n".join(b.text for b in doc.blocks))
    out = []
    pos = 0
    for block in doc.blocks:
        out.append(whole[pos : pos + len(block.text)])
        pos += len(block.text) + 1
    return out
