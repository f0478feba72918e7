"""Cut excerpts of official legal acts (one to three articles each) into corpus sources.

Usage::

    python corpus/excerpts.py --git-dir MIRROR.git          # the kz-laws mirror (bare git dir)
    python corpus/excerpts.py --texts DIR                   # stored copies DIR/<commit>/<path>
    python corpus/excerpts.py --git-dir MIRROR.git --check  # compare with the committed YAMLs

The texts are the official acts of the Republic of Kazakhstan as the CC0 Git mirror of the
official legal database keeps them (https://github.com/quyse/kz-laws; folders ``kaz/`` and
``rus/``, files named by the zan.gov.kz document number). Official acts are not objects of
copyright (Law of RK "On Copyright and Related Rights", art. 8); each source YAML names its
act, the pinned commit and path, and the articles cut.

Every act of ``ACTS`` below is read at its pinned commit (``git show COMMIT:PATH``), split
into its articles at the Markdown headings (``## 5-бап. …`` / ``## Статья 5. …``) and cut:
each entry of ``cuts`` is one excerpt of those consecutive articles, word for word. How the
excerpt is pasted is drawn from a random generator seeded by ``SEED``, the act and the cut
(so adding acts never changes the excerpts already written): with or without the act's title
line, with or without the article heading, with the amendment notes ("Сноска. …",
"Ескерту. …") as the database has them or without them, and now and then only the numbered
items of an article; the file format is drawn the same way. Only Markdown marks are removed
(heading marks, link brackets); wording, numbering, notes and slips are the source's.

The acts are split by whole act (``split``): ``train`` and ``dev`` go to
``corpus/src/law-excerpts/`` (``lx-<lang>-NNN``, recorded in ``corpus/splits.json``),
``heldout`` to the held-out set ``corpus/public-4/src/`` (``p4-<lang>-NNN``), never tuned on.
Acts of corpus/public, public-2 and public-3 are never put in train or dev.

Labels: every excerpt is a hard negative (public text, no mark, nothing to report).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SEED = 13
REPO = "https://github.com/quyse/kz-laws/blob"
TRAIN_DIR = ROOT / "corpus" / "src" / "law-excerpts"
HELDOUT_DIR = ROOT / "corpus" / "public-4" / "src"
SPLITS = ROOT / "corpus" / "splits.json"

# Acts in corpus/public, public-2 and public-3 (document numbers): held out already.
PUBLIC_ACTS = {
    "104195", "104201", "104224", "104314", "104328", "104334", "108536", "113146", "123314",
    "129650", "144582", "14657", "151312", "156683", "161088", "1889", "20494", "22504",
    "22989", "23044", "3686", "42587", "51541", "528", "52809", "62771", "63315", "63612",
    "70141", "72730", "7539", "78725", "79133", "85731", "90486", "95458", "95592", "95699",
    "97326",
}

# key: the act in short; path: kaz/NNN.md or rus/NNN.md; commit: the pinned stored version;
# split: train | dev | heldout; cuts: article numbers (strings, as numbered in the act);
# headed: False for acts whose article line is the article's first sentence (budget laws).
ACTS: list[dict[str, Any]] = [
    {"key": "state-secrets-protection-1995", "path": "kaz/104239.md",
     "commit": "67d8ac0629b450bb531c4658df9e506eab7e11e2", "split": "train",
     "cuts": [["1"], ["4"], ["5"], ["9"], ["11"], ["12"]]},
    {"key": "space-activity", "path": "kaz/62908.md",
     "commit": "0447aa18053942d5e967bd3e03de5be0d5a373bc", "split": "train",
     "cuts": [["2"], ["3"], ["4"], ["5"], ["6", "7"]]},
    {"key": "geodesy-cartography", "path": "kaz/12674.md",
     "commit": "0a6423af5c206e8d486aa10edb725e84b7070f51", "split": "dev",
     "cuts": [["2", "3"], ["5"]]},
    {"key": "state-of-emergency", "path": "kaz/14470.md",
     "commit": "0d13a54bc6059bad4dbd72663b48bafe23dcf8a0", "split": "train",
     "cuts": [["1"], ["2", "3"], ["4"], ["6"], ["7"], ["8"], ["10", "11"]]},
    {"key": "semipalatinsk-test-site-victims", "path": "kaz/104246.md",
     "commit": "0da63e563a88a43703272b33a395ed90f294c854", "split": "train",
     "cuts": [["1"], ["3"], ["4"], ["5"], ["6", "7"], ["8", "9"], ["11"], ["14"]]},
    {"key": "fire-safety-1996", "path": "kaz/104408.md",
     "commit": "04fd03aec97a977f8e11b1f721677c9760ec6570", "split": "heldout",
     "cuts": [["2", "3"], ["4"], ["7"], ["8"], ["9"]]},
    {"key": "state-service-2015", "path": "kaz/95690.md",
     "commit": "09dc261d8b0118831103357f8d8741cab82e4925", "split": "dev",
     "cuts": [["2"], ["3"], ["4"]]},
    {"key": "military-duty-2005", "path": "kaz/24809.md",
     "commit": "0d73a0e1c2cbcd5ca0ad32c8881080059f742b20", "split": "heldout",
     "cuts": [["2"], ["3"], ["4"], ["6"]]},
    {"key": "rescue-services", "path": "kaz/104130.md",
     "commit": "0c4189a90d3a20ec8fe8c56e6473b8f11b8d5ee0", "split": "train",
     "cuts": [["2", "3"], ["5"], ["6"], ["8"]]},
    {"key": "weapons-control", "path": "kaz/1890.md",
     "commit": "066848f9006b49fdfaf9e5d53bf41a837a7a7ee0", "split": "train",
     "cuts": [["2", "3"], ["4"], ["6"], ["7-1"], ["7-3"], ["8"]]},
    {"key": "internal-troops", "path": "rus/104092.md",
     "commit": "02950fe3364bc18f855a30ef19dd97db4639ea00", "split": "train",
     "cuts": [["1"], ["3"], ["5", "6"], ["7"], ["9"]]},
    {"key": "national-security-1998", "path": "rus/844.md",
     "commit": "0640105e748313013a8b953c5d9a879e9ec2ceb4", "split": "dev",
     "cuts": [["2", "3"], ["4"], ["6", "7"], ["9"], ["10"]]},
    {"key": "republican-guard", "path": "rus/104320.md",
     "commit": "06e021534f77267c3a49b505370c26232b7714ff", "split": "train",
     "cuts": [["1"], ["2", "3"], ["4"], ["5"], ["8"], ["9"]]},
    {"key": "export-control-1996", "path": "rus/104356.md",
     "commit": "0a6efdc6e9db1e3d06c5cd80245fcb226d7e3c7a", "split": "heldout",
     "cuts": [["2"], ["3", "4"], ["5"], ["5-2"], ["6"]]},
    {"key": "atmospheric-air", "path": "rus/11570.md",
     "commit": "2a1607e0ca1634c572a6f64e240691aee3d1d355", "split": "train",
     "cuts": [["2", "3"], ["4"], ["5", "6"], ["8"], ["10"]]},
    {"key": "sanitary-epidemiological-2002", "path": "kaz/13705.md",
     "commit": "0e5bdbd4e22cd49896e567c60439d22a855a1230", "split": "train",
     "cuts": [["2", "3"], ["4"], ["5"], ["6"]]},
    {"key": "state-defence-order", "path": "kaz/7898.md",
     "commit": "2e59f75df1007a088ca63b3b2a125861ff2ec791", "split": "dev",
     "cuts": [["2"], ["3"], ["4"], ["5", "6"], ["7"], ["8"], ["11"]]},
    {"key": "biological-safety", "path": "kaz/167955.md",
     "commit": "cb2c21e167a3591a19db1e534d13514442962118", "split": "heldout",
     "cuts": [["2", "3"], ["4"], ["5"], ["8"]]},
    {"key": "civil-defence-1997", "path": "rus/104142.md",
     "commit": "04b35a73c9b62ff0cfc490db8bea3403434868fb", "split": "train",
     "cuts": [["1"], ["2"], ["3"], ["4"]]},
    {"key": "state-service-1999", "path": "rus/4054.md",
     "commit": "06c9869d3ff290ed388d2a6900b5e8069eab2a02", "split": "dev",
     "cuts": [["2"], ["3"], ["4"]]},
    {"key": "mass-media", "path": "kaz/3749.md",
     "commit": "01c7e33b0a9946b2eac254120f935fde6c323f97", "split": "train",
     "cuts": [["2"], ["3"], ["4"], ["6"], ["7"], ["8", "9"], ["12"]]},
    {"key": "servicemen-status-1993", "path": "kaz/104186.md",
     "commit": "0cb60edc3d20a5e09849323394de15a24a1578b2", "split": "train",
     "cuts": [["1"], ["2"], ["5"], ["6", "7"]]},
    {"key": "criminal-process-protection", "path": "kaz/6459.md",
     "commit": "04922a807c5afeb872df5faa2fb84d4f6c410eb0", "split": "heldout",
     "cuts": [["1-1", "1-2"], ["2"], ["4"], ["5", "6"], ["9"], ["11", "12"]]},
    {"key": "atomic-energy-1997", "path": "rus/104136.md",
     "commit": "082dc90fdf163f386a3d2d2ad4e15f7626f94c39", "split": "dev",
     "cuts": [["2"], ["3"], ["4"], ["6", "7"]]},
    {"key": "emergencies-1996", "path": "rus/104370.md",
     "commit": "093b46ad7cd2b5c2b60826a4cf68692950ee69f5", "split": "train",
     "cuts": [["3"], ["4"], ["6"], ["7"], ["8", "9"]]},
    {"key": "border-service", "path": "rus/104340.md",
     "commit": "33f35186a430d34937c38392934ed7bcdcbaa578", "split": "heldout",
     "cuts": [["1"], ["2", "3"], ["4"], ["5-1"], ["6"]]},
    {"key": "republican-budget-2017-2019", "path": "kaz/107850.md",
     "commit": "091e78d159dc142f5385ece4ad6542db8e519bb4", "split": "train", "headed": False,
     "cuts": [["2"], ["3", "4"], ["7"], ["9"], ["15", "16"], ["17", "18", "19"], ["20", "21"]]},
    {"key": "budget-system-1993", "path": "rus/104041.md",
     "commit": "1792515e0a4a7ce119756b74269a28eecc9fdfb1", "split": "heldout",
     "cuts": [["4"], ["5"], ["6"], ["9"], ["10", "11"], ["12"], ["16"]]},
    {"key": "state-guard-service", "path": "kaz/104324.md",
     "commit": "0e662f57b1079e442b6de1eba6de4f1b10536060", "split": "train",
     "cuts": [["1"], ["1-1"], ["1-3"], ["2"], ["3", "4"], ["4-1"]]},
    {"key": "ecological-expertise-1997", "path": "kaz/104128.md",
     "commit": "73dbf21bfc8334e469878bc3037bd4ec3e1c01ed", "split": "train",
     "cuts": [["2", "3"], ["4"], ["5"], ["6"], ["7"], ["8", "9"], ["12"]]},
    {"key": "contract-military-service", "path": "kaz/8413.md",
     "commit": "1cd92f2c81105f53f50f06f3ed92e29b37d003c0", "split": "dev",
     "cuts": [["2", "3"], ["4"], ["5"], ["6"], ["7"], ["8", "9"], ["11"], ["12"]]},
    {"key": "weapons-control-1993", "path": "rus/104215.md",
     "commit": "4b5b329fc7c35c197997c757c89a43774ad38326", "split": "train",
     "cuts": [["2"], ["3", "4"], ["5"], ["7", "8"], ["9"], ["13"], ["14"]]},
    {"key": "citizens-health-1997", "path": "rus/104161.md",
     "commit": "36436d4240c28284a674b87f1f0aee56490050b9", "split": "dev",
     "cuts": [["6"], ["7"], ["8", "9"], ["10"], ["11", "12"], ["13"], ["14"], ["17"]]},
    {"key": "security-activity", "path": "rus/7217.md",
     "commit": "016d5d0a49c53451776c50e53ae765a1ca4c302d", "split": "heldout",
     "cuts": [["1"], ["1-1"], ["2", "3"], ["4"], ["5"], ["7"], ["9"]]},
    {"key": "public-order-participation", "path": "kaz/20570.md",
     "commit": "0e051fa5f8da504861f88392681921ab79cfd121", "split": "heldout",
     "cuts": [["1"], ["2"], ["3"], ["4"], ["6"], ["8", "9"]]},
    {"key": "protected-natural-areas", "path": "kaz/28852.md",
     "commit": "06a23b5ec3645c13eb17e2b3e5b93e7e8b2e0d6e", "split": "train",
     "cuts": [["2"], ["3"], ["4", "5"], ["6"], ["7"]]},
    {"key": "law-enforcement-service", "path": "kaz/56792.md",
     "commit": "0319ec78f4b5370f432528e14c445356412cc354", "split": "train",
     "cuts": [["2", "3"], ["4"], ["5"], ["7"]]},
    {"key": "state-of-emergency", "path": "rus/14470.md",
     "commit": "044f0a053fabe43e0ca85193c1f31032015c9eba", "split": "train",
     "cuts": [["1"], ["2", "3"], ["4"], ["5"], ["6"], ["7"], ["8", "9"], ["10", "11"]]},
    {"key": "semipalatinsk-test-site-victims", "path": "rus/104246.md",
     "commit": "15f7bbcdbd1595437dc74a9979fc53733320edda", "split": "train",
     "cuts": [["1"], ["3"], ["4"], ["5", "6"], ["7"], ["8", "9"], ["11"], ["12"], ["13"]]},
    {"key": "fire-safety-1996", "path": "rus/104408.md",
     "commit": "01f02e6702f132c0cd2509435e97ec9748e53692", "split": "heldout",
     "cuts": [["2"], ["3"], ["4"]]},
    {"key": "export-control-1996", "path": "kaz/104356.md",
     "commit": "3bb8db52fc24ce90e4f2c4a2e32319fbc0e8ae68", "split": "heldout",
     "cuts": [["2"], ["3", "4"], ["5"], ["5-1"], ["5-2"], ["6"], ["7"]]},
    {"key": "national-security-1998", "path": "kaz/844.md",
     "commit": "005bc0f6d31e8efc2a02cc4e31f84872b040e9fe", "split": "dev",
     "cuts": [["2", "3"], ["4"], ["6", "7"], ["8"], ["10"], ["12"], ["14", "15"]]},
    {"key": "mass-media", "path": "rus/3749.md",
     "commit": "01eb7c4c9997a6dfd79a3b764d0c819ebe98cbc0", "split": "train",
     "cuts": [["2"], ["3"], ["4"], ["4-1"], ["4-2"]]},
    {"key": "republican-guard", "path": "kaz/104320.md",
     "commit": "16535d9fd999ba790bc59976bea92b0c111fde73", "split": "train",
     "cuts": [["2", "3"], ["4"], ["5"], ["6"], ["8"], ["9"], ["14"]]},
    {"key": "ecological-expertise-1997", "path": "rus/104128.md",
     "commit": "1b895699fc020834829961852c54509f2e6d95f0", "split": "train",
     "cuts": [["2", "3"], ["4"], ["5"], ["8", "9"], ["12"]]},
    {"key": "contract-military-service", "path": "rus/8413.md",
     "commit": "1ff3effffb3fb11f45eb1d3df954e7c461123081", "split": "dev",
     "cuts": [["2"], ["4"], ["5"], ["6"], ["7"], ["8", "9"], ["12"]]},
    {"key": "defence-industry-conversion", "path": "kaz/104193.md",
     "commit": "98c4e4403573e4340585f38cf80461bea0119d86", "split": "heldout",
     "cuts": [["2"], ["3"], ["4"], ["5"], ["7"], ["8"]]},
    {"key": "space-activity", "path": "rus/62908.md",
     "commit": "03c12ccbf3f17fcf330cf28341ae3653492e97e6", "split": "train",
     "cuts": [["2"], ["3"], ["4"], ["5", "6"], ["7"], ["8"]]},
    {"key": "defence-industry-conversion", "path": "rus/104193.md",
     "commit": "007e12a14b224988e7c44bde8640332e4ad887db", "split": "heldout",
     "cuts": [["2"], ["3"], ["5"], ["7"], ["8"]]},
    {"key": "internal-troops", "path": "kaz/104092.md",
     "commit": "006d8bdd1236f85616da3584002036038b071853", "split": "train",
     "cuts": [["3"], ["4"], ["5", "6"], ["7"], ["9"]]},
    {"key": "geodesy-cartography", "path": "rus/12674.md",
     "commit": "03141eb5012266b194255f98a5cf582f691d894c", "split": "dev",
     "cuts": [["2", "3"], ["5"], ["7", "8"], ["10"], ["11"]]},
    {"key": "weapons-control-1993", "path": "kaz/104215.md",
     "commit": "e4260ca2643aebd07132a47b0477c2bfdd7743e6", "split": "train",
     "cuts": [["2"], ["3", "4"], ["5"], ["7", "8"], ["9"], ["13"], ["14"]]},
    {"key": "state-guard-service", "path": "rus/104324.md",
     "commit": "3fa11d2ec83b4508f6f53e770b9d2ac78147384d", "split": "train",
     "cuts": [["1"], ["1-1"], ["1-3"], ["3", "4"], ["4-1"]]},
    {"key": "strategic-property-monitoring", "path": "kaz/17443.md",
     "commit": "01154ba00fcbd643279d3708fb4d3b2864a6f667", "split": "train",
     "cuts": [["2", "3"], ["4"], ["5"], ["5-1"], ["8"], ["9", "10"], ["11"], ["12"]]},
    {"key": "state-borrowing-and-debt", "path": "kaz/3732.md",
     "commit": "01aadf278a079380862e2b0daa44df786caae753", "split": "train",
     "cuts": [["2"], ["3"], ["4"]]},
    {"key": "state-audit", "path": "kaz/95318.md",
     "commit": "0c3ec1ad050abbc5b254dcccf560e1a90408d288", "split": "train",
     "cuts": [["1"], ["2", "3"], ["4"], ["6"], ["7"]]},
    {"key": "csto-secret-information-agreement", "path": "kaz/26162.md",
     "commit": "1ad183582686c9eaaa893415a15920287a69099b", "split": "heldout",
     "cuts": [["1"], ["2"], ["4"], ["5"], ["6"], ["7"], ["8", "9", "10"]]},
    {"key": "csto-secret-information-agreement", "path": "rus/26162.md",
     "commit": "61d66e08f4fe0ead5a92d5a453cb7a41cefae990", "split": "heldout",
     "cuts": [["1"], ["2"], ["4"], ["5"], ["6"], ["7"], ["8", "9", "10"]]},
    {"key": "cis-secret-inventions-agreement", "path": "kaz/8815.md",
     "commit": "707c61a6f0f7fab854144d9f60b8f94b318e9ae8", "split": "train",
     "cuts": [["1", "2"], ["3"], ["4", "5"]]},
    {"key": "cis-secret-inventions-agreement", "path": "rus/8815.md",
     "commit": "cdced7b4e0940d987684a88f4748c8badbeb066f", "split": "train",
     "cuts": [["1"], ["2", "3"], ["4", "5"]]},
    {"key": "joint-planning-of-troops-kz-ru", "path": "kaz/23604.md",
     "commit": "63b6736c7086955152007833928bbcfc1f12a22d", "split": "train",
     "cuts": [["1"], ["2", "3"], ["4", "5"], ["6", "7"], ["8", "9"], ["10", "11"]]},
    {"key": "joint-planning-of-troops-kz-ru", "path": "rus/23604.md",
     "commit": "739839f3d03606309868031f76dd3f4e23adcdb3", "split": "train",
     "cuts": [["1"], ["2", "3"], ["4", "5"], ["6", "7"], ["8", "9"], ["10", "11"]]},
    {"key": "military-products-control-kz-ru", "path": "kaz/131377.md",
     "commit": "581596c07888792b057d132f979ac570678d7eb8", "split": "train",
     "cuts": [["1", "2", "3"], ["4"], ["5", "6"], ["7", "8", "9"], ["10", "11"], ["12", "13"]]},
    {"key": "military-products-control-kz-ru", "path": "rus/131377.md",
     "commit": "1b057600ff08e6b3501d8c72cd98481513b9fcdd", "split": "train",
     "cuts": [["1", "2", "3"], ["4"], ["5", "6"], ["7", "8", "9"], ["10", "11"], ["12", "13"]]},
    # END ACTS
]

# "5-бап. Heading" / "Статья 5. Heading"; in international agreements a bare "5-бап" / "Статья 5".
ARTICLE = re.compile(r"^(?:(?P<kk>\d+(?:-\d+)?)-бап(?:\.|$)"
                     r"|Статья\s+(?P<ru>\d+(?:-\d+)?)(?:\.|$))\s*")
NOTE = re.compile(r"^(?:Сноска|Ескерту|ЕСКЕРТУ|Примечание)\b")
ITEM = re.compile(r"^(?:\d+(?:-\d+)?\)|\d+(?:-\d+)?\.\s|[а-яәіңғүұқөһa-z]\)|-\s|—\s)")
# A plain-line section or chapter heading ("РАЗДЕЛ II", "Глава 3.", "2 тарау."): ends an article.
SECTION = re.compile(r"^(?:РАЗДЕЛ|Раздел|ГЛАВА|Глава)\s+[IVXLC\d]+\b"
                     r"|^\d+(?:-\d+)?\s*-?\s*(?:тарау|ТАРАУ|бөлім|БӨЛІМ)\b")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
# The database's inline references to other acts ("K030442, K070212", "P080860"): left out.
REF = re.compile(r"(?:(?:^|\s+)[A-Z]\d{6,10}_?,?)+(?=\s|$)")


def read_source(commit: str, path: str, git_dir: Path | None, texts: Path | None) -> str:
    """The act's Markdown at the pinned commit: from the mirror or from stored copies."""
    if git_dir is not None:
        proc = subprocess.run(
            ["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"],
            capture_output=True, check=True,
        )
        return proc.stdout.decode("utf-8")
    assert texts is not None
    return (texts / commit / path).read_text(encoding="utf-8")


