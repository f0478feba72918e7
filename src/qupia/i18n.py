"""Messages in Kazakh, Russian and English through the standard gettext machinery.

The catalogues are ``qupia/locale/{kk,ru}/LC_MESSAGES/qupia.po``, compiled to ``.mo`` by
Babel's ``pybabel compile`` (``make locale``). English is the source language: an English message
is its own msgid, and a message missing from a catalogue falls back to English.

A rule module builds its messages with :func:`_` (or :func:`ngettext` where a number decides the
word form — Russian has three) on a literal msgid, then fills in the values::

    from qupia.i18n import _, place

    _('Stamp "{mark}" {place} is not one of the three secrecy marks of Article 18').format(
        mark=mark.text, place=place(mark))

The msgid must be a literal string so the catalogue test can find it in the module's source; the
values go in by name through ``str.format`` so a translation can put them in its own order.
A rule's explanation (``qupia explain``, SARIF ``rules[]``) is its docstring in English and the
catalogue entry with context ``rule-doc`` and the rule code as msgid in other languages.

The active language is process-wide, set once by the CLI before files are read (worker processes
are forked from it and also set it from :attr:`Settings.lang`).
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path
from typing import Any, Protocol

DOMAIN = "qupia"
LOCALEDIR = Path(__file__).resolve().parent / "locale"
#: The languages qupia speaks; English is the source language.
LANGUAGES: tuple[str, ...] = ("kk", "ru", "en")
#: The msgctxt of the translated rule docstrings.
RULE_DOC = "rule-doc"

_active: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def translations(lang: str) -> gettext.NullTranslations:
    """The catalogue of *lang* (English: none, messages are their own msgids)."""
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, str(LOCALEDIR), languages=[lang], fallback=True)


def set_language(lang: str) -> None:
    """Make *lang* (kk, ru or en) the language of every message from now on."""
    global _active, _language
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r} (known: {', '.join(LANGUAGES)})")
    _active, _language = translations(lang), lang


def language() -> str:
    """The active language."""
    return _language


def system_language() -> str | None:
    """kk, ru or en from the locale environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), if any.

    The variables are read in gettext's order; the first one set decides, and a locale qupia
    does not speak (de_DE, C) gives None so the caller falls back to English.
    """
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if not value:
            continue
        for item in value.split(":"):
            code = item.split(".")[0].split("_")[0].split("@")[0].lower()
            if code in LANGUAGES:
                return code
        return None
    return None


def _(message: str) -> str:
    """*message* in the active language."""
    return _active.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message that fits the number *n* in the active language."""
    return _active.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """*message* in the active language, looked up under *context*."""
    return _active.pgettext(context, message)


class _Rule(Protocol):
    CODE: str
    __doc__: str | None


def explanation(rule: _Rule) -> str:
    """A rule's documentation in the active language: its docstring, or the translation."""
    doc = (rule.__doc__ or "").strip()
    translated = pgettext(RULE_DOC, rule.CODE)
    return doc if translated == rule.CODE else translated.strip()


def summary(rule: _Rule) -> str:
    """The one-line summary of a rule: its explanation's first line, after the name."""
    first = explanation(rule).splitlines()[0] if explanation(rule) else ""
    return first.split(":", 1)[-1].strip()


class _Placed(Protocol):
    page: int
    region: Any


def place(mark: _Placed) -> str:
    """Where *mark* stands, as a phrase that fits into a message ("in the header of page 2")."""
    region = getattr(mark.region, "value", mark.region)
    template = {
        "header": _("in the header of page {page}"),
        "footer": _("in the footer of page {page}"),
        "body": _("in the body of page {page}"),
        "table": _("in the table of page {page}"),
        "textbox": _("in the textbox of page {page}"),
        "footnote": _("in the footnote of page {page}"),
        "comment": _("in the comment of page {page}"),
        "hidden": _("in hidden text of page {page}"),
        "metadata": _("in the document properties"),
    }.get(region) or _("in the {region} of page {page}")
    return template.format(page=mark.page, region=region)


def level_name(level: Any) -> str:
    """A marking level's name in the active language (English: its identifier)."""
    value = getattr(level, "value", level)
    return {
        "special-importance": _("special-importance"),
        "top-secret": _("top-secret"),
        "secret": _("secret"),
        "limited": _("limited"),
        "declassified": _("declassified"),
        "nonstandard": _("nonstandard"),
        "public": _("public"),
    }.get(value, value)
