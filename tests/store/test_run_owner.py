"""A run whose crawl process is gone is "stopped unexpectedly", never "running" forever; one whose crawl runs, or
runs on another machine, stays "running"."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys

import pytest

from empathy_audit.crawler.store import open_store
from empathy_audit.crawler.store.owner import STATUS_STOPPED, Owner

SITE = "https://s.example"


def _start_in_a_process_that_dies(db: str) -> int:
    """Start a run from another process that then exits without finishing it (what kill -9 leaves)."""
    code = ("import sys; from empathy_audit.crawler.store import open_store; "
            f"s = open_store(sys.argv[1]); print(s.start_run({SITE!r}, {SITE + '/'!r}, {{}}, {{}}))")
    out = subprocess.run([sys.executable, "-c", code, db], capture_output=True, text=True, check=True)
    return int(out.stdout)


def _set_owner(db: str, run_id: int, **changes: object) -> None:
    conn = sqlite3.connect(db)
    try:
        owner = json.loads(conn.execute("SELECT owner FROM runs WHERE id = ?", (run_id,)).fetchone()[0])
        conn.execute("UPDATE runs SET owner = ? WHERE id = ?", (json.dumps({**owner, **changes}), run_id))
        conn.commit()
    finally:
        conn.close()


def _stored_status(db: str, run_id: int) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT status FROM runs WHERE id = ?", (run_id,)).fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def db(tmp_path) -> str:
    return str(tmp_path / "h.db")


def test_a_run_whose_process_is_gone_is_stopped_unexpectedly(db):
    dead = _start_in_a_process_that_dies(db)
    store = open_store(db)
    try:
        mine = store.start_run(SITE, SITE + "/", {}, {})  # this process is alive: its run is running
        statuses = {r["id"]: r["status"] for r in store.run_summaries()}
        assert statuses == {dead: STATUS_STOPPED, mine: "running"}
        assert store.get_run(dead).status == STATUS_STOPPED
        assert store.load_run(dead).run.status == STATUS_STOPPED
        assert store.get_run(mine).status == "running"
        assert store.latest_run_id() == dead  # the newest run that is not running
        store.finish_run(mine, "finished")
        assert store.latest_run_id() == mine
        assert store.latest_run_id(site="https://other.example") is None
    finally:
        store.close()


def test_a_new_run_writes_the_stop_down_for_readers_on_other_machines(db):
    dead = _start_in_a_process_that_dies(db)
    assert _stored_status(db, dead) == "running"
    store = open_store(db)
    try:
        store.start_run(SITE, SITE + "/", {}, {})
    finally:
        store.close()
    assert _stored_status(db, dead) == STATUS_STOPPED


def test_a_reused_pid_does_not_keep_a_run_running(db):
    store = open_store(db)
    try:
        run = store.start_run(SITE, SITE + "/", {}, {})
        owner = Owner.current()
        _set_owner(db, run, start=owner.start + 1)  # our pid, but another process's start time
        assert store.get_run(run).status == STATUS_STOPPED
    finally:
        store.close()


@pytest.mark.parametrize("other", [{"host": "another-machine"}, {"boot": "another-boot"}, {"pidns": 1}])
def test_a_run_owned_elsewhere_stays_running(db, other):
    dead = _start_in_a_process_that_dies(db)
    _set_owner(db, dead, **other)
    store = open_store(db)
    try:
        assert store.get_run(dead).status == "running"
        assert store.run_summaries()[0]["status"] == "running"
        assert store.latest_run_id() is None
    finally:
        store.close()


def test_a_run_stored_before_owners_were_stays_as_stored(db):
    dead = _start_in_a_process_that_dies(db)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE runs SET owner = NULL WHERE id = ?", (dead,))
    conn.commit()
    conn.close()
    store = open_store(db)
    try:
        assert store.get_run(dead).status == "running"
    finally:
        store.close()


def test_finished_runs_keep_their_status(db):
    store = open_store(db)
    try:
        run = store.start_run(SITE, SITE + "/", {}, {})
        store.finish_run(run, "interrupted")
        _set_owner(db, run, pid=2 ** 22 + 7)  # no such process
        assert store.get_run(run).status == "interrupted"
    finally:
        store.close()
