"""``qupia report --html`` in a real browser: Debian's chromium, driven by Playwright's Python
package (its own browsers are never downloaded: executable_path is the system chromium)."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from qupia.fsio import atomic_writer
from qupia.report import export, html
from qupia.store import Store
from tests.conftest import Ran, qupia_cli

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "corpus" / "samples"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

def qupia(*args: str) -> Ran:
    return qupia_cli(*args)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled samples scanned with evidence, by the real command."""
    db = tmp_path_factory.mktemp("store") / "results.sqlite"
    done = qupia("scan", str(SAMPLES), "--db", str(db), "--evidence", "--jobs", "2",
                 "--reference-date", "2026-11-26")
    assert done.returncode == 0, done.stderr
    return db


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is missing: make setup installs it (debian-packages.txt)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _open(browser, page_path: Path):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1360, "height": 900})
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url) if not r.url.startswith(
        ("file:", "data:", "about:")) else None)
    page.goto(page_path.as_uri())
    page.wait_for_selector("body[data-ready='1']")
    return page, errors, requests


def test_page_filters_by_rule_and_shows_details(store: Path, tmp_path: Path,
                                                browser) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "report.html"
    done = qupia("report", str(store), "--html", str(out))
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert "http://" not in text.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in text
    page, errors, requests = _open(browser, out)
    rows = page.locator("#rows tr[data-i]")
    assert rows.count() == 12
    page.select_option("#f-rule", label="QP303 nonstandard-marking")
    assert rows.count() == 1
    assert "strogo" in rows.first.inner_text()
    rows.first.click()
    detail = page.locator("tr.detail")
    assert "QP303" in detail.inner_text()
    assert "“" in detail.inner_text()  # evidence is shown: the store was made with it
    page.screenshot(path=str(tmp_path / "report-filtered.png"), full_page=True)
    page.select_option("#f-rule", value="")
    page.fill("#f-text", "-qp30")  # the file names, not a checkout path holding "qp30"
    assert rows.count() == 4  # the samples named qp300 … qp303
    page.fill("#f-text", "")
    page.click("#files th[data-k='6']")  # sort by findings count
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert (tmp_path / "report.png").stat().st_size > 10_000
    assert errors == [] and requests == []


def _big_store(db: Path, n: int) -> None:
    """A store of *n* files written through Store.record with entries shaped as a scan writes
    them (the rules' messages, marks with dates), for the load-time measure."""
    store = Store(db)
    run = store.begin_run({"reference_date": "2026-11-26", "evidence": False})
    codes = [("QP100", "missing-marking", "missing", "error", "11.3"),
             ("QP201", "expired-marking", "excessive", "warning", "20.3"),
             ("QP300", "forbidden-content-marked", "unlawful", "error", "17.1.4")]
    with store.transaction():
        for i in range(n):
            code = codes[i % 3]
            sha = f"{i:064x}"
            entry = {
                "sha256": sha, "status": "ok" if i % 50 else "error",
                "error": None if i % 50 else "PDF is encrypted", "pages": 1 + i % 9,
                "language": ("kk", "ru", "mixed")[i % 3],
                "document_level": ("secret", "top-secret", None)[i % 3],
                "limited": False, "declassified": False,
                "markings": [{"level": "secret", "text": "", "page": 1, "region": "header",
                              "requisites": {"copy": None, "list_item": None,
                                             "date": f"{1950 + i % 70}-03-01",
                                             "period_years": 10, "until": None,
                                             "extended_until": None},
                              "form": "kk-qupia", "legacy": False, "in_effect": True,
                              "maps_to": None}],
                "categories": [{"article": "11", "item": "11.3", "score": 0.9,
                                "evidence": [], "cues": [], "explanation": ""}],
                "findings": [{"code": code[0], "rule": code[1], "family": code[2],
                              "severity": code[3], "article": code[4],
                              "message": "A message of the rule, one sentence long, as the "
                                         "rules write them for a file.",
                              "page": 1, "region": "header", "evidence": ""}] if i % 4 else [],
                "suppressed": [], "baselined": 0}
            store.db.execute("SAVEPOINT one")
            store._content(sha, entry, 0.0)
            store.db.execute(
                "INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (f"/archive/{i // 1000:03d}/doc-{i:06d}.pdf", sha, entry["status"],
                 entry["error"], 1, 1, i, run, 0.0))
            store.db.execute("RELEASE one")
    store.close()


@pytest.mark.slow
def test_page_of_100000_files_loads(tmp_path: Path,
                                    browser) -> None:  # type: ignore[no-untyped-def]
    """The README's load-time figure: a page of 100,000 files, opened and drawn."""
    db = tmp_path / "big.sqlite"
    _big_store(db, 100_000)
    started = time.perf_counter()
    data = export.load(db)
    out = tmp_path / "big.html"
    with atomic_writer(out) as stream:
        stream.write(html.render(data))
    made = time.perf_counter() - started
    started = time.perf_counter()
    page, errors, _requests = _open(browser, out)
    loaded = time.perf_counter() - started
    assert errors == []
    assert page.locator("#rows tr[data-i]").count() == 50
    page.select_option("#f-rule", label="QP201 expired-marking")
    assert "25,000 of 100,000" in page.inner_text("#count")  # i % 3 == 1 and i % 4 != 0
    figures = {"files": 100_000, "html_mb": round(out.stat().st_size / 1e6, 1),
               "render_s": round(made, 2), "load_s": round(loaded, 2)}
    print(json.dumps(figures))
    (tmp_path / "figures.json").write_text(json.dumps(figures))
    assert loaded < 30 if os.environ.get("CI") else loaded < 60


@pytest.mark.parametrize(("lang", "words"), [
    ("en", ("Archive review under the Law", "Findings by rule", "Every rule", "By status")),
    ("ru", ("Проверка архива по Закону", "Находки по правилам", "Все правила", "По состоянию")),
    ("kk", ("Заң бойынша мұрағатты тексеру", "Ережелер бойынша табылғандар", "Барлық ережелер",
            "Күйі бойынша")),
])
def test_page_speaks_the_language_asked_for(store: Path, lang: str,
                                           words: tuple[str, ...]) -> None:
    """The page's own texts come from the same catalogues as the messages (`--lang`, else the
    store's language); none of the English ones is left in a translated page."""
    data = export.load(store)
    page = html.render(data, lang)
    assert f'<html lang="{lang}">' in page
    assert all(w in page for w in words), [w for w in words if w not in page]
    if lang != "en":
        english = html.render(data, "en")
        for w in ("Findings by rule", "Every family", "Totals", "files with findings"):
            assert w in english and w not in page
    texts = json.loads(page.split('id="qupia-text">', 1)[1].split("</script>", 1)[0])
    assert set(texts) >= {"findings", "showing", "page_of"}
    assert "{n}" in texts["showing"] and "{pages}" in texts["page_of"]
