"""The content classifier's inference without spaCy: tokeniser, n-gram hashing and the sparse
linear layer of ``spacy.TextCatBOW.v3`` re-implemented over the saved weights.

Why: importing spaCy and loading the pipeline cost a small ``qupia check`` most of its time
(spaCy's import pulls in its command-line tools). The classifier is a bag of words and word
pairs: its inference is a tokeniser, two hash functions and a sum of weights, which numpy does
in a few milliseconds. spaCy stays for training (``models/train_content.py``) and for the test
that proves the scores equal on the whole corpus (``tests/test_bow.py``).

What spaCy 3.8 / thinc 8.3 compute, and this module repeats:

- tokens: spaCy's ``Tokenizer`` (its ``_tokenize_affixes``, ``_split_affixes``,
  ``_attach_tokens`` and the special-case matcher) with the prefix, suffix, infix and URL
  expressions and the special cases saved in the pipeline's ``tokenizer`` file;
- each token's ORTH id: MurmurHash64A of its UTF-8 bytes, seed 1 (spaCy's ``hash_string``),
  except for the few hundred strings that are spaCy's symbol names ("dep", "pos", "ORTH" …),
  whose id is the symbol's number (``StringStore.add``);
- ``extract_ngrams`` (ngram_size 2): the ids, and for each pair of neighbours MurmurHash64A of
  their 16 bytes, seed 0 (thinc's ``ops.ngrams``); distinct keys with their counts;
- ``SparseLinear`` (v2 indexing): for each key, MurmurHash3_x86_32 of its 8 bytes with seeds 0
  and 1, each modulo ``length``, pick a weight per class; the bias plus every weight times the
  count, summed in float32 in the same order; then the logistic function on values clipped to
  ±20.
"""

from __future__ import annotations

import configparser
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy

_RUNS = re.compile(r"(?P<word>\S+)|(?P<ws>\s+)")  # \s is str.isspace, as spaCy's loop
_CACHE_WORDS = 200_000  # distinct words whose tokens are remembered
_OTHER_WS = re.compile(r"[^\S ]")  # whitespace other than " "
_M64 = 0xC6A4A7935BD1E995
_MASK64 = (1 << 64) - 1
ORTH = 65  # spaCy's attribute id of a token's text, the key of a special case's tokens


def murmur64a(data: bytes, seed: int) -> int:
    """MurmurHash64A (MurmurHash2, 64-bit) of *data*, as the ``murmurhash`` package's
    ``hash64`` computes it."""
    h = (seed ^ (len(data) * _M64)) & _MASK64
    end = len(data) - len(data) % 8
    for i in range(0, end, 8):
        k = int.from_bytes(data[i:i + 8], "little")
        k = (k * _M64) & _MASK64
        k ^= k >> 47
        k = (k * _M64) & _MASK64
        h ^= k
        h = (h * _M64) & _MASK64
    tail = data[end:]
    if tail:
        h ^= int.from_bytes(tail, "little")
        h = (h * _M64) & _MASK64
    h ^= h >> 47
    h = (h * _M64) & _MASK64
    h ^= h >> 47
    return h


def _pair_hashes(ids: numpy.ndarray) -> numpy.ndarray:
    """MurmurHash64A, seed 0, of the 16 bytes of each pair of neighbours in *ids* (uint64)."""
    m = numpy.uint64(_M64)
    r = numpy.uint64(47)
    with numpy.errstate(over="ignore"):
        h = numpy.full(len(ids) - 1, numpy.uint64((16 * _M64) & _MASK64), dtype=numpy.uint64)
        for k in (ids[:-1].copy(), ids[1:].copy()):
            k *= m
            k ^= k >> r
            k *= m
            h ^= k
            h *= m
        h ^= h >> r
        h *= m
        h ^= h >> r
    return h


