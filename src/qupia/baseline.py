"""Baselines: the findings a team has already seen, so that a check reports only new ones.

A finding's identity is the sha256 of the file's content, the rule code, and a keyed hash of
the evidence text — never its page or region (a finding does not become new because a page
break moved) and never the evidence itself: a baseline sits in a repository beside the
documents and must not carry their words (detect-secrets keeps only a hash of each secret, for
the same reason). The evidence is hashed with HMAC-SHA256 under a key made from the file's
content (:func:`qupia.engine.digests`), which the baseline does not hold: a plain hash of a
short evidence ("СЕКРЕТНО", a unit number) could be found by trying guesses, this one only by
someone who has the document. Any change to a document changes its sha256, so an edited
document shows its findings again and is reviewed again.

The file, ``qupia-baseline/2`` (``/1`` hashed the evidence without a key: re-create it)::

    {"schema": "qupia-baseline/2", "tool": {"name": "qupia", "version": "0.1.0"},
     "findings": [{"file_sha256": "…", "code": "QP303", "evidence_sha256": "…"}, …]}
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qupia import __version__
from qupia.config import ConfigError
from qupia.fsio import atomic_writer, read_regular
from qupia.model import Finding

SCHEMA = "qupia-baseline/2"

#: The default file name, in the folder qupia is run from.
DEFAULT = ".qupia-baseline.json"

_HEX64 = frozenset("0123456789abcdef")


@dataclass(frozen=True, order=True)
class Identity:
    """What makes two findings the same finding (no positions, no text)."""

    file_sha256: str
    code: str
    evidence_sha256: str

    def fingerprint(self) -> str:
        """One hash of the whole identity (SARIF ``partialFingerprints``)."""
        joined = f"{self.file_sha256}:{self.code}:{self.evidence_sha256}"
        return hashlib.sha256(joined.encode("ascii")).hexdigest()


def evidence_hash(evidence: str, key: str | None) -> str:
    """The keyed hash of a finding's *evidence*; *key* is the file's evidence key (hex,
    :func:`qupia.engine.digests`)."""
    secret = bytes.fromhex(key) if key else b""
    return hmac.new(secret, evidence.encode("utf-8"), hashlib.sha256).hexdigest()


def identity(file_sha256: str | None, finding: Finding, key: str | None = None) -> Identity:
    """The identity of *finding* in a file whose content hashes to *file_sha256*: by the
    evidence hash the finish step recorded (:mod:`qupia.finish`), else hashed here with *key*."""
    evidence = finding.evidence_hash or evidence_hash(finding.evidence, key)
    return Identity(file_sha256 or "", finding.code, evidence)


def dump(identities: Iterable[Identity]) -> dict[str, Any]:
    """The baseline document for *identities* (sorted, so that a re-run changes nothing)."""
    return {
        "schema": SCHEMA,
        "tool": {"name": "qupia", "version": __version__},
        "findings": [
            {"file_sha256": i.file_sha256, "code": i.code, "evidence_sha256": i.evidence_sha256}
            for i in sorted(identities)
        ],
    }


def write(path: Path, identities: Iterable[Identity]) -> None:
    """Write the baseline of *identities* to *path*, whole or not at all (:mod:`qupia.fsio`)."""
    text = json.dumps(dump(identities), indent=2) + "\n"
    with atomic_writer(path) as out:
        out.write(text)


def read(path: Path) -> Counter[Identity]:
    """The identities in the baseline at *path*, with how often each was seen.

    A missing or malformed file is a :class:`ConfigError` (exit status 2) naming the file.
    """
    try:
        data = json.loads(read_regular(path).decode("utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read baseline: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path}: not a JSON baseline: {exc}") from None
    except (RecursionError, MemoryError):  # [[[[…]]]] 100,000 deep
        raise ConfigError(f"{path}: not a JSON baseline: nested too deeply") from None
    except ValueError:  # a number of more than 4,300 digits (int max_str_digits)
        raise ConfigError(f"{path}: not a JSON baseline: a number with too many digits") from None
    if isinstance(data, dict) and data.get("schema") == "qupia-baseline/1":
        raise ConfigError(f"{path}: a qupia-baseline/1 file, whose evidence hashes had no key: "
                          "write it again with `qupia baseline`")
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise ConfigError(f"{path}: not a {SCHEMA} baseline (write one with `qupia baseline`)")
    entries = data.get("findings")
    if not isinstance(entries, list):
        raise ConfigError(f"{path}: key 'findings' must be a list")
    out: Counter[Identity] = Counter()
    for n, entry in enumerate(entries):
        try:
            ident = Identity(entry["file_sha256"], entry["code"], entry["evidence_sha256"])
        except (TypeError, KeyError):
            raise ConfigError(f"{path}: findings[{n}] lacks file_sha256, code or "
                              "evidence_sha256") from None
        if not (_is_hash(ident.file_sha256) and _is_hash(ident.evidence_sha256)
                and isinstance(ident.code, str)):
            raise ConfigError(f"{path}: findings[{n}] is not a qupia finding identity")
        out[ident] += 1
    return out


def _is_hash(value: object) -> bool:
    return isinstance(value, str) and len(value) == 64 and set(value) <= _HEX64


def new_findings(file_sha256: str | None, findings: Iterable[Finding],
                 known: Counter[Identity], key: str | None) -> tuple[list[Finding], int]:
    """The findings not in *known*, and how many were; *known* is consumed as it matches.

    Counting matters: a document that held one known finding and now holds two identical ones
    (same rule, same words) shows the second.
    """
    fresh: list[Finding] = []
    hidden = 0
    for f in findings:
        ident = identity(file_sha256, f, key)
        if known[ident] > 0:
            known[ident] -= 1
            hidden += 1
        else:
            fresh.append(f)
    return fresh, hidden
