"""The results store of ``qupia scan``: one SQLite file (stdlib sqlite3, WAL journal).

A result is kept by the file's content (its sha256) and a path points at a content, so a renamed
or copied file is recorded under each of its paths while its content is analysed once. Each
finished file is written in one transaction, so a scan killed at any moment (SIGKILL included)
loses nothing that was committed, and the next run skips it.

Tables (schema version :data:`SCHEMA_VERSION`, in ``meta``):

``meta``        key → value: ``schema_version``, ``settings`` (JSON: what the results depend on),
                ``runs`` (how many scans have written to the store).
``contents``    one row per content (sha256): status, error, pages, language, document level,
                counts, and ``result``: the file's entry of the ``qupia-report/1`` JSON report
                less its path (:mod:`qupia.report.json_report`).
``files``       one row per path: the content it had (sha256; NULL when the file could not be
                read at all), its status and error, and the ``os.stat`` facts (size, mtime_ns,
                inode) by which a later run knows it unchanged without opening it; ``run`` is
                the scan that wrote it.
``findings``, ``markings``, ``categories``: the same facts as ``result``, one row each, for
                queries (``sqlite3 results.sqlite "select code, count(*) from findings …"``).

The document's text is never stored. Evidence (the matched words, the words of a stamp) is kept
only in a store made with ``--evidence``; without it those fields are empty.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA_VERSION = 1
#: Statuses of a file not fully read: an error (corrupt, a limit, no converter) or a page with
#: no text; ``qupia scan --retry-errors`` reads such files again.
UNREADABLE = ("error", "no-text")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS contents (
    sha256 TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    error TEXT,
    pages INTEGER,
    language TEXT,
    document_level TEXT,
    limited INTEGER NOT NULL DEFAULT 0,
    declassified INTEGER NOT NULL DEFAULT 0,
    findings INTEGER NOT NULL DEFAULT 0,
    result TEXT NOT NULL,
    finished REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,
    sha256 TEXT,
    status TEXT NOT NULL,
    error TEXT,
    size INTEGER,
    mtime_ns INTEGER,
    inode INTEGER,
    run INTEGER NOT NULL,
    recorded REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS files_sha256 ON files (sha256);
CREATE TABLE IF NOT EXISTS findings (
    sha256 TEXT NOT NULL, code TEXT, rule TEXT, family TEXT, severity TEXT, article TEXT,
    page INTEGER, region TEXT, message TEXT, evidence TEXT
);
CREATE INDEX IF NOT EXISTS findings_sha256 ON findings (sha256);
CREATE TABLE IF NOT EXISTS markings (
    sha256 TEXT NOT NULL, level TEXT, page INTEGER, region TEXT, form TEXT, date TEXT,
    period_years INTEGER, until TEXT, extended_until TEXT, legacy INTEGER, in_effect INTEGER,
    text TEXT
);
CREATE INDEX IF NOT EXISTS markings_sha256 ON markings (sha256);
CREATE TABLE IF NOT EXISTS categories (
    sha256 TEXT NOT NULL, article TEXT, item TEXT, score REAL
);
CREATE INDEX IF NOT EXISTS categories_sha256 ON categories (sha256);
"""


class StoreError(Exception):
    """A store that cannot be used: not a qupia store, a newer schema, other settings."""


@dataclass(frozen=True)
class Stat:
    """What ``os.stat`` says of a file: enough to know it unchanged without opening it."""

    size: int
    mtime_ns: int
    inode: int


