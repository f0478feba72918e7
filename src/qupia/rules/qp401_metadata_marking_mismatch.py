"""QP401 metadata-marking-mismatch: the document's properties say another level than its pages.

What it checks
    A level written in the document's metadata — DOCX core and custom properties, a sensitivity
    label's name (``MSIP_Label_…_Name``), PDF document information, XMP — that disagrees with
    the visible stamps: another Article 18 level than the pages carry; a level in the properties
    of a document whose pages carry no secrecy mark in effect; or a property or label that calls
    a stamped document public ("Public", "General", "Ашық") or merely restricted ("ДСП",
    "Confidential", "Internal"). Stamps that disagree with each other are QP400.

Why
    Article 18 requires the carrier to bear the mark of its degree; the marks the law knows are
    the visible ones, and the document's level is what its pages say. Properties and labels are
    what search, mail gateways and records systems act on, so a property below the stamp lets a
    secret document be handled as open, and a level in the properties of an unstamped document
    shows that a mark was meant and is missing from the pages (or was removed without a
    declassification decision).

Example
    A DOCX whose Subject property reads "Совершенно секретно" and whose first page is stamped::

        СЕКРЕТНО
        Экз. № 1

        Войсковая часть 25630 передислоцируется в район г. Сарыозек до 1 июня 2026 года.

How to fix
    Decide the document's level from the departmental list, mark the pages with it, and set the
    properties and the sensitivity label to the same level (or clear them).
"""

from __future__ import annotations

from qupia.i18n import level_name, msg, place
from qupia.model import LEGAL_LEVELS, Finding, Level, Marking, legal_level
from qupia.rules.base import Facts, finding, quoted

CODE = "QP401"
NAME = "metadata-marking-mismatch"
FAMILY = "inconsistent"
SEVERITY = "warning"
ARTICLE = "18"


def check(facts: Facts) -> list[Finding]:
    pages = [m for m in facts.markings.page_marks if legal_level(m) is not None]
    stamp: Marking | None = None
    level: Level | None = None
    for mark in pages:  # the highest legal mark the pages carry, the first of that level
        lvl = legal_level(mark)
        if lvl and (level is None or LEGAL_LEVELS.index(lvl) > LEGAL_LEVELS.index(level)):
            stamp, level = mark, lvl
    out: list[Finding] = []
    for meta in facts.markings.metadata:
        says = meta.level
        if stamp is None or level is None:
            if says not in LEGAL_LEVELS:
                continue
            message = msg('Property "{property}" says "{text}" ({level}), but the pages carry '
                          "no secrecy mark", property=meta.property, text=quoted(meta),
                          level=level_name(says))
            evidence = meta.text
        elif says == level:
            continue
        else:
            message = msg('Property "{property}" says "{text}" ({level}), but the stamp '
                          '"{stamp}" {place} is {stamp_level}', property=meta.property,
                          text=quoted(meta), level=level_name(says), stamp=quoted(stamp),
                          place=place(stamp), stamp_level=level_name(level))
            evidence = f"{meta.text} | {stamp.text}"
        out.append(finding(__name__, message, meta, evidence=evidence))
    return out
