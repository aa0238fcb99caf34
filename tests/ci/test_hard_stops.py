"""A crawl stopped by SIGKILL leaves no browser behind and an honest history; a later crawl sweeps the browsers a
crawl that is gone left running (found by our marker, never by name) and nobody else's. The CLI runs as a
subprocess on sites served on 127.0.0.1, as a user runs it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from empathy_audit.crawler.devserver import serve
from tests.ci.test_interrupt import _page
from tests.helpers import LOOPBACK_BROWSER_ARGS, ROOT, run_cli

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
MARKER = "--empathy-audit-owner="
BROWSER_ARGS = [f"--browser-arg={a}" for a in LOOPBACK_BROWSER_ARGS]


def _slow_page(req) -> None:
    """An endless slow site: every page links to five more and answers after a second."""
    _page(req, 1.0)


# --- /proc, read here independently of crawler/browser/processes.py ------------------------------------------------


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rsplit(")", 1)[1].split()


def _start_time(pid: int) -> int | None:
    fields = _stat(pid)
    return int(fields[19]) if fields else None


def _running(proc: tuple[int, int]) -> bool:
    """(pid, start time) is still the same process, and not a zombie."""
    fields = _stat(proc[0])
    return fields is not None and fields[0] not in ("Z", "X") and int(fields[19]) == proc[1]


def _pids() -> list[int]:
    return [int(e) for e in os.listdir("/proc") if e.isdigit()]


def _tree(pid: int) -> set[tuple[int, int]]:
    """(pid, start time) of every process below pid."""
    parents = {p: int(f[1]) for p in _pids() if (f := _stat(p))}
    out, todo = set(), [pid]
    while todo:
        parent = todo.pop()
        for child, ppid in parents.items():
            if ppid == parent and (started := _start_time(child)) is not None and (child, started) not in out:
                out.add((child, started))
                todo.append(child)
    return out


def _args(pid: int) -> list[str]:
    try:
        return [a.decode() for a in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0") if a]
    except OSError:
        return []


def _renderers(pid: int) -> list[int]:
    """Chromium's renderer processes below pid (a child's title is one string: Chromium rewrites it)."""
    return [p for p, _ in _tree(pid) if "--type=renderer" in " ".join(_args(p))]


def _marked_by(owner: int) -> set[tuple[int, int]]:
    """Running processes whose command line or environment names crawl `owner` in our marker."""
    found = set()
    for pid in _pids():
        try:
            env = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        except OSError:
            env = []
        if (any(a.startswith(f"{MARKER}{owner}-") for a in _args(pid))
                or any(e.startswith(f"EMPATHY_AUDIT_OWNER={owner}-".encode()) for e in env)):
            started = _start_time(pid)
            if started is not None and _running((pid, started)):
                found.add((pid, started))
    return found


def _wait(what, timeout: float, proc: subprocess.Popen | None = None, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = what()
        if value:
            return value
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"the crawl ended early: {proc.communicate()}")
        time.sleep(interval)
    return what()


# --- crawls ---------------------------------------------------------------------------------------------------------


def _crawl(tmp_path: Path, url: str, *args: str) -> subprocess.Popen:
    tmp_path.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [sys.executable, "-m", "empathy_audit.crawler.cli", "crawl", url, "--db", str(tmp_path / "h.db"),
         "--out", str(tmp_path / "out"), "--no-sitemaps", "--max-pages", "400", "--no-screenshots", "--sample", "off",
         *BROWSER_ARGS, *args],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _browsers_of(proc: subprocess.Popen, n: int) -> set[tuple[int, int]]:
    """The crawl's browser processes once `n` chromedrivers and `n` Chromium browsers (with their renderers) run."""
    def ready() -> set[tuple[int, int]]:
        marked = _marked_by(proc.pid)
        names = [Path(_args(p)[0]).name if _args(p) else "" for p, _ in marked]
        if names.count("chromedriver") >= n and names.count("chromium") >= n and len(_renderers(proc.pid)) >= n:
            return _tree(proc.pid)
        return set()

    tree = _wait(ready, 120, proc)
    assert tree, f"the crawl's {n} browsers did not start: {_marked_by(proc.pid)}"
    return tree


def _history(db: Path) -> dict[int, str]:
    res = run_cli("history", "--db", str(db))
    assert res.code == 0, res.stderr
    out = {}
    for line in res.stdout.splitlines()[1:]:
        cells = line.split()
        if cells and cells[0].isdigit():
            out[int(cells[0])] = "stopped unexpectedly" if "stopped unexpectedly" in line else cells[3]
    return out


