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
- ``extract_ngrams`` (the saved ngram_size, 2 so far): the ids, and for each run of 2 … ngram_size
  neighbours MurmurHash64A of their 8·n bytes, seed 0 (thinc's ``ops.ngrams``); distinct keys
  with their counts;
- ``SparseLinear`` (v2 indexing): for each key, MurmurHash3_x86_32 of its 8 bytes with seeds 0
  and 1, each modulo ``length``, pick a weight per class; the bias plus every weight times the
  count, summed in float32 in the same order; then the logistic function on values clipped to
  ±20.
"""

from __future__ import annotations

import configparser
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy

from qupia.content.bow_tokenizer import ORTH, Tokenizer

_M64 = 0xC6A4A7935BD1E995
_MASK64 = (1 << 64) - 1


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


def _ngram_hashes(ids: numpy.ndarray, n: int) -> numpy.ndarray:
    """MurmurHash64A, seed 0, of the 8·n bytes of each run of *n* neighbours in *ids* (uint64),
    as thinc's ``ops.ngrams(n, ids)``; empty when *ids* has fewer than *n*."""
    count = len(ids) - (n - 1)
    if count <= 0:
        return numpy.empty(0, dtype=numpy.uint64)
    m = numpy.uint64(_M64)
    r = numpy.uint64(47)
    with numpy.errstate(over="ignore"):
        h = numpy.full(count, numpy.uint64((8 * n * _M64) & _MASK64), dtype=numpy.uint64)
        for j in range(n):
            k = ids[j:j + count].copy()
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



@dataclass
class Cats:
    """What ``nlp.pipe`` yields, as far as :func:`qupia.content.classifier.predict` reads it."""

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
        docs = [self._ids(self.tokenizer(t)) for t in texts]
        if not any(len(d) for d in docs):  # TextCategorizer.predict: no token in the batch
            return numpy.zeros((len(texts), len(self.labels)), dtype=numpy.float32)
        length = self.weights.shape[1]
        out = numpy.empty((len(texts), len(self.labels)), dtype=numpy.float32)
        for n, ids in enumerate(docs):
            keys = numpy.concatenate([ids, *(_ngram_hashes(ids, n)
                                             for n in range(2, self.ngram_size + 1))])
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

    from qupia.content.classifier import import_spacy

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
