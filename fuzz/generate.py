"""Malformed inputs for qupia's readers, made on the fly from documents built by code.

``generate(folder, count, seed)`` writes *count* files into *folder* and returns their paths and
kinds. The same (count, seed) gives the same files. Nothing is committed: the files are made in
a temporary folder by ``fuzz/run.py`` (``make fuzz``) and by the slow test.

Kinds (each a function below, picked by weight):

* truncations, bit flips, byte splices of a PDF, a DOCX and a TXT built here;
* ZIP entry corruption: damaged deflate data, unknown compression methods, unknown "version
  needed", lying sizes, bad CRCs, missing parts;
* zip bombs: flat (one member far over the ratio, many members, a large honest-ratio member)
  and nested (ZIPs within the DOCX, and a ZIP named .docx holding ZIPs);
* DTDs in every XML part and every encoding (UTF-8/16/32, both byte orders, after a 5 KB
  comment), with billion-laughs and external entities;
* PDFs: encrypted with and without an empty user password, page trees that contain themselves,
  page counts of two thousand million, broken cross-reference tables;
* text: huge lines, NUL bytes, invalid UTF-8, UTF-16 without a byte order mark, form-feed
  storms (more pages than the limit);
* wrong extensions: each format under the others' names.

``python fuzz/generate.py FOLDER [--count N] [--seed S] [--atheris]`` writes them to FOLDER
(with ``--atheris``: prefixed with the reader byte ``fuzz/harness.py`` expects, as its seeds).
"""

from __future__ import annotations

import argparse
import io
import random
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TEXT = ("СЕКРЕТНО\nЭкз. № 1\nСрок засекречивания 10 лет\n\nПриказ от 12.05.2024 № 45\n\n"
        "Войсковая часть 12345 дислоцируется в г. Сарыозек, штатная численность 1 240 человек.\n"
        "\fҚҰПИЯ\n\nӘскери бөлім туралы мәлімет.\n")

Sample = tuple[bytes, str]  # (content, file suffix)


# Seeds: real documents, built by code --------------------------------------------------------

def base_pdf(encrypt: str | None = None, pages: int = 2) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", FONT))
    buf = io.BytesIO()
    if encrypt is not None:
        from reportlab.lib.pdfencrypt import StandardEncryption

        c = canvas.Canvas(buf, pagesize=A4,
                          encrypt=StandardEncryption(encrypt, ownerPassword="owner", strength=128))
    else:
        c = canvas.Canvas(buf, pagesize=A4)
    for page in range(pages):
        c.setFont("DejaVu", 12)
        c.drawRightString(550, 800, "СЕКРЕТНО")
        for i, line in enumerate(TEXT.splitlines()[3:6]):
            c.drawString(60, 700 - 16 * i, f"{line} {page}")
        c.showPage()
    c.save()
    return buf.getvalue()


def base_docx() -> bytes:
    import docx

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "СЕКРЕТНО"
    for line in TEXT.split("\n\n"):
        document.add_paragraph(line.replace("\f", ""))
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Экз. № 1", "ҚҰПИЯ"
    document.core_properties.title = "Приказ"
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


class Seeds:
    """The base documents, built once."""

    def __init__(self) -> None:
        self.pdf = base_pdf()
        self.docx = base_docx()
        self.txt = TEXT.encode("utf-8")
        self.pdf_empty_password = base_pdf(encrypt="")
        self.pdf_password = base_pdf(encrypt="secret")

    def any(self, rng: random.Random) -> Sample:
        return rng.choice([(self.pdf, ".pdf"), (self.docx, ".docx"), (self.txt, ".txt")])


# ZIP helpers -------------------------------------------------------------------------------

def members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return [(i.filename, z.read(i.filename)) for i in z.infolist()]


