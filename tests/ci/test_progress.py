"""Progress: a live line on a terminal, plain periodic lines in CI logs, nothing with --quiet."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
import time
from types import SimpleNamespace

from scrapy.settings import Settings

from empathy_audit.crawler.devserver import serve
from empathy_audit.crawler.progress import Progress
from tests.helpers import FIXTURE_SITES, ROOT, run_cli


class _Stats:
    def __init__(self, **values):
        self.values = values

    def get_value(self, key, default=None):
        return self.values.get(key, default)


def _crawler(stop=None, **settings):
    spider = SimpleNamespace(pages_scheduled=12)
    return SimpleNamespace(settings=Settings({"AUDIT_PROGRESS": True, "AUDIT_STOP": stop, **settings}),
                           stats=_Stats(**{"audit/pages_audited": 3, "audit/pages_stored": 4}), spider=spider)


def test_counts_and_both_display_modes():
    crawler = _crawler()
    plain = io.StringIO()
    p = Progress(crawler, stream=plain, live=False, interval=10)
    page = SimpleNamespace(meta={"page_url": "u"})
    for _ in range(5):
        p.response_received(None, page)
    p.response_received(None, SimpleNamespace(meta={}))  # robots.txt, sitemaps: not pages
    p.item_scraped(SimpleNamespace(status=None, error="refused", browser=None))  # failed fetch: crawled + error
    p.item_scraped(SimpleNamespace(status=404, error=None, browser=None))
    p.item_scraped(SimpleNamespace(status=200, error=None, browser={"audited": False}))
    p.item_scraped(SimpleNamespace(status=200, error=None, browser={"audited": True}))
    p.item_scraped(SimpleNamespace(status=200, error=None, browser={"audited": False, "inferred": True}))  # not one
    assert p.counts() == {"found": 12, "crawled": 6, "audited": 3, "queued": 6, "auditing": 2, "stored": 4,
                          "errors": 3}
    p.tick()
    assert plain.getvalue().startswith("empathy-audit: progress: crawling: 12 found, 6 crawled, 3 audited, 6 queued, "
                                       "2 being audited, 3 errors (")
    assert plain.getvalue().endswith(")\n")
    live = io.StringIO()
    p = Progress(crawler, stream=live, live=True)
    p.tick()
    p.spider_closed(reason="finished")
    text = live.getvalue()
    assert text.startswith("\rCrawling: 12 found") and text.endswith("\n") and text.count("\r") == 2


def test_phase_and_time_left_from_the_recent_rate():
    stop = SimpleNamespace(requested=False)
    crawler = _crawler(stop=stop, AUDIT_MAX_PAGES=100)
    p = Progress(crawler, stream=io.StringIO(), live=False, interval=10)
    counts = {"found": 60, "crawled": 60, "audited": 10, "queued": 0, "auditing": 50, "stored": 10, "errors": 0}
    assert p.phase(counts) == "auditing"  # all fetched: the browser's queue is what is left
    assert p.left(counts, 100.0) is None  # no rate yet
    assert p.left({**counts, "stored": 12, "auditing": 48}, 104.0) is None  # watched for less than 5 s
    assert p.left({**counts, "stored": 20, "auditing": 40}, 110.0) == 40  # 10 pages in 10 s: 40 s for 40
    crawling = {**counts, "crawled": 30, "queued": 400, "auditing": 20, "stored": 30}
    assert p.phase(crawling) == "crawling"
    assert p.left(crawling, 120.0) == 70 / 1  # 20 pages in 20 s; queued is capped by --max-pages: 100 - 30
    stop.requested = True
    assert p.phase(crawling) == "stopping" and p.left(crawling, 130.0) == 20 / (30 - 10) * 30  # only those in audit


def _slow_index(req):
    time.sleep(1.5)  # long enough for a few progress updates
    body = b'<!doctype html><html lang="en"><title>Slow</title><a href="/index.html">home</a></html>'
    req.send_response(200)
    req.send_header("Content-Type", "text/html")
    req.send_header("Content-Length", str(len(body)))
    req.end_headers()
    req.wfile.write(body)


def test_plain_lines_when_not_a_terminal_and_none_with_quiet(tmp_path):
    with serve(str(FIXTURE_SITES / "crawl"), routes={"/": _slow_index}) as srv:
        args = ("crawl", srv.base_url + "/", "--db", str(tmp_path / "h.db"), "--out", str(tmp_path / "out"),
                "--no-browser", "--max-pages", "4")
        res = run_cli(*args, env={"EMPATHY_AUDIT_PROGRESS_INTERVAL": "0.3"})
        quiet = run_cli(*args, "--quiet", env={"EMPATHY_AUDIT_PROGRESS_INTERVAL": "0.3"})
    assert res.code == 0, res.stderr
    lines = [line for line in res.stderr.splitlines() if line.startswith("empathy-audit: progress: ")]
    assert len(lines) >= 2 and "\r" not in res.stderr
    assert all(" found, " in line and " queued, " in line for line in lines)
    assert lines[0].startswith("empathy-audit: progress: crawling: ")
    assert "Writing the report of 4 URLs..." in res.stderr
    assert quiet.code == 0 and "progress" not in quiet.stderr.lower() and "\r" not in quiet.stderr


def test_live_line_on_a_terminal(tmp_path):
    master, slave = pty.openpty()
    with serve(str(FIXTURE_SITES / "crawl"), routes={"/": _slow_index}) as srv:
        proc = subprocess.Popen(
            [sys.executable, "-m", "empathy_audit.crawler.cli", "crawl", srv.base_url + "/", "--db", str(tmp_path / "h.db"),
             "--out", str(tmp_path / "out"), "--no-browser", "--max-pages", "4"],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL)
        os.close(slave)
        seen = b""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(master, 4096)
                except OSError:
                    break
                if not chunk:
                    break
                seen += chunk
            elif proc.poll() is not None:
                break
        proc.wait(timeout=60)
        os.close(master)
    text = seen.decode("utf-8", "replace")
    assert proc.returncode == 0, text
    assert "\rCrawling: " in text and text.count("\rCrawling: ") >= 2  # redrawn in place
    assert "empathy-audit: progress:" not in text
    after = text[text.rindex("\rCrawling: "):]
    assert "\n" in after and "Run 1" in after.split("\n", 1)[1]  # the summary starts on a fresh line
