"""The schemas of the cue packs, validated when a pack is compiled: a category pack
``patterns/categories/art*.yaml`` (``qupia-categories/1``, ``patterns/categories/FORMAT.md``;
:mod:`qupia.content.packs`) and a departmental list (``qupia-departmental-list/1``;
:mod:`qupia.content.deplist`).

Only the compilers import this module: the compiled packs hold plain dataclasses, so a run
that loads them from the user cache never imports pydantic for them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from qupia.text.fold import fold

ITEM = r"^(1[1-4])\.\d+(-1)?$|^17\.1\.(?:[1-9]|1[01])$"


class CueSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    stems: list[str] = []
    regex: str | None = None
    weight: float = Field(default=1.0, gt=0, le=5)

    @model_validator(mode="after")
    def _one_kind(self) -> CueSpec:
        if bool(self.stems) == bool(self.regex):
            raise ValueError("a cue has either stems or a regex")
        for stem in self.stems:
            if len(fold(stem).replace(" ", "")) < 3:
                raise ValueError(f"stem {stem!r} is shorter than 3 letters")
        return self


class ItemSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    item: str = Field(pattern=ITEM)
    title: str
    level: Literal["special-importance", "top-secret", "secret"] | None = None
    cues: list[CueSpec] = Field(min_length=1)
    exceptions: list[CueSpec] = []


class CuePackSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    schema_: Literal["qupia-categories/1"] = Field(alias="schema")
    article: Literal["11", "12", "13", "14", "17"]
    items: list[ItemSpec] = Field(min_length=1)


class ListItemSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    id: str = Field(min_length=1)
    title: str
    level: Literal["special-importance", "top-secret", "secret"]
    period_years: int | None = Field(default=None, ge=1, le=30)
    law_item: str | None = Field(default=None, pattern=ITEM)
    cues: list[CueSpec] = []


class ListSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    schema_: Literal["qupia-departmental-list/1"] = Field(alias="schema")
    organisation: str
    min_score: float = Field(default=1.5, gt=0)
    items: list[ListItemSpec] = Field(min_length=1)
