"""Ctrl-C as a user presses it: the first SIGINT stops auditing at once (pages in flight finish, the report is written
from what was audited, exit 130); the second quits at once, keeping what was stored. The CLI runs as a subprocess on
sites served on 127.0.0.1; the history is read while it runs, as another process would."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from empathy_audit.crawler.devserver import serve
from tests.helpers import LOOPBACK_BROWSER_ARGS, ROOT

STOPPING = "empathy-audit: stopping after the pages in progress (press Ctrl-C again to quit at once)..."


def _page(req, delay: float = 0.0) -> None:
    """An endless site: every page links to five more; each answer waits `delay` seconds."""
    time.sleep(delay)
    n = int("".join(c for c in req.path if c.isdigit()) or 0)
    links = "".join(f'<li><a href="/p/{n * 5 + k}">Page {n * 5 + k}</a></li>' for k in range(1, 6))
    body = (f'<!doctype html><html lang="en"><head><title>Page {n}</title></head><body><main><h1>Page {n}</h1>'
            f'<ul>{links}</ul></main></body></html>').encode()
    req.send_response(200)
    req.send_header("Content-Type", "text/html")
    req.send_header("Content-Length", str(len(body)))
    req.end_headers()
    req.wfile.write(body)


def _stored(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM pages").fetchone()[0]
    except sqlite3.OperationalError:  # not created yet
        return 0


def _status(db: Path) -> str:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
        return conn.execute("SELECT status FROM runs ORDER BY id DESC").fetchone()[0]


def _start(tmp_path: Path, url: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "empathy_audit.crawler.cli", "crawl", url, "--db", str(tmp_path / "h.db"), "--out",
         str(tmp_path / "out"), "--no-sitemaps", "--max-pages", "400", *args],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "EMPATHY_AUDIT_PROGRESS_INTERVAL": "1"})


def _wait_for_pages(proc: subprocess.Popen, db: Path, n: int, timeout: float = 240) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        stored = _stored(db)
        if stored >= n:
            return stored
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.2)
    proc.kill()
    raise AssertionError(f"fewer than {n} pages stored after {timeout} s")


def _interrupt(proc: subprocess.Popen, db: Path, after: int, timeout: float = 120) -> tuple[int, str, str, float]:
    """Ctrl-C once `after` pages are stored: (pages stored then, stdout, stderr, seconds the process took to end)."""
    at_signal = _wait_for_pages(proc, db, after)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=timeout)
    return at_signal, out, err, time.monotonic() - sent


def _descendants(pid: int) -> set[int]:
    out, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == parent and int(entry) not in out:
                    out.add(int(entry))
                    todo.append(int(entry))
    return out


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_first_ctrl_c_stops_a_static_crawl_and_reports_what_was_audited(tmp_path):
    db = tmp_path / "h.db"
    with serve(None, routes={"*": lambda req: _page(req, 0.3)}) as srv:
        proc = _start(tmp_path, srv.base_url + "/p/0", "--no-browser", "--no-media", "--concurrency", "2")
        at_signal, out, err, took = _interrupt(proc, db, 6)
    assert proc.returncode == 130, err
    assert took < 10, f"took {took:.1f} s to stop"
    assert err.count(STOPPING) == 1 and "Traceback" not in err
    final = _stored(db)
    assert at_signal <= final <= at_signal + 4  # at most the requests and pages in flight (2 + 2)
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["run"]["status"] == "interrupted" and len(report["pages"]) == final
    assert str(tmp_path / "out" / "report.html") in out


@pytest.mark.browser
def test_first_ctrl_c_stops_browser_audits_of_pages_already_fetched(tmp_path):
    """Fetching is fast and auditing slow: pages pile up waiting for the browser. None of them is audited after the
    first Ctrl-C but the ones in the browser (before, Scrapy's own stop audited every fetched page: 17 -> 47)."""
    db = tmp_path / "h.db"
    with serve(None, routes={"*": _page}) as srv:
        proc = _start(tmp_path, srv.base_url + "/p/0", "--browsers", "1", "--no-screenshots", "--no-keyboard",
                      "--sample", "off", *[f"--browser-arg={a}" for a in LOOPBACK_BROWSER_ARGS])
        at_signal, out, err, took = _interrupt(proc, db, 3)
    assert proc.returncode == 130, err
    final = _stored(db)
    assert final <= at_signal + 2, (at_signal, final)  # the page in the browser, and one that had just finished
    assert took < 30, f"took {took:.1f} s to stop"
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert len(report["pages"]) == final and report["run"]["status"] == "interrupted"
    assert all((p.get("browser") or {}).get("audited") for p in report["pages"])  # no page cut short is kept
    assert err.count(STOPPING) == 1 and "Traceback" not in err


@pytest.mark.browser
def test_second_ctrl_c_quits_at_once_and_keeps_what_was_stored(tmp_path):
    db = tmp_path / "h.db"
    with serve(None, routes={"*": _page}) as srv:
        proc = _start(tmp_path, srv.base_url + "/p/0", "--browsers", "1", "--no-screenshots",
                      *[f"--browser-arg={a}" for a in LOOPBACK_BROWSER_ARGS])
        at_signal = _wait_for_pages(proc, db, 2)
        children = _descendants(proc.pid)
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        time.sleep(0.3)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        took = time.monotonic() - sent
    assert proc.returncode == 130, err
    assert took < 12, f"took {took:.1f} s to quit"
    assert _stored(db) >= at_signal and _status(db) == "interrupted"  # nothing stored is lost
    assert "quitting now" in err and "Traceback" not in err
    assert f"'empathy-audit report 1' writes its report" in err
    assert children and not [pid for pid in children if _alive(pid)]  # chromedriver and Chromium are gone


def test_ctrl_c_before_the_first_page_is_an_interruption_not_an_error(tmp_path):
    with serve(None, routes={"*": lambda req: _page(req, 2.0)}) as srv:
        proc = _start(tmp_path, srv.base_url + "/p/0", "--no-browser", "--no-media")
        first = proc.stderr.readline()
        assert first.startswith("Crawling "), first
        time.sleep(0.5)  # the start page is on its way
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.endswith("empathy-audit: interrupted before any page was audited (run 1).\n"), err
    assert "was not crawled" not in err and "Traceback" not in err
