"""Fixtures for the CI features: a throwaway PostgreSQL server on loopback, staging sites with logins."""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

# --- PostgreSQL ------------------------------------------------------------------------------------------------


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PgServer:
    """initdb + pg_ctl start of a cluster in a temp dir (as the `postgres` user when we are root)."""

    def __init__(self) -> None:
        self.initdb, self.pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
        self.dir = tempfile.mkdtemp(prefix="empathy-audit-pg-")
        self.data = os.path.join(self.dir, "data")
        self.port = _free_port()
        self.user = "postgres"
        self._run_as: list[str] = []
        if os.geteuid() == 0:  # initdb refuses to run as root
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                raise RuntimeError("running as root, but there is no 'postgres' user to run initdb as "
                                   "(Debian's postgresql package creates it: run scripts/bootstrap.sh)") from None
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
            self._run_as = ["runuser", "-u", "postgres", "--"]
        self._ids = itertools.count(1)

    def _run(self, *cmd: str) -> None:
        proc = subprocess.run([*self._run_as, *cmd], capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed: {proc.stderr.strip() or proc.stdout.strip()}")

    def start(self) -> "PgServer":
        self._run(self.initdb, "-D", self.data, "-U", self.user, "--auth=trust", "--encoding=UTF8",
                  "--locale=C.UTF-8", "-N")
        opts = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off"
        self._run(self.pg_ctl, "-D", self.data, "-o", opts, "-l", os.path.join(self.dir, "server.log"), "-w",
                  "-t", "60", "start")
        return self

    def stop(self) -> None:
        try:
            self._run(self.pg_ctl, "-D", self.data, "-m", "immediate", "-w", "stop")
        except Exception:  # noqa: BLE001
            pass
        shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, db: str = "postgres", password: str | None = None) -> str:
        auth = f"{self.user}:{password}" if password else self.user
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{db}"

    def new_database(self) -> str:
        import psycopg

        name = f"t{os.getpid()}_{next(self._ids)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return name


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    if not (_pg_bin("initdb") and _pg_bin("pg_ctl")):
        message = ("PostgreSQL server binaries (initdb, pg_ctl) are missing: run scripts/bootstrap.sh (it installs "
                   "Debian's postgresql package) or 'apt-get install postgresql'")
        if os.geteuid() == 0 or os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.fail("psycopg is not installed: pip install -e '.[test]'", pytrace=False)
    server = PgServer()
    try:
        server.start()
    except Exception as exc:
        server.stop()
        pytest.fail(f"could not start a throwaway PostgreSQL server: {exc}", pytrace=False)
    yield server
    server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """A fresh, empty database on the throwaway server."""
    return pg_server.url(pg_server.new_database())


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same test against both backends: a SQLite file, then a PostgreSQL database."""
    if request.param == "sqlite":
        return str(tmp_path / "history.db")
    return request.getfixturevalue("pg_url")


@pytest.fixture(autouse=True)
def _no_secrets_leak_between_tests():
    from empathy_audit.crawler.secrets import clear_secrets

    clear_secrets()
    yield
    clear_secrets()
