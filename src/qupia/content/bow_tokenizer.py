"""spaCy's rule-based tokeniser re-implemented over the expressions and special cases of a saved
pipeline (its ``_tokenize_affixes``, ``_split_affixes``, ``_attach_tokens`` and the special-case
matcher): the first step of the classifier's inference (:mod:`qupia.content.bow`).
"""

from __future__ import annotations

import re
from re import _constants as _c  # type: ignore[attr-defined]
from typing import Any

_RUNS = re.compile(r"(?P<word>\S+)|(?P<ws>\s+)")  # \s is str.isspace, as spaCy's loop
_CACHE_WORDS = 200_000  # distinct words whose tokens are remembered
_OTHER_WS = re.compile(r"[^\S ]")  # whitespace other than " "
ORTH = 65  # spaCy's attribute id of a token's text, the key of a special case's tokens


class Tokenizer:
    """spaCy's rule-based tokeniser over the expressions and special cases of a saved one."""

    def __init__(self, data: dict[str, Any]) -> None:
        def compiled(key: str) -> re.Pattern[str] | None:
            return re.compile(data[key]) if data.get(key) else None

        self._prefix = compiled("prefix_search")
        self._suffix = compiled("suffix_search")
        self._infix = compiled("infix_finditer")
        self._token_match = compiled("token_match")
        self._url_match = compiled("url_match")
        self._plain = plain_words(*(data.get(k) for k in ("prefix_search", "suffix_search",
                                                           "infix_finditer")))
        self.specials: dict[str, tuple[str, ...]] = {
            text: tuple(token[ORTH] for token in tokens)
            for text, tokens in (data.get("exceptions") or {}).items()}
        # Special cases with affix characters (or a space) are found again after affixes are
        # split: spaCy's special matcher looks for their affix tokens in a row.
        self._matched: dict[tuple[str, ...], str] = {}
        for text in self.specials:
            if (self._find_prefix(text) or self._find_infix(text) or self._find_suffix(text)
                    or " " in text):
                pattern = tuple(self._affixes(text, False))
                if pattern:
                    self._matched.setdefault(pattern, text)
        self._longest = max(map(len, self._matched), default=0)
        self._starts = {pattern[0] for pattern in self._matched}
        self._cache: dict[str, tuple[str, ...]] = {}

    def _find_prefix(self, text: str) -> int:
        found = self._prefix.search(text) if self._prefix else None
        return found.end() - found.start() if found else 0

    def _find_suffix(self, text: str) -> int:
        found = self._suffix.search(text) if self._suffix else None
        return found.end() - found.start() if found else 0

    def _find_infix(self, text: str) -> list[re.Match[str]]:
        return list(self._infix.finditer(text)) if self._infix else []

    def __call__(self, text: str) -> list[str]:
        """The tokens' texts, as ``nlp.tokenizer(text)`` gives them."""
        if not text or text[0] == " " or text[-1] == " " or "  " in text or _OTHER_WS.search(
                text):
            tokens, spaces = self._affixes_spaced(text, True)
        else:  # words between single spaces (what the classifier reads): each word once
            words = text.split(" ")
            cache = self._cache
            if len(cache) > _CACHE_WORDS:  # a long run over many files: start again
                cache.clear()
            for word in set(words).difference(cache):
                cache[word] = self.specials.get(word) or tuple(self._tokenize(word, True))
            parts = [cache[w] for w in words]
            tokens = [t for part in parts for t in part]
            if not self._matched or self._starts.isdisjoint(tokens):
                return tokens
            spaces = [k == len(part) - 1 for part in parts for k in range(len(part))]
            spaces[-1] = False
        return self._apply_specials(tokens, spaces) if self._matched else tokens

    def _affixes(self, text: str, specials: bool) -> list[str]:
        return self._affixes_spaced(text, specials)[0]

    def _affixes_spaced(self, text: str, specials: bool) -> tuple[list[str], list[bool]]:
        """``Tokenizer._tokenize_affixes``: runs of space and non-space; a single " " after a
        token is that token's trailing space, any other whitespace is tokenised too."""
        tokens: list[str] = []
        spaces: list[bool] = []
        for run in _RUNS.finditer(text):
            span = run.group()
            if run.lastgroup == "ws" and tokens and span[0] == " ":
                spaces[-1] = True  # the space after a token; the rest of the run is a span
                span = span[1:]
                if not span:
                    continue
            self._span(span, specials, tokens, spaces)
        return tokens, spaces

    def _span(self, span: str, specials: bool, tokens: list[str], spaces: list[bool]) -> None:
        if specials and span in self.specials:
            found = self.specials[span]
        elif specials:
            found = self._cache.get(span)  # type: ignore[assignment]
            if found is None:
                found = self._cache[span] = tuple(self._tokenize(span, specials))
        else:
            found = tuple(self._tokenize(span, specials))
        tokens.extend(found)
        spaces.extend([False] * len(found))

    def _tokenize(self, string: str, specials: bool) -> list[str]:
        """``_split_affixes`` then ``_attach_tokens``."""
        special = self.specials if specials else {}
        # a plain string: no prefix, suffix or infix can match in it (plain_words), so the
        # loop below would leave it as it is, and no infix would split it
        plain = self._plain.search if self._plain is not None else None
        if string and string not in special and plain is not None and plain(string) is None:
            return [string]
        prefixes: list[str] = []
        suffixes: list[str] = []
        last_size = 0
        while string and len(string) != last_size:
            if self._token_match and self._token_match.match(string):
                break
            if string in special:
                break
            if plain is not None and plain(string) is None:
                break
            last_size = len(string)
            pre_len = self._find_prefix(string)
            if pre_len:
                prefix, minus_pre = string[:pre_len], string[pre_len:]
                if minus_pre and minus_pre in special:
                    string = minus_pre
                    prefixes.append(prefix)
                    break
            suf_len = self._find_suffix(string[pre_len:])
            if suf_len:
                suffix, minus_suf = string[-suf_len:], string[:-suf_len]
                if minus_suf and minus_suf in special:
                    string = minus_suf
                    suffixes.append(suffix)
                    break
            if pre_len and suf_len and pre_len + suf_len <= len(string):
                string = string[pre_len:-suf_len]
                prefixes.append(prefix)
                suffixes.append(suffix)
            elif pre_len:
                string = minus_pre
                prefixes.append(prefix)
            elif suf_len:
                string = minus_suf
                suffixes.append(suffix)
        out = prefixes
        if string:
            if string in special:
                out.extend(special[string])
            elif specials and string in self._cache:
                out.extend(self._cache[string])
            elif ((plain is not None and plain(string) is None)
                  or (self._token_match and self._token_match.match(string))
                  or (self._url_match and self._url_match.match(string))):
                out.append(string)
            else:
                matches = self._find_infix(string)
                if not matches:
                    out.append(string)
                else:
                    start = 0
                    for match in matches:
                        infix_start, infix_end = match.start(), match.end()
                        if infix_start == 0:
                            continue
                        if infix_start != start:
                            out.append(string[start:infix_start])
                        if infix_start != infix_end:
                            out.append(string[infix_start:infix_end])
                        start = infix_end
                    if string[start:]:
                        out.append(string[start:])
        out.extend(reversed(suffixes))
        return out

    def _apply_specials(self, tokens: list[str], spaces: list[bool]) -> list[str]:
        """``_apply_special_cases``: runs of tokens that are a special case's affix tokens,
        longest first (then the earliest), are replaced by the special case's tokens when the
        run's text (its inner spaces included) is that special case."""
        found: list[tuple[int, int]] = []
        starts = self._starts
        for start in [i for i, token in enumerate(tokens) if token in starts]:
            for length in range(1, min(self._longest, len(tokens) - start) + 1):
                if tuple(tokens[start:start + length]) in self._matched:
                    found.append((start, start + length))
        if not found:
            return tokens
        found.sort(key=lambda s: (s[1] - s[0], -s[0]))  # len_start_cmp, read from the end
        seen: set[int] = set()
        kept = []
        for start, end in reversed(found):
            if start not in seen and end - 1 not in seen:
                kept.append((start, end))
            seen.update(range(start, end))
        kept.sort()
        out: list[str] = []
        i = 0
        by_start = dict(kept)
        while i < len(tokens):
            end = by_start.get(i)
            if end is None:
                out.append(tokens[i])
                i += 1
                continue
            text = "".join(tokens[j] + (" " if spaces[j] and j < end - 1 else "")
                           for j in range(i, end))
            out.extend(self.specials.get(text, tokens[i:end]))
            i = end
        return out


