"""What Tesseract makes of a few signs, put right in the text of OCR'd lines only.

* "№" before a number: English and Latin-script data have no such sign and read it "Ne" or
  "No" ("Dana Ne 1"); kaz+rus read a faint or turned one "Ме" or "Мо" ("Акт Ме 12"). A copy
  number or a document number then no longer reads as one (the requisites of a mark: "Экз.
  № 2", "Дана № 1"). Only before a number, so "No" or "Мое" in words stay.
* A Roman month in a Soviet date read as letters or digits of another kind: "17.XI.43" read
  "17.Х1.43" (a Cyrillic Х, a one), "5/VIII-37" read "5//Ш-37" (V as a slash, III as a Ш).
  The document's date decides whether its marks are Soviet (legacy) ones; it is put back when
  the month then reads as a Roman numeral from I to XII.
* A speck read as a point or a comma between a day and its month ("11. марта 1955 г.") or
  glued between a year and "г." ("1988.г."): the date then reads as a date again.
* An editor's bracket at the start of a line read as a letter: "[Мөр: Құпия]" read
  "ІМөр: Купия]"; the label before the stamp then reads as a label again.
* A Latin letter inside a Cyrillic word, where Tesseract's two alphabets meet ("КЕҢЕСIНIҢ"
  with Latin I, "нoмер" with a Latin o): put as the Cyrillic letter it looks like, so that the
  word matches as the text's does.
* A word broken at a line end with a hyphen whose rest begins the next line of the same
  paragraph ("передисло-" / "цировать") is joined on the first line: a cue word split in two
  matches nothing.
"""

from __future__ import annotations

import re

# N or М (Latin or Cyrillic look-alikes), then e/o/º/° (either script), before a number
_NUMBER_SIGN = re.compile(r"(?<!\w)[NМ][eoеоº°](?=\s?\d)")
# day, separator, the month as OCR read it, separator, year
_ROMAN_DATE = re.compile(r"(?<![\w/])(\d{1,2})([./])([IVXХУШПl1|/\\]{1,5})([.\-/])(\d{2,4})(?!\d)")
_ROMAN_READ = str.maketrans({"Ш": "III", "П": "II", "Х": "X", "У": "V", "l": "I", "1": "I",
                             "|": "I", "/": "V", "\\": "V"})
_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
_DAY_SPECK = re.compile(
    r"(?<![\d.])(\d{1,2})[.,:;‚]\s+(?=(?:январ|феврал|март|апрел|ма[яй]|июн|июл|август|сентябр"
    r"|октябр|ноябр|декабр|қаңтар|ақпан|наурыз|сәуір|мамыр|маусым|шілде|тамыз|қыркүйек|қазан"
    r"|қараша|желтоқсан)\w*\s+\d{4})", re.IGNORECASE)
_YEAR_SPECK = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)[.,:;‚](?=г\.)")
_OPENING = re.compile(r"^[|ІIl1(](?=[^\W\d_])")
_LOOKS = str.maketrans("AaBCcEeHIiKMOoPpTXxy", "АаВСсЕеНІіКМОоРрТХху")
_MIXED = re.compile(r"\w*[а-яёәғқңөұүһіА-ЯЁӘҒҚҢӨҰҮҺІ]\w*")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
_BROKEN = re.compile(r"([^\W\d_])[-‐‑¬]$")
_REST = re.compile(r"^([a-zа-яёәғқңөұүһіäğıñöşūüáóúǵńý]+)([.,;:!?»)]*)(?:\s+|$)")


def normalise(text: str) -> str:
    """One OCR'd line with the number sign, a date and an opening bracket put right."""
    if "N" in text or "М" in text:
        text = _NUMBER_SIGN.sub("№", text)
    if any(ch.isdigit() for ch in text):
        text = _ROMAN_DATE.sub(_roman, text)
        text = _YEAR_SPECK.sub(r"\1 ", _DAY_SPECK.sub(r"\1 ", text))
    if _LATIN_LETTER.search(text):
        text = _MIXED.sub(_cyrillic, text)
    if text.endswith("]") and "[" not in text:
        text = _OPENING.sub("[", text)
    return text


def _cyrillic(match: re.Match[str]) -> str:
    """A word with Cyrillic letters whose Latin ones all have Cyrillic look-alikes, in
    Cyrillic; any other word as it is."""
    word = match.group(0)
    latin = _LATIN_LETTER.findall(word)
    if not latin or any(ch not in "AaBCcEeHIiKMOoPpTXxy" for ch in latin):
        return word
    return word.translate(_LOOKS)


def _roman(match: re.Match[str]) -> str:
    read = match.group(3)
    if read.isdigit():  # "14.11.55": an Arabic date
        return match.group(0)
    month = read.translate(_ROMAN_READ)
    if month not in _MONTHS:
        return match.group(0)
    return match.group(1) + match.group(2) + month + match.group(4) + match.group(5)


def join_broken(first: str, second: str) -> tuple[str, str] | None:
    """Two lines of one paragraph with a hyphenated word mended: the word whole on the first
    line and the rest of the second line; None when the first does not end in a broken word."""
    if not _BROKEN.search(first):
        return None
    match = _REST.match(second)
    if not match:
        return None
    return first[:-1] + match.group(1) + match.group(2), second[match.end():]
