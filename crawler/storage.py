"""Run history in SQLite: runs, pages, findings and links, written as pages finish so nothing audited is lost."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from datetime import datetime, timezone
from typing import Any, Iterable

from audits.model import Finding

# Each entry migrates the schema from version i to i+1; PRAGMA user_version records where a database stands.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        site TEXT NOT NULL,
        start_url TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT,
        status TEXT NOT NULL,
        settings TEXT NOT NULL,
        versions TEXT NOT NULL,
        stats TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX runs_site ON runs(site, id);
    CREATE TABLE pages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id INTEGER NOT NULL REFERENCES runs(id),
        url TEXT NOT NULL,
        final_url TEXT NOT NULL,
        status INTEGER,
        content_type TEXT NOT NULL DEFAULT '',
        depth INTEGER NOT NULL,
        found_via TEXT NOT NULL,
        referrer TEXT,
        sitemap_priority REAL,
        title TEXT NOT NULL DEFAULT '',
        inbound_links INTEGER NOT NULL DEFAULT 0,
        error TEXT,
        redirect_chain TEXT NOT NULL DEFAULT '[]',
        headers TEXT NOT NULL DEFAULT '{}',
        browser TEXT,
        fetched_at REAL NOT NULL,
        UNIQUE(run_id, url)
    );
    CREATE TABLE findings (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        run_id INTEGER NOT NULL REFERENCES runs(id),
        page_url TEXT NOT NULL,
        check_id TEXT NOT NULL,
        severity TEXT NOT NULL,
        outcome TEXT NOT NULL,
        selector TEXT NOT NULL,
        snippet TEXT NOT NULL,
        message TEXT NOT NULL,
        sources TEXT NOT NULL,
        data TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX findings_run ON findings(run_id, check_id);
    CREATE TABLE links (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        from_url TEXT NOT NULL,
        to_url TEXT NOT NULL,
        PRIMARY KEY (run_id, from_url, to_url)
    ) WITHOUT ROWID;
    """,
]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class StoreError(Exception):
    """The database cannot be used; the message is one sentence for the user."""


