"""The two databases a history can live in, chosen by URL scheme: what differs between them is here (engine
options, transactions, upserts, the migration lock, error messages); every query is Store's, in SQLAlchemy Core.

- a plain path, `sqlite:///relative/path` or `sqlite:////absolute/path`: a SQLite file (WAL, so two crawls can
  write one file; each write transaction takes the write lock up front and waits up to 30 s for it);
- `postgresql://` or `postgres://`: PostgreSQL through psycopg 3 (shared history for CI runners).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.pool import StaticPool

from empathy_audit.crawler.secrets import mask, redact_url, register_secret

_PG_SCHEMES = ("postgresql://", "postgres://")
_MIGRATION_LOCK = 7_302_515_913  # pg_advisory_xact_lock key: concurrent runs migrate one at a time
BUSY_TIMEOUT_S = 30


class StoreError(Exception):
    """The database cannot be used; the message is one sentence for the user."""


class Backend:
    """One database: how to reach it and its dialect's ways. `shown` is the URL or path messages may show."""

    name = ""
    shown = ""

    def engine(self) -> sa.Engine:
        raise NotImplementedError

    def insert(self, table: sa.Table) -> Any:
        """An INSERT with on_conflict_do_update / on_conflict_do_nothing (both dialects spell them alike)."""
        raise NotImplementedError

    def lock_run(self, conn: sa.Connection, run_id: int) -> None:
        """Serialise writers of one run's shared state for the rest of the transaction."""

    def lock_migrations(self, conn: sa.Connection) -> None:
        """Serialise concurrent migrations for the rest of the transaction."""

    def reason(self, exc: BaseException) -> str:
        """An exception as the end of a one-sentence message."""
        orig = getattr(exc, "orig", None) or exc
        text = str(orig).strip()
        return mask(text.splitlines()[0] if text else type(orig).__name__)

    def open_error(self, exc: BaseException) -> StoreError:
        return StoreError(f"Cannot open the history database {self.shown}: {self.reason(exc)}.")


class SqliteBackend(Backend):
    name = "sqlite"

    def __init__(self, path: str) -> None:
        self.path = self.shown = path

    def engine(self) -> sa.Engine:
        memory = self.path in (":memory:", "")
        if not memory:
            os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
        engine = sa.create_engine(
            "sqlite+pysqlite://" + ("" if memory else "/" + os.path.abspath(self.path)),
            connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False},
            poolclass=StaticPool if memory else None,
        )

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.isolation_level = None  # transactions are begun below, not by the sqlite3 module
            dbapi_conn.execute("PRAGMA journal_mode=WAL")
            dbapi_conn.execute("PRAGMA synchronous=NORMAL")

        @event.listens_for(engine, "begin")
        def _begin(conn: sa.Connection) -> None:
            # Writers take the write lock when they begin, waiting for it (busy timeout) instead of failing when
            # another crawl committed since their first read.
            conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get("readonly") else "BEGIN IMMEDIATE")

        return engine

    def insert(self, table: sa.Table) -> Any:
        return sqlite.insert(table)


class PostgresBackend(Backend):
    name = "postgresql"

    def __init__(self, url: str) -> None:
        self.url = url
        self.shown = redact_url(url)
        password = re.match(r"^[a-z]+://[^:/@]*:([^@]*)@", url)
        if password:
            register_secret(unquote(password.group(1)))

    def engine(self) -> sa.Engine:
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise StoreError("PostgreSQL histories need the postgres extra: pip install 'empathy-audit[postgres]'.") \
                from None
        return sa.create_engine("postgresql+psycopg://" + self.url.split("://", 1)[1],
                                connect_args={"connect_timeout": 15}, pool_pre_ping=False)

    def insert(self, table: sa.Table) -> Any:
        return postgresql.insert(table)

    def lock_run(self, conn: sa.Connection, run_id: int) -> None:
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:a, :b)"), {"a": 7302, "b": int(run_id)})

    def lock_migrations(self, conn: sa.Connection) -> None:
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATION_LOCK})


_SCHEMES: dict[str, Callable[[str], Backend]] = {
    "postgresql": PostgresBackend,
    "postgres": PostgresBackend,
    "sqlite": lambda url: SqliteBackend(_sqlite_path(url)),
}


def _sqlite_path(url: str) -> str:
    rest = url.split("://", 1)[1]
    if not rest.startswith("/"):
        raise StoreError(f"The history database URL {url} is not a SQLite URL: write sqlite:///relative/path or "
                         f"sqlite:////absolute/path.")
    return rest[1:] or ":memory:"


def backend_for(url_or_path: Any) -> Backend:
    """The backend a --db value names: a plain path is a SQLite file; otherwise its URL scheme says."""
    text = os.fspath(url_or_path) if not isinstance(url_or_path, str) else url_or_path
    m = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*)://", text)
    if m is None:
        return SqliteBackend(text)
    scheme = m.group(1).lower().split("+", 1)[0]
    make = _SCHEMES.get(scheme)
    if make is None:
        raise StoreError(f"The history database {redact_url(text)} has an unknown scheme ({m.group(1)}://): give a "
                         f"file path, a sqlite:/// URL or a postgresql:// URL.")
    return make(text)