def _murmur3_32(keys: numpy.ndarray, seed: int) -> numpy.ndarray:
    """MurmurHash3_x86_32 of each uint64 key's 8 bytes (thinc's sparselinear.pyx)."""
    c1 = numpy.uint32(0xCC9E2D51)
    c2 = numpy.uint32(0x1B873593)
    with numpy.errstate(over="ignore"):
        h = numpy.full(len(keys), seed, dtype=numpy.uint32)
        for k in ((keys & numpy.uint64(0xFFFFFFFF)).astype(numpy.uint32),
                  (keys >> numpy.uint64(32)).astype(numpy.uint32)):
            k *= c1
            k = (k << numpy.uint32(15)) | (k >> numpy.uint32(17))
            k *= c2
            h ^= k
            h = (h << numpy.uint32(13)) | (h >> numpy.uint32(19))
            h = h * numpy.uint32(5) + numpy.uint32(0xE6546B64)
        h ^= numpy.uint32(8)
        h ^= h >> numpy.uint32(16)
        h *= numpy.uint32(0x85EBCA6B)
        h ^= h >> numpy.uint32(13)
        h *= numpy.uint32(0xC2B2AE35)
        h ^= h >> numpy.uint32(16)
    return h


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
        prefixes: list[str] = []
        suffixes: list[str] = []
        last_size = 0
        special = self.specials if specials else {}
        while string and len(string) != last_size:
            if self._token_match and self._token_match.match(string):
                break
            if string in special:
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
            elif ((self._token_match and self._token_match.match(string))
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


@dataclass
class Cats:
    """What ``nlp.pipe`` yields, as far as :func:`qupia.content.model.predict` reads it."""

    cats: dict[str, float]


@dataclass
class BowModel:
    """``spacy.TextCatBOW.v3`` (multi-label, logistic output) with its tokeniser."""

    labels: tuple[str, ...]
    weights: numpy.ndarray  # (classes, length) float32
    bias: numpy.ndarray  # (classes,) float32
    ngram_size: int
    tokenizer: Tokenizer
    batch_size: int = 1000
    symbols: dict[str, int] = field(default_factory=dict)  # spaCy's symbol name → its id
    _orth: dict[str, int] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._orth.update(self.symbols)

    def _ids(self, tokens: list[str]) -> numpy.ndarray:
        orth = self._orth
        out = numpy.empty(len(tokens), dtype=numpy.uint64)
        for i, token in enumerate(tokens):
            h = orth.get(token)
            if h is None:
                h = orth[token] = murmur64a(token.encode("utf-8"), 1)
            out[i] = h
        return out

    def scores(self, texts: list[str]) -> numpy.ndarray:
        """Each text's probability per label, (texts, labels) float32, as spaCy's
        ``textcat_multilabel`` computes it for one batch."""
        if self.ngram_size != 2:
            raise ValueError("only ngram_size 2 is implemented")
        docs = [self._ids(self.tokenizer(t)) for t in texts]
        if not any(len(d) for d in docs):  # TextCategorizer.predict: no token in the batch
            return numpy.zeros((len(texts), len(self.labels)), dtype=numpy.float32)
        length = self.weights.shape[1]
        out = numpy.empty((len(texts), len(self.labels)), dtype=numpy.float32)
        for n, ids in enumerate(docs):
            keys = numpy.concatenate([ids, _pair_hashes(ids)]) if len(ids) > 1 else ids
            keys, counts = numpy.unique(keys, return_counts=True)
            values = counts.astype(numpy.float32)
            first = (_murmur3_32(keys, 0) % numpy.uint32(length)).astype(numpy.intp)
            second = (_murmur3_32(keys, 1) % numpy.uint32(length)).astype(numpy.intp)
            # the bias, then key by key its two weights times its count: summed in this
            # order in float32 (cumsum is sequential), as thinc's C loop does
            terms = numpy.empty((len(self.labels), 1 + 2 * len(keys)), dtype=numpy.float32)
            terms[:, 0] = self.bias
            terms[:, 1::2] = self.weights[:, first] * values
            terms[:, 2::2] = self.weights[:, second] * values
            out[n] = numpy.cumsum(terms, axis=1, dtype=numpy.float32)[:, -1]
        clipped = numpy.clip(out, -20.0, 20.0)
        return 1.0 / (1.0 + numpy.exp(-clipped))

    def pipe(self, texts: list[str]) -> list[Cats]:
        """Like ``nlp.pipe``: one object with ``cats`` per text, in batches of batch_size."""
        out: list[Cats] = []
        for at in range(0, len(texts), self.batch_size):
            batch = texts[at:at + self.batch_size]
            probs = self.scores(batch)
            out.extend(Cats({label: float(probs[i, j]) for j, label in enumerate(self.labels)})
                       for i in range(len(batch)))
        return out


def read_pipeline(where: Path) -> dict[str, Any]:
    """What :class:`BowModel` needs from a saved spaCy pipeline directory, as plain data: read
    with srsly's msgpack (spaCy's own reader), checked against what this module implements."""
    import srsly  # only when the cache is built

    from qupia.content.model import import_spacy

    import_spacy()  # spaCy without spacy.cli (whose requests/urllib3 import opens a socket)
    from spacy.symbols import IDS  # token ids of the strings that are symbol names

    config = (where / "config.cfg").read_text(encoding="utf-8")
    expected = ('@architectures = "spacy.TextCatBOW.v3"', "exclusive_classes = false",
                "no_output_layer = false")
    for line in expected:
        if line not in config:
            raise ValueError(f"{where}: the content model is not what bow.py implements "
                             f"(its config.cfg lacks {line!r})")
    cfg = srsly.read_json(where / "textcat_multilabel" / "cfg")
    model = srsly.msgpack_loads((where / "textcat_multilabel" / "model").read_bytes())
    attrs: dict[str, Any] = {}
    for node_attrs in model["attrs"]:
        for key, value in node_attrs.items():
            attrs[key] = srsly.msgpack_loads(value)
    params = [p for p in model["params"] if "W" in p]
    if len(params) != 1 or attrs.get("attr", ORTH) != ORTH or attrs.get("v1_indexing"):
        raise ValueError(f"{where}: unexpected textcat model layout")
    labels = tuple(cfg["labels"])
    weights = numpy.asarray(params[0]["W"], dtype=numpy.float32).reshape(len(labels), -1)
    tokenizer = srsly.msgpack_loads((where / "tokenizer").read_bytes())
    parsed = configparser.ConfigParser(interpolation=None)
    parsed.read_string(config)
    return {
        "labels": labels,
        "weights": numpy.ascontiguousarray(weights),
        "bias": numpy.asarray(params[0]["b"], dtype=numpy.float32),
        "ngram_size": int(attrs.get("ngram_size", 1)),
        "tokenizer": {k: tokenizer.get(k) for k in ("prefix_search", "suffix_search",
                                                    "infix_finditer", "token_match",
                                                    "url_match", "exceptions")},
        "batch_size": parsed.getint("nlp", "batch_size", fallback=1000),
        "symbols": {str(name): int(value) for name, value in IDS.items()},
    }


def build(data: dict[str, Any]) -> BowModel:
    return BowModel(labels=tuple(data["labels"]), weights=data["weights"], bias=data["bias"],
                    ngram_size=data["ngram_size"], tokenizer=Tokenizer(data["tokenizer"]),
                    batch_size=data["batch_size"], symbols=data["symbols"])