def build_zip(parts: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as z:
        for name, data in parts:
            z.writestr(name, data)
    return buf.getvalue()


def _headers(data: bytes, magic: bytes) -> list[int]:
    out, at = [], data.find(magic)
    while at != -1:
        out.append(at)
        at = data.find(magic, at + 4)
    return out


# Mutators: each takes the seeds and a random source, returns (bytes, suffix) ---------------

def truncate(s: Seeds, rng: random.Random) -> Sample:
    data, suffix = s.any(rng)
    return data[:rng.randrange(1, len(data))], suffix


def bit_flips(s: Seeds, rng: random.Random) -> Sample:
    data, suffix = s.any(rng)
    out = bytearray(data)
    for _ in range(rng.choice([1, 2, 4, 16, 64])):
        i = rng.randrange(len(out))
        out[i] ^= 1 << rng.randrange(8)
    return bytes(out), suffix


def splice(s: Seeds, rng: random.Random) -> Sample:
    data, suffix = s.any(rng)
    a, b = sorted(rng.randrange(len(data)) for _ in range(2))
    how = rng.randrange(3)
    if how == 0:  # duplicate a chunk
        return data[:b] + data[a:b] * rng.randrange(1, 5) + data[b:], suffix
    if how == 1:  # delete a chunk
        return data[:a] + data[b:], suffix
    return data[:a] + rng.randbytes(rng.randrange(1, 256)) + data[a:], suffix


def zip_entry(s: Seeds, rng: random.Random) -> Sample:
    """Corrupt one ZIP entry of the DOCX in one of several ways."""
    data = bytearray(s.docx)
    local = _headers(bytes(data), b"PK\x03\x04")
    central = _headers(bytes(data), b"PK\x01\x02")
    how = rng.randrange(7)
    if how == 0:  # damage the compressed data of a member (corrupt deflate)
        at = rng.choice(local)
        n, m = struct.unpack_from("<HH", data, at + 26)
        start = at + 30 + n + m
        size = struct.unpack_from("<I", data, at + 18)[0]
        for i in range(start + 2, start + max(3, min(size, 80))):
            if rng.random() < 0.5 and i < len(data):
                data[i] ^= rng.randrange(1, 256)
    elif how == 1:  # an unknown compression method (local and central)
        method = rng.choice([1, 6, 9, 12, 14, 19, 95, 97, 98, 99, 0xFFFF])
        for at in (rng.choice(local), rng.choice(central)):
            struct.pack_into("<H", data, at + (8 if data[at + 2] == 3 else 10), method)
    elif how == 2:  # an unknown "version needed to extract"
        for at in central:
            struct.pack_into("<H", data, at + 6, rng.choice([63, 99, 255, 0xFFFF]))
    elif how == 3:  # lying uncompressed sizes (fools a ratio check)
        at = rng.choice(central)
        struct.pack_into("<I", data, at + 24, rng.choice([0, 1, 10, 0xFFFFFFFF]))
    elif how == 4:  # a wrong CRC
        at = rng.choice(central)
        struct.pack_into("<I", data, at + 16, rng.getrandbits(32))
    elif how == 5:  # a member missing
        parts = members(s.docx)
        parts.pop(rng.randrange(len(parts)))
        return build_zip(parts), ".docx"
    else:  # the encryption flag set
        for at in central:
            flags = struct.unpack_from("<H", data, at + 8)[0]
            struct.pack_into("<H", data, at + 8, flags | 1)
    return bytes(data), ".docx"


def zip_bomb_flat(s: Seeds, rng: random.Random) -> Sample:
    parts = dict(members(s.docx))
    how = rng.randrange(3)
    if how == 0:  # one member far over the ratio: 8 MB of one repeated paragraph
        para = f'<w:p><w:r><w:t>{"А" * 64}</w:t></w:r></w:p>'
        parts["word/document.xml"] = (f'<w:document xmlns:w="{W}"><w:body>'
                                      + para * (8_000_000 // len(para))
                                      + "</w:body></w:document>").encode()
    elif how == 1:  # more members than the limit
        for i in range(10_001):
            parts[f"customXml/item{i}.xml"] = b"<a/>"
    else:  # an honest ratio, but many paragraphs (2 MB)
        paras = "".join(f"<w:p><w:r><w:t>Текст {rng.randrange(10**9)}</w:t></w:r></w:p>"
                        for _ in range(40_000))
        parts["word/document.xml"] = (f'<w:document xmlns:w="{W}"><w:body>{paras}'
                                      "</w:body></w:document>").encode()
    return build_zip(list(parts.items())), ".docx"


def zip_bomb_nested(s: Seeds, rng: random.Random) -> Sample:
    inner = build_zip([("a.txt", b"\0" * 1_000_000)])
    for depth in range(rng.randrange(1, 6)):
        inner = build_zip([(f"level{depth}-{n}.zip", inner) for n in range(rng.randrange(1, 4))])
    if rng.random() < 0.5:
        parts = [*members(s.docx), ("word/embeddings/oleObject1.zip", inner)]
        return build_zip(parts), ".docx"
    # a ZIP of ZIPs, named as what it is (qupia walks archives 3 deep) or as a DOCX
    return inner, rng.choice([".zip", ".docx"])


_ENCODINGS = ("utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be")
_DOCTYPES = (
    '<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>',
    '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    '<!DOCTYPE r SYSTEM "http://127.0.0.1:9/evil.dtd">',
    '<!DOCTYPE r [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x"> %p;]>',
    "<!DOCTYPE r>",
)


def dtd(s: Seeds, rng: random.Random) -> Sample:
    parts = members(s.docx)
    index = rng.randrange(len(parts))
    name, xml = parts[index]
    if not name.endswith((".xml", ".rels")):
        name, xml = "word/document.xml", dict(parts)["word/document.xml"]
        index = [n for n, _ in parts].index(name)
    encoding = rng.choice(_ENCODINGS)
    body = xml.decode("utf-8").split("?>", 1)[-1]
    declared = encoding.upper().replace("-LE", "").replace("-BE", "")
    pad = f"<!-- {'x' * 5000} -->" if rng.random() < 0.5 else ""
    text = (f'<?xml version="1.0" encoding="{declared}"?>{pad}{rng.choice(_DOCTYPES)}'
            + body.replace("</w:t>", "&d;</w:t>", 1))
    bom = "\ufeff" if encoding.endswith(("-le", "-be")) else ""
    parts[index] = (name, (bom + text).encode(encoding))
    return build_zip(parts), ".docx"


def deep_xml(s: Seeds, rng: random.Random) -> Sample:
    parts = dict(members(s.docx))
    depth = rng.choice([300, 5_000, 100_000])
    parts["word/document.xml"] = (f'<w:document xmlns:w="{W}"><w:body>'
                                  + "<w:sdt>" * depth + "</w:sdt>" * depth
                                  + "</w:body></w:document>").encode()
    return build_zip(list(parts.items())), ".docx"


def pdf_encrypted(s: Seeds, rng: random.Random) -> Sample:
    return (s.pdf_empty_password if rng.random() < 0.5 else s.pdf_password), ".pdf"


def _pdf(objects: list[str], root: int = 1, xref_ok: bool = True) -> bytes:
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off if xref_ok else off + 7:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root {root} 0 R >>\n"
              f"startxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


_PAGE = "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>"
_CONTENT = "<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 712 Td (SECRET) Tj ET\nendstream"


def pdf_page_tree(s: Seeds, rng: random.Random) -> Sample:
    how = rng.randrange(5)
    if how == 0:  # a page tree that contains itself
        objs = ["<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>", _PAGE, _CONTENT]
    elif how == 1:  # two nodes pointing at each other
        objs = ["<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [5 0 R] /Count 1 >>", _PAGE, _CONTENT,
                "<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 1 >>"]
    elif how == 2:  # a page count of two thousand million
        objs = ["<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 2147483647 >>", _PAGE, _CONTENT]
    elif how == 3:  # many real (empty) pages: over the page limit
        n = rng.choice([200, 25_000])
        kids = " ".join(f"{i} 0 R" for i in range(4, 4 + n))
        objs = ["<< /Type /Catalog /Pages 2 0 R >>",
                f"<< /Type /Pages /Kids [{kids}] /Count {n} >>", _CONTENT]
        objs += ["<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"] * n
    else:  # a content stream with a lying /Length and nested arrays
        objs = ["<< /Type /Catalog /Pages 2 0 R >>",
                "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", _PAGE,
                "<< /Length 99999999 >>\nstream\n" + "[" * 5000 + "\nendstream"]
    return _pdf(objs, xref_ok=rng.random() < 0.8), ".pdf"


def text_bytes(s: Seeds, rng: random.Random) -> Sample:
    how = rng.randrange(7)
    if how == 0:  # a huge line (rare: they are large)
        size = rng.choice([200_000, 1_100_000]) if rng.random() < 0.9 else 3_000_000
        return b"\xd0\xa1\xd0\x95\xd0\x9a\xd0\xa0\xd0\x95\xd0\xa2\xd0\x9d\xd0\x9e\n\n" + (
            b"ab cd " * (size // 6)), ".txt"
    if how == 1:  # NUL bytes
        data = bytearray(s.txt)
        for _ in range(rng.randrange(1, 50)):
            data.insert(rng.randrange(len(data)), 0)
        return bytes(data), ".txt"
    if how == 2:  # invalid UTF-8
        data = bytearray(s.txt)
        for _ in range(rng.randrange(1, 30)):
            data.insert(rng.randrange(len(data)), rng.choice([0x80, 0xC0, 0xFF, 0xED, 0xF5]))
        return bytes(data), ".txt"
    if how == 3:  # UTF-16 without a byte order mark, maybe odd-length
        data = TEXT.encode(rng.choice(["utf-16-le", "utf-16-be"]))
        return data[:len(data) - rng.randrange(2)], ".txt"
    if how == 4:  # more pages than the limit
        return b"\x0c" * rng.choice([100, 20_001, 50_000]) + s.txt, ".txt"
    if how == 5:  # control characters and bidirectional marks
        return "".join(rng.choice(["\u202e", "\u200b", "\x1b", "\x07", "а", "\n", "\r"])
                       for _ in range(5_000)).encode("utf-8"), ".txt"
    return rng.randbytes(rng.randrange(1, 4096)), ".txt"


def wrong_extension(s: Seeds, rng: random.Random) -> Sample:
    data, suffix = s.any(rng)
    others = [x for x in (".pdf", ".docx", ".docm", ".txt", ".odt", ".zip") if x != suffix]
    return data, rng.choice(others)


#: (mutator, weight). Heavy kinds (bombs, huge lines) are rare to keep a run short.
MUTATORS: list[tuple[Callable[[Seeds, random.Random], Sample], int]] = [
    (truncate, 20), (bit_flips, 25), (splice, 10), (zip_entry, 15), (dtd, 10),
    (pdf_page_tree, 6), (pdf_encrypted, 3), (text_bytes, 8), (wrong_extension, 3),
    (deep_xml, 1), (zip_bomb_nested, 1), (zip_bomb_flat, 1),
]


def generate(folder: Path, count: int, seed: int = 0,
             prefix: Callable[[str], bytes] | None = None) -> list[tuple[Path, str]]:
    """Write *count* malformed inputs into *folder*; (path, kind) of each."""
    folder.mkdir(parents=True, exist_ok=True)
    seeds = Seeds()
    funcs = [m for m, _ in MUTATORS]
    weights = [w for _, w in MUTATORS]
    out = []
    for i in range(count):
        rng = random.Random(f"{seed}:{i}")
        mutator = rng.choices(funcs, weights)[0]
        data, suffix = mutator(seeds, rng)
        path = folder / f"{i:05d}-{mutator.__name__}{suffix}"
        path.write_bytes((prefix(suffix) if prefix else b"") + data)
        out.append((path, mutator.__name__))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--atheris", action="store_true",
                        help="prefix each file with the reader byte of fuzz/harness.py")
    args = parser.parse_args()
    prefix = None
    if args.atheris:
        from fuzz.harness import reader_byte

        prefix = reader_byte
    made = generate(args.folder, args.count, args.seed, prefix)
    print(f"{len(made)} inputs in {args.folder}")


if __name__ == "__main__":
    main()
