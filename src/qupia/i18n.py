"""Messages in Kazakh, Russian and English through the standard gettext machinery.

The catalogues are ``qupia/locale/{kk,ru}/LC_MESSAGES/qupia.po``, compiled to ``.mo`` by
Babel's ``pybabel compile`` (``make locale``). English is the source language: an English message
is its own msgid, and a message missing from a catalogue falls back to English.

The stages do not translate. A rule says what it found as a :class:`~qupia.model.Message`: a
literal msgid and the values that fill it, made with :func:`msg` (or :func:`msg_n` where a number
decides the word form — Russian has three)::

    from qupia.i18n import msg, place

    msg('Stamp "{mark}" {place} is not one of the three secrecy marks of Article 18',
        mark=quoted(mark), place=place(mark))

The msgid must be a literal string so the catalogue test can find it in the module's source; the
values go in by name so a translation can put them in its own order. The text is made when a
report is written (:func:`render`, :class:`Catalogue`), in the report's language, so worker
processes hold no language at all.

A rule's explanation (``qupia explain``, SARIF ``rules[]``) is its docstring in English and the
catalogue entry with context ``rule-doc`` and the rule code as msgid in other languages.

The command line's own texts (help, its one-line errors) are in the process's active language,
set once by the command line (:func:`set_language`).
"""

from __future__ import annotations

import gettext
import os
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from qupia.model import Message, Words

DOMAIN = "qupia"
LOCALEDIR = Path(__file__).resolve().parent / "locale"
#: The languages qupia speaks; English is the source language.
LANGUAGES: tuple[str, ...] = ("kk", "ru", "en")
#: The msgctxt of the translated rule docstrings.
RULE_DOC = "rule-doc"



def translations(lang: str) -> gettext.NullTranslations:
    """The catalogue of *lang* (English: none, messages are their own msgids)."""
    if lang == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, str(LOCALEDIR), languages=[lang], fallback=True)


def msg(msgid: str, /, **args: Any) -> Message:
    """The message *msgid* (a literal English text with ``{name}`` fields) filled with *args*."""
    return Message(msgid, tuple(args.items()))


def msg_n(singular: str, plural: str, n: int, /, **args: Any) -> Message:
    """The message whose word form follows the number *n* (``ngettext``)."""
    return Message(singular, tuple(args.items()), plural, n)


def sentences(*parts: Message) -> Message:
    """One message of several sentences, each translated on its own: "First. Second"."""
    return Message(". ".join(f"{{s{i}}}" for i in range(len(parts))),
                   tuple((f"s{i}", part) for i, part in enumerate(parts)))


class Catalogue:
    """The texts of one language: ``_``, ``ngettext`` and ``pgettext`` as gettext has them, and
    :meth:`text` for a :class:`~qupia.model.Message`."""

    def __init__(self, lang: str) -> None:
        if lang not in LANGUAGES:
            raise ValueError(f"unknown language {lang!r} (known: {', '.join(LANGUAGES)})")
        self.lang = lang
        self._t = translations(lang)

    def _(self, message: str) -> str:
        return self._t.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._t.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self._t.pgettext(context, message)

    def text(self, message: Message) -> str:
        """*message* in this language, its values (phrases included) filled in."""
        template = (self._t.ngettext(message.id, message.plural, message.n)
                    if message.plural is not None else self._t.gettext(message.id))
        values = {}
        for name, value in message.args:
            if isinstance(value, Message):
                value = self.text(value)
            elif isinstance(value, Words):
                value = value.text
            values[name] = value
        return template.format(**values)


@cache
def catalogue(lang: str) -> Catalogue:
    """The :class:`Catalogue` of *lang* (kk, ru or en), made once."""
    return Catalogue(lang)


def render(message: Message, lang: str = "en") -> str:
    """*message* as text in *lang*."""
    return catalogue(lang).text(message)


_active = catalogue("en")


def set_language(lang: str) -> None:
    """Make *lang* (kk, ru or en) the language of the command line's own texts from now on."""
    global _active
    _active = catalogue(lang)


def language() -> str:
    """The active language."""
    return _active.lang


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
    return _active._(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message that fits the number *n* in the active language."""
    return _active.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """*message* in the active language, looked up under *context*."""
    return _active.pgettext(context, message)


class _Rule(Protocol):
    CODE: str
    __doc__: str | None


def explanation(rule: _Rule, lang: str | None = None) -> str:
    """A rule's documentation in *lang* (default: the active language): its docstring, or the
    translation."""
    doc = (rule.__doc__ or "").strip()
    translated = (catalogue(lang) if lang else _active).pgettext(RULE_DOC, rule.CODE)
    return doc if translated == rule.CODE else translated.strip()


def summary(rule: _Rule, lang: str | None = None) -> str:
    """The one-line summary of a rule: its explanation's first line, after the name."""
    text = explanation(rule, lang)
    first = text.splitlines()[0] if text else ""
    return first.split(":", 1)[-1].strip()


class _Placed(Protocol):
    page: int
    region: Any


def place(mark: _Placed) -> Message:
    """Where *mark* stands, as a phrase that fits into a message ("in the header of page 2")."""
    region = getattr(mark.region, "value", mark.region)
    template = {
        "header": msg("in the header of page {page}", page=mark.page),
        "footer": msg("in the footer of page {page}", page=mark.page),
        "body": msg("in the body of page {page}", page=mark.page),
        "table": msg("in the table of page {page}", page=mark.page),
        "textbox": msg("in the textbox of page {page}", page=mark.page),
        "footnote": msg("in the footnote of page {page}", page=mark.page),
        "comment": msg("in the comment of page {page}", page=mark.page),
        "hidden": msg("in hidden text of page {page}", page=mark.page),
        "metadata": msg("in the document properties"),
    }.get(region)
    return template or msg("in the {region} of page {page}", region=region, page=mark.page)


def level_name(level: Any) -> Message:
    """A marking level's name, translated with its message (English: its identifier)."""
    value = getattr(level, "value", level)
    known = {
        "special-importance": msg("special-importance"),
        "top-secret": msg("top-secret"),
        "secret": msg("secret"),
        "limited": msg("limited"),
        "declassified": msg("declassified"),
        "nonstandard": msg("nonstandard"),
        "public": msg("public"),
    }
    return known.get(value) or Message("{level}", (("level", value),))
