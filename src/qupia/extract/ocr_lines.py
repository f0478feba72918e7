"""Tesseract's words → text lines with boxes: lines cut at the wide gaps that part two
columns, and marked ``boxed`` where a frame is drawn round them (a rubber stamp, a boxed note,
often turned a few degrees). Pure geometry on Tesseract's TSV and the page image; no OCR runs
here (:mod:`.ocr` runs it)."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

from qupia.extract.ocr_text import join_broken, normalise

WIDE_GAP = 2.5  # line heights of white space that part two runs on one line
MIN_CONF = 10.0  # words Tesseract is less sure of than this, without a letter, are speckles


@dataclass(frozen=True)
class Line:
    """A run of words on one line: text, box in pixels (x0, top, x1, bottom), in a frame."""

    text: str
    box: tuple[int, int, int, int]
    boxed: bool = False


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    """Whether two boxes share more than half of the smaller one."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return False
    smaller = min((a[2] - a[0]) * (a[3] - a[1]), (b[2] - b[0]) * (b[3] - b[1]))
    return w * h > 0.5 * max(1, smaller)


def mean_confidence(tsv: str) -> float:
    """The mean confidence (0–100) of the words of Tesseract's TSV; 100 with no words."""
    confs = [float(cells[10]) for row in tsv.splitlines()
             if (cells := row.split("\t"))[0] == "5" and len(cells) >= 12 and cells[11].strip()]
    return sum(confs) / len(confs) if confs else 100.0


def lines_of(tsv: str, image: Any | None = None) -> list[Line]:
    """Tesseract TSV (level, page, block, par, line, word, left, top, width, height, conf,
    text) → lines, cut at wide gaps, marked boxed where the image shows a frame round them."""
    groups: dict[tuple[int, int, int], list[tuple[int, int, int, int, str]]] = {}
    for row in tsv.splitlines():
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5":
            continue
        text = cells[11].strip()
        try:
            conf = float(cells[10])
            left, top, width, height = (int(c) for c in cells[6:10])
        except ValueError:
            continue
        if not text or (conf < MIN_CONF and not any(ch.isalpha() for ch in text)):
            continue
        key = (int(cells[2]), int(cells[3]), int(cells[4]))
        groups.setdefault(key, []).append((left, top, left + width, top + height, text))
    ink = _ink(image) if image is not None else None
    out: list[Line] = []
    last: tuple[tuple[int, int, int], int] | None = None  # the previous line's key, index
    for key, words in groups.items():
        words.sort(key=lambda w: w[0])
        height = max(1, sorted(w[3] - w[1] for w in words)[len(words) // 2])
        run = [words[0]]
        first = len(out)
        for word in words[1:]:
            if word[0] - run[-1][2] > WIDE_GAP * height:
                out.append(_line(run, ink))
                run = []
            run.append(word)
        out.append(_line(run, ink))
        if last is not None and last[0][:2] == key[:2] and last[0][2] + 1 == key[2]:
            _mend(out, last[1], first)  # the next line of the same paragraph
        last = (key, len(out) - 1)
    return [ln for ln in out if ln.text]


def _mend(out: list[Line], i: int, j: int) -> None:
    """A word hyphenated at the end of line *i* joined with its rest from line *j*."""
    mended = join_broken(out[i].text, out[j].text)
    if mended:
        out[i] = replace(out[i], text=mended[0])
        out[j] = replace(out[j], text=mended[1])


def _line(words: list[tuple[int, int, int, int, str]], ink: Any | None) -> Line:
    box = (min(w[0] for w in words), min(w[1] for w in words),
           max(w[2] for w in words), max(w[3] for w in words))
    return Line(normalise(" ".join(w[4] for w in words)), box,
                ink is not None and framed(ink, box))


def _ink(image: Any) -> Any:
    """The image as a boolean array, True where there is ink (a dark pixel): speckles taken out
    (a 3×3 median), then dilated by one pixel so that a frame line broken by blur still reads
    as a line."""
    import numpy as np
    from PIL import ImageFilter

    grey = np.asarray(image.convert("L").filter(ImageFilter.MedianFilter(3)))
    dark = grey < 160
    out = dark.copy()
    out[1:, :] |= dark[:-1, :]
    out[:-1, :] |= dark[1:, :]
    out[:, 1:] |= dark[:, :-1]
    out[:, :-1] |= dark[:, 1:]
    return out


_ANGLES = [math.radians(a) for a in range(-15, 16)]


def framed(ink: Any, box: tuple[int, int, int, int], inside: tuple[int, int] | None = None,
           outside: int | None = None, cover: float = 0.8, span: float = 1.0) -> bool:
    """Whether a frame surrounds *box*: near each of its four sides, a straight line (turned
    up to 15 degrees) that is ink along at least *cover* of its length. A line of text has gaps
    between letters and words; a frame drawn round a stamp has none.

    The frame is looked for from *outside* pixels outside the box (default: two and a half
    line heights) to *inside* pixels inside it (top/bottom, left/right; default: half a line
    height, none): a turned stamp's frame crosses the box of its first line. *span* is the
    middle share of each side looked along (a turned frame's sides are shorter than its
    bounding box)."""
    import numpy as np

    h_img, w_img = ink.shape
    x0, y0, x1, y1 = box
    line_h = max(4, y1 - y0)
    out = outside if outside is not None else int(2.5 * min(line_h, 60)) + 6
    in_v, in_h = inside if inside is not None else (line_h // 2, 0)

    def side(horizontal: bool, edge: int, direction: int) -> bool:
        lo_, hi_ = (x0, x1) if horizontal else (y0, y1)
        trim = int((hi_ - lo_) * (1 - span) / 2)
        along = np.arange(max(0, lo_ + trim), min(w_img if horizontal else h_img, hi_ - trim))
        if len(along) < 8:
            return False
        limit = h_img if horizontal else w_img
        deep = in_v if horizontal else in_h
        lo = max(0, min(edge + direction * deep, edge - direction * out))
        hi = min(limit, max(edge + direction * deep, edge - direction * out) + 1)
        if hi - lo < 1:
            return False
        # quick test: a frame crosses every position along the side somewhere in the band
        band = (ink[lo:hi, along[0]:along[-1] + 1] if horizontal
                else ink[along[0]:along[-1] + 1, lo:hi].T)
        if band.any(axis=0).mean() < cover:
            return False
        positions = np.arange(lo, hi)[:, None]
        offsets = along - (along[0] + along[-1]) / 2
        for angle in _ANGLES:
            across = np.rint(positions + offsets * math.tan(angle)).astype(int)
            np.clip(across, 0, limit - 1, out=across)
            hits = ink[across, along] if horizontal else ink[along, across]
            if hits.mean(axis=1).max() >= cover:
                return True
        return False

    return (side(False, x0, 1) and side(False, x1, -1)
            and side(True, y0, 1) and side(True, y1, -1))
