"""Make scans by code: pages rendered to images, then skewed, blurred and speckled as a
scanner and a photocopier leave them, saved as PNG, JPEG, multi-page TIFF or an image-only PDF.

Used by the tests (tests/test_ocr.py), the scan evaluation (corpus/scans.py) and the bench
(bench/bench_ocr.py). Two ways to a page image:

* :func:`rasterise` renders an existing PDF's pages with pypdfium2 (a corpus document rendered
  by corpus/build.py keeps its header, footer, tables and boxed or rotated stamps);
* :func:`draw_page` draws a page with Pillow and the DejaVu fonts: body lines, a header line
  with a stamp at the top right, and optionally a stamp in a box, turned a few degrees.
"""

from __future__ import annotations

import io
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
A4_PT = (595.0, 842.0)


@dataclass(frozen=True)
class Noise:
    """How rough the scan is: a small rotation of the whole page, blur, speckles, a grey
    background and faint ink."""

    skew: float = 0.0  # degrees, the whole page
    blur: float = 0.0  # Gaussian radius in pixels
    speckle: float = 0.0  # share of pixels turned to random grey
    faint: float = 0.0  # 0: black ink; 0.4: ink at 40% lighter
    seed: int = 0


ROUGH = Noise(skew=1.2, blur=0.8, speckle=0.004, faint=0.25, seed=7)


def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONT_DIR / name), size)


def draw_page(body: Sequence[str], *, header_left: str = "", header_right: str = "",
              footer: str = "", boxed_stamp: str = "", stamp_angle: float = 0.0,
              dpi: int = 200) -> Image.Image:
    """One A4 page in grey scale: a header band (organisation left, mark right), body lines,
    a footer, and *boxed_stamp* in a rectangle near the bottom right, turned *stamp_angle*
    degrees (a rubber stamp)."""
    scale = dpi / 72.0
    width, height = int(A4_PT[0] * scale), int(A4_PT[1] * scale)
    page = Image.new("L", (width, height), 255)
    draw = ImageDraw.Draw(page)
    size = int(11 * scale)
    regular, bold = font(size), font(size, bold=True)
    margin = int(60 * scale)
    top = int(40 * scale)
    if header_left:
        draw.text((margin, top), header_left, font=regular, fill=0)
    if header_right:
        for n, line in enumerate(header_right.split("\n")):
            w = draw.textlength(line, font=bold)
            draw.text((width - margin - w, top + n * int(size * 1.3)), line, font=bold, fill=0)
    y = int(130 * scale)
    for line in body:
        draw.text((margin, y), line, font=regular, fill=0)
        y += int(size * 1.45)
    if footer:
        draw.text((margin, height - int(45 * scale)), footer, font=regular, fill=0)
    if boxed_stamp:
        lines = boxed_stamp.split("\n")
        pad = int(8 * scale)
        w = int(max(draw.textlength(t, font=bold) for t in lines)) + 2 * pad
        h = len(lines) * int(size * 1.35) + 2 * pad
        stamp = Image.new("L", (w + 8, h + 8), 255)
        sd = ImageDraw.Draw(stamp)
        sd.rectangle((2, 2, w + 4, h + 4), outline=0, width=max(2, int(1.5 * scale)))
        for n, line in enumerate(lines):
            sd.text((pad + 3, pad + 3 + n * int(size * 1.35)), line, font=bold, fill=0)
        if stamp_angle:
            stamp = stamp.rotate(stamp_angle, expand=True, fillcolor=255,
                                 resample=Image.Resampling.BICUBIC)
        x = width - margin - stamp.width
        yy = max(y + size, height - int(200 * scale))
        page.paste(stamp, (x, yy), Image.eval(stamp, lambda v: 255 - v))
    return page


def rasterise(pdf: Path, dpi: int = 200) -> list[Image.Image]:
    """Every page of *pdf* as a grey-scale image."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        return [doc[i].render(scale=dpi / 72.0, grayscale=True).to_pil().convert("L")
                for i in range(len(doc))]
    finally:
        doc.close()


def degrade(image: Image.Image, noise: Noise) -> Image.Image:
    """*image* as a rough scan: faint ink, turned, blurred, speckled."""
    rnd = random.Random(noise.seed)
    out = image.convert("L")
    if noise.faint:
        lift = int(255 * noise.faint)
        out = out.point(lambda v: min(255, v + lift * (255 - v) // 255))
    if noise.skew:
        out = out.rotate(noise.skew, expand=False, fillcolor=255,
                         resample=Image.Resampling.BICUBIC)
    if noise.blur:
        out = out.filter(ImageFilter.GaussianBlur(noise.blur))
    if noise.speckle:
        px = out.load()
        w, h = out.size
        for _ in range(int(w * h * noise.speckle)):
            px[rnd.randrange(w), rnd.randrange(h)] = rnd.randrange(0, 200)
    return out


def save(images: Sequence[Image.Image], path: Path, dpi: int = 200) -> Path:
    """Save as the suffix says: .png/.jpg (the first page), .tif (every page), .pdf (an
    image-only PDF, every page)."""
    suffix = path.suffix.lower()
    # copies: an image saved before keeps its encoder settings, which TIFF would take up
    first, rest = images[0].copy(), [im.copy() for im in images[1:]]
    if suffix in (".tif", ".tiff"):
        first.save(path, save_all=True, append_images=rest, compression="tiff_deflate",
                   dpi=(dpi, dpi))
    elif suffix == ".pdf":
        first.convert("L").save(path, save_all=True, append_images=rest, resolution=dpi)
    elif suffix in (".jpg", ".jpeg"):
        first.save(path, quality=85, dpi=(dpi, dpi))
    else:
        first.save(path, dpi=(dpi, dpi))
    return path


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