def test_kill_9_of_a_crawl_kills_its_browsers_and_the_history_says_it_stopped(tmp_path):
    db = tmp_path / "h.db"
    with serve(None, routes={"*": _slow_page}) as srv:
        crawl = _crawl(tmp_path, srv.base_url + "/p/0", "--browsers", "2")
        try:
            browsers = _browsers_of(crawl, 2)
        finally:
            crawl.kill()  # SIGKILL: no handler runs, nothing is closed
            crawl.wait()
        killed = time.monotonic()
        # chromedriver, Chromium and Chromium's own children (zygotes, renderers, GPU, network) all die with it,
        # and so do the crash handlers Chromium started outside its tree (they carry the marker)
        gone = _wait(lambda: not _marked_by(crawl.pid) and not any(_running(p) for p in browsers), 10)
        assert gone, ([(p, _args(p[0])[:1]) for p in browsers if _running(p)], _marked_by(crawl.pid))
        print(f"every browser process was gone {time.monotonic() - killed:.1f} s after kill -9")
    assert len(browsers) >= 8  # 2 x (chromedriver, browser, zygote, renderer): the test saw what it killed
    assert _history(db) == {1: "stopped unexpectedly"}
    res = run_cli("report", "latest", "--db", str(db), "--out", str(tmp_path / "report"))
    assert res.code in (0, 1), res.stderr  # the partial run is reported (not a run that is still "running")


def _orphan_chromium(marker: str | None, profile: str) -> tuple[int, int]:
    """A headless Chromium whose parent is gone (reparented, as a killed crawl leaves its browsers), with our marker
    (None: without it): (pid, start time) of its browser process."""
    args = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", f"--user-data-dir={profile}",
            *LOOPBACK_BROWSER_ARGS, *([f"{MARKER}{marker}"] if marker else []), "about:blank"]
    out = subprocess.run(["sh", "-c", 'setsid "$@" >/dev/null 2>&1 </dev/null & echo $!', "sh", CHROMIUM, *args],
                         capture_output=True, text=True, check=True, timeout=30).stdout
    pid = int(out)
    started = _wait(lambda: _start_time(pid), 5)
    assert started is not None
    assert _wait(lambda: _renderers(pid), 60), "the planted Chromium did not start"
    return pid, started


def _dead_marker() -> str:
    """A marker whose crawl is gone: a process that ran here and exited."""
    gone = subprocess.Popen(["sleep", "0.1"])
    started = _start_time(gone.pid)
    gone.wait()
    return f"{gone.pid}-{started}-{os.stat('/proc/self/ns/pid').st_ino}"


def test_a_crawl_sweeps_orphans_of_gone_crawls_and_nobody_elses_browsers(tmp_path):
    profiles = [tempfile.mkdtemp(prefix="empathy-audit-test-") for _ in range(4)]
    ns = os.stat("/proc/self/ns/pid").st_ino
    me, started = os.getpid(), _start_time(os.getpid())
    planted: list[tuple[int, int]] = []
    try:
        orphan = _orphan_chromium(_dead_marker(), profiles[0])  # left by a crawl that is gone
        planted.append(orphan)
        reused = _orphan_chromium(f"{me}-{started - 1}-{ns}", profiles[1])  # its crawl's pid now runs another process
        planted.append(reused)
        orphan_tree = _tree(orphan[0]) | {orphan} | _tree(reused[0]) | {reused}
        live = _orphan_chromium(f"{me}-{started}-{ns}", profiles[2])  # its crawl (this test) runs
        planted.append(live)
        unmarked = _orphan_chromium(None, profiles[3])  # someone else's browser, orphaned too: never ours to kill
        planted.append(unmarked)
        with serve(None, routes={"*": _slow_page}) as srv:
            first = _crawl(tmp_path / "a", srv.base_url + "/p/0", "--browsers", "2")
            try:
                _browsers_of(first, 2)  # its start swept the orphan already
                # chromedriver, Chromium's browser process and its crash handlers (renderers come and go by themselves)
                first_browsers = _marked_by(first.pid)
                # a second crawl at the same time: its sweep must not touch the first one's browsers
                second = _crawl(tmp_path / "b", srv.base_url + "/p/0", "--browsers", "1", "--max-pages", "2")
                _, err = second.communicate(timeout=240)
                assert second.returncode in (0, 1), err
                assert {(p, _args(p[0])[:1]) for p in first_browsers if not _running(p)} == set()
                assert first.poll() is None
            finally:
                first.kill()
                first.wait()
        assert {p for p in orphan_tree if _running(p)} == set()
        assert _running(live) and _running(unmarked)
    finally:
        for pid, started in planted:
            if _running((pid, started)):
                os.kill(pid, signal.SIGKILL)
        for profile in profiles:
            subprocess.run(["rm", "-rf", profile], check=False)