def parse(text: str, headed: bool = True) -> tuple[str, dict[str, dict[str, Any]]]:
    """The act's title line and its articles: number -> {heading, paragraphs}."""
    lines = [REF.sub("", LINK.sub(r"\1", raw)).strip() for raw in text.splitlines()]
    lines = [line for line in lines if line]
    # The database prepends a table of contents: the act starts at its title line "# …".
    start = next((i for i, line in enumerate(lines) if line.startswith("# ")), None)
    title = lines[start][2:].strip() if start is not None else ""
    articles: dict[str, dict[str, Any]] = {}
    current: dict[str, Any] | None = None
    for line in lines[(start + 1 if start is not None else 0):]:
        heading = line.lstrip("#").strip()
        m = ARTICLE.match(heading)
        # An article heading is a Markdown heading or, in some acts, a short plain line.
        if m and (line.startswith("#") or len(line) < 300 or not headed):
            current = {"heading": heading, "paragraphs": []}
            articles[m.group("kk") or m.group("ru")] = current
        elif line.startswith("#") or (len(line) < 200 and SECTION.match(line)):
            current = None  # a chapter or section heading ends the article before it
        elif current is not None:
            current["paragraphs"].append(line)
    return title, articles


def _variant(rng: random.Random, n_articles: int, paragraphs: list[str]) -> dict[str, Any]:
    items = [p for p in paragraphs if ITEM.match(p)]
    only_items = (n_articles == 1 and len(items) >= 3 and sum(map(len, items)) >= 300
                  and rng.random() < 0.15)
    return {
        "title": rng.random() < 0.3,
        "heading": (not only_items) and rng.random() < 0.75,
        "notes": rng.random() < 0.8,
        "only_items": only_items,
        "format": rng.choices(["txt", "pdf", "docx"], weights=[4, 3, 3])[0],
    }


