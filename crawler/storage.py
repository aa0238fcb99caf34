"""Run history in SQLite: runs, pages, findings and links, written as pages finish so nothing audited is lost."""

from __future__ import annotations

import json
import os
import sqlite3
import time
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping

from audits.model import Finding

# Each entry migrates the schema from version i to i+1; PRAGMA user_version records where a database stands.
# PostgreSQL runs the same list, translated (crawler/storage_pg.py): keep to INTEGER/REAL/TEXT columns, an
# `id INTEGER PRIMARY KEY AUTOINCREMENT` or a UNIQUE/PRIMARY KEY (...) constraint, and `?` parameters.
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
    # 2: what each page makes a visitor download (media audit). A resource is measured once per run.
    """
    CREATE TABLE resources (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        url TEXT NOT NULL,
        status INTEGER,
        content_type TEXT NOT NULL DEFAULT '',
        bytes INTEGER,
        decoded_bytes INTEGER,
        gzip_bytes INTEGER,
        encoding TEXT NOT NULL DEFAULT '',
        cache_control TEXT,
        expires TEXT,
        etag TEXT,
        last_modified TEXT,
        measured INTEGER NOT NULL,
        reason TEXT,
        method TEXT NOT NULL DEFAULT '',
        info TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (run_id, url)
    ) WITHOUT ROWID;
    CREATE TABLE page_resources (
        run_id INTEGER NOT NULL REFERENCES runs(id),
        page_url TEXT NOT NULL,
        resource_url TEXT NOT NULL,
        type TEXT NOT NULL,
        found_via TEXT NOT NULL,
        in_weight INTEGER NOT NULL DEFAULT 1,
        selector TEXT NOT NULL DEFAULT '',
        data TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (run_id, page_url, resource_url)
    ) WITHOUT ROWID;
    """,
]


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class StoreError(Exception):
    """The database cannot be used; the message is one sentence for the user."""


