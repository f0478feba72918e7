"""``qupia eval``: score qupia against the labelled corpus.

Reads ``labels.jsonl`` of a rendered corpus (``corpus/build``, made from ``corpus/src`` by
``corpus/build.py`` when missing), runs the whole linter on the documents of one split, and
compares with the gold labels:

* per family (missing, excessive, unlawful, inconsistent): precision, recall, F1, and the
  micro-F1 over the four; a family counts as predicted when a finding of it has severity error
  or warning;
* per rule code: precision, recall and F1 of the rule's firing (an error or warning finding of
  it) against the gold ``rules`` (QP401, the properties against the stamps, is scored so);
* document-level marking accuracy (``document_level`` against the gold level);
* per article and per item: detection precision, recall and F1 (items of Articles 11–14 and
  17(1) found in ``categories`` against the gold ``items`` and ``art17``);
* the share of hard negatives with no error or warning finding;
* a confusion listing of every document whose families or level are wrong.

The two law texts in ``corpus/law`` join every split as hard negatives.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from qupia.engine import FileResult
from qupia.finish import finish
from qupia.model import FAMILIES
from qupia.runner import run_files
from qupia.settings import Settings

ACTIVE = ("error", "warning")


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, predicted: bool, gold: bool) -> None:
        self.tp += predicted and gold
        self.fp += predicted and not gold
        self.fn += gold and not predicted

    def figures(self) -> dict[str, float | int]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn, "support": self.tp + self.fn}


@dataclass
class Report:
    split: str
    documents: int = 0
    families: dict[str, Tally] = field(default_factory=lambda: {f: Tally() for f in FAMILIES})
    articles: dict[str, Tally] = field(default_factory=dict)
    rules: dict[str, Tally] = field(default_factory=dict)
    items: dict[str, Tally] = field(default_factory=dict)
    level_right: int = 0
    hard_negatives: int = 0
    hard_negatives_clean: int = 0
    unreadable: int = 0
    confusion: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        micro = Tally(*(sum(getattr(t, k) for t in self.families.values())
                        for k in ("tp", "fp", "fn")))
        return {
            "split": self.split,
            "documents": self.documents,
            "families": {f: t.figures() for f, t in self.families.items()},
            "micro_f1": micro.figures()["f1"],
            "document_level_accuracy": round(self.level_right / max(1, self.documents), 4),
            "hard_negatives": self.hard_negatives,
            "hard_negatives_clean": round(self.hard_negatives_clean
                                          / max(1, self.hard_negatives), 4),
            "unreadable": self.unreadable,
            "rules": {r: t.figures() for r, t in sorted(self.rules.items())},
            "articles": {a: t.figures() for a, t in sorted(self.articles.items())},
            "items": {i: t.figures() for i, t in sorted(self.items.items(), key=_item_key)},
            "confusion": self.confusion,
        }


def _item_key(kv: tuple[str, Any]) -> list[int]:
    return [int(p) for p in kv[0].replace("-", ".").split(".")]


def _stale(build_dir: Path, sources: Path) -> bool:
    """Whether a source was changed or added after the corpus was rendered (a stale rendering
    would score yesterday's documents and silently leave out today's)."""
    if not sources.is_dir():
        return False
    rendered = (build_dir / "labels.jsonl").stat().st_mtime
    return any(p.stat().st_mtime > rendered for p in sources.rglob("*") if p.is_file())


class CorpusError(Exception):
    """A corpus that cannot be scored (no labels, no renderer for its sources)."""


def _renderer(corpus: Path) -> Path | None:
    """The checkout whose corpus/build.py renders YAML sources: one above *corpus* (corpus/hidden,
    …), above the current folder, or the one qupia runs from (an editable install)."""
    here = Path(__file__).resolve()
    for start in (corpus.resolve(), Path.cwd().resolve(), here):
        for d in (start, *start.parents):
            if (d / "corpus" / "build.py").is_file():
                return d
    return None


def corpus_rows(corpus: Path) -> tuple[Path, list[dict[str, Any]]]:
    """(folder the paths are relative to, label rows) of a corpus or a rendered corpus."""
    build_dir = corpus if (corpus / "labels.jsonl").exists() else corpus / "build"
    if not (build_dir / "labels.jsonl").exists() or _stale(build_dir, corpus / "src"):
        if not (corpus / "src").is_dir():
            raise CorpusError(f"{corpus}: neither labels.jsonl nor a src/ folder of sources "
                              "(corpus/FORMAT.md)")
        root = _renderer(corpus)
        if root is None:
            raise CorpusError(f"{corpus}: its sources are rendered by corpus/build.py of a qupia "
                              "checkout; run qupia eval from one, or give a rendered folder "
                              "with labels.jsonl")
        import sys

        sys.path.insert(0, str(root))
        from corpus.build import build, load_sources

        build_dir.mkdir(parents=True, exist_ok=True)
        build(load_sources(corpus / "src"), build_dir)
    rows = [json.loads(line) for line in
            (build_dir / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
    return build_dir, rows


def law_rows(corpus: Path) -> list[dict[str, Any]]:
    law = corpus / "law" if (corpus / "law").is_dir() else corpus.parent / "law"
    return [{"id": f"law-{p.stem}", "path": str(p.resolve()), "split": "*",
             "labels": {"level": None, "items": [], "art17": [], "families": [], "rules": [],
                        "hard_negative": True, "limited": False, "declassified": False}}
            for p in sorted(law.glob("*.txt"))]


def evaluate(corpus: Path, split: str, settings: Settings, sample: int | None = None
             ) -> dict[str, Any]:
    build_dir, rows = corpus_rows(corpus)
    chosen = [r for r in rows if split == "all" or r["split"] == split]
    if sample:
        chosen = sorted(chosen, key=lambda r: r["id"])[:: max(1, len(chosen) // sample)][:sample]
    chosen += law_rows(corpus)
    paths = [str((build_dir / r["path"]).resolve()) for r in chosen]
    by_date: dict[str, list[int]] = {}
    for index, row in enumerate(chosen):
        day = str(row["labels"].get("reference_date") or "2026-11-26")
        by_date.setdefault(day, []).append(index)
    results: dict[int, FileResult] = {}
    for day, indices in by_date.items():
        dated = replace(settings, reference_date=date.fromisoformat(day))
        for index, result in zip(indices, run_files([paths[i] for i in indices], dated),
                                 strict=True):
            results[index] = finish(result, dated)
    report = Report(split=split)
    for index, row in enumerate(chosen):
        score(report, row, results[index])
    return report.as_dict()


def score(report: Report, row: dict[str, Any], result: FileResult) -> None:
    gold = row["labels"]
    report.documents += 1
    if result.status in ("error", "no-text"):
        report.unreadable += 1
    findings = [f for f in result.findings if f.severity in ACTIVE]
    predicted_families = {f.family for f in findings}
    gold_families = set(gold.get("families") or [])
    for family, tally in report.families.items():
        tally.add(family in predicted_families, family in gold_families)
    predicted_rules = {f.code for f in findings}
    gold_rules = set(gold.get("rules") or [])
    for code in predicted_rules | gold_rules:
        report.rules.setdefault(code, Tally()).add(code in predicted_rules, code in gold_rules)
    level = result.facts.document_level.value if result.facts and result.facts.document_level \
        else None
    report.level_right += level == gold.get("level")
    if gold.get("hard_negative"):
        report.hard_negatives += 1
        report.hard_negatives_clean += not findings
    predicted_items = {c.item for c in result.categories}
    gold_items = set(gold.get("items") or []) | set(gold.get("art17") or [])
    for item in predicted_items | gold_items:
        report.items.setdefault(item, Tally()).add(item in predicted_items, item in gold_items)
    predicted_articles = Counter(i.split(".")[0] for i in predicted_items)
    gold_articles = Counter(i.split(".")[0] for i in gold_items)
    for article in set(predicted_articles) | set(gold_articles):
        report.articles.setdefault(article, Tally()).add(article in predicted_articles,
                                                         article in gold_articles)
    if predicted_families != gold_families or level != gold.get("level"):
        report.confusion.append({
            "id": row["id"], "gold_families": sorted(gold_families),
            "predicted_families": sorted(predicted_families),
            "gold_rules": sorted(gold.get("rules") or []),
            "predicted_rules": sorted({f.code for f in findings}),
            "gold_level": gold.get("level"), "predicted_level": level,
            "gold_items": sorted(gold_items), "predicted_items": sorted(predicted_items),
            "status": result.status, "error": result.error,
        })


def render(report: dict[str, Any]) -> str:
    lines = [f"qupia eval — split {report['split']}, {report['documents']} documents "
             f"({report['unreadable']} unreadable)", ""]
    lines.append(f"{'family':<14}{'P':>7}{'R':>7}{'F1':>7}{'support':>9}")
    for family, f in report["families"].items():
        lines.append(f"{family:<14}{f['precision']:>7.3f}{f['recall']:>7.3f}{f['f1']:>7.3f}"
                     f"{f['support']:>9}")
    lines += ["", f"micro-F1 over families      {report['micro_f1']:.3f}",
              f"document-level accuracy     {report['document_level_accuracy']:.3f}",
              f"hard negatives clean        {report['hard_negatives_clean']:.3f} "
              f"of {report['hard_negatives']}", ""]
    lines.append(f"{'rule':<14}{'P':>7}{'R':>7}{'F1':>7}{'support':>9}")
    for code, f in report.get("rules", {}).items():
        lines.append(f"{code:<14}{f['precision']:>7.3f}{f['recall']:>7.3f}{f['f1']:>7.3f}"
                     f"{f['support']:>9}")
    lines.append("")
    lines.append(f"{'article':<14}{'P':>7}{'R':>7}{'F1':>7}{'support':>9}")
    for article, f in report["articles"].items():
        lines.append(f"{article:<14}{f['precision']:>7.3f}{f['recall']:>7.3f}{f['f1']:>7.3f}"
                     f"{f['support']:>9}")
    lines += ["", f"{'item':<14}{'P':>7}{'R':>7}{'F1':>7}{'support':>9}"]
    for item, f in report["items"].items():
        lines.append(f"{item:<14}{f['precision']:>7.3f}{f['recall']:>7.3f}{f['f1']:>7.3f}"
                     f"{f['support']:>9}")
    lines += ["", f"wrong documents ({len(report['confusion'])}):"]
    for c in report["confusion"]:
        lines.append(f"  {c['id']}: families {c['gold_families']} → {c['predicted_families']}"
                     f", rules {c['gold_rules']} → {c['predicted_rules']}, level "
                     f"{c['gold_level']} → {c['predicted_level']}"
                     + (f" [{c['status']}: {c['error']}]" if c["status"] != "ok" else ""))
    return "\n".join(lines) + "\n"


def below_floors(report: dict[str, Any], floors: dict[str, Any]) -> list[str]:
    """Every figure under its recorded floor, as 'name: value < floor'."""
    failed = []
    figures = {"micro_f1": report["micro_f1"],
               "document_level_accuracy": report["document_level_accuracy"],
               "hard_negatives_clean": report["hard_negatives_clean"]}
    figures.update({f"family_f1.{f}": v["f1"] for f, v in report["families"].items()})
    for code, v in report.get("rules", {}).items():
        figures.update({f"rule_precision.{code}": v["precision"],
                        f"rule_recall.{code}": v["recall"]})
    for name, floor in floors.get("floors", {}).items():
        value = figures.get(name)
        if value is None:
            failed.append(f"{name}: no such figure")
        elif value < floor:
            failed.append(f"{name}: {value:.3f} < floor {floor:.3f}")
    return failed