def cut(act: dict[str, Any], numbers: list[str], title: str,
        articles: dict[str, dict[str, Any]], index: int) -> dict[str, Any]:
    """One excerpt: its blocks, format and a note saying how it was cut."""
    rng = random.Random(f"{SEED}:{act['path']}:{index}")
    chosen = [articles[n] for n in numbers]
    v = _variant(rng, len(numbers), chosen[0]["paragraphs"])
    blocks: list[str] = []
    if v["title"] and title:
        blocks.append(title)
    for art in chosen:
        paragraphs = list(art["paragraphs"])
        if not v["notes"]:
            paragraphs = [p for p in paragraphs if not NOTE.match(p)]
        if v["only_items"]:
            paragraphs = [p for p in paragraphs if ITEM.match(p)]
        if v["heading"] or not act.get("headed", True):
            blocks.append(art["heading"])
        blocks.extend(paragraphs)
    kk = act["path"].startswith("kaz/")
    which = (f"{numbers[0]}-бап" if len(numbers) == 1 else f"{numbers[0]}–{numbers[-1]}-баптар") \
        if kk else (f"Статья {numbers[0]}" if len(numbers) == 1
                    else f"Статьи {numbers[0]}–{numbers[-1]}")
    parts = [which]
    parts.append("title line" if v["title"] else "no title")
    if v["only_items"]:
        parts.append("the numbered items only")
    elif act.get("headed", True):
        parts.append("with heading" if v["heading"] else "without heading")
    has_notes = any(NOTE.match(p) for a in chosen for p in a["paragraphs"])
    if has_notes:
        parts.append("notes kept" if v["notes"] else "notes left out")
    return {"blocks": blocks, "format": v["format"], "how": ", ".join(parts)}