# Which characters a match needs. Most words are plain: no prefix, suffix or infix expression
# matches in them, and they are one token; finding that out costs the three searches and the
# loop of Tokenizer._tokenize about 7 µs a new word (a run pays it for each word of its
# vocabulary, and each worker again), where one character class that none of the word's
# characters is in tells it in well under 1 µs.

_CATEGORIES = {_c.CATEGORY_DIGIT: r"\d", _c.CATEGORY_NOT_DIGIT: r"\D", _c.CATEGORY_SPACE: r"\s",
               _c.CATEGORY_NOT_SPACE: r"\S", _c.CATEGORY_WORD: r"\w", _c.CATEGORY_NOT_WORD: r"\W"}
_LETTERS = "abcdefghijklmnopqrstuvwxyzабвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі"
_Items = tuple[tuple[Any, Any], ...]  # items of a character class, as re's parser gives them


def _class(items: _Items) -> str:
    out = []
    for op, av in items:
        if op is _c.LITERAL:
            out.append(f"\\U{av:08x}")
        elif op is _c.RANGE:
            out.append(f"\\U{av[0]:08x}-\\U{av[1]:08x}")
        else:
            out.append(_CATEGORIES[av])
    return "".join(out)


def _letters(items: _Items) -> int:
    """How many ordinary letters the class takes (the fewer, the more words it lets through)."""
    found = re.compile(f"[{_class(items)}]")
    return sum(1 for ch in _LETTERS if found.match(ch))


