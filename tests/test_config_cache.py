"""The configuration's pydantic model is imported only for a file not validated before.

Importing pydantic costs about a tenth of a second of a one-page check (issue 12): a file's
validated values are kept in the user cache, keyed by its bytes, its place, the rule codes and
qupia's version, so a second run with the same file never imports the model. Each case runs in
a fresh interpreter, which is what it measures.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qupia.config import ConfigError, read_config
from qupia.rules import RULES

KNOWN = {r.CODE for r in RULES}

_READ = """
import json, sys
from pathlib import Path
from qupia.config import read_config
from qupia.rules import RULES
values = read_config(Path(sys.argv[1]), {r.CODE for r in RULES})
print(json.dumps({"schema": "qupia.config_schema" in sys.modules,
                  "values": {k: str(v) for k, v in values.items()}}))
"""


def read_fresh(conf: Path, cache: Path) -> dict[str, object]:
    env = {**os.environ, "QUPIA_CACHE_DIR": str(cache)}
    env.pop("QUPIA_NO_CACHE", None)
    done = subprocess.run([sys.executable, "-c", _READ, str(conf)], capture_output=True,
                          text=True, timeout=60, check=True, env=env)
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_a_seen_configuration_is_read_without_the_model(tmp_path: Path) -> None:
    conf = tmp_path / ".qupia.toml"
    conf.write_text('lang = "ru"\nenable = ["qp3"]\nreference-date = 2026-11-26\n',
                    encoding="utf-8")
    first = read_fresh(conf, tmp_path / "cache")
    second = read_fresh(conf, tmp_path / "cache")
    assert first["schema"] is True and second["schema"] is False
    assert first["values"] == second["values"] == {
        "lang": "ru", "enable": "['QP3']", "reference-date": "2026-11-26"}
    conf.write_text('lang = "kk"\n', encoding="utf-8")  # new bytes: validated again
    third = read_fresh(conf, tmp_path / "cache")
    assert third["schema"] is True and third["values"] == {"lang": "kk"}


def test_a_bad_configuration_is_never_cached(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                              ) -> None:
    monkeypatch.setenv("QUPIA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("QUPIA_NO_CACHE", raising=False)
    conf = tmp_path / ".qupia.toml"
    conf.write_text('jobs = 0\n', encoding="utf-8")
    for _ in range(2):
        with pytest.raises(ConfigError, match=r"\.qupia\.toml: key 'jobs': must be a positive"):
            read_config(conf, KNOWN)


def test_a_cached_departmental_list_is_looked_for_on_every_run(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QUPIA_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("QUPIA_NO_CACHE", raising=False)
    listed = tmp_path / "list.yaml"
    listed.write_text("items: []\n", encoding="utf-8")
    conf = tmp_path / ".qupia.toml"
    conf.write_text('departmental-list = "list.yaml"\n', encoding="utf-8")
    assert read_config(conf, KNOWN)["departmental-list"] == listed.resolve()
    listed.unlink()
    with pytest.raises(ConfigError, match="key 'departmental-list': no such file"):
        read_config(conf, KNOWN)


@pytest.mark.parametrize(("content", "complaint"), [
    ('jobs = true\n', "key 'jobs': must be a positive integer"),
    ('memory-limit = -1\n', "key 'memory-limit': must be a whole number of MiB"),
    ('content-threshold = 1\n', "key 'content-threshold': must be a number between 0 and 1"),
    ('content-threshold = "0.5"\n', "key 'content-threshold'"),
    ('ocr = "always"\n', "key 'ocr': must be one of off, auto, force"),
    ('metadata-marks = "all"\n', "key 'metadata-marks': must be one of compare-only, count"),
    ('severity = {QP999 = "error"}\n', "key 'severity': unknown rule code 'QP999'"),
    ('severity = "error"\n', "key 'severity': must be a table of CODE = severity"),
    ('lang = "ru"\nfrobnicate = 1\njobs = 0\n', "key 'frobnicate': unknown setting"),
])
def test_one_line_naming_the_file_and_the_first_bad_key(tmp_path: Path, content: str,
                                                        complaint: str) -> None:
    conf = tmp_path / "q.toml"
    conf.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        read_config(conf, KNOWN)
    text = str(caught.value)
    assert text.startswith(f"{conf}: ") and complaint in text and "\n" not in text


def test_settings_are_the_options_over_the_configuration(tmp_path: Path) -> None:
    from datetime import date

    from qupia.config import Options, build_settings

    conf = tmp_path / ".qupia.toml"
    conf.write_text('jobs = 64\nlang = "kk"\nevidence = true\nmemory-limit = 512\n'
                    'disable = ["QP4"]\nseverity = {qp303 = "info"}\n', encoding="utf-8")
    values = read_config(conf, KNOWN)
    built = build_settings(values, KNOWN, Options(), cpus=2)
    assert (built.jobs, built.lang, built.evidence) == (2, "kk", True)  # jobs: this machine's
    assert built.limits.memory_bytes == 512 * 1024 * 1024
    assert built.enabled == frozenset(c for c in KNOWN if not c.startswith("QP4"))
    assert built.severity == {"QP303": "info"}
    asked = build_settings(values, KNOWN, Options(
        reference_date=date(2020, 1, 1), enable=("qp3",), jobs=8, no_evidence=True, lang="ru",
        memory_limit=0, timeout=5.0), cpus=2)
    assert (asked.jobs, asked.lang, asked.evidence) == (8, "ru", False)
    assert asked.reference_date == date(2020, 1, 1) and asked.limits.memory_bytes == 0
    assert asked.enabled == frozenset(c for c in KNOWN if c.startswith("QP3"))
    assert asked.limits.timeout_seconds == 5.0
