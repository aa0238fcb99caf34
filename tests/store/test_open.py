"""Opening a history: reading commands do not wait for a crawl that is writing the same file, and a migrated
SQLite history tells an older empathy-audit that it is newer."""

from __future__ import annotations

import sqlite3
import time

from empathy_audit.crawler.store import open_store


def test_a_current_history_opens_while_a_crawl_holds_the_write_lock(tmp_path):
    db = tmp_path / "h.db"
    store = open_store(str(db))
    run = store.start_run("https://s.example", "https://s.example/", {}, {})
    store.close()
    writer = sqlite3.connect(db, isolation_level=None, timeout=0)
    writer.execute("BEGIN IMMEDIATE")  # what a crawl's page write holds for a moment (or a long one)
    try:
        t0 = time.monotonic()
        reader = open_store(str(db))  # `history` / `report` during the crawl
        assert reader.run_ids() == [run]
        reader.close()
        assert time.monotonic() - t0 < 5  # not the 30 s busy timeout
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_migrated_sqlite_history_is_above_the_last_pre_alembic_version(tmp_path):
    db = tmp_path / "h.db"
    open_store(str(db)).close()
    conn = sqlite3.connect(db)
    try:
        # The pre-Alembic code refused any history above its last version (2) as written by a newer release.
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 3
    finally:
        conn.close()
