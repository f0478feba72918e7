"""The law excerpts (corpus/excerpts.py): pinned sources, labels, whole-act splits, the cutter."""

from __future__ import annotations

import collections
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from corpus import excerpts
from tests.conftest import ROOT

SOURCE = re.compile(r"^# source: https://github\.com/quyse/kz-laws/blob/(?P<commit>[0-9a-f]{40})/"
                    r"(?P<path>(?:kaz|rus)/(?P<number>\d+)\.md)\b")
TRAIN = sorted((ROOT / "corpus" / "src" / "law-excerpts").glob("*.yaml"))
HELDOUT = sorted((ROOT / "corpus" / "public-4" / "src").glob("*.yaml"))


def _source(path: Path) -> tuple[re.Match[str], dict]:
    text = path.read_text(encoding="utf-8")
    match = SOURCE.match(text)
    assert match, f"{path.name}: no pinned kz-laws source on the first line"
    return match, yaml.safe_load(text)


def test_every_excerpt_is_a_sourced_hard_negative() -> None:
    assert len(TRAIN) + len(HELDOUT) >= 300
    langs = collections.Counter()
    for path in TRAIN + HELDOUT:
        match, doc = _source(path)
        labels = doc["labels"]
        assert labels["hard_negative"] is True and labels["level"] is None, path.name
        assert not labels["families"] and not labels["rules"], path.name
        assert not labels["items"] and not labels["art17"], path.name
        assert doc["lang"] == ("kk" if match["path"].startswith("kaz/") else "ru"), path.name
        assert doc["genre"] == "legal" and doc["pages"][0]["blocks"], path.name
        langs[doc["lang"]] += 1
    assert langs["kk"] >= langs["ru"]  # Kazakh first


def test_no_act_is_on_two_sides_and_no_public_act_is_trained_on() -> None:
    sides: dict[str, set[str]] = collections.defaultdict(set)
    for path in TRAIN:
        match, doc = _source(path)
        assert doc["split"] in ("train", "dev"), path.name
        sides[doc["split"]].add(match["number"])
    for path in HELDOUT:
        match, doc = _source(path)
        sides["heldout"].add(match["number"])
    assert not sides["train"] & sides["dev"]
    assert not (sides["train"] | sides["dev"]) & sides["heldout"]
    public: set[str] = set()
    for name in ("public", "public-2", "public-3"):
        for path in (ROOT / "corpus" / name / "src").glob("*.yaml"):
            public |= set(re.findall(r"kz-laws/blob/[0-9a-f]+/(?:kaz|rus)/(\d+)\.md",
                                     path.read_text(encoding="utf-8")))
    assert public <= excerpts.PUBLIC_ACTS
    assert not (sides["train"] | sides["dev"]) & public
    assert len(sides["heldout"]) >= 0.15 * sum(len(v) for v in sides.values())


def test_the_committed_files_are_the_list_of_acts() -> None:
    """ACTS names exactly the excerpts on disk (ids numbered per prefix and language)."""
    wanted: collections.Counter[tuple[str, str]] = collections.Counter()
    for act in excerpts.ACTS:
        prefix = "p4" if act["split"] == "heldout" else "lx"
        wanted[(prefix, act["path"][:3])] += len(act["cuts"])
    present = collections.Counter((p.name[:2], "kaz" if p.name[3:5] == "kk" else "rus")
                                  for p in TRAIN + HELDOUT)
    assert present == wanted


ACT = """1-бап. Ұғымдар

2-бап. Заңнама

# Сынақ туралы

Ескерту. Бүкіл мәтін бойынша сөздер ауыстырылды.

## 1-тарау. Жалпы ережелер

### 1-бап. Ұғымдар

      Осы Заңда мынадай ұғымдар пайдаланылады:

      1) бірінші ұғым - сынақ мәтіні;

      2) екінші ұғым - тағы бір мәтін; K030442, K070212

      3) үшінші ұғым - соңғы мәтін.

      Ескерту. 1-бапқа өзгеріс енгізілді - ҚР 2004.12.20 № 13 Заңымен.

## 2-тарау. Басқа ережелер

### 2-бап. Заңнама

      Заңнама Конституцияға негізделеді.
"""


def _repository(tmp_path: Path) -> tuple[Path, str]:
    work = tmp_path / "mirror"
    (work / "kaz").mkdir(parents=True)
    (work / "kaz" / "1.md").write_text(ACT, encoding="utf-8")
    git = ["git", "-C", str(work), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "kaz/1.md"], check=True)
    subprocess.run([*git, "commit", "-q", "-m", "act"], check=True)
    commit = subprocess.run([*git, "rev-parse", "HEAD"], check=True, capture_output=True,
                            text=True).stdout.strip()
    return work / ".git", commit


@pytest.mark.parametrize("index", range(6))
def test_an_article_is_cut_from_a_git_mirror_word_for_word(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, index: int) -> None:
    git_dir, commit = _repository(tmp_path)
    cuts = [["1"]] * index + [["1"]]  # the last cut's draw differs with its index
    monkeypatch.setattr(excerpts, "ACTS", [{"key": "test", "path": "kaz/1.md",
                                             "commit": commit, "split": "train", "cuts": cuts}])
    rows: list[dict] = []
    _path, source, comment = excerpts.documents(git_dir, None, rows)[-1]
    blocks = source["pages"][0]["blocks"]
    assert rows[0]["title"] == "Сынақ туралы"
    assert commit in comment and "kaz/1.md" in comment
    # the table of contents, the act's own note and the chapter headings are not in it
    assert "Жалпы ережелер" not in " ".join(blocks)
    assert not any(b.startswith("Ескерту. Бүкіл") for b in blocks)
    # article 2 does not leak in; the inline references are left out, the rest is verbatim
    assert "Заңнама Конституцияға негізделеді." not in blocks
    assert "2) екінші ұғым - тағы бір мәтін;" in blocks
    assert "3) үшінші ұғым - соңғы мәтін." in blocks
    body = [b for b in blocks if b not in ("Сынақ туралы", "1-бап. Ұғымдар")]
    assert body[0] in ("Осы Заңда мынадай ұғымдар пайдаланылады:",
                       "1) бірінші ұғым - сынақ мәтіні;")
    assert source["format"] in ("txt", "pdf", "docx")


def test_an_agreement_with_bare_article_headings_is_split_into_its_articles() -> None:
    text = ("# О ратификации Соглашения\n\nРатифицировать Соглашение.\n\n# СОГЛАШЕНИЕ\n\n"
            "Стороны согласились о нижеследующем:\n\n## Статья 1\n\nПервый текст.\n\n"
            "Сноска. Статья 1 с изменениями.\n\n## Статья 2\n\nВторой текст.\n\n"
            "## Статья 14¹\n\nНе статья.\n")
    title, articles = excerpts.parse(text)
    assert title == "О ратификации Соглашения"
    assert list(articles) == ["1", "2"]
    assert articles["1"] == {"heading": "Статья 1",
                             "paragraphs": ["Первый текст.", "Сноска. Статья 1 с изменениями."]}
    assert articles["2"]["paragraphs"] == ["Второй текст."]
    _title, kk = excerpts.parse("# Келісім\n\n## 1-бап\n\nМәтін.\n\n## 2-бап\n\nТағы.\n")
    assert kk["1"]["paragraphs"] == ["Мәтін."] and kk["2"]["heading"] == "2-бап"