def _needed(seq: Any) -> _Items | None:
    """Characters of which every match of the sequence *seq* (re's parsed form) holds or looks
    at one (a look-behind or look-ahead reads the searched string too), or None when no such
    class is known: of the elements' classes, the one taking the fewest letters."""
    found = [items for items in (_needed_by(op, av) for op, av in seq) if items is not None]
    return min(found, key=lambda items: (_letters(items), len(items)), default=None)


def _needed_by(op: Any, av: Any) -> _Items | None:
    if op is _c.LITERAL:
        return ((op, av),)
    if op is _c.IN:
        if all(o in (_c.LITERAL, _c.RANGE) or (o is _c.CATEGORY and a in _CATEGORIES)
               for o, a in av):
            return tuple(av)
        return None  # a negated class, or one of case-folding items
    if op is _c.SUBPATTERN:
        _, add, remove, seq = av
        return _needed(seq) if not add and not remove else None
    if op is _c.BRANCH:
        each = [_needed(seq) for seq in av[1]]
        if any(items is None for items in each):
            return None
        return tuple(item for items in each for item in items)  # type: ignore[union-attr]
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
        low, _, seq = av
        return _needed(seq) if low >= 1 else None
    if op is _c.ASSERT or op is _c.ATOMIC_GROUP:
        return _needed(av[1] if op is _c.ASSERT else av)
    return None  # an anchor, a negative look-around, a back-reference, any character …


def plain_words(*sources: str | None) -> re.Pattern[str] | None:
    """A class of characters such that, in a string holding none of them, no match of any
    of the expressions *sources* can be found, or None when that cannot be told for one of
    them (an expression with flags other than re's default, or an alternative whose matches
    need no particular character). Read from ``re``'s parse of each expression."""
    from re import _parser  # type: ignore[attr-defined]

    items: list[tuple[Any, Any]] = []
    for source in sources:
        if not source:
            continue
        try:
            parsed = _parser.parse(source, 0)
        except Exception:
            return None
        if parsed.state.flags & ~(re.UNICODE | re.VERBOSE):
            return None
        found = _needed(parsed.data)
        if found is None:
            return None
        items.extend(found)
    return re.compile(f"[{_class(tuple(items))}]") if items else None