def documents(git_dir: Path | None, texts: Path | None,
              rows: list[dict[str, Any]] | None = None) -> list[tuple[Path, dict[str, Any], str]]:
    """Every excerpt as (file, source dict, comment line), in a stable order; ``rows`` (when
    given) receives one row per act for SOURCES.md."""
    out: list[tuple[Path, dict[str, Any], str]] = []
    counters = {("lx", "kk"): 0, ("lx", "ru"): 0, ("p4", "kk"): 0, ("p4", "ru"): 0}
    for act in ACTS:
        number = Path(act["path"]).stem
        if act["split"] != "heldout" and number in PUBLIC_ACTS:
            raise SystemExit(f"{act['path']} is in a public set: it may only be held out")
        title, articles = parse(read_source(act["commit"], act["path"], git_dir, texts),
                                act.get("headed", True))
        lang = "kk" if act["path"].startswith("kaz/") else "ru"
        prefix = "p4" if act["split"] == "heldout" else "lx"
        ids: list[str] = []
        for index, numbers in enumerate(act["cuts"]):
            missing = [n for n in numbers if n not in articles]
            if missing:
                raise SystemExit(f"{act['path']}: no article {missing}")
            piece = cut(act, numbers, title, articles, index)
            counters[(prefix, lang)] += 1
            doc_id = f"{prefix}-{lang}-{counters[(prefix, lang)]:03d}"
            folder = HELDOUT_DIR if prefix == "p4" else TRAIN_DIR
            source = {
                "id": doc_id, "lang": lang, "genre": "legal", "format": piece["format"],
                "split": "test" if prefix == "p4" else act["split"],
                "pages": [{"blocks": piece["blocks"]}],
                "labels": {
                    "level": None, "limited": False, "declassified": False, "legacy": False,
                    "items": [], "art17": [], "families": [], "rules": [],
                    "hard_negative": True, "reference_date": "2026-11-26",
                    "note": f"excerpt of an official act ({act['key']}): {piece['how']}; "
                            "public text, nothing to report",
                },
            }
            comment = (f"# source: {REPO}/{act['commit']}/{act['path']} ({title}), "
                       f"{piece['how']}; cut by corpus/excerpts.py; official document "
                       "(not an object of copyright, Law of RK on Copyright art. 8)")
            out.append((folder / f"{doc_id}.yaml", source, comment))
            ids.append(doc_id)
        if rows is not None:
            rows.append({"act": act, "title": title, "lang": lang, "ids": ids})
    return out


