"""A folded text as whitespace-separated tokens, and stem cues matched on them without a regex
(:class:`Tokens`): what :class:`qupia.content.matcher.Packs` reads a document through."""

from __future__ import annotations

import bisect
import itertools
import re

import numpy

from qupia.text.fold import fold

WORDISH = re.compile(r"[\w-]*")  # what a stem may be followed by inside its word
WORD_DIGIT = re.compile(r"(?<!\w)\d")
# str.isspace of every character up to U+3000, the last whitespace one; none above it
_WHITESPACE = numpy.array([chr(c).isspace() for c in range(0x3001)] + [False])
WINDOW = 160  # characters around a needle in which a needle-bearing cue is searched for


class Tokens:
    """A text as its whitespace-separated tokens: each token's index and position, the
    distinct tokens joined by newlines (what the automaton reads), and, for the tokens asked
    for, where they occur and which distinct tokens follow them."""

    def __init__(self, text: str) -> None:
        self.text = text
        # Tokens by str.split (C); their positions from a whitespace mask in numpy: a token
        # starts where a character is not whitespace and the one before it is.
        self.seq = text.split()
        codes = numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)
        space = _WHITESPACE[numpy.minimum(codes, len(_WHITESPACE) - 1)]
        start = ~space
        start[1:] &= space[:-1]
        self.pos = numpy.flatnonzero(start).tolist()
        if len(self.pos) != len(self.seq):  # cannot happen: str.split uses str.isspace
            raise AssertionError("token positions do not match the tokens")
        self.present = dict.fromkeys(self.seq)
        self.unique = [t for t in self.present if t]
        self.joined = "\n".join(self.unique)
        self.offsets = list(itertools.accumulate((len(t) + 1 for t in self.unique[:-1]),
                                                 initial=0))
        self.occurs: dict[str, list[int]] = {}
        self.following: dict[str, list[str]] = {}  # token → its next tokens, sorted

    def at(self, start: int) -> tuple[str, int]:
        """The distinct token at *start* in :attr:`joined`, and the offset in it."""
        k = bisect.bisect_right(self.offsets, start) - 1
        return self.unique[k], start - self.offsets[k]

    def index(self, tokens: list[str]) -> None:
        """Where each of *tokens* occurs (token indices), in one pass over the text."""
        occurs: dict[str, list[int]] = {t: [] for t in tokens}
        for j, token in enumerate(self.seq):
            if token in occurs:
                occurs[token].append(j)
        self.occurs = occurs

    def positions(self, where: list[tuple[str, int]]) -> list[int]:
        return sorted(self.pos[j] + offset for token, offset in where
                      for j in self.occurs[token])

    def after(self, token: str, prefix: str) -> int | None:
        """The first occurrence of *token* that a token starting with *prefix* follows."""
        nexts = self.following.get(token)
        if nexts is None:
            seq = self.seq
            nexts = self.following[token] = sorted(
                {seq[j + 1] for j in self.occurs[token] if j + 1 < len(seq)})
        k = bisect.bisect_left(nexts, prefix)
        if k == len(nexts) or not nexts[k].startswith(prefix):
            return None  # no such pair: the common case, decided by bisection
        for j in self.occurs[token]:
            if j + 1 < len(self.seq) and self.seq[j + 1].startswith(prefix):
                return j
        return None

    def stem(self, words: tuple[str, ...], key: int, where: list[tuple[str, int]],
             ends: list[tuple[str, int]]) -> tuple[int, int] | None:
        """The first match of a stem cue (:func:`stem_regex`) whose word *key* is at *where*;
        *ends*: the places of *where* at which the word runs to its token's end."""
        seq, pos = self.seq, self.pos
        if len(words) == 1:
            token, offset = min(where, key=lambda w: self.pos[self.occurs[w[0]][0]] + w[1])
            j = self.occurs[token][0]
            return pos[j] + offset, pos[j] + WORDISH.match(token, offset).end()
        if key == 0:
            # the next token starts with the second word; for a longer stem that only says
            # where to look
            starts = [(j, offset) for token, offset in ends
                      if (j := self.after(token, words[1])) is not None]
            if not starts:
                return None
            if len(words) == 2:
                j, offset = min(starts)
                return (pos[j] + offset,
                        pos[j + 1] + WORDISH.match(seq[j + 1], len(words[1])).end())
            tokens = {seq[j] for j, _ in starts}
            where = [(token, offset) for token, offset in where if token in tokens]
        for j, offset in sorted((j, offset) for token, offset in where
                                for j in self.occurs[token]):
            at = _stem_at(seq, j, offset, words, key)
            if at is not None:
                return pos[at[0]] + at[1], pos[at[2]] + at[3]
        return None

    def windows(self, needles: frozenset[str], holders: dict[str, list[str]]
                ) -> list[tuple[int, int]]:
        """Spans of the text around the needles' tokens (around the occurrences of a needle
        with a space in it), WINDOW characters either side, overlapping ones merged."""
        spans: list[tuple[int, int]] = []
        for needle in needles:
            if any(ch.isspace() for ch in needle):
                at = self.text.find(needle)
                while at >= 0:
                    spans.append((max(0, at - WINDOW), at + len(needle) + WINDOW))
                    at = self.text.find(needle, at + 1)
                continue
            for token in holders.get(needle, ()):
                for j in self.occurs[token]:
                    spans.append((max(0, self.pos[j] - WINDOW),
                                  self.pos[j] + len(token) + WINDOW))
        spans.sort()
        merged: list[tuple[int, int]] = []
        for lo, hi in spans:
            if merged and lo <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
            else:
                merged.append((lo, hi))
        return merged


def _stem_at(seq: list[str], j: int, offset: int, words: tuple[str, ...], key: int
             ) -> tuple[int, int, int, int] | None:
    """A stem of several words matched on tokens, its word *key* at token *j* (at *offset*):
    (first token, offset in it, last token, end in it), or None. As :func:`stem_regex`: each
    word a prefix of its token, every word but the last running to its token's end."""
    first, last = j - key, j - key + len(words) - 1
    if first < 0 or last >= len(seq) or (key and offset):
        return None
    token = seq[first]
    if key:
        start = token.find(words[0])
        while start >= 0 and not (word_start(token, start) and WORDISH.match(
                token, start + len(words[0])).end() == len(token)):
            start = token.find(words[0], start + 1)
        if start < 0:
            return None
    else:
        start = offset
        if WORDISH.match(token, start + len(words[0])).end() != len(token):
            return None
    for k in range(1, len(words)):
        token = seq[first + k]
        if not token.startswith(words[k]) or (
                k < len(words) - 1 and WORDISH.match(token, len(words[k])).end() != len(token)):
            return None
    return first, start, last, WORDISH.match(seq[last], len(words[-1])).end()


def word_start(text: str, pos: int) -> bool:
    return pos == 0 or not (text[pos - 1].isalnum() or text[pos - 1] == "_")


def stem_regex(stems: str) -> str:
    """A stem of one or more words: each word a prefix of the word in the text."""
    words = [re.escape(w) for w in fold(stems).split()]
    return r"\s+".join(w + r"[\w-]*" for w in words)
