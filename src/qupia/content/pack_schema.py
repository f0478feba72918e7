"""The schema of a category pack ``patterns/categories/art*.yaml`` (``qupia-categories/1``,
``patterns/categories/FORMAT.md``), validated when the packs are compiled."""

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


class PackSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    schema_: Literal["qupia-categories/1"] = Field(alias="schema")
    article: Literal["11", "12", "13", "14", "17"]
    items: list[ItemSpec] = Field(min_length=1)
