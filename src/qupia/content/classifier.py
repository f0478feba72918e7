"""The trained text classifier: a spaCy ``textcat_multilabel`` pipeline in ``models/content``.

It reads a document's text with every secrecy mark blanked out (it must judge the content, not
the stamp) and gives probabilities for: DISCLOSE (the text discloses Article 11–14 facts),
ART17 (it holds Article 17(1) facts) and A11, A12, A13, A14 (which article's facts). The
pipeline and its training config are made by ``models/train_content.py`` (``make model``).

spaCy has no Kazakh language (``spacy.blank("kk")`` raises E048), so the pipeline is the
multi-language ``xx`` one; text is folded (:mod:`qupia.text.fold`), digits become 0 and
line breaks spaces before it is tokenised (spaCy's tokenizer runs about 20× faster without
line breaks: docs/measurements.md), and it is read in chunks (:func:`model_texts`).
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path
from typing import Any

LABELS = ("DISCLOSE", "ART17", "A11", "A12", "A13", "A14")
CHUNK = 2_500  # characters the classifier reads at a time
MAX_CHUNKS = 24  # at most this many chunks, spread over the document
WINDOW = 700  # characters of a paragraph window (whole lines) for the per-paragraph maximum
LONG_LINE = 20_000  # a line longer than this is read in WINDOW-sized pieces (_lines)
MAX_WINDOWS = 12  # corpus documents have at most 6; a long document is sampled evenly
STEM = 6  # letters kept of each word: a crude stem for agglutinative Kazakh and Russian
_STEM = re.compile(rf"\b(\w{{{STEM}}})\w+")
_DIGIT = re.compile(r"\d")
_SPACE = re.compile(r"\s+")


def models_dir() -> Path:
    """``$QUPIA_MODELS``, else the package's ``qupia/data/models`` (a symlink to the top-level
    ``models/`` in the repository, a copy in a built wheel such as pre-commit installs), else
    the repository's ``models/``."""
    env = os.environ.get("QUPIA_MODELS")
    if env:
        return Path(env)
    packaged = Path(__file__).resolve().parents[1] / "data" / "models"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[3] / "models"


