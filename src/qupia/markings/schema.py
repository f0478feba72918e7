"""The schemas of the marking packs, validated when a pack is compiled: ``patterns/markings.yaml``
(``qupia-markings/1``, :mod:`qupia.markings.patterns`) and ``patterns/metadata.yaml``
(``qupia-metadata/1``, :mod:`qupia.markings.metadata``).

Only the compilers import this module: a compiled pack holds plain dataclasses
(:class:`~qupia.markings.patterns.Form`, :class:`~qupia.markings.metadata.MetaForm`), so a run
that loads the packs from the user cache never imports pydantic for them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from qupia.model import Level

Kind = Literal["legal", "limited", "declassified", "legacy", "nonstandard"]


class FormSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    kind: Kind
    level: Level | None = None
    maps_to: Level | None = None
    era: Literal["soviet"] | None = None
    lang: str
    context: Literal["stamp", "number"] = "stamp"
    phrases: list[str] = []
    regex: list[str] = []
    stands_with: list[str] = []  # forms this one completes as one stamp (not inconsistent)
    # the same, only on a document dated before the law (15 March 1999): the Soviet
    # "Совершенно секретно / Особой важности" was one stamp, today they are two levels
    stands_with_before_law: list[str] = []

    @model_validator(mode="after")
    def _check(self) -> FormSpec:
        if not self.phrases and not self.regex:
            raise ValueError("a form needs phrases or regex")
        if self.kind == "legal" and self.level is None:
            raise ValueError("a legal form needs a level")
        if self.kind in ("legacy", "nonstandard") and self.maps_to is None:
            raise ValueError(f"a {self.kind} form needs maps_to")
        return self


class RequisitesSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    copy_: list[str] = Field(alias="copy")
    list_item: list[str]
    period: list[str]
    until: list[str]
    extended: list[str]


class MergedColumnSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    max_words_before: int = Field(default=6, ge=1, le=20)
    max_line: int = Field(default=6, ge=0, le=50)
    refuse: list[str] = []
    addressee: list[str] = []
    max_words_addressee: int = Field(default=12, ge=1, le=30)
    max_words_title: int = Field(default=16, ge=1, le=30)


class MarkPackSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)
    schema_: Literal["qupia-markings/1"] = Field(alias="schema")
    forms: list[FormSpec]
    stamp_words: list[str]
    label_words: list[str]
    merged_column: MergedColumnSpec = MergedColumnSpec()
    mention_before: list[str]
    mention_after: list[str]
    declass_words: list[str]
    document_words: list[str]
    requisites: RequisitesSpec
    months: dict[int, list[str]]


MetaLevel = Literal["special-importance", "top-secret", "secret", "limited", "public"]


class MetaFormSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9-]+$")
    level: MetaLevel
    lang: str
    scope: Literal["any", "label"] = "any"
    phrases: list[str] = Field(min_length=1)


class MetaPackSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    schema_: Literal["qupia-metadata/1"] = Field(alias="schema")
    level_properties: list[str]
    ignore_properties: list[str] = []
    filler_words: list[str]
    forms: list[MetaFormSpec]
