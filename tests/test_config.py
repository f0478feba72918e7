"""Configuration: found on its own from the current folder up to the git root, every setting
validated with an error that names the key and the file (exit status 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qupia.config import ConfigError, discover, read_config
from qupia.rules import RULES
from tests.conftest import Ran, qupia_cli
from tests.test_cli import write

KNOWN = {r.CODE for r in RULES}
QP303_DOC = "СТРОГО СЕКРЕТНО\n\nСлужебная записка от 12.03.2024"


def qupia(*args: str, cwd: Path) -> Ran:
    return qupia_cli(*args, cwd=cwd)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A document repository: a git root with a document two folders down."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "docs" / "orders").mkdir(parents=True)
    write(tmp_path / "docs" / "orders" / "memo.txt", QP303_DOC)
    return tmp_path


def codes(proc: Ran) -> list[str]:
    report = json.loads(proc.stdout)
    return [f["code"] for file in report["files"] for f in file["findings"]]


def test_qupia_toml_is_found_from_a_subfolder(repo: Path) -> None:
    write(repo / ".qupia.toml", 'disable = ["QP303"]\n')
    here = repo / "docs" / "orders"
    assert discover(here) == repo / ".qupia.toml"
    proc = qupia("check", "memo.txt", "--format", "json", cwd=here)
    assert proc.returncode == 0 and "QP303" not in codes(proc)


def test_pyproject_tool_table_is_found_and_qupia_toml_wins(repo: Path) -> None:
    write(repo / "pyproject.toml", '[tool.qupia]\nseverity = {QP303 = "warning"}\n')
    here = repo / "docs" / "orders"
    assert discover(here) == repo / "pyproject.toml"
    proc = qupia("check", "memo.txt", cwd=here)
    assert proc.returncode == 0 and "QP303 [unlawful] warning" in proc.stdout
    write(repo / ".qupia.toml", 'severity = {QP303 = "info"}\n')
    assert discover(here) == repo / ".qupia.toml"
    assert "QP303 [unlawful] info" in qupia("check", "memo.txt", cwd=here).stdout


def test_the_nearest_configuration_applies(repo: Path) -> None:
    write(repo / ".qupia.toml", 'disable = ["QP303"]\n')
    write(repo / "docs" / "pyproject.toml", '[tool.qupia]\nfail-on = "warning"\n')
    write(repo / "docs" / "orders" / "pyproject.toml", '[project]\nname = "not-qupia"\n')
    assert discover(repo / "docs" / "orders") == repo / "docs" / "pyproject.toml"


def test_search_stops_at_the_git_root(tmp_path: Path) -> None:
    write(tmp_path / ".qupia.toml", 'disable = ["QP303"]\n')
    inner = tmp_path / "inner"
    (inner / ".git").mkdir(parents=True)
    write(inner / "memo.txt", QP303_DOC)
    assert discover(inner) is None
    assert qupia("check", "memo.txt", cwd=inner).returncode == 1


def test_config_option_overrides_the_found_one(repo: Path) -> None:
    write(repo / ".qupia.toml", 'disable = ["QP303"]\n')
    other = write(repo / "strict.toml", 'fail-on = "warning"\n')
    proc = qupia("check", "docs", "--config", str(other), cwd=repo)
    assert proc.returncode == 1 and "QP303" in proc.stdout


def test_include_and_exclude_globs_relative_to_the_configuration(repo: Path) -> None:
    write(repo / "docs" / "draft.txt", QP303_DOC)
    write(repo / "archive.txt", QP303_DOC)
    write(repo / ".qupia.toml", 'include = ["docs/**"]\nexclude = ["**/draft.txt"]\n')
    proc = qupia("check", ".", "--format", "json", cwd=repo / "docs")
    checked = {Path(f["path"]).name for f in json.loads(proc.stdout)["files"]}
    assert checked == {"memo.txt"}
    proc = qupia("check", "docs/draft.txt", "docs/orders/memo.txt", "--format", "json", cwd=repo)
    assert {Path(f["path"]).name for f in json.loads(proc.stdout)["files"]} == {"memo.txt"}


def test_every_setting_is_read(repo: Path) -> None:
    (repo / "lists").mkdir()
    write(repo / "lists" / "mod.yaml", "items: []\n")
    conf = write(repo / ".qupia.toml", "\n".join([
        'enable = ["QP2", "QP3"]', 'disable = ["qp302"]', 'severity = {QP303 = "warning"}',
        'fail-on = "warning"', "reference-date = 2026-11-26", "evidence = false", "jobs = 2",
        'include = ["*.txt"]', 'exclude = ["old/*"]', 'departmental-list = "lists/mod.yaml"',
        'lang = "ru"', 'baseline = ".qupia-baseline.json"']) + "\n")
    values = read_config(conf, KNOWN)
    assert values["enable"] == ["QP2", "QP3"] and values["disable"] == ["QP302"]
    assert values["departmental-list"] == (repo / "lists" / "mod.yaml").resolve()
    assert values["baseline"] == (repo / ".qupia-baseline.json").resolve()
    assert values["lang"] == "ru" and values["evidence"] is False
    # The list's content is the content detection's to read; the run needs neither file.
    for line in ('baseline = ".qupia-baseline.json"', 'departmental-list = "lists/mod.yaml"'):
        write(conf, conf.read_text(encoding="utf-8").replace(line, ""))
    proc = qupia("check", "docs", "--format", "json", cwd=repo)
    report = json.loads(proc.stdout)
    assert report["reference_date"] == "2026-11-26"
    finding = report["files"][0]["findings"][0]
    assert finding["code"] == "QP303" and finding["severity"] == "warning"
    assert finding["evidence"] == "" and finding["message"].startswith("Штамп")
    assert proc.returncode == 1  # fail-on warning


@pytest.mark.parametrize(
    ("content", "message"),
    [('frobnicate = 1\n', "unknown setting"),
     ('lang = "de"\n', "key 'lang': must be one of kk, ru, en"),
     ('departmental-list = "lists/none.yaml"\n', "key 'departmental-list': no such file"),
     ("departmental-list = 3\n", "key 'departmental-list'"),
     ('include = "docs/*"\n', "key 'include': must be a list of glob patterns"),
     ('exclude = [1]\n', "key 'exclude'"),
     ('enable = ["XX9"]\n', "key 'enable': 'XX9' matches no rule code"),
     ('severity = {QP303 = "fatal"}\n', "key 'severity'"),
     ('reference-date = "yesterday"\n', "key 'reference-date'"),
     ("evidence = 1\n", "key 'evidence'"),
     ("baseline = false\n", "key 'baseline'"),
     ('fail-on = "never"\n', "key 'fail-on'")],
)
def test_a_bad_found_setting_exits_2_naming_key_and_file(repo: Path, content: str,
                                                          message: str) -> None:
    conf = write(repo / ".qupia.toml", content)
    proc = qupia("check", ".", cwd=repo / "docs")
    assert proc.returncode == 2, proc.stdout
    assert message in proc.stderr and str(conf.resolve()) in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_bad_tool_table_in_pyproject(repo: Path) -> None:
    conf = write(repo / "pyproject.toml", '[tool]\nqupia = "on"\n')
    with pytest.raises(ConfigError, match=r"\[tool.qupia\] must be a table"):
        read_config(conf, KNOWN)


def test_a_configured_baseline_that_is_missing_exits_2(repo: Path) -> None:
    write(repo / ".qupia.toml", 'baseline = "known.json"\n')
    proc = qupia("check", "docs", cwd=repo)
    assert proc.returncode == 2 and "known.json" in proc.stderr