class Store:
    """The one place that reads and writes run history. A later backend (PostgreSQL) implements the same methods."""

    def __init__(self, path: str) -> None:
        self.path = path
        try:
            if path != ":memory:":
                os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            self.conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self._migrate()
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"Cannot open the history database {path}: {exc}.") from None

    def _migrate(self) -> None:
        version = self.conn.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StoreError(
                f"The history database {self.path} was written by a newer empathy-audit (schema {version}); upgrade."
            )
        for i in range(version, len(MIGRATIONS)):
            self.conn.executescript("BEGIN;" + MIGRATIONS[i] + f"; PRAGMA user_version={i + 1}; COMMIT;")

    def close(self) -> None:
        self.conn.close()

    # --- writing ---------------------------------------------------------------------------------------------

    def start_run(self, site: str, start_url: str, settings: dict[str, Any], versions: dict[str, Any]) -> int:
        cur = self.conn.execute(
            "INSERT INTO runs (site, start_url, started_at, status, settings, versions) VALUES (?,?,?,?,?,?)",
            (site, start_url, _now(), "running", json.dumps(settings, sort_keys=True), json.dumps(versions)),
        )
        return int(cur.lastrowid)

    def add_page(self, run_id: int, page: dict[str, Any], findings: Iterable[Finding], links: Iterable[str] = ()) -> None:
        """Store one page, its findings and its outgoing internal links in one transaction."""
        with self._tx():
            self.conn.execute(
                """INSERT OR REPLACE INTO pages (run_id, url, final_url, status, content_type, depth, found_via,
                   referrer, sitemap_priority, title, error, redirect_chain, headers, browser, fetched_at)
                   VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                (
                    run_id,
                    page["url"],
                    page.get("final_url") or page["url"],
                    page.get("status"),
                    page.get("content_type") or "",
                    page.get("depth", 0),
                    page.get("found_via", "link"),
                    page.get("referrer"),
                    page.get("sitemap_priority"),
                    page.get("title") or "",
                    page.get("error"),
                    json.dumps(page.get("redirect_chain") or []),
                    json.dumps(page.get("headers") or {}),
                    json.dumps(page["browser"]) if page.get("browser") is not None else None,
                    page.get("fetched_at") or time.time(),
                ),
            )
            self._insert_findings(run_id, findings)
            self.conn.executemany(
                "INSERT OR IGNORE INTO links (run_id, from_url, to_url) VALUES (?,?,?)",
                ((run_id, page["url"], to) for to in set(links)),
            )

    def add_findings(self, run_id: int, findings: Iterable[Finding]) -> None:
        with self._tx():
            self._insert_findings(run_id, findings)

    def _insert_findings(self, run_id: int, findings: Iterable[Finding]) -> None:
        self.conn.executemany(
            """INSERT INTO findings (run_id, page_url, check_id, severity, outcome, selector, snippet, message,
               sources, data) VALUES (?,?,?,?,?,?,?,?,?,?)""",
            (
                (
                    run_id,
                    f.url,
                    f.check_id,
                    str(f.severity),
                    str(f.outcome),
                    f.selector,
                    f.snippet,
                    f.message,
                    json.dumps(list(f.sources)),
                    json.dumps(f.data, default=str),
                )
                for f in findings
            ),
        )

    def finish_run(self, run_id: int, status: str, stats: dict[str, Any] | None = None,
                   versions: dict[str, Any] | None = None) -> None:
        with self._tx():
            self.conn.execute(
                """UPDATE pages SET inbound_links = (
                       SELECT COUNT(*) FROM links l WHERE l.run_id = pages.run_id AND l.to_url = pages.url
                          AND l.from_url != pages.url)
                   WHERE run_id = ?""",
                (run_id,),
            )
            self.conn.execute(
                "UPDATE runs SET finished_at = ?, status = ?, stats = ? WHERE id = ?",
                (_now(), status, json.dumps(stats or {}, default=str, sort_keys=True), run_id),
            )
            if versions:
                row = self.conn.execute("SELECT versions FROM runs WHERE id = ?", (run_id,)).fetchone()
                merged = {**json.loads(row["versions"]), **{k: v for k, v in versions.items() if v}}
                self.conn.execute("UPDATE runs SET versions = ? WHERE id = ?", (json.dumps(merged), run_id))

    def _tx(self) -> "_Transaction":
        return _Transaction(self.conn)

    # --- reading ---------------------------------------------------------------------------------------------

    def run_ids(self, site: str | None = None) -> list[int]:
        if site is None:
            rows = self.conn.execute("SELECT id FROM runs ORDER BY id").fetchall()
        else:
            rows = self.conn.execute("SELECT id FROM runs WHERE site = ? ORDER BY id", (site,)).fetchall()
        return [r["id"] for r in rows]

    def get_run(self, run_id: int) -> dict[str, Any] | None:
        row = self.conn.execute("SELECT * FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None:
            return None
        run = dict(row)
        for key in ("settings", "versions", "stats"):
            run[key] = json.loads(run[key] or "{}")
        return run

    def load_run(self, run_id: int) -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
        """(run, pages, findings) as plain dicts, in the shapes the report builder takes."""
        run = self.get_run(run_id)
        if run is None:
            raise StoreError(f"There is no run {run_id} in {self.path}.")
        pages = []
        for row in self.conn.execute("SELECT * FROM pages WHERE run_id = ? ORDER BY depth, url", (run_id,)):
            page = dict(row)
            page.pop("id", None)
            page.pop("run_id", None)
            page["redirect_chain"] = json.loads(page["redirect_chain"])
            page["headers"] = json.loads(page["headers"])
            page["browser"] = json.loads(page["browser"]) if page["browser"] else None
            pages.append(page)
        findings = []
        for row in self.conn.execute("SELECT * FROM findings WHERE run_id = ? ORDER BY id", (run_id,)):
            findings.append(
                {
                    "check_id": row["check_id"],
                    "url": row["page_url"],
                    "selector": row["selector"],
                    "snippet": row["snippet"],
                    "message": row["message"],
                    "severity": row["severity"],
                    "outcome": row["outcome"],
                    "sources": json.loads(row["sources"]),
                    "data": json.loads(row["data"]),
                }
            )
        return run, pages, findings


class _Transaction:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN")

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")
