"""QP303 nonstandard-marking: a secrecy-like stamp the law does not know.

What it checks
    A stamp such as "Строго секретно", "Қатаң құпия", "Конфиденциально", "TOP SECRET" on a
    document that does not predate the law. On documents older than the law (15 March 1999)
    Soviet-era stamps are legacy marks, judged by the time rules instead.

Why
    Article 18 sets three secrecy marks and forbids assigning any other restrictive mark to
    information; an invented stamp restricts access with no legal basis.

Example
    A 2024 memo headed with an invented stamp::

        СТРОГО СЕКРЕТНО

        Служебная записка от 12.03.2024 № 8

How to fix
    Replace the stamp with the legal mark the departmental list sets for the information, or
    remove it if the information is not a state secret.
"""

from __future__ import annotations

from qupia.i18n import msg, place
from qupia.model import Finding, Level
from qupia.rules.base import Facts, finding, quoted
from qupia.text.fold import fold

CODE = "QP303"
NAME = "nonstandard-marking"
FAMILY = "unlawful"
SEVERITY = "error"
ARTICLE = "18"


def check(facts: Facts) -> list[Finding]:
    out: list[Finding] = []
    seen: set[str] = set()
    for mark in facts.markings.in_effect:
        key = " ".join(fold(mark.text).split())
        if mark.level is not Level.NONSTANDARD or key in seen:
            continue
        seen.add(key)
        out.append(finding(
            __name__,
            msg('Stamp "{mark}" {place} is not one of the three secrecy marks of Article 18',
                mark=quoted(mark), place=place(mark)),
            mark,
        ))
    return out
