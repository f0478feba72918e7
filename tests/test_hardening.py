"""Issue 11: hostile input must not hang or crash qupia, no write is half done, no worker
outlives its parent, no stamp text leaks with --no-evidence, no socket is opened.

Each test is named after what broke; each failed on the code before its fix. Real files, real
processes: FIFOs made with mkfifo, symlink loops, real DOCX parts rewritten, real signals.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx
import jsonschema
import pytest

from qupia import baseline
from qupia.config import ConfigError, discover, has_table, read_config
from qupia.engine import check_file
from qupia.extract import ExtractError, Limits, extract
from qupia.fsio import WriteError, atomic_writer, check_writable
from qupia.review import SuppressionError, read_sidecar
from qupia.runner import run_files
from qupia.settings import Settings
from qupia.walk import collect
from tests.conftest import ROOT
from tests.test_report_schema import schema

QUPIA = str(Path(sys.executable).with_name("qupia"))
KNOWN = {f"QP{n}" for n in (100, 101, 102, 200, 201, 202, 300, 301, 302, 303, 400)}


def _guard() -> None:
    """In each qupia run the tests start: at most 4 GiB of address space. Code without the fixes
    reads /dev/zero until the machine runs out of memory; this makes it fail, not the machine."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))


def run(*args: str, cwd: Path | None = None, timeout: float = 120,
        **kwargs: object) -> subprocess.CompletedProcess[str]:
    kwargs.setdefault("preexec_fn", _guard)
    return subprocess.run([QUPIA, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout, **kwargs)  # type: ignore[call-overload, no-any-return]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stderr


# 1. Special files -------------------------------------------------------------------------

def test_fifo_named_txt_in_a_folder_is_refused_not_waited_for(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    write(tmp_path / "ok.txt", "СТРОГО СЕКРЕТНО\n\nЗаписка от 12.03.2024")
    start = time.monotonic()
    proc = run("check", str(tmp_path), "--format", "json", "--timeout", "30", timeout=60)
    assert time.monotonic() - start < 30  # refused up front, not after the time limit
    no_traceback(proc)
    files = {Path(f["path"]).name: f for f in json.loads(proc.stdout)["files"]}
    assert files["pipe.txt"]["error"] == "not a regular file (a FIFO)"
    assert files["ok.txt"]["findings"][0]["code"] == "QP303"
    assert proc.returncode == 1


def test_fifo_given_directly_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "x.txt")
    proc = run("check", str(tmp_path / "x.txt"), "--timeout", "30", timeout=60)
    no_traceback(proc)
    assert "x.txt: error: not a regular file (a FIFO)" in proc.stdout
    assert proc.returncode == 1


def test_txt_symlink_to_dev_zero_is_refused(tmp_path: Path) -> None:
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    proc = run("check", str(tmp_path / "zero.txt"), "/dev/zero", "--timeout", "30", timeout=60)
    no_traceback(proc)
    assert proc.stdout.count("not a regular file (a character device)") == 2


def test_timed_out_file_is_not_hashed_by_the_main_process(tmp_path: Path) -> None:
    """The main process once hashed a file after its worker timed out: a FIFO then blocked
    it for ever. Now nothing in it reads a document; the timed-out file's sha256 is null."""
    big = tmp_path / "big.txt"
    big.write_text(("СЕКРЕТНО\n\n" + "Длинный текст документа. " * 40 + "\n\n") * 20000,
                   encoding="utf-8")
    settings = Settings(limits=Limits(timeout_seconds=0.2))
    (result,) = list(run_files([str(big)], settings))
    assert result.error == "timed out after 0.2 s"
    assert result.sha256 is None


def test_extract_refuses_a_fifo_without_opening_it(tmp_path: Path) -> None:
    import threading

    os.mkfifo(tmp_path / "p.txt")
    with pytest.raises(ExtractError, match="not a regular file"):
        extract(tmp_path / "p.txt")
    got = []  # in a thread: code that opens the FIFO blocks for ever, and must fail, not hang
    thread = threading.Thread(target=lambda: got.append(check_file(tmp_path / "p.txt",
                                                                   Settings())), daemon=True)
    thread.start()
    thread.join(timeout=20)
    assert got, "check_file blocked on a FIFO"
    assert got[0].status == "error" and got[0].sha256 is None


# 2. Folder walk ---------------------------------------------------------------------------

def test_symlink_to_itself_is_reported_not_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "self.pdf").symlink_to("self.pdf")
    (tmp_path / "d" / "a.txt").symlink_to("b.txt")
    (tmp_path / "d" / "b.txt").symlink_to("a.txt")
    write(tmp_path / "d" / "ok.txt", "Обычный текст.")
    proc = run("check", str(tmp_path / "d"), "--format", "json")
    no_traceback(proc)
    files = {Path(f["path"]).name: f for f in json.loads(proc.stdout)["files"]}
    for name in ("self.pdf", "a.txt", "b.txt"):
        assert "symbolic link" in files[name]["error"], files[name]
    assert files["ok.txt"]["status"] == "ok"
    assert proc.returncode == 1


