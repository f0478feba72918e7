"""The second look at what Tesseract's layout analysis took for pictures: a framed, turned or
faint stamp is often one, and its words are then left out of the page's text. Each such box is
read again on its own as one block of text, turned level first when its lines slope (a rubber
stamp set at 5–15 degrees reads as noise otherwise: "ГРИФ СНЯТ" as "сеуФ саят")."""

from __future__ import annotations

from typing import Any

from qupia.extract.ocr_lines import Line, _ink, _overlap, framed, lines_of, mean_confidence

#: Slopes looked for in a picture box, in degrees either way, and the least one worth a second
#: reading turned level (Tesseract takes a page's own small skew in its stride).
MAX_SLOPE = 20
MIN_SLOPE = 2.0

_IMAGE_BLOCKS = (9, 10, 11)  # PolyBlockType: flowing, heading, pull-out image


def _figures(api: Any, area: int) -> list[tuple[int, int, int, int]]:
    """The boxes Tesseract's layout analysis took for pictures in the page just recognised. A
    framed, turned stamp is often one of them, and its words are then left out of the page's
    text."""
    from tesserocr import RIL

    out = []
    it = api.GetIterator()
    while it is not None:
        box = it.BoundingBox(RIL.BLOCK)
        if box and it.BlockType() in _IMAGE_BLOCKS:
            x0, y0, x1, y1 = box
            if x1 - x0 >= 40 and y1 - y0 >= 20 and (x1 - x0) * (y1 - y0) < 0.4 * area:
                out.append(tuple(box))
        if not it.Next(RIL.BLOCK):
            break
    del it
    # the largest first (a stamp's frame before the pieces inside it); pieces inside dropped
    out.sort(key=lambda b: -(b[2] - b[0]) * (b[3] - b[1]))
    return [b for i, b in enumerate(out)
            if not any(o[0] <= b[0] and o[1] <= b[1] and o[2] >= b[2] and o[3] >= b[3]
                       for o in out[:i])]


def _read_figures(api: Any, image: Any, figures: list[tuple[int, int, int, int]],
                  lines: list[Line]) -> list[Line]:
    """Each picture box read again on its own as one block of text (a stamp's lines), with
    the words the page's reading already has left out. Lines of the page's reading that lie
    inside a framed picture box are marked boxed in *lines* (a stamp read in part)."""
    from tesserocr import PSM

    out: list[Line] = []
    if not figures:
        return out
    ink = _ink(image)
    frames: list[tuple[int, int, int, int]] = []
    api.SetPageSegMode(PSM.SINGLE_BLOCK)
    try:
        for x0, y0, x1, y1 in figures:
            m = 12
            frame = framed(ink, (x0, y0, x1, y1), inside=((y1 - y0) // 5, (x1 - x0) // 5),
                           outside=m, span=0.6)
            if frame:
                frames.append((x0 - m, y0 - m, x1 + m, y1 + m))
            left, top = max(0, x0 - m), max(0, y0 - m)
            right, bottom = min(image.width, x1 + m), min(image.height, y1 + m)
            got, replaces, level_frame = _read_box(api, image.crop((left, top, right, bottom)),
                                                   ink[top:bottom, left:right])
            if replaces:  # read level, it is better than the page's reading of the box
                lines[:] = [ln for ln in lines if not _inside(ln.box, (left, top, right, bottom))]
                if level_frame and not frame:
                    frame = True
                    frames.append((left, top, right, bottom))
            before = list(out)  # the lines of one box may overlap each other when turned
            for line in got:
                a0, b0, a1, b1 = line.box
                box = (a0 + left, b0 + top, a1 + left, b1 + top)
                if sum(ch.isalnum() for ch in line.text) < 3 or any(
                        _overlap(box, other.box) for other in [*lines, *before]):
                    continue
                out.append(Line(line.text, box, frame or framed(ink, box)))
    finally:
        api.SetPageSegMode(PSM.AUTO)
    lines[:] = [Line(ln.text, ln.box, True) if not ln.boxed and any(
        _inside(ln.box, f) for f in frames) else ln for ln in lines]
    return out


def _inside(box: tuple[int, int, int, int], outer: tuple[int, int, int, int]) -> bool:
    return (outer[0] <= box[0] and outer[1] <= box[1] and box[2] <= outer[2]
            and box[3] <= outer[3])


def _read_box(api: Any, crop: Any, ink: Any) -> tuple[list[Line], bool, bool]:
    """The lines of one picture box (boxes in the crop's pixels), whether they were read
    from the box turned level (then they replace whatever the page's reading has inside it),
    and whether the box turned level shows a frame round its ink.
    The box is read as it is, and again turned level when its lines slope by
    :data:`MIN_SLOPE` degrees or more; the reading Tesseract is surer of is kept."""
    from PIL import Image

    api.SetImage(crop)
    tsv = api.GetTSVText(0)
    lines = lines_of(tsv)
    angle = slope(ink)
    if abs(angle) < MIN_SLOPE:
        return lines, False, False
    level = crop.rotate(angle, expand=True, fillcolor=255, resample=Image.Resampling.BICUBIC)
    api.SetImage(level)
    level_tsv = api.GetTSVText(0)
    if mean_confidence(level_tsv) <= mean_confidence(tsv) or not lines_of(level_tsv):
        return lines, False, False
    size = crop.size
    level_ink = _ink(level)
    ys, xs = level_ink.nonzero()
    box = (int(xs.min()), int(ys.min()), int(xs.max()), int(ys.max()))
    h, w = box[3] - box[1], box[2] - box[0]
    boxed = framed(level_ink, box, inside=(h // 5, w // 5), outside=4)
    return [Line(ln.text, _turned_back(ln.box, angle, level.size, size))
            for ln in lines_of(level_tsv)], True, boxed


def slope(ink: Any) -> float:
    """The angle in degrees (counter-clockwise, as Pillow turns) by which the lines of ink in
    a box slope: the turn that makes its rows of ink sharpest (the row profile with the
    largest steps, as text lines and a frame's sides give when level)."""
    import numpy as np
    from PIL import Image

    if ink.size == 0 or not ink.any():
        return 0.0
    picture = Image.fromarray(ink.astype(np.uint8) * 255)
    best, best_angle = -1.0, 0.0
    for angle in range(-MAX_SLOPE, MAX_SLOPE + 1):
        turned = np.asarray(picture.rotate(angle, expand=True), dtype=np.float32)
        score = float((np.diff(turned.sum(axis=1)) ** 2).sum())
        if score > best:
            best, best_angle = score, float(angle)
    return best_angle


def _turned_back(box: tuple[int, int, int, int], angle: float, level_size: tuple[int, int],
                 size: tuple[int, int]) -> tuple[int, int, int, int]:
    """A box in the image turned level (Pillow's rotate by *angle*, expanded) as the bounding
    box of its corners in the image as it was, kept inside it."""
    import math

    rad = math.radians(angle)
    cos, sin = math.cos(rad), math.sin(rad)
    (lw, lh), (w, h) = level_size, size
    xs, ys = [], []
    for x, y in ((box[0], box[1]), (box[2], box[1]), (box[0], box[3]), (box[2], box[3])):
        dx, dy = x - lw / 2, y - lh / 2
        # undo a counter-clockwise turn (y grows downwards)
        xs.append(w / 2 + dx * cos - dy * sin)
        ys.append(h / 2 + dx * sin + dy * cos)
    return (max(0, int(min(xs))), max(0, int(min(ys))), min(w, int(max(xs))),
            min(h, int(max(ys))))
