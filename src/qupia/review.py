"""Suppressions: a reviewed document carries its own decision about a rule.

Two places, both beside the words they excuse rather than in a central list, so the decision
travels with the document and is reviewed with it:

* a DOCX custom document property ``qupia-ignore`` (File → Properties → Custom in Word), e.g.
  ``QP201: reviewed by the records office 2026-01-10; QP400: header and footer agreed``;
* a sidecar file named after the document plus ``.qupia.toml`` (``order.pdf.qupia.toml``)::

      [[ignore]]
      rule = "QP201"
      reason = "reviewed by the records office 2026-01-10"

Every suppression names a rule code and gives a reason; a suppressed finding leaves the failing
set but stays in the report (JSON ``suppressed``, SARIF ``suppressions``) with its reason.
A malformed suppression makes the file ``status: "error"`` with a reason naming the place:
guessing what a reviewer meant would hide findings nobody reviewed.

The worker reads them with the document (:func:`read`, called by :mod:`qupia.engine`); the
main process applies them when it finishes the file's findings (:func:`apply`,
:mod:`qupia.finish`).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from qupia.config import TOML_ERRORS, load_toml, parse_toml, toml_problem
from qupia.extract.errors import ExtractError
from qupia.model import FileResult, Finding, Limits, Review, Suppressed, Suppression

#: The DOCX custom property a reviewer sets.
PROPERTY = "qupia-ignore"
#: What follows a document's name in the name of its sidecar file.
SIDECAR_SUFFIX = ".qupia.toml"

_CODES = r"(?:QP\d{3}\s*,\s*)*QP\d{3}"
_ENTRY = re.compile(rf"^\s*({_CODES})\s*:\s*(.*?)\s*$", re.I | re.S)
_SPLIT = re.compile(rf";\s*(?={_CODES}\s*:)", re.I)


class SuppressionError(Exception):
    """A suppression that cannot be read; the message names where it is. ``redacted`` is the
    same reason without the document's words it quotes (a report without evidence)."""

    def __init__(self, text: str, redacted: str | None = None) -> None:
        super().__init__(text)
        self.redacted = redacted if redacted is not None else text


def parse_property(value: str, known: set[str]) -> list[Suppression]:
    """Suppressions from a ``qupia-ignore`` value: ``CODE[, CODE]: reason; CODE: reason``.
    An error quotes the part it cannot read; its ``redacted`` form does not (the property is
    the document's own text)."""
    out: list[Suppression] = []
    for part in _SPLIT.split(value.strip()):
        match = _ENTRY.match(part)
        if not match or not match.group(2).strip(" ;"):
            reason = "custom property {prop!r}: cannot read{shown}; " \
                     "write 'QP201: reason; QP400: reason'"
            raise SuppressionError(
                reason.format(prop=PROPERTY, shown=f" {part.strip()[:60]!r}"),
                reason.format(prop=PROPERTY, shown=""))
        for code in re.split(r"\s*,\s*", match.group(1).upper()):
            _known(code, known, f"custom property {PROPERTY!r}")
            out.append(Suppression(code, match.group(2).strip(" ;"), "docx-property"))
    return out


def read_sidecar(path: Path, known: set[str]) -> list[Suppression]:
    """Suppressions from a sidecar file: ``[[ignore]]`` tables with ``rule`` and ``reason``."""
    try:
        data = load_toml(path)
    except TOML_ERRORS as exc:
        raise SuppressionError(f"{path.name}: {toml_problem(exc)}") from None
    return _sidecar_entries(data, path.name, known)


def read_sidecar_bytes(raw: bytes, name: str, known: set[str]) -> list[Suppression]:
    """Suppressions from the bytes of a sidecar named *name* (a member of an archive)."""
    try:
        data = parse_toml(raw)
    except TOML_ERRORS as exc:
        raise SuppressionError(f"{name}: {toml_problem(exc)}") from None
    return _sidecar_entries(data, name, known)


