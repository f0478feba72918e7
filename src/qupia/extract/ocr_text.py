"""What Tesseract makes of a few signs, put right in the text of OCR'd lines only.

* "№" before a number: English and Latin-script data have no such sign and read it "Ne" or
  "No" ("Dana Ne 1"); kaz+rus read a faint or turned one "Ме" or "Мо" ("Акт Ме 12"). A copy
  number or a document number then no longer reads as one (the requisites of a mark: "Экз.
  № 2", "Дана № 1"). Only before a number, so "No" or "Мое" in words stay.
* A word broken at a line end with a hyphen whose rest begins the next line of the same
  paragraph ("передисло-" / "цировать") is joined on the first line: a cue word split in two
  matches nothing.
"""

from __future__ import annotations

import re

# N or М (Latin or Cyrillic look-alikes), then e/o/º/° (either script), before a number
_NUMBER_SIGN = re.compile(r"(?<!\w)[NМ][eoеоº°](?=\s?\d)")
_BROKEN = re.compile(r"([^\W\d_])[-‐‑¬]$")
_REST = re.compile(r"^([a-zа-яёәғқңөұүһіäğıñöşūüáóúǵńý]+)([.,;:!?»)]*)(?:\s+|$)")


def normalise(text: str) -> str:
    """One OCR'd line with the number sign put right."""
    return _NUMBER_SIGN.sub("№", text) if ("N" in text or "М" in text) else text


def join_broken(first: str, second: str) -> tuple[str, str] | None:
    """Two lines of one paragraph with a hyphenated word mended: the word whole on the first
    line and the rest of the second line; None when the first does not end in a broken word."""
    if not _BROKEN.search(first):
        return None
    match = _REST.match(second)
    if not match:
        return None
    return first[:-1] + match.group(1) + match.group(2), second[match.end():]
