"""The schema of ``patterns/signals.yaml`` (pydantic): imported only when the signals are
compiled into the user cache, never when a compiled copy is loaded."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class SignalSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    name: str = Field(pattern=r"^[a-z0-9-]+$")
    regex: str
    text: Literal["folded", "original"] = "folded"
    operational: bool = False  # names a protected thing itself (a frequency, a call sign…)


class LegalActSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    regex: str
    min_count: int = Field(ge=1)


class LegalExcerptSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    heading: str
    note: str
    line: str
    min_share: float = Field(gt=0.0, le=1.0)
    min_line: int = Field(ge=1)


class SignalsSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    schema_: Literal["qupia-signals/1"] = Field(alias="schema")
    legal_act: LegalActSpec
    legal_excerpt: LegalExcerptSpec
    specific: list[SignalSpec]
    discussion: list[SignalSpec]
