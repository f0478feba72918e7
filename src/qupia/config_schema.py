"""The configuration file's settings as a pydantic model: the keys, their types and their checks.

Imported only when a configuration file is read and its validated values are not in the cache
(:func:`qupia.config.read_config`): importing pydantic takes about 0.1 s, which a one-page
``qupia check`` cannot spare. Every error becomes one line naming the file and the key, in the
words of :data:`PROBLEMS` (pydantic's own wording names types a TOML author never wrote).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from qupia.extract.errors import OCR_MODES
from qupia.i18n import LANGUAGES
from qupia.model import SEVERITIES

METADATA_MARKS = ("compare-only", "count")

Severity = Literal["info", "warning", "error"]
assert SEVERITIES == ("info", "warning", "error")
Language = Literal["kk", "ru", "en"]
assert LANGUAGES == ("kk", "ru", "en")
Ocr = Literal["off", "auto", "force"]
assert tuple(OCR_MODES) == ("off", "auto", "force")
NonEmpty = Annotated[StrictStr, Field(min_length=1)]

#: What a bad value of each key is told; a check below may say more ("'XX9' matches no rule").
PROBLEMS = {
    "enable": "must be a list of rule codes or prefixes",
    "disable": "must be a list of rule codes or prefixes",
    "severity": "must be a table of CODE = severity",
    "fail-on": f"must be one of {', '.join(SEVERITIES)}",
    "reference-date": "must be a date YYYY-MM-DD",
    "evidence": "must be true or false",
    "jobs": "must be a positive integer",
    "memory-limit": "must be a whole number of MiB (0: no limit)",
    "include": "must be a list of glob patterns",
    "exclude": "must be a list of glob patterns",
    "ocr": f"must be one of {', '.join(OCR_MODES)}",
    "lang": f"must be one of {', '.join(LANGUAGES)}",
    "departmental-list": "must be the path of a departmental list file",
    "content-threshold": "must be a number between 0 and 1",
    "metadata-marks": f"must be one of {', '.join(METADATA_MARKS)}",
    "baseline": "must be the path of a baseline file",
}


class Problem(ValueError):
    """A check's own one-line reason, used as it is."""


class Configuration(BaseModel):
    """The keys of a ``.qupia.toml`` (or ``[tool.qupia]``). Validated with the context
    ``{"known": the rule codes, "folder": the file's folder}``: rule codes are checked against
    the registry and paths resolved against the file's folder."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)

    enable: list[StrictStr] | None = None
    disable: list[StrictStr] | None = None
    severity: dict[str, Severity] | None = None
    fail_on: Severity | None = Field(None, alias="fail-on")
    reference_date: date | None = Field(None, alias="reference-date")
    evidence: StrictBool | None = None
    jobs: Annotated[StrictInt, Field(ge=1)] | None = None
    memory_limit: Annotated[StrictInt, Field(ge=0)] | None = Field(None, alias="memory-limit")
    include: list[StrictStr] | None = None
    exclude: list[StrictStr] | None = None
    departmental_list: NonEmpty | None = Field(None, alias="departmental-list")
    lang: Language | None = None
    baseline: NonEmpty | None = None
    content_threshold: Annotated[float, Field(strict=True, gt=0, lt=1)] | None = Field(
        None, alias="content-threshold")
    metadata_marks: Literal["compare-only", "count"] | None = Field(None,
                                                                     alias="metadata-marks")
    ocr: Ocr | None = None

    @field_validator("enable", "disable")
    @classmethod
    def _prefixes(cls, value: list[str], info: ValidationInfo) -> list[str]:
        known: set[str] = (info.context or {}).get("known", set())
        for prefix in value:
            if not any(code.startswith(prefix.upper()) for code in known):
                raise Problem(f"{prefix!r} matches no rule code")
        return [p.upper() for p in value]

    @field_validator("severity", mode="before")
    @classmethod
    def _codes(cls, value: Any, info: ValidationInfo) -> Any:
        known: set[str] = (info.context or {}).get("known", set())
        if not isinstance(value, dict):
            raise Problem(PROBLEMS["severity"])
        for code, level in value.items():
            if code.upper() not in known:
                raise Problem(f"unknown rule code {code!r}")
            if level not in SEVERITIES:
                raise Problem(f"severity must be one of {', '.join(SEVERITIES)}")
        return {code.upper(): level for code, level in value.items()}

    @field_validator("reference_date", mode="before")
    @classmethod
    def _day(cls, value: Any) -> date:
        if isinstance(value, datetime):  # TOML 2026-11-26T10:00:00: a time, not a date
            raise Problem("must be a date YYYY-MM-DD, not a date and time")
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            raise Problem(PROBLEMS["reference-date"]) from None

    def values(self, folder: Path) -> dict[str, Any]:
        """The settings the file sets, by their keys; paths resolved against *folder*."""
        out = self.model_dump(by_alias=True, exclude_unset=True)
        for key in ("departmental-list", "baseline"):
            if key in out:
                out[key] = (folder / out[key]).resolve()
        return out


def validate(data: dict[str, Any], where: str, known: set[str], folder: Path) -> dict[str, Any]:
    """The values of *data* (a parsed configuration), or ValueError with one line naming the
    file (*where*) and the first bad key in the file's order."""
    try:
        model = Configuration.model_validate(data, context={"known": known, "folder": folder})
    except ValidationError as exc:
        order = list(data)
        errors = sorted(exc.errors(), key=lambda e: order.index(e["loc"][0])
                        if e["loc"] and e["loc"][0] in order else len(order))
        raise ValueError(f"{where}: {_line(errors[0])}") from None
    return model.values(folder)


def _line(error: Any) -> str:
    key = str(error["loc"][0]) if error["loc"] else "?"
    if error["type"] == "extra_forbidden":
        known = sorted(f.alias or name for name, f in Configuration.model_fields.items())
        return f"key {key!r}: unknown setting (known: {', '.join(known)})"
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, Problem):
        return f"key {key!r}: {cause}"
    return f"key {key!r}: {PROBLEMS.get(key, 'not a valid value')}"
