"""Load ``patterns/signals.yaml``: what disclosure looks like and what discussion looks like."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from qupia.markings.fold import fold_regex
from qupia.markings.patterns import PatternError, load_yaml, patterns_dir


class SignalSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    name: str = Field(pattern=r"^[a-z0-9-]+$")
    regex: str
    text: Literal["folded", "original"] = "folded"


class LegalActSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    regex: str
    min_count: int = Field(ge=1)


class SignalsSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    schema_: Literal["qupia-signals/1"] = Field(alias="schema")
    legal_act: LegalActSpec
    specific: list[SignalSpec]
    discussion: list[SignalSpec]


@dataclass(frozen=True)
class Signal:
    name: str
    pattern: re.Pattern[str]
    original: bool


@dataclass(frozen=True, eq=False)
class Signals:
    specific: tuple[Signal, ...]
    discussion: tuple[Signal, ...]
    legal_act: re.Pattern[str]
    legal_act_min: int

    def is_legal_act(self, folded: str) -> bool:
        """Laid out as a legal act: at least ``legal_act_min`` article headings."""
        count = 0
        for _ in self.legal_act.finditer(folded):
            count += 1
            if count >= self.legal_act_min:
                return True
        return False

    @staticmethod
    def count(signals: tuple[Signal, ...], text: str, folded: str) -> dict[str, int]:
        return {s.name: n for s in signals
                if (n := len(s.pattern.findall(text if s.original else folded)))}


def load_signals(path: Path | None = None) -> Signals:
    return _load(str(path or patterns_dir() / "signals.yaml"))


@functools.lru_cache(maxsize=4)
def _load(path_str: str) -> Signals:
    """The compiled signals: from the user cache (:mod:`qupia.cache`) when the file and the
    code that compiles it are unchanged, else compiled and stored there."""
    from qupia import cache

    path = Path(path_str)
    here = Path(__file__).parent
    code = [here / "signals.py", here.parent / "markings" / "fold.py"]
    try:
        return cache.cached("signals", [path, *code], lambda: _compile_signals(path))
    except OSError as exc:
        raise PatternError(f"{path}: {str(exc).splitlines()[0]}") from None


def _compile_signals(path: Path) -> Signals:
    import yaml

    try:
        spec = SignalsSpec.model_validate(load_yaml(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError) as exc:
        raise PatternError(f"{path}: {str(exc).splitlines()[0]}") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(x) for x in err["loc"])
        raise PatternError(f"{path}: {where}: {err['msg']}") from None

    def compile_all(items: list[SignalSpec]) -> tuple[Signal, ...]:
        out = []
        for s in items:
            source = s.regex if s.text == "original" else fold_regex(s.regex)
            try:
                out.append(Signal(s.name, re.compile(source), s.text == "original"))
            except re.error as exc:
                raise PatternError(f"{path}: signal {s.name}: bad regex: {exc}") from None
        return tuple(out)

    try:
        legal = re.compile(fold_regex(spec.legal_act.regex))
    except re.error as exc:
        raise PatternError(f"{path}: legal_act: bad regex: {exc}") from None
    return Signals(compile_all(spec.specific), compile_all(spec.discussion), legal,
                   spec.legal_act.min_count)
