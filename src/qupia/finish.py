"""A file's findings finished in one step, in the main process, in a fixed order.

The workers return what the document holds (:mod:`qupia.engine`): findings with their rules'
default severity, their evidence, messages by id, and the suppressions the document declares.
:func:`finish` turns that into what the report says, from the settings, once per file result:

1. **severity** from the configuration (``[severity]``);
2. **suppressions**: the findings the document's own review suppresses move to ``suppressed``
   (:mod:`qupia.review`);
3. **baseline**: each finding gets its identity's keyed evidence hash (:mod:`qupia.baseline`),
   and the findings a baseline knows are counted in ``baselined`` and left out;
4. **evidence removal** (``--no-evidence``): the document's words leave the findings, their
   messages (a stamp is then named by its level and form), the markings and the categories.

This is the one place that reads ``Settings.evidence`` and ``Settings.severity``; the emitters
(:mod:`qupia.report`) only format what it hands them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from typing import Any

from qupia import baseline as baselines
from qupia import review
from qupia.model import (
    CategoryMatch,
    FileResult,
    Finding,
    Marking,
    MarkingFacts,
    Message,
    Suppressed,
    Words,
)
from qupia.settings import Settings


def finish(result: FileResult, settings: Settings,
           baseline: Counter[baselines.Identity] | None = None) -> FileResult:
    """*result* as the report gives it. *baseline* (identities with how often each was seen)
    is consumed as it matches, so that a second identical finding is new."""
    if result.findings:
        result = replace(result, findings=tuple(
            replace(f, severity=settings.severity.get(f.code, f.severity))
            for f in result.findings))
    result = review.apply(result, quote=settings.evidence)
    result = _identified(result)
    if baseline is not None and result.findings:
        fresh, hidden = baselines.new_findings(result.sha256, result.findings, baseline,
                                               result.evidence_key)
        if hidden:
            result = replace(result, findings=tuple(fresh), baselined=hidden)
    if not settings.evidence:
        result = without_evidence(result)
    return result


def _identified(result: FileResult) -> FileResult:
    """Each finding (suppressed ones too) with its keyed evidence hash, made while the words
    are still there: the baseline and the SARIF fingerprints stay the same without evidence."""
    def one(f: Finding) -> Finding:
        if f.evidence_hash is not None:
            return f
        return replace(f, evidence_hash=baselines.evidence_hash(f.evidence, result.evidence_key))

    if not result.findings and not result.suppressed:
        return result
    return replace(result, findings=tuple(one(f) for f in result.findings),
                   suppressed=tuple(replace(s, finding=one(s.finding))
                                    for s in result.suppressed))


def without_evidence(result: FileResult) -> FileResult:
    """*result* holding none of the document's words: findings' evidence, the words a message
    quotes, the markings' text, the categories' evidence and cues."""
    def finding(f: Finding) -> Finding:
        return replace(f, evidence="", message=redacted(f.message))

    def suppressed(s: Suppressed) -> Suppressed:
        return replace(s, finding=finding(s.finding))

    def marking(m: Marking) -> Marking:
        return replace(m, text="")

    def category(c: CategoryMatch) -> CategoryMatch:
        return replace(c, evidence=(), cues=())

    facts: MarkingFacts | None = result.facts
    if facts is not None:
        facts = replace(facts, markings=tuple(marking(m) for m in facts.markings),
                        metadata=tuple(marking(m) for m in facts.metadata))
    return replace(
        result, facts=facts, categories=tuple(category(c) for c in result.categories),
        findings=tuple(finding(f) for f in result.findings),
        suppressed=tuple(suppressed(s) for s in result.suppressed))


def redacted(message: Message) -> Message:
    """*message* with the document's words it quotes (:class:`Words`) replaced by what they
    stand for."""
    def value(v: Any) -> Any:
        if isinstance(v, Words):
            return v.instead
        if isinstance(v, Message):
            return redacted(v)
        return v

    if not message.args:
        return message
    return replace(message, args=tuple((name, value(v)) for name, v in message.args))