class Store:
    """The one place that reads and writes run history: a SQLite file, or a postgresql:// URL (PgStore, same methods).

    Every string written is masked (crawler.secrets.mask): a staging secret never reaches the database or a report.
    """

    def __new__(cls, path: str, *args: Any, **kwargs: Any) -> "Store":
        if cls is Store and str(path).startswith(("postgresql://", "postgres://")):
            from crawler.storage_pg import PgStore

            return super().__new__(PgStore)
        return super().__new__(cls)

    def __init__(self, path: str) -> None:
        from crawler.secrets import MaskingConnection

        self.path = path
        try:
            if path != ":memory:":
                os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
            self.conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
            self.conn.row_factory = sqlite3.Row
            self.conn = MaskingConnection(self.conn)  # type: ignore[assignment]
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

    def set_sitemap_priorities(self, run_id: int, priorities: Mapping[str, float]) -> None:
        """Give the run's stored pages their sitemap <priority> (url -> priority), however each page was first
        found; URLs that are not stored pages of the run are ignored. One UPDATE statement, run for every URL in
        one transaction (PgStore runs the same SQL)."""
        if not priorities:
            return
        with self._tx():
            self.conn.executemany(
                "UPDATE pages SET sitemap_priority = ? WHERE run_id = ? AND url = ?",
                ((float(p), run_id, url) for url, p in sorted(priorities.items())),
            )

    def finish_run(self, run_id: int, status: str, stats: dict[str, Any] | None = None,
                   versions: dict[str, Any] | None = None) -> None:
        with self._tx():
            # Inbound links per page, counted in one pass over the run's links. (A subquery per page walked every
            # link of the run for each page, since links are keyed by from_url: 10,000 pages with 1.5 million links
            # took hours.)
            self.conn.execute("DROP TABLE IF EXISTS inbound")
            self.conn.execute(
                """CREATE TEMP TABLE inbound AS
                   SELECT to_url AS url, COUNT(*) AS n FROM links
                   WHERE run_id = ? AND from_url != to_url GROUP BY to_url""",
                (run_id,),
            )
            self.conn.execute("CREATE UNIQUE INDEX inbound_url ON inbound(url)")
            self.conn.execute(
                """UPDATE pages SET inbound_links = COALESCE((SELECT n FROM inbound i WHERE i.url = pages.url), 0)
                   WHERE run_id = ?""",
                (run_id,),
            )
            self.conn.execute("DROP TABLE inbound")
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
        """(run, pages, findings) as plain dicts, in the shapes the report builder takes.

        Read-only by contract: equal strings are one object (a template's findings repeat their check ids,
        selectors, messages and snippets on every page), and equal JSON texts are parsed once, so pages and
        findings share their `headers`, `redirect_chain`, `browser`, `sources` and `data` values with equal ones.
        A 10,000-page run loads in a fraction of the memory a dict per value would take.
        """
        run = self.get_run(run_id)
        if run is None:
            raise StoreError(f"There is no run {run_id} in {self.path}.")
        cache = _Interner()
        s, js = cache.s, cache.json
        pages = []
        for row in self.conn.execute("SELECT * FROM pages WHERE run_id = ? ORDER BY depth, url", (run_id,)):
            page = {}
            for key in row.keys():
                if key in _PAGE_JSON:
                    text = row[key]
                    page[key] = js(text) if text else None
                elif key not in ("id", "run_id"):
                    page[key] = s(row[key])
            pages.append(page)
        findings = []
        for row in self.conn.execute(
            """SELECT check_id, page_url, selector, snippet, message, severity, outcome, sources, data
               FROM findings WHERE run_id = ? ORDER BY id""",
            (run_id,),
        ):
            findings.append(
                {
                    "check_id": s(row["check_id"]),
                    "url": s(row["page_url"]),
                    "selector": s(row["selector"]),
                    "snippet": s(row["snippet"]),
                    "message": s(row["message"]),
                    "severity": s(row["severity"]),
                    "outcome": s(row["outcome"]),
                    "sources": js(row["sources"]),
                    "data": js(row["data"]),
                }
            )
        return run, pages, findings

    # --- resources (media audit) -------------------------------------------------------------------------------

    _RESOURCE_COLUMNS = ("url", "status", "content_type", "bytes", "decoded_bytes", "gzip_bytes", "encoding",
                         "cache_control", "expires", "etag", "last_modified", "measured", "reason", "method", "info")
    _PAGE_RESOURCE_COLUMNS = ("resource_url", "type", "found_via", "in_weight", "selector", "data")

    def add_page_resources(self, run_id: int, page_url: str, resources: Iterable[dict[str, Any]],
                           links: Iterable[dict[str, Any]]) -> None:
        """Store measured resources (one row per URL and run) and what one page loads, in one transaction.

        `resources`: dicts with the keys of the resources table (info a dict); `links`: dicts with resource_url,
        type, found_via, in_weight, selector, data (a dict). A page's earlier rows are replaced.
        """
        with self._tx():
            self.conn.executemany(
                f"INSERT OR REPLACE INTO resources (run_id, {', '.join(self._RESOURCE_COLUMNS)}) "
                f"VALUES (?{', ?' * len(self._RESOURCE_COLUMNS)})",
                ((run_id, *[self._resource_value(r, c) for c in self._RESOURCE_COLUMNS]) for r in resources),
            )
            self.conn.execute("DELETE FROM page_resources WHERE run_id = ? AND page_url = ?", (run_id, page_url))
            self.conn.executemany(
                f"INSERT OR IGNORE INTO page_resources (run_id, page_url, {', '.join(self._PAGE_RESOURCE_COLUMNS)}) "
                f"VALUES (?, ?{', ?' * len(self._PAGE_RESOURCE_COLUMNS)})",
                (
                    (run_id, page_url, link["resource_url"], link["type"], link["found_via"],
                     int(bool(link.get("in_weight", True))), link.get("selector") or "",
                     json.dumps(link.get("data") or {}, default=str))
                    for link in links
                ),
            )

    @staticmethod
    def _resource_value(r: dict[str, Any], column: str) -> Any:
        value = r.get(column)
        if column == "info":
            return json.dumps(value or {}, default=str)
        if column == "measured":
            return int(bool(value))
        if value is None and column in ("content_type", "encoding", "method"):
            return ""
        return value

    def load_resources(self, run_id: int) -> list[dict[str, Any]]:
        """One dict per (page, resource) of a run: the page_resources row joined with the resource's measurement.

        Keys: page_url, url, type, found_via, in_weight (bool), selector, data (dict), and the measurement: status,
        content_type, bytes, decoded_bytes, gzip_bytes, encoding, cache_control, expires, etag, last_modified,
        measured (bool; False also when the resource has no measurement row), reason, method, info (dict).
        Read-only, like load_run: equal strings and equal data / info dicts are shared between rows.
        """
        cache = _Interner()
        s, js = cache.s, cache.json
        out = []
        for row in self.conn.execute(
            """SELECT pr.page_url, pr.resource_url AS url, pr.type, pr.found_via, pr.in_weight, pr.selector,
                      pr.data, r.status, r.content_type, r.bytes, r.decoded_bytes, r.gzip_bytes, r.encoding,
                      r.cache_control, r.expires, r.etag, r.last_modified, r.measured, r.reason, r.method, r.info
               FROM page_resources pr LEFT JOIN resources r ON r.run_id = pr.run_id AND r.url = pr.resource_url
               WHERE pr.run_id = ? ORDER BY pr.page_url, pr.resource_url""",
            (run_id,),
        ):
            measured = bool(row["measured"])
            reason, method = row["reason"], row["method"]
            if reason is None and not measured and method is None:
                reason = "no measurement was stored for it"
            out.append({
                "page_url": s(row["page_url"]),
                "url": s(row["url"]),
                "type": s(row["type"]),
                "found_via": s(row["found_via"]),
                "in_weight": bool(row["in_weight"]),
                "selector": s(row["selector"]),
                "data": js(row["data"] or "{}"),
                "status": row["status"],
                "content_type": s(row["content_type"] or ""),
                "bytes": row["bytes"],
                "decoded_bytes": row["decoded_bytes"],
                "gzip_bytes": row["gzip_bytes"],
                "encoding": s(row["encoding"] or ""),
                "cache_control": s(row["cache_control"]),
                "expires": s(row["expires"]),
                "etag": s(row["etag"]),
                "last_modified": s(row["last_modified"]),
                "measured": measured,
                "reason": s(reason),
                "method": s(method),
                "info": js(row["info"] or "{}"),
            })
        return out

    # --- history -------------------------------------------------------------------------------------------------

    def set_run_settings(self, run_id: int, settings: dict[str, Any]) -> None:
        self.conn.execute("UPDATE runs SET settings = ? WHERE id = ?", (json.dumps(settings, sort_keys=True), run_id))

    def run_summaries(self, site: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
        """Newest first: id, site, start_url, started_at, finished_at, status, pages, audited (HTML pages that
        answered 2xx), problems (distinct failing checks), and failing findings per severity (critical, serious,
        moderate, minor)."""
        where, params = ("WHERE r.site = ?", [site]) if site else ("", [])
        sql = f"""
            SELECT r.id, r.site, r.start_url, r.started_at, r.finished_at, r.status,
                   (SELECT COUNT(*) FROM pages p WHERE p.run_id = r.id) AS pages,
                   (SELECT COUNT(*) FROM pages p WHERE p.run_id = r.id AND p.status >= 200 AND p.status < 300
                       AND p.error IS NULL AND (p.content_type = '' OR p.content_type LIKE 'text/html%'
                       OR p.content_type LIKE 'application/xhtml+xml%')) AS audited,
                   (SELECT COUNT(DISTINCT f.check_id) FROM findings f WHERE f.run_id = r.id AND f.outcome = 'fail')
                       AS problems,
                   (SELECT COUNT(*) FROM findings f WHERE f.run_id = r.id AND f.outcome = 'fail'
                       AND f.severity = 'critical') AS critical,
                   (SELECT COUNT(*) FROM findings f WHERE f.run_id = r.id AND f.outcome = 'fail'
                       AND f.severity = 'serious') AS serious,
                   (SELECT COUNT(*) FROM findings f WHERE f.run_id = r.id AND f.outcome = 'fail'
                       AND f.severity = 'moderate') AS moderate,
                   (SELECT COUNT(*) FROM findings f WHERE f.run_id = r.id AND f.outcome = 'fail'
                       AND f.severity = 'minor') AS minor
            FROM runs r {where} ORDER BY r.id DESC"""
        if limit:
            sql += " LIMIT ?"
            params.append(int(limit))
        return [
            {k: (int(v) if k in ("pages", "audited", "problems", "critical", "serious", "moderate", "minor") else v)
             for k, v in dict(row).items()}
            for row in self.conn.execute(sql, tuple(params)).fetchall()
        ]


_PAGE_JSON = frozenset(("redirect_chain", "headers", "browser"))  # JSON columns of pages


class _Interner:
    """One object per distinct string, and one parsed value per distinct JSON text, while loading a run."""

    __slots__ = ("strings", "parsed")

    def __init__(self) -> None:
        self.strings: dict[str, str] = {}
        self.parsed: dict[str, Any] = {}

    def s(self, value: Any) -> Any:
        if value.__class__ is not str:
            return value
        return self.strings.setdefault(value, value)

    def json(self, text: str) -> Any:
        value = self.parsed.get(text)
        if value is None:
            value = self.parsed[text] = _intern_json(json.loads(text), self.s)
        return value


def _intern_json(value: Any, s: Any) -> Any:
    if isinstance(value, dict):
        return {s(k): _intern_json(v, s) for k, v in value.items()}
    if isinstance(value, list):
        return [_intern_json(v, s) for v in value]
    return s(value)


class _Transaction:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> None:
        self.conn.execute("BEGIN")

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        self.conn.execute("ROLLBACK" if exc_type else "COMMIT")
