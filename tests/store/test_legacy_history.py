"""A SQLite history written before the store used Alembic (schema in PRAGMA user_version 1 or 2) opens, is
migrated in place and keeps its runs."""

from __future__ import annotations

import sqlite3

import pytest

from empathy_audit.audits.model import Outcome, Severity
from empathy_audit.crawler.store import StoreError, open_store
from empathy_audit.crawler.store.migrate import head

# The schema SQL of the pre-Alembic crawler/storage.py, as it created histories (one script per version).
V1 = """
CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, site TEXT NOT NULL, start_url TEXT NOT NULL,
    started_at TEXT NOT NULL, finished_at TEXT, status TEXT NOT NULL, settings TEXT NOT NULL, versions TEXT NOT NULL,
    stats TEXT NOT NULL DEFAULT '{}');
CREATE INDEX runs_site ON runs(site, id);
CREATE TABLE pages (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL REFERENCES runs(id),
    url TEXT NOT NULL, final_url TEXT NOT NULL, status INTEGER, content_type TEXT NOT NULL DEFAULT '',
    depth INTEGER NOT NULL, found_via TEXT NOT NULL, referrer TEXT, sitemap_priority REAL,
    title TEXT NOT NULL DEFAULT '', inbound_links INTEGER NOT NULL DEFAULT 0, error TEXT,
    redirect_chain TEXT NOT NULL DEFAULT '[]', headers TEXT NOT NULL DEFAULT '{}', browser TEXT,
    fetched_at REAL NOT NULL, UNIQUE(run_id, url));
CREATE TABLE findings (id INTEGER PRIMARY KEY AUTOINCREMENT, run_id INTEGER NOT NULL REFERENCES runs(id),
    page_url TEXT NOT NULL, check_id TEXT NOT NULL, severity TEXT NOT NULL, outcome TEXT NOT NULL,
    selector TEXT NOT NULL, snippet TEXT NOT NULL, message TEXT NOT NULL, sources TEXT NOT NULL,
    data TEXT NOT NULL DEFAULT '{}');
CREATE INDEX findings_run ON findings(run_id, check_id);
CREATE TABLE links (run_id INTEGER NOT NULL REFERENCES runs(id), from_url TEXT NOT NULL, to_url TEXT NOT NULL,
    PRIMARY KEY (run_id, from_url, to_url)) WITHOUT ROWID;
"""
V2 = """
CREATE TABLE resources (run_id INTEGER NOT NULL REFERENCES runs(id), url TEXT NOT NULL, status INTEGER,
    content_type TEXT NOT NULL DEFAULT '', bytes INTEGER, decoded_bytes INTEGER, gzip_bytes INTEGER,
    encoding TEXT NOT NULL DEFAULT '', cache_control TEXT, expires TEXT, etag TEXT, last_modified TEXT,
    measured INTEGER NOT NULL, reason TEXT, method TEXT NOT NULL DEFAULT '', info TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (run_id, url)) WITHOUT ROWID;
CREATE TABLE page_resources (run_id INTEGER NOT NULL REFERENCES runs(id), page_url TEXT NOT NULL,
    resource_url TEXT NOT NULL, type TEXT NOT NULL, found_via TEXT NOT NULL, in_weight INTEGER NOT NULL DEFAULT 1,
    selector TEXT NOT NULL DEFAULT '', data TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (run_id, page_url, resource_url)) WITHOUT ROWID;
"""


def _old_history(path: str, version: int) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(V1 + (V2 if version >= 2 else "") + f"PRAGMA user_version={version};")
    conn.execute("INSERT INTO runs (site, start_url, started_at, finished_at, status, settings, versions, stats) "
                 "VALUES ('https://old.example', 'https://old.example/', '2025-01-01T00:00:00+00:00', "
                 "'2025-01-01T00:01:00+00:00', 'finished', '{\"AUDIT_MAX_PAGES\": 5}', '{\"scrapy\": \"2\"}', '{}')")
    conn.execute("INSERT INTO pages (run_id, url, final_url, status, depth, found_via, title, inbound_links, "
                 "fetched_at) VALUES (1, 'https://old.example/', 'https://old.example/', 200, 0, 'start', 'Old', "
                 "3, 1700000000.5)")
    conn.execute("INSERT INTO findings (run_id, page_url, check_id, severity, outcome, selector, snippet, message, "
                 "sources, data) VALUES (1, 'https://old.example/', 'image-alt', 'critical', 'fail', 'img', '<img>', "
                 "'no alt', '[\"static\"]', '{\"n\": 1}')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("version", [1, 2])
def test_an_old_sqlite_history_opens_and_keeps_its_runs(tmp_path, version):
    path = str(tmp_path / "old.db")
    _old_history(path, version)
    store = open_store(path)
    assert store.schema_version() == head()
    run, pages, findings = store.load_run(1)
    assert (run.site, run.status, run.settings) == ("https://old.example", "finished", {"AUDIT_MAX_PAGES": 5})
    assert [(p.url, p.title, p.inbound_links) for p in pages] == [("https://old.example/", "Old", 3)]
    assert [(f.check_id, f.severity, f.outcome, f.sources) for f in findings] == [
        ("image-alt", Severity.CRITICAL, Outcome.FAIL, ("static",))]
    # The migrated history takes new runs (ids go on) and the tables added since.
    new = store.start_run("https://old.example", "https://old.example/", {}, {})
    assert new == 2 and store.run_ids() == [1, 2]
    store.add_page_resources(new, "https://old.example/", [{"url": "https://old.example/a.png", "measured": True,
                                                            "bytes": 5}],
                             [{"resource_url": "https://old.example/a.png", "type": "image", "found_via": "img"}])
    assert [r.bytes for r in store.load_resources(new)] == [5]
    assert store.settle_links(new, "https://old.example/", 200, False, [], 200).waiting == []
    store.close()
    store = open_store(path)  # and opens again as it is
    assert store.run_ids() == [1, 2]
    store.close()


def test_a_history_from_a_newer_version_is_refused(tmp_path):
    path = str(tmp_path / "newer.db")
    _old_history(path, 2)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version=7")
    conn.close()
    with pytest.raises(StoreError) as exc:
        open_store(path)
    assert str(exc.value) == (f"The history database {path} was written by a newer empathy-audit (schema 7); "
                              f"upgrade.")
