"""Speed of reading .odt, .doc and .rtf files: files per second, beside DOCX.

Builds one 3-page Kazakh/Russian document (header and footer, a table, a text box, a footnote)
as DOCX with the corpus renderer, converts it once to .odt, .doc and .rtf with LibreOffice
(not timed), then times qupia's extraction + marking detection of each, in one process:

* .docx and .odt: read directly (zipfile + lxml);
* .doc and .rtf: through qupia's LibreOffice converter (one headless soffice kept running;
  its start-up is timed separately), then the DOCX reader;
* for comparison, one ``soffice --headless --convert-to docx`` per file, which starts
  LibreOffice anew every time.

CPU time (user + sys of this process and its children) is reported beside wall time: on a
shared machine it is the steadier figure. Run: ``make bench`` or
``python bench/bench_formats.py [--files N]``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from corpus.build import render

PARAGRAPH = ("21608 әскери бөлімі 2025 жылғы 3 қарашада Сарыөзек полигонына көшіріледі. "
             "Войсковая часть 12345 передислоцируется в г. Сарыозек в составе двух батальонов "
             "численностью 812 человек. ")


def source() -> dict:
    page = {"header": "ҚҰПИЯ\nДана № 1", "footer": "Экз. № 1",
            "blocks": [PARAGRAPH * 6, {"table": [["Бөлімше", "Саны"], ["1-батальон", "412"]]},
                       {"textbox": "СЕКРЕТНО"}, PARAGRAPH * 6,
                       {"footnote": "Сілтеме мәтіні", "anchor": PARAGRAPH * 6}]}
    return {"id": "bench", "lang": "kk", "genre": "plan", "format": "docx", "split": "test",
            "labels": {"level": None, "families": [], "rules": []}, "pages": [page] * 3}


def cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def converter_cpu() -> float:
    """CPU seconds used so far by the running converter and its soffice (from /proc)."""
    from qupia.extract import legacy

    proc = legacy._CONVERTER.proc
    if proc is None:
        return 0.0
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    pids = [proc.pid]
    try:
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            pass
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=40, help="files read per format")
    args = parser.parse_args()
    from qupia.extract import Limits, extract, legacy
    from qupia.markings import detect, load

    pack = load()
    tmp = Path(tempfile.mkdtemp(prefix="qupia-bench-"))
    try:
        docx = render(source(), tmp)
        profile = tmp / "profile"
        paths = {"docx": docx}
        for fmt in ("odt", "doc", "rtf"):
            subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{profile}",
                            "--convert-to", fmt, "--outdir", str(tmp), str(docx)],
                           check=True, capture_output=True, timeout=300)
            paths[fmt] = tmp / f"bench.{fmt}"
        results: dict[str, dict[str, float]] = {}
        wall0 = time.perf_counter()
        legacy.read_legacy(paths["doc"].read_bytes(), "warm.doc", "doc", Limits())
        results["converter start-up"] = {"wall_s": round(time.perf_counter() - wall0, 3)}
        for fmt in ("docx", "odt", "doc", "rtf"):
            doc = extract(paths[fmt])
            regions = sorted({b.region.value for b in doc.blocks})
            c0, lo0, w0 = cpu(), converter_cpu(), time.perf_counter()
            for _ in range(args.files):
                detect(extract(paths[fmt]), pack)
            wall = time.perf_counter() - w0
            used = cpu() - c0 + converter_cpu() - lo0
            results[fmt] = {"files_per_s": round(args.files / wall, 1),
                            "cpu_ms_per_file": round(1000 * used / args.files, 1),
                            "regions": regions}  # type: ignore[dict-item]
        legacy.shutdown()
        w0 = time.perf_counter()
        runs = 3
        for i in range(runs):
            out = tmp / f"oneshot{i}"
            subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{profile}",
                            "--convert-to", "docx", "--outdir", str(out), str(paths["doc"])],
                           check=True, capture_output=True, timeout=300)
        results["soffice --convert-to per file (.doc)"] = {
            "files_per_s": round(runs / (time.perf_counter() - w0), 2)}
        print(json.dumps({"machine": f"{platform.machine()}, {os.cpu_count()} cores, "
                                     f"Python {platform.python_version()}",
                          "pages_per_file": 3, "files": args.files, "results": results},
                         ensure_ascii=False, indent=1))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
