"""Compile gettext catalogues (``.po``) to the binary ``.mo`` files gettext reads.

The logic of CPython's ``Tools/i18n/msgfmt.py`` (which is not installed with Python), kept to
what qupia's catalogues use: msgctxt, msgid_plural with msgstr[N], multi-line strings, and the
header entry; fuzzy entries are skipped, as msgfmt does. Output is deterministic, so the
committed ``.mo`` files can be checked against their sources in a test.

    python -m qupia.msgfmt          # compile every catalogue under qupia/locale
"""

from __future__ import annotations

import ast
import struct
import sys
from pathlib import Path

LOCALEDIR = Path(__file__).resolve().parent / "locale"


class PoError(Exception):
    """A catalogue that cannot be compiled; the message names the file and line."""


def parse(text: str, name: str = "<po>") -> dict[bytes, bytes]:
    """The messages of a .po file: key (msgctxt ``\\x04`` msgid) → translation.

    Plural entries map ``msgid \\0 msgid_plural`` to the forms joined by ``\\0``, as in a .mo.
    Untranslated entries (all msgstr empty) are left out so gettext falls back to the msgid.
    """
    messages: dict[bytes, bytes] = {}
    entry: dict[str, str] = {}
    plurals: dict[int, str] = {}
    section: tuple[str, int] | None = None
    fuzzy = False

    def flush() -> None:
        nonlocal entry, plurals, fuzzy
        if "msgid" in entry and not fuzzy:
            key = entry["msgid"]
            if "msgid_plural" in entry:
                key += "\0" + entry["msgid_plural"]
                forms = [plurals[i] for i in sorted(plurals)]
                value = "\0".join(forms) if any(forms) else ""
            else:
                value = entry.get("msgstr", "")
            if "msgctxt" in entry:
                key = entry["msgctxt"] + "\x04" + key
            if value:
                messages[key.encode("utf-8")] = value.encode("utf-8")
        entry, plurals, fuzzy = {}, {}, False

    for lineno, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if line.startswith("#,") and "fuzzy" in line:
            flush()
            fuzzy = True
            continue
        if not line or line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.startswith('"'):
            rest, keyword = line, ""
        elif keyword in ("msgctxt", "msgid") and (
            "msgstr" in entry or plurals or (keyword == "msgctxt" and "msgid" in entry)
        ):
            flush()
        try:
            value = ast.literal_eval(rest.strip())
        except (ValueError, SyntaxError):
            raise PoError(f"{name}:{lineno}: not a quoted string: {rest.strip()[:40]}") from None
        if not isinstance(value, str):
            raise PoError(f"{name}:{lineno}: not a quoted string")
        if keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
            section = (keyword, -1)
            entry[keyword] = value
        elif keyword.startswith("msgstr[") and keyword.endswith("]"):
            section = ("msgstr", int(keyword[7:-1]))
            plurals[section[1]] = value
        elif keyword == "" and section is not None:
            if section[1] >= 0:
                plurals[section[1]] += value
            else:
                entry[section[0]] += value
        else:
            raise PoError(f"{name}:{lineno}: unexpected {keyword or 'string'}")
    flush()
    return messages


def mo_bytes(messages: dict[bytes, bytes]) -> bytes:
    """The .mo file of *messages* (GNU gettext format, little-endian, no hash table)."""
    keys = sorted(messages)
    ids = b"".join(k + b"\0" for k in keys)
    strs = b"".join(messages[k] + b"\0" for k in keys)
    offsets: list[tuple[int, int, int, int]] = []
    id_pos = str_pos = 0
    for k in keys:
        v = messages[k]
        offsets.append((id_pos, len(k), str_pos, len(v)))
        id_pos += len(k) + 1
        str_pos += len(v) + 1
    n = len(keys)
    keystart = 7 * 4 + 16 * n
    valuestart = keystart + len(ids)
    koffsets: list[int] = []
    voffsets: list[int] = []
    for o1, l1, o2, l2 in offsets:
        koffsets += [l1, o1 + keystart]
        voffsets += [l2, o2 + valuestart]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, n, 7 * 4, 7 * 4 + n * 8, 0, 0)
    return header + struct.pack(f"{2 * n}i", *koffsets) + struct.pack(
        f"{2 * n}i", *voffsets) + ids + strs


def compile_file(po: Path) -> bytes:
    """The .mo bytes of the catalogue *po*."""
    return mo_bytes(parse(po.read_text(encoding="utf-8"), str(po)))


def catalogues(localedir: Path = LOCALEDIR) -> list[Path]:
    """Every ``.po`` catalogue under *localedir*."""
    return sorted(localedir.glob("*/LC_MESSAGES/*.po"))


def main() -> int:
    """Compile every catalogue next to its source."""
    for po in catalogues():
        mo = po.with_suffix(".mo")
        mo.write_bytes(compile_file(po))
        print(f"{po.relative_to(LOCALEDIR.parent)} -> {mo.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
