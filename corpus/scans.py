"""Evaluate the OCR path: corpus documents as rough scans against the same documents as text.

A sample of a split's sources (corpus/src, see corpus/FORMAT.md) is rendered as PDF with its
text layer (corpus/build.py), and the same pages as scans: rendered at 200 dpi, turned up to
1.5 degrees, blurred, speckled and made faint (corpus/scanlib.py), saved in turn as an
image-only PDF, a multi-page TIFF, a PNG or a JPEG (the first page of a longer document goes to
PNG/JPEG only when it has one page). qupia checks both sets (qupia.evaluate) and the figures are
printed side by side: the document level right, the family micro-F1, and the files that could
not be read.

    python corpus/scans.py [--split dev] [--sample 40] [--out corpus/scans-build]
    python corpus/scans.py --source corpus/archival/src --split all --out /tmp/archival-scans

The issue's target for scans: level right on at least 95% of files, family micro-F1 at least
0.85. Needs Tesseract (debian-packages.txt); without it every scan is unreadable.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from corpus.build import label_row, load_sources, render  # noqa: E402
from corpus.scanlib import Noise, degrade, rasterise, save  # noqa: E402

FORMATS = (".pdf", ".tif", ".png", ".jpg")


def noise_for(index: int) -> Noise:
    rnd = random.Random(1000 + index)
    return Noise(skew=rnd.uniform(-1.5, 1.5), blur=rnd.choice((0.0, 0.5, 0.8)),
                 speckle=rnd.choice((0.0, 0.002, 0.004)), faint=rnd.choice((0.0, 0.2, 0.35)),
                 seed=index)


def make(split: str, sample: int, out: Path, source_dir: Path | None = None) -> None:
    sources = [s for s in load_sources(source_dir or ROOT / "corpus" / "src")
               if split == "all" or s["split"] == split]
    sources.sort(key=lambda s: s["id"])
    chosen = sources[:: max(1, len(sources) // sample)][:sample]
    text_dir, scan_dir = out / "text", out / "scan"
    rows: dict[str, list[dict[str, Any]]] = {"text": [], "scan": []}
    for index, source in enumerate(chosen):
        pdf_source = {**source, "format": "pdf"}
        pdf_source.pop("properties", None)  # DOCX only
        pdf = render(pdf_source, text_dir)
        rows["text"].append(label_row(pdf_source, pdf, text_dir))
        pages = [degrade(p, noise_for(index)) for p in rasterise(pdf)]
        suffix = FORMATS[index % len(FORMATS)]
        if suffix in (".png", ".jpg") and len(pages) > 1:
            suffix = ".tif"
        scan_dir.mkdir(parents=True, exist_ok=True)
        scan = save(pages, scan_dir / f"{source['id']}{suffix}")
        rows["scan"].append(label_row({**pdf_source, "format": suffix[1:]}, scan, scan_dir))
    for name, folder in (("text", text_dir), ("scan", scan_dir)):
        with (folder / "labels.jsonl").open("w", encoding="utf-8") as fh:
            for row in rows[name]:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")


def print_differences(text: dict[str, Any], scan: dict[str, Any]) -> None:
    """The documents whose scan is read otherwise than their text: what the scan lost or
    gained (families, rule codes, Article items, level) against the text."""
    for doc_id in sorted(set(text) | set(scan)):
        t, s = text.get(doc_id), scan.get(doc_id)
        if t and s and all(t[k] == s[k] for k in ("predicted_rules", "predicted_items",
                                                     "predicted_level")):
            continue
        base = t or s or {}
        gold = {"rules": base["gold_rules"], "items": base["gold_items"],
                "level": base["gold_level"]}
        if t is None:  # the text read right: the scan's reading is wrong
            t = {"predicted_rules": gold["rules"], "predicted_items": gold["items"],
                 "predicted_level": gold["level"]}
        if s is None:
            s = {"predicted_rules": gold["rules"], "predicted_items": gold["items"],
                 "predicted_level": gold["level"]}
        lost = sorted(set(t["predicted_rules"]) - set(s["predicted_rules"]))
        gained = sorted(set(s["predicted_rules"]) - set(t["predicted_rules"]))
        lost_items = sorted(set(t["predicted_items"]) - set(s["predicted_items"]))
        gained_items = sorted(set(s["predicted_items"]) - set(t["predicted_items"]))
        level = (f" level {t['predicted_level']}->{s['predicted_level']}"
                 if t["predicted_level"] != s["predicted_level"] else "")
        print(f"  {doc_id}: scan lost {lost} {lost_items}, gained {gained} {gained_items}"
              f"{level} (gold {gold['rules']})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="dev", choices=("train", "dev", "test", "all"))
    parser.add_argument("--source", type=Path, default=None,
                        help="another corpus's sources (corpus/archival/src), with --split all")
    parser.add_argument("--sample", type=int, default=40)
    parser.add_argument("--out", type=Path, default=ROOT / "corpus" / "scans-build")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)

    from qupia.evaluate import evaluate
    from qupia.settings import Settings

    started = time.perf_counter()
    make(args.split, args.sample, args.out, args.source)
    print(f"rendered {args.sample} {args.split} documents in "
          f"{time.perf_counter() - started:.0f} s -> {args.out}")
    figures = {}
    for name in ("text", "scan"):
        started = time.perf_counter()
        report = evaluate(args.out / name, "all", Settings(jobs=args.jobs))
        figures[name] = {"documents": report["documents"],
                         "level_right": report["document_level_accuracy"],
                         "micro_f1": report["micro_f1"],
                         "unreadable": report["unreadable"],
                         "seconds": round(time.perf_counter() - started, 1),
                         "families": {f: t["f1"] for f, t in report["families"].items()},
                         "confusion": {c["id"]: c for c in report["confusion"]}}
    print(f"{'':8}{'files':>6}{'level right':>13}{'family micro-F1':>17}{'unreadable':>12}"
          f"{'seconds':>9}")
    for name, f in figures.items():
        print(f"{name:8}{f['documents']:>6}{f['level_right']:>13.1%}{f['micro_f1']:>17.3f}"
              f"{f['unreadable']:>12}{f['seconds']:>9}")
    print_differences(figures["text"]["confusion"], figures["scan"]["confusion"])
    (args.out / "figures.json").write_text(json.dumps(figures, indent=2) + "\n",
                                           encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