def model_texts(folded: str) -> list[str]:
    """What the classifier reads: folded text in chunks of about CHUNK characters cut at
    spaces, at most MAX_CHUNKS spread evenly over the document; in each, digits as 0, words
    cut to their first STEM letters (әскерлеріміздегі and әскерлердің both read "аскерл"),
    one line.

    A bag-of-words classifier sums its evidence over the words it reads, so a 150-page law
    would saturate it; chunks of the length it was trained on keep long and short documents
    on one scale, and their probabilities are averaged.
    """
    chunks = []
    start = 0
    while start < len(folded):
        end = min(len(folded), start + CHUNK)
        if end < len(folded):
            cut = max(folded.rfind(" ", start + CHUNK // 2, end),
                      folded.rfind("\n", start + CHUNK // 2, end))
            end = cut if cut > 0 else end
        chunks.append((start, end))
        start = end + 1
    if len(chunks) > MAX_CHUNKS:
        step = len(chunks) / MAX_CHUNKS
        chunks = [chunks[int(i * step)] for i in range(MAX_CHUNKS)]
    texts = [_normalise(folded[a:b]) for a, b in chunks]
    return [t for t in texts if t] or [""]


def import_spacy() -> Any:
    """``spacy``, imported without its command-line package ``spacy.cli``.

    spaCy's ``__init__`` imports ``spacy.cli.info``, and ``spacy.cli`` imports requests and
    urllib3, whose import opens (and binds) an IPv6 socket to learn whether the host has IPv6
    (``urllib3.util.connection.HAS_IPV6``). qupia needs no network and must open no socket: a
    placeholder stands for ``spacy.cli`` while spaCy is imported and is removed after, so a
    later ``import spacy.cli`` (training a model) gets the real one.
    """
    import sys
    import types

    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    placeholders = {}
    if "spacy.cli" not in sys.modules:
        cli = types.ModuleType("spacy.cli")
        cli.__path__ = []  # a package, so that spacy.cli.info resolves below it
        info = types.ModuleType("spacy.cli.info")

        def unavailable(*args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("spacy.info is not available inside qupia")

        info.info = unavailable  # type: ignore[attr-defined]
        cli.info = info  # type: ignore[attr-defined]
        placeholders = {"spacy.cli": cli, "spacy.cli.info": info}
        sys.modules.update(placeholders)
    try:
        import spacy
    finally:
        for name, module in placeholders.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]
        spacy_module = sys.modules.get("spacy")
        if spacy_module is not None and getattr(spacy_module, "cli", None) is placeholders.get(
                "spacy.cli"):
            delattr(spacy_module, "cli")
    return spacy


@functools.lru_cache(maxsize=2)
def load_model(path: str | None = None) -> Any:
    """The classifier, ready to ``pipe`` texts: :class:`qupia.content.bow.BowModel`, spaCy's
    bag-of-words inference over the saved pipeline's weights and tokeniser, without importing
    spaCy (``tests/test_bow.py`` proves its scores equal spaCy's on the whole corpus). It is
    built once from the pipeline and kept, tokeniser expressions compiled, in the user cache
    (:mod:`qupia.cache`), keyed by the pipeline files' hashes."""
    from qupia import cache
    from qupia.content import bow

    where = Path(path) if path else models_dir() / "content" / "textcat"
    if not where.exists():
        raise FileNotFoundError(f"content model not found at {where}; run `make model`")
    files = [where / name for name in _PIPELINE_FILES]
    code = [Path(bow.__file__), Path(bow.__file__).with_name("bow_tokenizer.py")]
    return cache.cached("textcat", [*files, *code],
                        lambda: bow.build(bow.read_pipeline(where)))


def load_spacy_model(path: str | None = None) -> Any:
    """The saved spaCy pipeline itself (training and the equivalence test use it)."""
    spacy = import_spacy()
    return spacy.load(Path(path) if path else models_dir() / "content" / "textcat")


#: the files of the saved pipeline that the classifier's inference reads
_PIPELINE_FILES = ("config.cfg", "tokenizer", "textcat_multilabel/cfg",
                   "textcat_multilabel/model")


def _normalise(text: str) -> str:
    return _STEM.sub(r"\1", _SPACE.sub(" ", _DIGIT.sub("0", text))).strip()


def model_windows(folded: str) -> list[str]:
    """Paragraph-sized windows: whole lines gathered up to about WINDOW characters, at most
    MAX_WINDOWS spread over the document, normalised as :func:`model_texts` does. A document
    that discloses in one paragraph (an accident beside a unit's strength) is diluted in the
    average over chunks; the best window keeps it."""
    windows: list[str] = []
    current: list[str] = []
    size = 0
    for line in _lines(folded):
        current.append(line)
        size += len(line) + 1
        if size >= WINDOW:
            windows.append("\n".join(current))
            current, size = [], 0
    if current and (size >= WINDOW // 3 or not windows):
        windows.append("\n".join(current))
    if len(windows) > MAX_WINDOWS:
        step = len(windows) / MAX_WINDOWS
        windows = [windows[int(i * step)] for i in range(MAX_WINDOWS)]
    return [t for t in (_normalise(w) for w in windows) if t]


def _lines(folded: str) -> list[str]:
    """The lines of *folded*, a line longer than LONG_LINE cut into WINDOW-sized pieces (at a
    space where there is one): a text file of one 1,500,000-character line is read in windows
    like any other, never handed to spaCy whole (its limit is 1,000,000 characters, E088).
    Lines of ordinary documents (a long paragraph is a few thousand characters) are kept whole,
    as the classifier was calibrated on them."""
    out: list[str] = []
    for line in folded.split("\n"):
        if len(line) <= LONG_LINE:
            out.append(line)
            continue
        start = 0  # by position: slicing the rest off each time would be quadratic
        while len(line) - start > WINDOW:
            cut = line.rfind(" ", start + WINDOW // 2, start + WINDOW)
            cut = cut if cut > 0 else start + WINDOW
            out.append(line[start:cut])
            start = cut + 1 if line[cut:cut + 1] == " " else cut
        out.append(line[start:])
    return out


def predict(nlp: Any, folded: str) -> dict[str, float]:
    """Each label's probability, averaged over the document's chunks; and, as
    ``<label>_MAX``, its highest probability over paragraph windows (:func:`model_windows`)."""
    chunks = model_texts(folded)
    windows = model_windows(folded)
    docs = list(nlp.pipe(chunks + windows))
    out = {label: sum(float(d.cats.get(label, 0.0)) for d in docs[:len(chunks)]) / len(chunks)
           for label in LABELS}
    for label in LABELS:
        out[f"{label}_MAX"] = max((float(d.cats.get(label, 0.0)) for d in docs[len(chunks):]),
                                  default=out[label])
    return out