class Store:
    """A results store, opened at *path*, and created there when missing unless *create* is
    False (``qupia report`` never turns another SQLite file into a store)."""

    def __init__(self, path: Path | str, create: bool = True) -> None:
        self.path = Path(path)
        try:
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            # WAL: readers (the workers asking whether a content is known, `qupia report`) do
            # not block the writer. synchronous=NORMAL: a commit survives the process being
            # killed; a power cut may lose the last commits, never the store's consistency.
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            version = self._meta("schema_version")
            if version is None and not create:
                raise StoreError(f"{self.path}: not a qupia results store (no schema version)")
            if version is None:
                # One script, one transaction: the tables and the version appear together.
                self.db.executescript(
                    f"BEGIN IMMEDIATE; {_SCHEMA} INSERT OR IGNORE INTO meta VALUES "
                    f"('schema_version', '{SCHEMA_VERSION}'); COMMIT;")
            elif int(version) != SCHEMA_VERSION:
                raise StoreError(f"{self.path}: store schema {version}, this qupia reads "
                                 f"{SCHEMA_VERSION}")
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: not a qupia results store ({exc})") from exc

    def close(self) -> None:
        self.db.close()

    def transaction(self) -> _Transaction:
        return _Transaction(self.db)

    def _meta(self, key: str) -> str | None:
        try:
            row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return None
            raise
        return row[0] if row else None

    # The settings the results depend on: one store holds results of one set of settings.
    def settings(self) -> dict[str, Any] | None:
        raw = self._meta("settings")
        return json.loads(raw) if raw else None

    def begin_run(self, settings: dict[str, Any]) -> int:
        """Check *settings* against the store's (or record them in a new store) and count a new
        run; returns its number."""
        with self.transaction():
            stored = self.settings()
            if stored is None:
                self.db.execute("INSERT INTO meta VALUES ('settings', ?)",
                                (json.dumps(settings, sort_keys=True),))
            elif stored != settings:
                changed = sorted(k for k in {*stored, *settings}
                                 if stored.get(k) != settings.get(k))
                raise StoreError(
                    f"{self.path} holds results made with other settings "
                    f"({', '.join(changed)}); use another --db for these settings")
            run = int(self._meta("runs") or 0) + 1
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('runs', ?)", (str(run),))
        return run

    def unchanged(self, readable_only: bool = False) -> dict[str, Stat]:
        """Every recorded path with the stat it had when it was read (*readable_only*: the
        paths read without an error or an unread page, for ``--retry-errors``)."""
        where = f" AND status NOT IN {UNREADABLE}" if readable_only else ""
        return {path: Stat(size, mtime, inode) for path, size, mtime, inode in self.db.execute(
            "SELECT path, size, mtime_ns, inode FROM files WHERE size IS NOT NULL" + where)}

    def _status(self, sha256: str) -> str | None:
        row = self.db.execute("SELECT status FROM contents WHERE sha256 = ?",
                              (sha256,)).fetchone()
        return row[0] if row else None

    def known(self, sha256: str) -> bool:
        return self._status(sha256) is not None

    def hashes(self, readable_only: bool = False) -> frozenset[str]:
        where = f" WHERE status NOT IN {UNREADABLE}" if readable_only else ""
        return frozenset(r[0] for r in self.db.execute("SELECT sha256 FROM contents" + where))

    def record(self, path: str, stat: Stat | None, sha256: str | None, status: str,
               error: str | None, entry: dict[str, Any] | None, run: int) -> None:
        """One finished file, in one transaction: its content's result (*entry*, a
        qupia-report/1 file entry) unless the store has that content already, and the path."""
        now = time.time()
        with self.transaction():
            if sha256 is not None and entry is not None:
                before = self._status(sha256)
                if before in UNREADABLE and entry["status"] not in UNREADABLE:
                    self._forget(sha256)  # read again (--retry-errors) and read this time
                    before = None
                if before is None:
                    self._content(sha256, entry, now)
            if sha256 is not None and entry is None:  # a renamed copy: the content's status
                row = self.db.execute("SELECT status, error FROM contents WHERE sha256 = ?",
                                      (sha256,)).fetchone()
                if row:
                    status, error = row
            self.db.execute(
                "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (path, sha256, status, error, stat.size if stat else None,
                 stat.mtime_ns if stat else None, stat.inode if stat else None, run, now))

    def _forget(self, sha256: str) -> None:
        for table in ("findings", "markings", "categories", "contents"):
            self.db.execute(f"DELETE FROM {table} WHERE sha256 = ?", (sha256,))

    def _content(self, sha256: str, entry: dict[str, Any], now: float) -> None:
        body = {k: v for k, v in entry.items() if k != "path"}
        self.db.execute(
            "INSERT INTO contents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (sha256, entry["status"], entry["error"], entry["pages"], entry["language"],
             entry["document_level"], int(entry["limited"]), int(entry["declassified"]),
             len(entry["findings"]), json.dumps(body, ensure_ascii=False), now))
        self.db.executemany(
            "INSERT INTO findings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(sha256, f["code"], f["rule"], f["family"], f["severity"], f["article"],
              f["page"], f["region"], f["message"], f["evidence"]) for f in entry["findings"]])
        self.db.executemany(
            "INSERT INTO markings VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(sha256, m["level"], m["page"], m["region"], m["form"], m["requisites"]["date"],
              m["requisites"]["period_years"], m["requisites"]["until"],
              m["requisites"]["extended_until"], int(m["legacy"]), int(m["in_effect"]),
              m["text"]) for m in entry["markings"]])
        self.db.executemany(
            "INSERT INTO categories VALUES (?, ?, ?, ?)",
            [(sha256, c["article"], c["item"], c["score"]) for c in entry["categories"]])

    def entries(self) -> Iterator[dict[str, Any]]:
        """Every recorded file as a qupia-report/1 file entry, in path order."""
        for path, sha, status, error, result in self.db.execute(
                "SELECT f.path, f.sha256, f.status, f.error, c.result FROM files f "
                "LEFT JOIN contents c ON c.sha256 = f.sha256 ORDER BY f.path"):
            if result is not None:
                yield {"path": path, **json.loads(result)}
            else:
                yield {"path": path, "sha256": sha, "status": status, "error": error,
                       "pages": None, "language": None, "document_level": None,
                       "limited": False, "declassified": False, "markings": [],
                       "categories": [], "findings": [], "suppressed": [], "baselined": 0}

    def integrity(self) -> str:
        return str(self.db.execute("PRAGMA integrity_check").fetchone()[0])


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on an exception)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind: object, *rest: object) -> None:
        self.db.execute("ROLLBACK" if kind else "COMMIT")


def open_readonly(path: Path | str) -> sqlite3.Connection:
    """A read-only connection (workers asking whether a content is known; ``qupia report``)."""
    db = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    return db
