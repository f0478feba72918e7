"""Choose the calibration's document thresholds on the dev split by what the rules report.

    python models/choose_thresholds.py        # make model runs it after train_content.py

``train_content.py`` picks each group's document threshold by the F1 of "has Article 11–14
content" / "has Article 17 content" over all dev documents. What a user sees is the findings:
Article 17 content matters only under a mark (QP300, QP301, QP200), and a group's threshold
moves the other group's findings too (the substance of a marked document). So the thresholds
are chosen again here, on the dev split only, by the family micro-F1 of ``qupia eval`` among
the points that leave the law texts of corpus/law (hard negatives of every split) and at
least HARD_NEGATIVES_MIN of the dev hard negatives clean (then the share of hard negatives
left clean, then nearness to the trainer's own choice), over a small grid around the
trainer's choice. Without the floor the best micro-F1 could be bought with a flagged news
story or law (a missed disclosure found, a clean text flagged); the law condition was added
on 2026-12-08 after a refit flagged the Russian law text at the point the floor allowed
(docs/quality.md). Each point is one ``qupia eval corpus --split dev`` run in a process of
its own with ``$QUPIA_MODELS`` pointing at a copy of the calibration.
The test split and the held-out sets are never read.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from qupia.content.classifier import models_dir  # noqa: E402

# offsets from the trainer's thresholds (wide enough that a retrained model's best point on
# the 454-document dev split of 2026-12-07 lay inside, not on the edge: 0.4 / 0.5 from the
# trainer's 0.6 / 0.7)
GRID_1114 = (-0.25, -0.2, -0.15, -0.1, -0.05, 0.0, 0.05, 0.1)
GRID_17 = (-0.3, -0.2, -0.1, 0.0, 0.1)
# the kept (2026-11-26) model's dev figure on 2026-12-08 (302 of 305 clean): a new model must
# not flag more (on the dev split of 2026-12-07 it was 255 of 256)
HARD_NEGATIVES_MIN = 0.99


def dev_figures(calibration: dict, textcat: Path) -> tuple[float, float, bool]:
    """(family micro-F1, hard negatives clean, the law texts clean) of qupia eval on dev with
    *calibration*."""
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        content.mkdir()
        (content / "textcat").symlink_to(textcat.resolve())
        (content / "calibration.json").write_text(json.dumps(calibration), encoding="utf-8")
        out = Path(tmp) / "eval.json"
        env = {**os.environ, "QUPIA_MODELS": tmp}
        subprocess.run([str(Path(sys.executable).parent / "qupia"), "eval", str(ROOT / "corpus"),
                        "--split",
                        "dev", "--output", str(out)], env=env, check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        report = json.loads(out.read_text(encoding="utf-8"))
    laws = not any(c["id"].startswith("law-") and c["predicted_rules"]
                   for c in report["confusion"])
    return float(report["micro_f1"]), float(report["hard_negatives_clean"]), laws


def points(trained: dict[str, float], grid_1114: tuple[float, ...],
           grid_17: tuple[float, ...]) -> list[tuple[float, float, dict[str, float]]]:
    """The threshold points around the trainer's *trained* ones, each with its two offsets;
    thresholds outside 0.05–0.95 are left out."""
    out = []
    for d1114 in grid_1114:
        for d17 in grid_17:
            point = {"1114": round(trained["1114"] + d1114, 2),
                     "17": round(trained["17"] + d17, 2)}
            if all(0.05 <= t <= 0.95 for t in point.values()):
                out.append((d1114, d17, point))
    return out


def main() -> int:
    where = models_dir() / "content"
    calibration = json.loads((where / "calibration.json").read_text(encoding="utf-8"))
    trained = dict(calibration["doc_threshold"])
    best: tuple[tuple[bool, float, float, float], dict[str, float]] | None = None
    for d1114, d17, point in points(trained, GRID_1114, GRID_17):
        micro, clean, laws = dev_figures({**calibration, "doc_threshold": point},
                                         where / "textcat")
        key = (laws and clean >= HARD_NEGATIVES_MIN, micro, clean, -abs(d1114) - abs(d17))
        print(f"thresholds {point}: dev micro-F1 {micro:.4f}, hard negatives clean "
              f"{clean:.4f}, law texts clean {laws}", flush=True)
        if best is None or key > best[0]:
            best = (key, point)
    assert best is not None
    calibration["doc_threshold"] = best[1]
    calibration.setdefault("training", {})["doc_thresholds"] = (
        "chosen on dev by the family micro-F1 of qupia eval (models/choose_thresholds.py), "
        f"from the trainer's {trained}")
    (where / "calibration.json").write_text(json.dumps(calibration, indent=2) + "\n",
                                            encoding="utf-8")
    print(f"chosen: {best[1]} (dev micro-F1 {best[0][1]:.4f}, hard negatives clean "
          f"{best[0][2]:.4f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