def _sidecar_entries(data: dict[str, object], name: str, known: set[str]
                     ) -> list[Suppression]:
    extra = set(data) - {"ignore"}
    if extra:
        raise SuppressionError(f"{name}: unknown key {sorted(extra)[0]!r} "
                               "(a sidecar holds [[ignore]] tables)")
    entries = data.get("ignore", [])
    if not isinstance(entries, list):
        raise SuppressionError(f"{name}: key 'ignore' must be [[ignore]] tables")
    out: list[Suppression] = []
    for n, entry in enumerate(entries, 1):
        where = f"{name}: [[ignore]] #{n}"
        if not isinstance(entry, dict) or set(entry) - {"rule", "reason"}:
            raise SuppressionError(f"{where}: only the keys 'rule' and 'reason' are allowed")
        rule, reason = entry.get("rule"), entry.get("reason")
        if not isinstance(rule, str):
            raise SuppressionError(f"{where}: key 'rule' must be a rule code such as 'QP201'")
        if not isinstance(reason, str) or not reason.strip():
            raise SuppressionError(f"{where}: key 'reason' must say why (who reviewed, when)")
        _known(rule.upper(), known, where)
        out.append(Suppression(rule.upper(), reason.strip(), "sidecar"))
    return out


def _known(code: str, known: set[str], where: str) -> None:
    if code not in known:
        raise SuppressionError(f"{where}: unknown rule code {code!r}")


def sidecar_of(path: Path) -> Path:
    """The sidecar file of the document at *path*: ``order.pdf`` → ``order.pdf.qupia.toml``."""
    return path.with_name(path.name + SIDECAR_SUFFIX)


def suppressions_for(path: Path, known: set[str], limits: Limits | None = None
                     ) -> list[Suppression]:
    """Every suppression the document at *path* carries, from its property and its sidecar."""
    out: list[Suppression] = []
    if path.suffix.lower() in (".docx", ".docm"):
        try:
            props = custom_properties(path, limits)
        except ExtractError:
            props = {}
        for name, value in props.items():
            if name.strip().lower() == PROPERTY:
                out.extend(parse_property(value, known))
    sidecar = sidecar_of(path)
    if sidecar.is_file():
        out.extend(read_sidecar(sidecar, known))
    return out


def custom_properties(path: Path, limits: Limits | None) -> dict[str, str]:
    """The DOCX's custom properties, read with the extractor's hardened archive view."""
    from qupia.extract.docx import custom_properties as read

    return read(path, limits)


def read(path: Path, known: set[str], limits: Limits | None = None) -> Review:
    """What the document at *path* says about its own findings: its suppressions, or why they
    cannot be read."""
    try:
        return Review(tuple(suppressions_for(path, known, limits)))
    except SuppressionError as exc:
        return Review(problem=f"suppression: {exc.redacted}", quoting=f"suppression: {exc}")


def read_member(name: str, data: bytes, sidecar: bytes | None, sidecar_error: str | None,
                known: set[str], limits: Limits | None = None) -> Review:
    """What an archive member says about its own findings: the ``qupia-ignore`` property of a
    DOCX member (*data*) and the sidecar beside it in the archive (*sidecar*, its bytes; or
    why it could not be taken out, *sidecar_error*)."""
    import io

    try:
        if sidecar_error:
            raise SuppressionError(sidecar_error)
        out: list[Suppression] = []
        if Path(name).suffix.lower() in (".docx", ".docm"):
            try:
                props = custom_properties(io.BytesIO(data), limits)  # type: ignore[arg-type]
            except ExtractError:
                props = {}
            for key, value in props.items():
                if key.strip().lower() == PROPERTY:
                    out.extend(parse_property(value, known))
        if sidecar is not None:
            out.extend(read_sidecar_bytes(sidecar, Path(name).name + SIDECAR_SUFFIX, known))
        return Review(tuple(out))
    except SuppressionError as exc:
        return Review(problem=f"suppression: {exc.redacted}", quoting=f"suppression: {exc}")


def apply(result: FileResult, quote: bool = True) -> FileResult:
    """*result* with the findings its document suppresses moved to ``suppressed``; a file whose
    suppressions cannot be read becomes an error (the reason quotes the document only when
    *quote*: the report may carry its words)."""
    review = result.review
    if result.status != "ok" or not result.findings or review is None:
        return result
    if review.problem is not None:
        reason = review.quoting if quote and review.quoting else review.problem
        return FileResult(result.path, result.sha256, "error", reason,
                          pages=result.pages, language=result.language)
    if not review.suppressions:
        return result
    by_code: dict[str, Suppression] = {}
    for rule in review.suppressions:
        by_code.setdefault(rule.code, rule)
    kept: list[Finding] = []
    suppressed: list[Suppressed] = []
    for f in result.findings:
        rule = by_code.get(f.code)
        if rule is None:
            kept.append(f)
        else:
            suppressed.append(Suppressed(f, rule.reason, rule.source))
    return replace(result, findings=tuple(kept), suppressed=tuple(suppressed))
