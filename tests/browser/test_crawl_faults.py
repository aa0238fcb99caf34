"""Faults in the middle of a real `empathy-audit crawl`: a Chromium killed under the crawl, a page that hangs the browser.

Whatever happens to the browser, the crawl finishes and every HTML page ends up in the history with either a browser
result or an `audit failed: <reason>` record; nothing is lost and nothing unaudited passes.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

import pytest

from empathy_audit.crawler.browser.processes import cmdline, descendants
from empathy_audit.crawler.devserver import serve
from empathy_audit.crawler.store import Store
from tests.helpers import LOOPBACK_BROWSER_ARGS, ROOT

pytestmark = pytest.mark.browser

PAGES = [f"/page{i:02d}.html" for i in range(1, 12)]  # + "/" and the hanging page: 13 HTML pages
HANG = "/spinner.html"
DELAY = 0.4  # seconds before each page answers (Scrapy and the browser both wait)


def _page(title: str, links: list[str], extra: str = "") -> bytes:
    nav = "".join(f'<li><a href="{href}">{href.strip("/") or "Home"}</a></li>' for href in links)
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>.faint{{color:#bbb}}</style></head><body><nav aria-label="Site"><ul>{nav}</ul></nav>
<main><h1>{title}</h1><p>Ordinary text on {title}.</p><p class="faint">Too faint to read.</p>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" width="20" height="20">
<form><input type="text" name="q"><button type="submit">Search</button></form>{extra}</main></body></html>
""".encode()


def _slow(body: bytes) -> Callable:
    def handler(req) -> None:
        time.sleep(DELAY)
        req.send_response(200)
        req.send_header("Content-Type", "text/html; charset=utf-8")
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    return handler


def _site() -> dict[str, Callable]:
    routes = {"/": _slow(_page("Home", PAGES))}
    for i, path in enumerate(PAGES):
        links = ["/", *PAGES[max(0, i - 1): i + 2]] + ([HANG] if path == PAGES[-1] else [])
        routes[path] = _slow(_page(f"Page {i + 1}", links))
    # Loads fine, then its script never gives the renderer back: every WebDriver command on it times out.
    routes[HANG] = _slow(_page("Spinner", ["/"], "<script>window.addEventListener('load', function () {"
                                                 " setTimeout(function () { while (true) {} }, 50); });</script>"))
    return routes


def _crawl(url: str, tmp_path: Path, *extra: str) -> subprocess.Popen:
    args = [sys.executable, "-m", "empathy_audit.crawler.cli", "crawl", url, "--out", str(tmp_path / "out"),
            "--db", str(tmp_path / "h.db"), "--browsers", "1", "--no-sitemaps", "--timeout", "10",
            "--no-screenshots", *[f"--browser-arg={a}" for a in LOOPBACK_BROWSER_ARGS], *extra]
    return subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _chromium_main_pids(root: int) -> list[int]:
    """Chromium browser processes (not renderers, GPU or zygotes) below the crawl's process."""
    out = []
    for pid in descendants(root):
        cmd = cmdline(pid)
        if cmd and "chromium" in Path(cmd[0]).name and not any(a.startswith("--type=") for a in cmd):
            out.append(pid)
    return out


def _audited_so_far(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            row = conn.execute("SELECT COUNT(*) FROM pages WHERE browser LIKE '%\"audited\": true%'").fetchone()
        finally:
            conn.close()
        return int(row[0])
    except sqlite3.Error:
        return 0


def test_chromium_killed_mid_crawl_and_a_hanging_page_lose_nothing(tmp_path):
    with serve(str(tmp_path), routes=_site()) as server:
        proc = _crawl(server.base_url + "/", tmp_path)
        killed: list[int] = []
        try:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and proc.poll() is None:
                # Kill once a few pages have been audited, so the crawl is well under way and has more to do.
                if _audited_so_far(tmp_path / "h.db") >= 3:
                    pids = _chromium_main_pids(proc.pid)
                    if pids:
                        os.kill(pids[0], signal.SIGKILL)
                        killed.append(pids[0])
                        break
                time.sleep(0.1)
            stdout, stderr = proc.communicate(timeout=400)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.communicate()
    assert killed, f"no Chromium to kill under the crawl (pid {proc.pid}): {stderr[-3000:]}"
    store = Store(str(tmp_path / "h.db"))
    run, pages, _ = store.load_run(store.run_ids()[-1])
    store.close()
    assert run.status == "finished", stderr[-3000:]
    html = {p.url.removeprefix(server.base_url): p for p in pages if p.content_type.startswith("text/html")}
    assert set(html) == {"/", *PAGES, HANG}, sorted(html)  # no page is missing
    for path, page in html.items():
        b = page.browser
        assert b is not None, path
        assert b["audited"] is True or (b["audited"] is False and b["error"].startswith("audit failed: ")), (path, b)
    # the page that hangs the browser is recorded as not audited, with the reason; never as a pass
    hang = html[HANG].browser
    # (where the loop catches the browser decides the words: during the load, axe's run or a later command)
    assert hang["audited"] is False, hang
    assert any(why in hang["error"] for why in ("hung", "stopped responding", "did not finish")), hang
    # every other page was audited, the one under the killed browser on a fresh browser
    assert all(p.browser["audited"] for path, p in html.items() if path != HANG), [
        (path, p.browser["error"]) for path, p in html.items() if not p.browser["audited"]]
    assert run.stats["audit/browser_replaced"] >= 2  # the killed one, and the one the hanging page took down
    assert run.stats["audit/browser_pages"] == len(html) - 1
    assert run.stats["audit/browser_failed"] == 1
    assert proc.returncode == 0, stderr[-3000:]  # and the report was written
    assert (tmp_path / "out" / "report.json").exists()
