"""Metadata blocks → the levels a document's properties say (``patterns/metadata.yaml``).

A property says a level in one of two ways (schema ``qupia-metadata/1``):

* a **level property** (a custom ``Classification``/``Гриф``, a sensitivity label's
  ``MSIP_Label_<GUID>_Name``, a PDF Info ``/Classification`` key, an XMP label property) holds a
  level as its value; every form of the pack counts there, abbreviations ("СС") and label names
  ("Secret", "Public", "General") included;
* any other property (title, subject, keywords, description, category, status, other custom
  properties, XMP ``dc:*``) is free text: a level counts when it stands as an item of its own
  (between separators: start, end, ``;`` ``,`` ``|`` ``/`` ``:`` brackets, a sentence's full
  stop, a spaced dash) with at most filler words ("гриф", "экз. № 2") beside it. "СЕКРЕТНО. План
  охраны" and "охрана; құпия" say a level; "Порядок снятия грифа «Секретно»" mentions one.

One marking at most per property: the first level that stands so. These marks are the
metadata's, not the page's: Article 18's marks are the visible ones, so they do not set the
document level unless the settings count them (``metadata-marks = "count"``); QP401 compares
them with the stamps.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import regex

from qupia.markings.patterns import phrase_regex
from qupia.model import Block, Level, Marking, Region
from qupia.text.fold import fold, fold_regex
from qupia.text.patterns import PatternError, load_yaml, patterns_dir


@dataclass(frozen=True)
class MetaForm:
    """A form of the metadata pack, as validated (:class:`~qupia.markings.schema.MetaFormSpec`)."""

    id: str
    level: str  # a Level's value: special-importance … public
    lang: str
    scope: str  # "any" or "label"
    phrases: tuple[str, ...]


@dataclass(frozen=True, eq=False)
class MetaPack:
    forms: tuple[MetaForm, ...]
    level_property: re.Pattern[str]
    ignored: re.Pattern[str] | None
    filler: regex.Pattern[str]
    any_scope: re.Pattern[str]  # forms of scope "any"; group "f<i>" is forms[i]
    every: re.Pattern[str]  # every form


_SEP = re.compile(r'[;|/\\\n,:()\[\]]|\s-\s|\.(?=\s|$)')
_WORD = regex.compile(r"[\w№]+")


def _matcher(forms: tuple[MetaForm, ...], chosen: list[int]) -> re.Pattern[str]:
    alts = sorted(((i, phrase_regex(p)) for i in chosen for p in forms[i].phrases),
                  key=lambda a: -len(a[1]))
    body = "|".join(f"(?P<f{i}_{n}>{src})" for n, (i, src) in enumerate(alts))
    return re.compile(rf"(?<!\w)(?:{body})")


def load_metadata(path: Path | None = None) -> MetaPack:
    return _load(str(path or patterns_dir() / "metadata.yaml"))


@functools.lru_cache(maxsize=4)
def _load(path_str: str) -> MetaPack:
    """The compiled pack: from the user cache (:mod:`qupia.cache`) when the pattern file and
    the code that compiles it are unchanged, else compiled and stored there."""
    from qupia import cache

    path = Path(path_str)
    here = Path(__file__).parent
    code = [here / "metadata.py", here / "schema.py", here / "patterns.py",
            here.parent / "text" / "fold.py", here.parent / "text" / "patterns.py"]
    return cache.cached("metadata", [path, *code], lambda: _compile(path))


def _compile(path: Path) -> MetaPack:
    import yaml
    from pydantic import ValidationError

    from qupia.markings.schema import MetaPackSpec

    try:
        raw = load_yaml(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PatternError(f"{path}: cannot read: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        raise PatternError(f"{path}: not valid YAML: {exc}") from None
    try:
        spec = MetaPackSpec.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise PatternError(f"{path}: {'.'.join(str(x) for x in err['loc'])}: {err['msg']}"
                           ) from None
    ids = [f.id for f in spec.forms]
    if len(set(ids)) != len(ids):
        raise PatternError(f"{path}: duplicate form ids")
    try:
        level_property = re.compile("|".join(f"(?:{r})" for r in spec.level_properties),
                                    re.IGNORECASE)
        ignored = re.compile("|".join(f"(?:{r})" for r in spec.ignore_properties),
                             re.IGNORECASE) if spec.ignore_properties else None
        filler = regex.compile("^(?:" + "|".join(f"(?:{fold_regex(w)})"
                                                 for w in spec.filler_words) + ")$")
    except (re.error, regex.error) as exc:
        raise PatternError(f"{path}: bad regex: {exc}") from None
    forms = tuple(MetaForm(f.id, f.level, f.lang, f.scope, tuple(f.phrases)) for f in spec.forms)
    return MetaPack(
        forms=forms, level_property=level_property, ignored=ignored, filler=filler,
        any_scope=_matcher(forms, [i for i, f in enumerate(forms) if f.scope == "any"]),
        every=_matcher(forms, list(range(len(forms)))),
    )


def _stands_alone(pack: MetaPack, folded: str, start: int, end: int) -> bool:
    """Only filler words between the match and the separators on either side of it."""
    before = folded[:start]
    cut = max((m.end() for m in _SEP.finditer(before)), default=0)
    after = folded[end:]
    stop = _SEP.search(after)
    words = _WORD.findall(before[cut:]) + _WORD.findall(after[: stop.start() if stop else None])
    return all(pack.filler.match(w) for w in words)


def is_level_property(name: str, pack: MetaPack | None = None) -> bool:
    return bool((pack or load_metadata()).level_property.search(name))


def detect_metadata(blocks: Iterable[Block], pack: MetaPack | None = None
                    ) -> tuple[Marking, ...]:
    """The level each metadata block says, as markings of region metadata with the property's
    name (at most one a property)."""
    pack = pack or load_metadata()
    out: list[Marking] = []
    for block in blocks:
        if block.region is not Region.METADATA or not block.label or (
                pack.ignored and pack.ignored.search(block.label)):
            continue
        folded = fold(block.text)
        matcher = pack.every if pack.level_property.search(block.label) else pack.any_scope
        for m in matcher.finditer(folded):
            if not _stands_alone(pack, folded, m.start(), m.end()):
                continue
            form = pack.forms[int((m.lastgroup or "f0_0")[1:].split("_", 1)[0])]
            out.append(Marking(level=Level(form.level), text=" ".join(
                block.text[m.start():m.end()].split()), page=block.page, region=Region.METADATA,
                form=f"metadata-{form.id}", property=block.label))
            break
    return tuple(out)
