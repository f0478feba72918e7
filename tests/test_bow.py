"""The classifier's numpy inference (qupia.content.bow) gives exactly spaCy's tokens and scores.

spaCy stays the reference: the saved pipeline is loaded with spaCy and both read the same
texts — what qupia's classifier reads (chunks and paragraph windows of folded text) from every
document of the corpus, the hidden set, the public texts, the samples and the law — and every
token and every score must be equal, float for float.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from qupia.content.bow import murmur64a
from qupia.content.classifier import load_model, load_spacy_model, model_texts, model_windows
from qupia.text.fold import fold, latin_to_cyrillic
from tests.conftest import ROOT

SETS = ["corpus/src", "corpus/hidden/src", "corpus/public/src", "corpus/public-2/src",
        "corpus/samples/src"]


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _documents(every: int) -> list[str]:
    """The text of every *every*-th source document (their pages' strings), and the law."""
    paths = sorted(p for folder in SETS for p in (ROOT / folder).rglob("*.yaml"))[::every]
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    docs = ["\n".join(_strings(yaml.load(p.read_text(encoding="utf-8"), Loader=loader)
                                .get("pages", [])))
            for p in paths]
    docs += [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus" / "law").glob("*.txt"))]
    return docs


def _model_inputs(every: int = 1) -> list[str]:
    texts: list[str] = []
    for doc in _documents(every):
        for folded in (fold(doc), latin_to_cyrillic(fold(doc))):
            texts += model_texts(folded) + model_windows(folded)
    return texts


@pytest.fixture(scope="module")
def models() -> tuple[Any, Any]:
    return load_model(), load_spacy_model()


def test_orth_hash_is_spacys() -> None:
    from spacy.strings import hash_string

    for word in ("", "a", "секрет", "әскери бөлім", "0000000", "x" * 17, "«»—"):
        assert murmur64a(word.encode("utf-8"), 1) == hash_string(word)


@pytest.mark.parametrize("every", [
    pytest.param(1, marks=pytest.mark.slow, id="every-document"),
    pytest.param(24, id="every-24th-document"),
])
def test_tokens_and_scores_equal_spacys_on_the_corpus(models: tuple[Any, Any], every: int
                                                      ) -> None:
    bow, nlp = models
    texts = _model_inputs(every)
    assert len(texts) > 2000 // every
    tricky = ["(:0) ((:) :) a. e.g. °c. http://x.kz/a?b=1 …", "  two  spaces\tand tab ",
              "п.0) «0000» —0— 0:00 x:)", "a"]
    texts += tricky
    ours = [bow.tokenizer(t) for t in texts]
    theirs = [[t.text for t in doc] for doc in nlp.tokenizer.pipe(texts)]
    assert [i for i, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b] == []
    # in batches, as predict() gives them (an empty text only comes alone: spaCy fails on an
    # empty text beside others)
    for at in range(0, len(texts), 40):
        batch = [t for t in texts[at:at + 40] if t.strip()]
        assert [d.cats for d in bow.pipe(batch)] == [d.cats for d in nlp.pipe(batch)]
    assert [d.cats for d in bow.pipe([""])] == [d.cats for d in nlp.pipe([""])]


@pytest.mark.parametrize("n", [2, 3, 4])
def test_ngram_hashes_are_thincs(n: int) -> None:
    import numpy
    from thinc.api import NumpyOps

    from qupia.content.bow import _ngram_hashes

    for size in (0, 1, n - 1, n, n + 1, 50):
        ids = numpy.random.default_rng(size).integers(0, 2**63, size, dtype=numpy.uint64)
        ids[::3] |= numpy.uint64(1 << 63)  # high bits set too
        theirs = NumpyOps().ngrams(n, ids) if size else numpy.empty(0, dtype=numpy.uint64)
        assert _ngram_hashes(ids, n).tolist() == list(theirs)


def test_plain_words_class_is_sound_for_crafted_expressions() -> None:
    """plain_words: a string with none of the class's characters has no match of any of the
    expressions; None when an alternative needs no particular character."""
    import random
    import re

    from qupia.content.bow_tokenizer import plain_words

    sources = [r"^§|^\(|^\.\.+", r"(?<=[0-9])(?:km|м|т)$|'s$|\.$|[\u00A6§]$",
               r"\.\.+|(?<=[a-zа-я])[:<>=/](?=[a-zа-я])|(?<=[0-9])[+\-*^](?=[0-9-])"]
    plain = plain_words(*sources)
    assert plain is not None
    assert not [ch for ch in "abcxyzабвгдежзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі" if
                plain.search(ch)]  # the digits of a unit, not its letters
    compiled = [re.compile(s) for s in sources]
    rng = random.Random(7)
    alphabet = "aksмткм0159.:/'(§-+ "
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 6)))
        if plain.search(text) is None:
            assert not any(p.search(text) for p in compiled), text
    # an alternative any string may match, a negative look-ahead alone, case folding
    assert plain_words(r"a|.$") is None
    assert plain_words(r"(?!x)") is None
    assert plain_words(r"(?i)к$") is None
    assert plain_words(r"x*$") is None


def test_plain_words_tokenise_as_the_full_loop_does(models: tuple[Any, Any]) -> None:
    """Every word (space-separated, and whitespace-separated) of what the classifier reads of
    every 24th document, and words with affixes, digits and units: the same tokens with the
    plain-word shortcut as through the whole of spaCy's affix loop."""
    bow, _ = models
    tokenizer = bow.tokenizer
    assert tokenizer._plain is not None
    texts = _model_inputs(24)
    words = sorted({w for t in texts for w in t.split(" ")} | {w for t in texts for w in t.split()}
                   | {"5км", "т.", "«слово»,", "(а)", "а/б", "x's", "...", "0:00", "п.0)"})
    shortcut = [tokenizer._tokenize(w, True) for w in words]
    plain, tokenizer._plain = tokenizer._plain, None
    try:
        full = [tokenizer._tokenize(w, True) for w in words]
    finally:
        tokenizer._plain = plain
    assert len(words) > 3000
    assert [w for w, a, b in zip(words, shortcut, full, strict=True) if a != b] == []
