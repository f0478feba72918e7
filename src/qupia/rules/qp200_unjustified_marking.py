"""QP200 unjustified-marking: a secrecy mark on content the law does not let be classified.

What it checks
    A document with a legal secrecy mark in effect in which no Article 11–14 content is found
    and no Article 17 content either (that case is QP300).

Why
    Article 16 requires classification to be justified (негізділік), and Article 18 forbids
    using the secrecy marks for information that is not a state secret: a mark with nothing
    classifiable under it restricts access with no basis.

Example
    A sports-day announcement stamped secret::

        ҚҰПИЯ

        Хабарландыру. 2025 жылғы 20 мамырда департамент қызметкерлері арасында волейбол
        турнирі өтеді. Қатысуға ниет білдірген командалар тізімін 15 мамырға дейін
        кадр бөліміне тапсыру қажет.

How to fix
    Check the document against the departmental list; if no item applies, remove the mark
    through the declassification procedure.
"""

from __future__ import annotations

from qupia.i18n import msg, place
from qupia.model import Finding
from qupia.rules.base import Facts, finding, level_mark, quoted
from qupia.rules.content_facts import article17_facts, grounds

CODE = "QP200"
NAME = "unjustified-marking"
FAMILY = "excessive"
SEVERITY = "warning"
ARTICLE = "16"


def check(facts: Facts) -> list[Finding]:
    level = facts.markings.document_level
    if level is None or grounds(facts) or article17_facts(facts):
        return []
    mark = level_mark(facts)
    return [finding(
        __name__,
        msg('Mark "{mark}" {place}, but no Article 11–14 content was found to justify it',
            mark=quoted(mark), place=place(mark)),
        mark,
    )]