BEGIN, END = "<!-- BEGIN ACTS (written by corpus/excerpts.py) -->", "<!-- END ACTS -->"


def sources_table(rows: list[dict[str, Any]]) -> str:
    """The list of acts: split, language, title line, pinned source, articles, excerpt ids."""
    lines = [BEGIN, "",
             "| split | act | language | title line in the source | pinned source | articles"
             " cut | excerpts |",
             "|---|---|---|---|---|---|---|"]
    order = {"heldout": 0, "train": 1, "dev": 2}
    for row in sorted(rows, key=lambda r: (order[r["act"]["split"]], r["act"]["key"],
                                           r["lang"] != "kk")):
        act = row["act"]
        split = "public-4" if act["split"] == "heldout" else act["split"]
        link = f"[{act['path']}@{act['commit'][:8]}]({REPO}/{act['commit']}/{act['path']})"
        cuts = "; ".join("–".join((c[0], c[-1])) if len(c) > 1 else c[0] for c in act["cuts"])
        ids = f"{row['ids'][0]} … {row['ids'][-1]}" if len(row["ids"]) > 1 else row["ids"][0]
        title = row["title"] or "(not in the part read)"
        lines.append(f"| {split} | {act['key']} | {'Kazakh' if row['lang'] == 'kk' else 'Russian'}"
                     f" | {title} | {link} | {cuts} | {ids} |")
    lines += ["", END]
    return "\n".join(lines)


