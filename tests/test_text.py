"""The shared text layer (qupia.text) and what the stages build on it: cache keys that follow
a moved module, and a cue matcher whose results depend only on the text it is given."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

import qupia
from qupia import cache
from qupia.content.packs import load_packs
from qupia.text.fold import fold

PACKAGE = Path(qupia.__file__).parent


def test_a_module_is_named_in_a_cache_key_by_its_place_in_the_package(tmp_path: Path) -> None:
    assert cache._name(PACKAGE / "text" / "fold.py") == "text/fold.py"
    assert cache._name(PACKAGE / "markings" / "fold.py") == "markings/fold.py"
    # the same module text elsewhere (as it was before a move) gives another key
    copy = tmp_path / "fold.py"
    copy.write_bytes((PACKAGE / "text" / "fold.py").read_bytes())
    assert cache.key_of([copy]) != cache.key_of([PACKAGE / "text" / "fold.py"])
    # a pattern file is named by its name only: the same pack in two places, one key
    for where in ("a", "b"):
        (tmp_path / where).mkdir()
        (tmp_path / where / "art11.yaml").write_text("items: []\n")
    assert cache.key_of([tmp_path / "a" / "art11.yaml"]) == cache.key_of(
        [tmp_path / "b" / "art11.yaml"])


def test_an_entry_naming_a_moved_module_is_rebuilt(tmp_path: Path, monkeypatch) -> None:
    """An entry pickled when fold lived in qupia.markings: loading it fails, so it is built
    again and replaced, whatever its key."""
    folder = tmp_path / "c"
    monkeypatch.setenv("QUPIA_CACHE_DIR", str(folder))
    source = tmp_path / "source.txt"
    source.write_text("s")
    payload = b"cqupia.markings.fold\nfold\n."  # pickle: the global qupia.markings.fold.fold
    folder.mkdir()
    entry = folder / f"t-{cache.key_of([source], 't')[:40]}.pickle"
    entry.write_bytes(cache._MAGIC + hashlib.sha256(payload).digest() + payload)
    try:
        pickle.loads(payload)
        raise AssertionError("qupia.markings.fold still exists")
    except ModuleNotFoundError:
        pass
    assert cache.cached("t", [source], lambda: "rebuilt") == "rebuilt"
    assert cache.cached("t", [source], lambda: "again") == "rebuilt"  # the new entry is read


LONG = ("Войсковая часть 12345 дислоцируется в пос. Сарыозек. " * 3
        + "Погода была хорошая, дети гуляли в парке. " * 40
        + "Шифр связи и позывные узла меняются ежемесячно. " * 3)


def test_spread_depends_only_on_its_text() -> None:
    packs = load_packs()
    folded = fold(LONG)
    parts = [(0, 200), (150, 1200), (1200, len(folded))]
    scan = packs.scan(folded)
    assert packs.hits(scan) == packs.hits(folded)
    alone = packs.spread(folded, parts)
    assert alone == packs.spread(scan, parts)
    assert alone[0] > 0 and alone[2] > 0 and alone[1] < alone[0]  # cues at both ends only
    packs.hits(fold("Шифр связи и позывные"))  # another text read in between changes nothing
    assert packs.spread(folded, parts) == alone


WARM = """
import sys
from qupia.markings import detect, load
from qupia.markings.metadata import load_metadata
from qupia.model import Block, Document, Region
doc = Document("x.txt", "txt", 1, (Block("СЕКРЕТНО\\nЭкз. № 1", 1, Region.BODY),))
assert detect(doc, load(), None).markings, "no marking found"
load_metadata()
markings = sorted(m for m in ("pydantic", "yaml", "qupia.markings.schema") if m in sys.modules)
from qupia.content.packs import load_packs
from qupia.content.signals import load_signals
load_packs()
load_signals()
content = sorted(m for m in ("pydantic", "yaml", "qupia.content.pack_schema",
                             "qupia.content.signals_schema", "qupia.markings.schema")
                 if m in sys.modules)
print(markings, content)
"""


def test_packs_loaded_from_the_cache_import_no_schema(tmp_path: Path) -> None:
    """A warm run loads the compiled packs from the user cache: it imports neither PyYAML nor
    the pydantic schemas (pydantic costs about 0.13 s of a one-page check)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "QUPIA_CACHE_DIR": str(tmp_path)}
    env.pop("QUPIA_NO_CACHE", None)
    cold = subprocess.run([sys.executable, "-c", WARM], env=env, capture_output=True, text=True,
                          check=True)
    assert "pydantic" in cold.stdout  # the first run compiled the packs: it validated them
    warm = subprocess.run([sys.executable, "-c", WARM], env=env, capture_output=True, text=True,
                          check=True)
    assert warm.stdout.strip() == "[] []", warm.stdout


def _imports(path: Path) -> set[str]:
    """The qupia modules *path* imports, anywhere in it (functions, TYPE_CHECKING blocks)."""
    import ast

    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("qupia"):
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("qupia"))
    return out


#: what each lower stage may not import: the stages above it (data flows one way)
ABOVE = {
    "text": ("qupia.extract", "qupia.markings", "qupia.content", "qupia.rules", "qupia.report",
             "qupia.engine", "qupia.runner", "qupia.cli"),
    "extract": ("qupia.markings", "qupia.content", "qupia.rules", "qupia.report",
                "qupia.engine", "qupia.runner", "qupia.cli"),
    "markings": ("qupia.content", "qupia.rules", "qupia.report", "qupia.engine",
                 "qupia.runner", "qupia.cli"),
    "content": ("qupia.rules", "qupia.report", "qupia.engine", "qupia.runner", "qupia.cli"),
}


def test_the_stages_import_only_what_is_below_them() -> None:
    for package, banned in ABOVE.items():
        for path in sorted((PACKAGE / package).glob("*.py")):
            wrong = {m for m in _imports(path) if m.startswith(banned)}
            assert not wrong, f"{package}/{path.name} imports {sorted(wrong)}"


def test_the_markings_modules_import_one_way() -> None:
    """No module of the markings stage is re-entered: its imports form no cycle."""
    graph = {p.stem: {m.rsplit(".", 1)[1] for m in _imports(p)
                      if m.startswith("qupia.markings.")}
             for p in (PACKAGE / "markings").glob("*.py") if p.stem != "__init__"}
    done: set[str] = set()

    def visit(node: str, path: tuple[str, ...]) -> None:
        assert node not in path, f"import cycle: {' → '.join((*path, node))}"
        if node in done:
            return
        for nxt in graph[node]:
            visit(nxt, (*path, node))
        done.add(node)

    for node in graph:
        visit(node, ())
    assert graph["facts"] >= {"stamps", "requisites", "streams"}  # the test reads real imports


def test_the_rules_read_facts_and_never_go_back_to_an_earlier_stage() -> None:
    """A rule reads MarkingFacts and the category matches; it does not load the markings or
    content packs again (QP400 once did, for ``stands_with``)."""
    for path in sorted((PACKAGE / "rules").glob("*.py")):
        back = {m for m in _imports(path) if m.startswith(("qupia.markings", "qupia.content"))}
        assert not back, f"{path.name} imports {sorted(back)}"