def test_link_to_a_folder_above_is_a_reported_loop(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    write(tmp_path / "a" / "b" / "doc.txt", "Обычный текст.")
    (tmp_path / "a" / "b" / "up").symlink_to("..")
    walk = collect([str(tmp_path / "a")], [], [], tmp_path)
    assert walk.files == [str(tmp_path / "a" / "b" / "doc.txt")]
    assert [(Path(p).name, "loop" in why) for p, why in walk.problems] == [("up", True)]


def test_folder_990_deep_is_walked_without_recursion_error() -> None:
    # Not under pytest's tmp_path: pytest's clean-up (shutil.rmtree, recursive on 3.11) fails
    # on such a tree, so it lives in a folder of its own, removed bottom up below.
    import tempfile

    top = Path(tempfile.mkdtemp(prefix="qupia-deep-"))
    deep = top
    try:
        for _ in range(990):
            deep = deep / "d"
            deep.mkdir()
        write(deep / "bottom.txt", "СТРОГО СЕКРЕТНО\n\nЗаписка от 12.03.2024")
        walk = collect([str(top)], [], [], top)
        assert walk.files == [str(deep / "bottom.txt")] and not walk.problems
        proc = run("check", str(top), "--format", "json")
        no_traceback(proc)
        assert json.loads(proc.stdout)["files"][0]["findings"][0]["code"] == "QP303"
    finally:
        (deep / "bottom.txt").unlink(missing_ok=True)
        while deep != top.parent:
            deep.rmdir()
            deep = deep.parent


# 3. Unreadable folders ----------------------------------------------------------------------

def _without_dac_override() -> None:
    """In the child, before exec: drop CAP_DAC_OVERRIDE (1) and CAP_DAC_READ_SEARCH (2) from
    the capability bounding set (prctl PR_CAPBSET_DROP = 24), so that even root is bound by
    a folder's permission bits after exec."""
    import ctypes

    _guard()
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (1, 2):
        if libc.prctl(24, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "PR_CAPBSET_DROP failed")


def test_unreadable_folder_is_reported_and_fails_the_run(tmp_path: Path) -> None:
    """A folder without read permission. Root reads any folder, so when the tests run as root
    qupia runs as root without the two capabilities that bypass permission bits: the refusal
    is the kernel's, not simulated."""
    write(tmp_path / "ok.txt", "Обычный текст.")
    locked = tmp_path / "locked"
    locked.mkdir()
    write(locked / "secret.txt", "СЕКРЕТНО")
    os.chmod(locked, 0o000)
    try:
        extra = {"preexec_fn": _without_dac_override} if os.geteuid() == 0 else {}
        proc = run("check", str(tmp_path), "--format", "json", **extra)
        no_traceback(proc)
        files = {Path(f["path"]).name: f for f in json.loads(proc.stdout)["files"]}
        assert files["locked"]["status"] == "error"
        assert files["locked"]["error"] == "cannot read folder: Permission denied"
        assert files["ok.txt"]["status"] == "ok"
        assert proc.returncode == 1
    finally:
        os.chmod(locked, 0o755)


# Fail closed: what a folder scan skipped, and a scan with nothing to check --------------------

def test_folder_scan_says_what_it_skipped(tmp_path: Path) -> None:
    write(tmp_path / "a.txt", "Обычный текст.")
    for name in ("x.xlsx", "y.xlsx", "z.bmp", "README"):  # (PNG is read now: OCR)
        write(tmp_path / name, "data")
    write(tmp_path / "a.txt.qupia.toml", "")  # a sidecar is read with its document
    proc = run("check", str(tmp_path))
    assert "qupia: 4 files skipped (unsupported type: .xlsx ×2, (no extension) ×1, .bmp ×1)" \
        in proc.stderr
    proc = run("check", str(tmp_path), "--format", "json")
    report = json.loads(proc.stdout)
    assert report["summary"]["skipped"] == {
        "files": 4, "types": {"(no extension)": 1, ".bmp": 1, ".xlsx": 2}}
    jsonschema.validate(report, schema(), cls=jsonschema.Draft202012Validator)


def test_scan_with_nothing_checkable_fails(tmp_path: Path) -> None:
    write(tmp_path / "notes.md", "# notes")
    proc = run("check", str(tmp_path))
    no_traceback(proc)
    assert proc.returncode == 1
    assert "no file to check" in proc.stderr


def test_scan_whose_files_are_all_excluded_on_purpose_passes(tmp_path: Path) -> None:
    """A pre-commit run on a file the configuration excludes is not "nothing checkable"."""
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".qupia.toml", 'exclude = ["drafts/*"]\n')
    (tmp_path / "drafts").mkdir()
    doc = write(tmp_path / "drafts" / "a.txt", "СТРОГО СЕКРЕТНО")
    proc = run("check", str(doc.relative_to(tmp_path)), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "no file to check" not in proc.stderr


def test_skipped_count_follows_the_suffix_table(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from qupia import walk as walk_module

    write(tmp_path / "a.pages", "x")
    assert collect([str(tmp_path)], [], [], tmp_path).skipped == {".pages": 1}
    monkeypatch.setitem(walk_module.SUFFIXES, ".pages", "pages")
    got = collect([str(tmp_path)], [], [], tmp_path)
    assert got.files == [str(tmp_path / "a.pages")] and not got.skipped


# 4. Output and baseline writes --------------------------------------------------------------

@pytest.mark.parametrize("target", ["/nonexistent-folder/report.json", "/proc/version",
                                    "/nonexistent-folder/\udcff\udcfe.json"])
def test_bad_output_path_is_a_usage_error_before_the_scan(tmp_path: Path, target: str) -> None:
    doc = write(tmp_path / "a.txt", "Обычный текст.")
    proc = subprocess.run([QUPIA, "check", str(doc), "--output", os.fsencode(target)],
                          capture_output=True, text=True, timeout=60, preexec_fn=_guard)
    no_traceback(proc)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and proc.stderr.startswith("qupia: ")


def test_baseline_to_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    doc = write(tmp_path / "a.txt", "Обычный текст.")
    proc = run("baseline", str(doc), "--output", str(tmp_path / "no" / "b.json"))
    no_traceback(proc)
    assert proc.returncode == 2 and "no such folder" in proc.stderr


def test_output_with_a_non_utf8_name_is_written(tmp_path: Path) -> None:
    doc = write(tmp_path / "a.txt", "Обычный текст.")
    target = os.fsencode(tmp_path) + b"/\xff\xfe.json"
    proc = subprocess.run([QUPIA, "check", str(doc), "--format", "json", "--output", target],
                          capture_output=True, text=True, timeout=60, preexec_fn=_guard)
    no_traceback(proc)
    assert proc.returncode == 0
    with open(target, "rb") as fh:
        assert json.loads(fh.read())["summary"]["files"] == 1


def test_atomic_writer_leaves_the_old_file_on_an_exception(tmp_path: Path) -> None:
    target = write(tmp_path / "report.json", "yesterday")
    os.chmod(target, 0o640)
    with pytest.raises(RuntimeError), atomic_writer(target) as out:
        out.write("half")
        raise RuntimeError("killed")
    assert target.read_text(encoding="utf-8") == "yesterday"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]
    with atomic_writer(target) as out:
        out.write("today")
    assert target.read_text(encoding="utf-8") == "today"
    assert target.stat().st_mode & 0o777 == 0o640


def test_check_writable_names_the_problem(tmp_path: Path) -> None:
    check_writable(tmp_path / "new.json")
    with pytest.raises(WriteError, match="no such folder"):
        check_writable(tmp_path / "missing" / "x.json")
    with pytest.raises(WriteError, match="not a regular file"):
        check_writable("/dev/null")
    with pytest.raises(WriteError, match="not a folder"):
        check_writable(write(tmp_path / "file", "") / "x.json")


def _slow_folder(tmp_path: Path, n: int = 6) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(n):
        (folder / f"big{i}.txt").write_text(
            ("СЕКРЕТНО\n\n" + "Длинный текст документа. " * 40 + "\n\n") * 40000,
            encoding="utf-8")
    return folder


def _started(proc: subprocess.Popen[bytes], seconds: float = 60) -> list[int]:
    """The pids of *proc*'s children once it has some (the scan is under way)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        kids = _children(proc.pid)
        if kids:
            time.sleep(1.0)
            return _children(proc.pid)
        time.sleep(0.1)
    raise AssertionError("no worker started")


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
def test_killed_run_leaves_yesterdays_report_intact(tmp_path: Path, sig: int) -> None:
    folder = _slow_folder(tmp_path)
    report = write(tmp_path / "report.json", '{"yesterday": true}\n')
    proc = subprocess.Popen([QUPIA, "check", str(folder), "--format", "json", "--jobs", "2",
                             "--output", str(report), "--timeout", "600"], preexec_fn=_guard,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _started(proc)
    proc.send_signal(sig)
    proc.wait(timeout=30)
    assert report.read_text(encoding="utf-8") == '{"yesterday": true}\n'
    if sig != signal.SIGKILL:  # a clean end removes its temporary file
        assert sorted(p.name for p in tmp_path.iterdir()) == ["docs", "report.json"]


# 5. Workers die with their parent -----------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_their_parent(tmp_path: Path, sig: int) -> None:
    folder = _slow_folder(tmp_path, 4)
    proc = subprocess.Popen([QUPIA, "check", str(folder), "--jobs", "2", "--timeout", "600"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=_guard)
    workers = _started(proc)
    assert len(workers) == 2
    proc.send_signal(sig)
    proc.wait(timeout=30)
    end = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < end:
        time.sleep(0.1)
    assert not [w for w in workers if _alive(w)], "workers outlived their parent"


@pytest.mark.slow
def test_ctrl_c_prints_no_worker_tracebacks(tmp_path: Path) -> None:
    """Ctrl-C at a terminal signals the whole foreground process group."""
    folder = _slow_folder(tmp_path, 4)
    proc = subprocess.Popen([QUPIA, "check", str(folder), "--jobs", "2", "--timeout", "600"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=_guard)
    workers = _started(proc)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err
    assert err.strip() == "qupia: interrupted"
    assert proc.returncode == 130
    time.sleep(0.5)
    assert not [w for w in workers if _alive(w)]


# 6. Corrupt DOCX, huge lines ----------------------------------------------------------------

def _docx(path: Path, text: str = "Мәтін") -> Path:
    document = docx.Document()
    document.add_paragraph(text)
    document.save(str(path))
    return path


def _rewrite(path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    """Copy the zip at *path* member by member, letting *change(info, data)* alter each."""
    with zipfile.ZipFile(path) as z:
        members = [(i, z.read(i.filename)) for i in z.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in members:
            z.writestr(info.filename, change(info.filename, data))
    path.write_bytes(buf.getvalue())
    return path


def test_corrupt_deflate_in_docx_is_a_corrupt_file_not_zlib_error(tmp_path: Path) -> None:
    path = _docx(tmp_path / "x.docx", "СЕКРЕТНО " * 200)
    raw = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("word/document.xml")
    # The member's data starts after its local header (30 bytes, name, extra field).
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 2, start + min(info.compress_size, 60)):
        raw[i] ^= 0x5A
    path.write_bytes(bytes(raw))
    with pytest.raises(ExtractError, match=r"^corrupt file: damaged ZIP member word/document"):
        extract(path)
    result = check_file(path, Settings())
    assert result.error and result.error.startswith("corrupt file")


def test_zip_entry_of_unknown_version_is_a_corrupt_file(tmp_path: Path) -> None:
    path = _docx(tmp_path / "x.docx")
    raw = bytearray(path.read_bytes())
    # The central directory entry of word/document.xml: "version needed to extract" = 9.9.
    name = b"word/document.xml"
    at = raw.find(b"PK\x01\x02" + b"", 0)
    while at != -1:
        n = int.from_bytes(raw[at + 28:at + 30], "little")
        if raw[at + 46:at + 46 + n] == name:
            raw[at + 6:at + 8] = (99).to_bytes(2, "little")
        at = raw.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(raw))
    with pytest.raises(ExtractError, match=r"^corrupt file"):
        extract(path)


def test_text_line_over_a_million_characters_is_read_in_pieces(tmp_path: Path) -> None:
    path = write(tmp_path / "long.txt", "СЕКРЕТНО\n\n" + "ab cd " * 250_000)  # 1.5M chars
    result = check_file(path, Settings())
    assert result.status == "ok", result.error
    assert [m.level.value for m in result.facts.markings] == ["secret"]  # type: ignore[union-attr]


# 7. DTDs refused at the parser --------------------------------------------------------------

_ENCODINGS = ["utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"]


def _with_doctype(xml: bytes, encoding: str, padding: int) -> bytes:
    text = xml.decode("utf-8")
    text = text.split("?>", 1)[1] if text.startswith("<?xml") else text
    declared = encoding.upper().split("-LE")[0].split("-BE")[0]
    head = f'<?xml version="1.0" encoding="{declared}" standalone="yes"?>'
    comment = f"<!-- {'x' * padding} -->" if padding else ""
    doctype = '<!DOCTYPE r [<!ENTITY e "expanded">]>'
    out = head + comment + doctype + text
    if encoding in ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
        return ("\ufeff" + out).encode(encoding)  # a BOM, as the XML spec requires
    return out.encode(encoding)


@pytest.mark.parametrize("encoding", _ENCODINGS)
@pytest.mark.parametrize("part", ["word/document.xml", "docProps/core.xml", "_rels/.rels"])
def test_doctype_is_refused_in_every_part_and_encoding(tmp_path: Path, part: str,
                                                       encoding: str) -> None:
    """The old check read the first 4,096 bytes: a DOCTYPE after 5 KB of comment, or in a
    UTF-32 part, was parsed."""
    path = _rewrite(_docx(tmp_path / "x.docx"),
                    lambda name, data: _with_doctype(data, encoding, 5000)
                    if name == part else data)
    with pytest.raises(ExtractError, match="declares a DOCTYPE"):
        extract(path)


# 8. Memory limit, jobs ---------------------------------------------------------------------

@pytest.mark.slow
def test_docx_over_the_memory_limit_costs_that_file_alone(tmp_path: Path) -> None:
    """A DOCX whose document.xml unpacks 13:1 to 84 MB passes the size and ratio checks; its
    parse needs far more than 500 MiB."""
    import random

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    rnd = random.Random(1)
    paras = "".join(f"<w:p><w:r><w:t>СЕКРЕТНО {rnd.randrange(10**6)}</w:t></w:r></w:p>"
                    for _ in range(1_500_000))
    with zipfile.ZipFile(tmp_path / "bomb.docx", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml",
                   f'<w:document xmlns:w="{w}"><w:body>{paras}</w:body></w:document>')
    write(tmp_path / "ok.txt", "СТРОГО СЕКРЕТНО\n\nЗаписка от 12.03.2024")
    proc = run("check", str(tmp_path), "--format", "json", "--memory-limit", "500",
               "--timeout", "300", timeout=400)
    no_traceback(proc)
    files = {Path(f["path"]).name: f for f in json.loads(proc.stdout)["files"]}
    assert files["bomb.docx"]["error"] == "over the memory limit (500 MiB; --memory-limit)"
    assert files["ok.txt"]["findings"][0]["code"] == "QP303"


def test_text_over_the_memory_limit_costs_that_file_alone(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(("СЕКРЕТНО\n\n" + "Длинный текст документа. " * 40 + "\n\n") * 30000,
                   encoding="utf-8")  # 56 MB
    settings = Settings(limits=Limits(memory_bytes=400 * 1024 * 1024, timeout_seconds=60))
    (result,) = list(run_files([str(big)], settings))
    assert result.error == "over the memory limit (400 MiB; --memory-limit)"


def test_configured_jobs_are_capped_at_the_cpus_but_an_explicit_option_is_not(
        tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from qupia import cli

    conf = write(tmp_path / ".qupia.toml", "jobs = 512\nmemory-limit = 300\n")
    doc = write(tmp_path / "a.txt", "x")
    monkeypatch.chdir(tmp_path)
    settings, _, _ = cli._resolve((str(doc),), str(conf), None, (), (), None, None, None)
    assert settings.jobs == cli._cpus() < 512
    assert settings.limits.memory_bytes == 300 * 1024 * 1024
    settings, _, _ = cli._resolve((str(doc),), str(conf), None, (), (), 8, None, None)
    assert settings.jobs == 8


# 9. Values accepted that must not be ------------------------------------------------------

@pytest.mark.parametrize("args", [("--timeout", "nan"), ("--timeout", "inf"),
                                  ("--timeout", "2147484"), ("--timeout", "-1"),
                                  ("--content-threshold", "nan"),
                                  ("--content-threshold", "inf"),
                                  ("--memory-limit", "-5"), ("--jobs", "100000")])
def test_bad_numbers_are_usage_errors(tmp_path: Path, args: tuple[str, str]) -> None:
    doc = write(tmp_path / "a.txt", "x")
    proc = run("check", str(doc), *args)
    no_traceback(proc)
    assert proc.returncode == 2 and f"Invalid value for '{args[0]}'" in proc.stderr


def test_reference_date_that_is_a_datetime_is_a_config_error(tmp_path: Path) -> None:
    conf = write(tmp_path / "q.toml", "reference-date = 2026-11-26T10:00:00\n")
    with pytest.raises(ConfigError, match="not a date and time"):
        read_config(conf, KNOWN)
    proc = run("check", str(write(tmp_path / "a.txt", "x")), "--config", str(conf))
    assert proc.returncode == 2 and "reference-date" in proc.stderr
    no_traceback(proc)


# 10. Deep nesting, bad encodings ----------------------------------------------------------

DEEP_TOML = "a = " + "[" * 100_000 + "]" * 100_000 + "\n"


def test_deeply_nested_toml_config_is_a_config_error(tmp_path: Path) -> None:
    conf = write(tmp_path / "deep.toml", DEEP_TOML)
    with pytest.raises(ConfigError, match="nested too deeply"):
        read_config(conf, KNOWN)
    proc = run("check", str(write(tmp_path / "a.txt", "x")), "--config", str(conf))
    no_traceback(proc)
    assert proc.returncode == 2 and proc.stderr.startswith("qupia: ")


def test_discovered_deep_qupia_toml_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".qupia.toml", DEEP_TOML)
    proc = run("check", str(write(tmp_path / "a.txt", "x")), cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 2 and "nested too deeply" in proc.stderr


def test_deep_pyproject_without_qupia_table_breaks_nothing(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "pyproject.toml", DEEP_TOML)
    assert not has_table(tmp_path / "pyproject.toml")
    assert discover(tmp_path) is None
    for args in (("rules",), ("--version",), ("explain", "QP201")):
        proc = run(*args, cwd=tmp_path)
        no_traceback(proc)
        assert proc.returncode == 0, (args, proc.stderr)
    proc = run("check", str(write(tmp_path / "a.txt", "Обычный текст.")), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr


def test_pyproject_whose_tool_is_not_a_table(tmp_path: Path) -> None:
    conf = write(tmp_path / "pyproject.toml", 'tool = "x"\n')
    assert not has_table(conf)
    with pytest.raises(ConfigError, match=r"\[tool.qupia\]"):
        read_config(conf, KNOWN)


def test_config_that_is_dev_zero_is_refused(tmp_path: Path) -> None:
    # In a (memory-capped) process of its own: code without the fix reads /dev/zero for ever.
    proc = run("check", str(write(tmp_path / "a.txt", "x")), "--config", "/dev/zero")
    no_traceback(proc)
    assert proc.returncode == 2 and "not a regular file" in proc.stderr


def test_departmental_list_not_utf8_is_a_config_error(tmp_path: Path) -> None:
    listed = tmp_path / "list.yaml"
    listed.write_bytes("organisation: Отдел кадров\n".encode("cp1251"))
    write(tmp_path / ".qupia.toml", 'departmental-list = "list.yaml"\n')
    (tmp_path / ".git").mkdir()
    proc = run("check", str(write(tmp_path / "a.txt", "x")), cwd=tmp_path)
    no_traceback(proc)
    assert proc.returncode == 2 and "not UTF-8" in proc.stderr


@pytest.mark.parametrize("content", ["[" * 100_000 + "]" * 100_000,
                                     '{"schema": ' + "9" * 100_000 + "}"])
def test_hostile_baseline_json_is_a_config_error(tmp_path: Path, content: str) -> None:
    path = write(tmp_path / "b.json", content)
    with pytest.raises(ConfigError, match="not a JSON baseline"):
        baseline.read(path)
    proc = run("check", str(write(tmp_path / "a.txt", "x")), "--baseline", str(path))
    no_traceback(proc)
    assert proc.returncode == 2 and len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("content", [DEEP_TOML.encode(), "[[ignore]]\nrule = 'QP303'\n"
                                     "reason = 'проверено'\n".encode("cp1251")])
def test_hostile_sidecar_is_a_per_file_reason(tmp_path: Path, content: bytes) -> None:
    doc = write(tmp_path / "a.txt", "СТРОГО СЕКРЕТНО\n\nЗаписка от 12.03.2024")
    (tmp_path / "a.txt.qupia.toml").write_bytes(content)
    with pytest.raises(SuppressionError):
        read_sidecar(tmp_path / "a.txt.qupia.toml", KNOWN)
    proc = run("check", str(doc), "--format", "json")
    no_traceback(proc)
    (entry,) = json.loads(proc.stdout)["files"]
    assert entry["status"] == "error" and entry["error"].startswith("suppression: a.txt.qupia")


# 11. --no-evidence ---------------------------------------------------------------------------

def test_no_evidence_leaves_no_stamp_words_in_any_output(tmp_path: Path) -> None:
    # Words found nowhere in qupia's own texts (rule documentation goes into SARIF).
    doc = write(tmp_path / "order.txt",
                "СОВЕРШЕННО СЕКРЕТНО\nЭкз. № 1\nСрок засекречивания 5 лет\n\n"
                "Приказ от 12.05.2015 № 45. Войсковая часть 97531 у озера Жалаулы, штатная "
                "численность 640 человек, позывной «Жаворонок-7».\n\n"
                "\fСТРОГО СЕКРЕТНО\n\nПриложение.")
    leaks = ("СОВЕРШЕННО", "СТРОГО", "97531", "Жалаулы", "Жаворонок")
    with_words = run("check", str(doc), "--format", "json", "--reference-date", "2026-11-26")
    assert all(w in with_words.stdout for w in leaks)  # the checks below can fail
    for fmt in ("text", "json", "sarif"):
        proc = run("check", str(doc), "--format", fmt, "--no-evidence",
                   "--reference-date", "2026-11-26")
        out = proc.stdout
        if fmt == "sarif":  # the rule descriptions are ours; the results are the document's
            run_ = json.loads(out)["runs"][0]
            out = json.dumps([run_["results"], run_["invocations"]], ensure_ascii=False)
        assert not [w for w in leaks if w in out], (fmt, out)
        if fmt == "json":
            report = json.loads(proc.stdout)
            marks = report["files"][0]["markings"]
            assert marks and all(m["text"] == "" and m["level"] and m["form"] for m in marks)
            jsonschema.validate(report, schema(), cls=jsonschema.Draft202012Validator)
            assert any("<" in f["message"] for f in report["files"][0]["findings"])


def test_no_evidence_error_on_a_docx_property_does_not_quote_it() -> None:
    from qupia.review import parse_property

    with pytest.raises(SuppressionError, match="Жаворонок"):
        parse_property("Жаворонок-7 приказал", KNOWN)
    with pytest.raises(SuppressionError) as caught:
        parse_property("Жаворонок-7 приказал", KNOWN)
    assert "Жаворонок" not in caught.value.redacted and "qupia-ignore" in caught.value.redacted


# 12. No network ---------------------------------------------------------------------------

# Network sockets (IPv4, IPv6, …) are refused; AF_UNIX stays: the runner's pipes to its
# workers are socketpairs, local to the machine.
_BLOCK_SOCKETS = """
import socket, sys
class _Blocked(socket.socket):
    def __init__(self, family=-1, *args, **kwargs):
        if family != socket.AF_UNIX:
            sys.stderr.write("SOCKET OPENED\\n")
            raise OSError("network socket creation blocked by the test")
        super().__init__(family, *args, **kwargs)
socket.socket = _Blocked
from qupia.cli import main
sys.argv[0] = "qupia"
main()
"""


@pytest.mark.parametrize("args", [
    ("check", "{doc}", "--jobs", "2"),
    *(pytest.param(a, marks=pytest.mark.slow) for a in (
        ("check", "{doc}", "--format", "sarif"), ("baseline", "{doc}", "--output", "{tmp}/b.json"),
        ("rules",), ("explain", "QP100"), ("--version",), ("check", "--help")))])
def test_every_command_runs_with_sockets_blocked(tmp_path: Path, args: tuple[str, ...]) -> None:
    """Importing spaCy imported requests/urllib3, which opened an IPv6 socket."""
    doc = write(tmp_path / "a.txt", "СЕКРЕТНО\n\nВойсковая часть 12345, численность 1 240.")
    argv = [a.format(doc=doc, tmp=tmp_path) for a in args]
    proc = subprocess.run([sys.executable, "-c", _BLOCK_SOCKETS, *argv], capture_output=True,
                          text=True, timeout=120, cwd=tmp_path)
    assert "SOCKET OPENED" not in proc.stderr
    no_traceback(proc)
    assert proc.returncode in (0, 1), proc.stderr


def test_spacy_cli_stays_importable_after_qupia_loaded_the_model() -> None:
    code = ("import sys; from qupia.content.classifier import load_model; load_model(); "
            "assert 'requests' not in sys.modules and 'spacy.cli' not in sys.modules; "
            "import spacy.cli; assert hasattr(spacy.cli, 'train'); print('ok')")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    assert proc.stdout.strip() == "ok", proc.stderr
