"""Crawl rate on the bundled demo site: empathy-audit (static only, and with browsers) against a bare Scrapy spider.

Run: .venv/bin/python bench/bench_demo.py [--repeat 3]
Every figure is measured in this run, on this machine; the baseline is a spider that only fetches pages and
follows links, with the same politeness settings (robots.txt, AutoThrottle, per-host cap), in its own process.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_scale import BARE_SPIDER  # noqa: E402  (one bare spider for every benchmark)
from empathy_audit.crawler.devserver import DEMO_SITE, serve  # noqa: E402

LOOPBACK = ["--browser-arg=--proxy-server=http://127.0.0.1:9", "--browser-arg=--host-resolver-rules=MAP * 127.0.0.1"]


def run_bare(url: str) -> tuple[int, float]:
    started = time.monotonic()
    out = subprocess.run([sys.executable, "-c", BARE_SPIDER, url], cwd=ROOT, capture_output=True, text=True,
                         check=True)
    return int(out.stdout.split()[-1]), time.monotonic() - started  # the bare spider prints its page count


def run_audit(url: str, extra: list[str]) -> tuple[int, float]:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        proc = subprocess.run(
            [sys.executable, "-m", "empathy_audit.crawler.cli", "crawl", url, "--db", os.path.join(tmp, "h.db"),
             "--out", os.path.join(tmp, "out"), "--quiet", *extra],
            cwd=ROOT, capture_output=True, text=True,
        )
        seconds = time.monotonic() - started
        if proc.returncode != 0:
            raise SystemExit(f"audit failed: {proc.stderr}")
        import sqlite3

        con = sqlite3.connect(os.path.join(tmp, "h.db"))
        pages = con.execute("SELECT COUNT(*) FROM pages WHERE status IS NOT NULL").fetchone()[0]
        return pages, seconds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-browser-rows", action="store_true")
    args = ap.parse_args()
    rows = []
    with serve(DEMO_SITE) as srv:
        url = srv.base_url + "/"
        cases = [("bare Scrapy spider (baseline)", None), ("empathy-audit --no-browser", ["--no-browser"])]
        if not args.no_browser_rows:
            cases += [("empathy-audit --browsers 1", ["--browsers", "1", "--no-screenshots", *LOOPBACK]),
                      ("empathy-audit --browsers 2", ["--browsers", "2", "--no-screenshots", *LOOPBACK])]
        for label, extra in cases:
            best = None
            for _ in range(args.repeat):
                pages, seconds = run_bare(url) if extra is None else run_audit(url, extra)
                if best is None or seconds < best[1]:
                    best = (pages, seconds)
            rows.append((label, *best))
    base_rate = rows[0][1] / rows[0][2]
    print(f"Demo site crawl rate ({platform.node()}, {os.cpu_count()} cores, best of {args.repeat}; wall time of "
          f"the whole process, including start-up)")
    print(f"{'mode':34} {'URLs':>5} {'seconds':>8} {'pages/s':>8} {'x baseline':>10}")
    for label, pages, seconds in rows:
        rate = pages / seconds
        print(f"{label:34} {pages:5d} {seconds:8.2f} {rate:8.2f} {rate / base_rate:10.2f}")


if __name__ == "__main__":
    main()
