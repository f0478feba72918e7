"""qupia as a pre-commit hook, run by the real pre-commit framework on a real git repository.

pre-commit installs a hook from a git repository, so the working tree (with the changes not yet
committed) is copied into a temporary git repository first. The hook is the one in
``.pre-commit-hooks.yaml`` with ``language: python``: pre-commit builds qupia from that copy into
a virtualenv of its own (under PRE_COMMIT_HOME, a temporary folder here), exactly as it does
for a user's document repository. Nothing here touches the working tree's own git repository.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PRE_COMMIT = str(Path(sys.executable).with_name("pre-commit"))
#: What building qupia needs from the working tree (src/qupia/data links to patterns, models).
PACKAGE = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "src", "patterns", "models")

# (one list: a second ``pytestmark =`` would replace the first and drop the slow mark)
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("git") is None, reason="needs git")]


def git(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120, check=True)


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("pre-commit-home")
    gitconfig = home / "gitconfig"
    gitconfig.write_text("[user]\n\tname = qupia test\n\temail = test@example.invalid\n"
                         "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n",
                         encoding="utf-8")
    return {**os.environ, "PRE_COMMIT_HOME": str(home / "cache"),
            "GIT_CONFIG_GLOBAL": str(gitconfig), "GIT_CONFIG_NOSYSTEM": "1",
            "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory, env: dict[str, str]) -> tuple[Path, str]:
    """A git repository holding the working tree's package, and the commit to install."""
    repo = tmp_path_factory.mktemp("qupia-hook-repo")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build")
    for name in PACKAGE:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, repo / name, symlinks=True, ignore=ignore)
        else:
            shutil.copy2(src, repo / name)
    git("init", "-q", cwd=repo, env=env)
    git("add", "-A", cwd=repo, env=env)
    git("commit", "-q", "-m", "qupia working tree", cwd=repo, env=env)
    rev = git("rev-parse", "HEAD", cwd=repo, env=env).stdout.strip()
    return repo, rev


def test_hook_blocks_an_unlawful_mark_and_passes_a_clean_document(
        tmp_path: Path, env: dict[str, str], hook_repo: tuple[Path, str]) -> None:
    repo, rev = hook_repo
    docs = tmp_path / "documents"
    docs.mkdir()
    git("init", "-q", cwd=docs, env=env)
    (docs / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {repo}\n    rev: {rev}\n    hooks:\n      - id: qupia\n",
        encoding="utf-8")
    (docs / "README.md").write_text("Documents.\n", encoding="utf-8")
    subprocess.run([PRE_COMMIT, "install"], cwd=docs, env=env, check=True, capture_output=True,
                   timeout=120)
    installed = subprocess.run([PRE_COMMIT, "install-hooks"], cwd=docs, env=env,
                               capture_output=True, text=True, timeout=1800)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    def commit(*files: str) -> subprocess.CompletedProcess[str]:
        subprocess.run(["git", "add", *files], cwd=docs, env=env, check=True, timeout=60)
        # git passes a hook's output on to its standard error; keep both in one stream.
        return subprocess.run(["git", "commit", "-m", f"add {' '.join(files)}"], cwd=docs,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=600)

    (docs / "protocol.txt").write_text(
        "Протокол собрания жильцов дома № 5 от 12.03.2024.\n\nРешили покрасить забор.\n",
        encoding="utf-8")
    clean = commit(".pre-commit-config.yaml", "README.md", "protocol.txt")
    assert clean.returncode == 0, clean.stdout
    assert "qupia" in clean.stdout and "Passed" in clean.stdout

    (docs / "memo.txt").write_text("СТРОГО СЕКРЕТНО\n\nСлужебная записка от 12.03.2024\n",
                                   encoding="utf-8")
    bad = commit("memo.txt")
    assert bad.returncode != 0, bad.stdout
    assert "Failed" in bad.stdout
    assert "memo.txt:1:body: QP303 [unlawful] error:" in bad.stdout
    log = subprocess.run(["git", "log", "--oneline"], cwd=docs, env=env, capture_output=True,
                         text=True, timeout=60).stdout
    assert "memo.txt" not in log and "protocol.txt" in log

    # A README is not a document: only the staged PDF/DOCX/TXT files reach the hook.
    (docs / "README.md").write_text("СТРОГО СЕКРЕТНО\n", encoding="utf-8")
    subprocess.run(["git", "reset", "-q", "memo.txt"], cwd=docs, env=env, check=True)
    other = commit("README.md")
    assert other.returncode == 0 and "(no files to check)" in other.stdout