def write_sources(rows: list[dict[str, Any]], path: Path) -> bool:
    """Put the table between the markers of ``path``; True when the file changed."""
    text = path.read_text(encoding="utf-8")
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    new = head + sources_table(rows) + tail
    if new == text:
        return False
    path.write_text(new, encoding="utf-8")
    return True


def render(source: dict[str, Any], comment: str) -> str:
    body = yaml.safe_dump(source, allow_unicode=True, sort_keys=False, width=100)
    return comment + "\n" + body


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--git-dir", type=Path, help="the kz-laws mirror's git directory")
    ap.add_argument("--texts", type=Path, help="stored copies laid out as DIR/<commit>/<path>")
    ap.add_argument("--check", action="store_true", help="compare, write nothing")
    args = ap.parse_args(argv)
    if (args.git_dir is None) == (args.texts is None):
        ap.error("give exactly one of --git-dir and --texts")
    rows: list[dict[str, Any]] = []
    docs = documents(args.git_dir, args.texts, rows)
    differ = 0
    for path, source, comment in docs:
        text = render(source, comment)
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                differ += 1
                print(f"differs: {path.relative_to(ROOT)}")
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    sources = HELDOUT_DIR.parent / "SOURCES.md"
    splits = json.loads(SPLITS.read_text(encoding="utf-8"))
    if args.check:
        for path, source, _ in docs:
            if path.parent == TRAIN_DIR and splits.get(source["id"]) != source["split"]:
                differ += 1
                print(f"differs: corpus/splits.json ({source['id']})")
        if BEGIN not in sources.read_text(encoding="utf-8") or \
                sources_table(rows) not in sources.read_text(encoding="utf-8"):
            differ += 1
            print(f"differs: {sources.relative_to(ROOT)}")
    else:
        write_sources(rows, sources)
        for path, source, _ in docs:
            if path.parent == TRAIN_DIR:
                splits[source["id"]] = source["split"]
        SPLITS.write_text(json.dumps(splits, indent=0) + "\n",
                          encoding="utf-8")
    print(f"{len(docs)} excerpts" + (f", {differ} differ" if args.check else " written"))
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
