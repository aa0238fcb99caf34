"""Bring a history database to the current schema with Alembic, when it is opened (no alembic.ini needed).

Histories written before Alembic kept their schema version in PRAGMA user_version (SQLite) or a schema_version
table (PostgreSQL): versions 1 and 2 are the revisions 0001 and 0002 here, so such a history is stamped with its
revision first and keeps its runs.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from empathy_audit.crawler.store.backends import Backend, StoreError

MIGRATIONS = Path(__file__).with_name("migrations")
LEGACY_REVISIONS = {1: "0001", 2: "0002"}  # pre-Alembic schema version -> revision


@lru_cache(maxsize=1)
def _script() -> ScriptDirectory:
    return ScriptDirectory(str(MIGRATIONS))


def head() -> str:
    return str(_script().get_current_head())


def current(conn: sa.Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def _legacy_version(conn: sa.Connection, backend: Backend) -> int:
    if backend.name == "sqlite":
        return int(conn.exec_driver_sql("PRAGMA user_version").scalar() or 0)
    if not sa.inspect(conn).has_table("schema_version"):
        return 0
    return int(conn.execute(sa.text("SELECT version FROM schema_version")).scalar() or 0)


def upgrade(conn: sa.Connection, backend: Backend) -> None:
    """Migrate the database `conn` is open on (inside its transaction) to the head revision."""
    backend.lock_migrations(conn)
    rev = current(conn)
    if rev == head():
        return
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    if rev is not None and rev not in {s.revision for s in _script().walk_revisions()}:
        raise StoreError(f"The history database {backend.shown} was written by a newer empathy-audit "
                         f"(schema {rev}); upgrade.")
    legacy = _legacy_version(conn, backend) if rev is None else 0
    if legacy > max(LEGACY_REVISIONS):
        raise StoreError(f"The history database {backend.shown} was written by a newer empathy-audit "
                         f"(schema {legacy}); upgrade.")
    quiet = logging.getLogger("alembic")
    level = quiet.level
    quiet.setLevel(logging.WARNING)  # "Running upgrade ..." is not news for someone running a crawl
    try:
        if legacy:
            command.stamp(config, LEGACY_REVISIONS[legacy])
        command.upgrade(config, "head")
        if backend.name == "sqlite":
            # Above the last pre-Alembic version: an older empathy-audit refuses this history ("written by a
            # newer empathy-audit") instead of running its own migrations on it.
            conn.exec_driver_sql(f"PRAGMA user_version = {max(LEGACY_REVISIONS) + 1}")
    finally:
        quiet.setLevel(level)
