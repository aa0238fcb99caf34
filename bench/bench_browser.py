"""Benchmark: a plain Selenium + axe loop against DriverPool with 1 and 2 browsers, on a generated 40-page site.

Usage: python bench/bench_browser.py [--pages 40] [--repeat 1]
Everything stays on 127.0.0.1 (dead proxy, host resolver mapped to loopback). Browser start-up is timed apart
from the audit loop; pages/s is for the loop only.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import threading
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from axe_selenium_python import Axe  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402

from audits.gather.axe import gather  # noqa: E402
from crawler.browser import BASE_ARGS, BrowserConfig, DriverPool  # noqa: E402

LOOPBACK = ("--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * 127.0.0.1")
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"


def make_site(root: Path, pages: int) -> list[str]:
    """A small shop-like site: nav, article text, a table, a form, images (some without alt), low-contrast notes."""
    names = [f"page{i:02d}.html" for i in range(pages)]
    nav = "".join(f'<li><a href="{n}">Page {i}</a></li>' for i, n in enumerate(names[:12]))
    for i, name in enumerate(names):
        rows = "".join(
            f"<tr><td>Item {i}-{r}</td><td>{r * 3} EUR</td><td><img src='data:image/gif;base64,R0lGODlhAQABAAAAACw='"
            f"{' alt=' + chr(34) + 'thumb' + chr(34) if r % 3 else ''} width='16' height='16'></td></tr>"
            for r in range(12)
        )
        paras = "".join(
            f"<p{' class=faint' if p % 4 == 0 else ''}>Paragraph {p} of page {i}. "
            + "Some ordinary words that make a page of realistic length. " * 6
            + "</p>"
            for p in range(10)
        )
        field = '<input type="email" name="email">' if i % 2 else '<label>Email <input type="email" name="email"></label>'
        html = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Page {i}</title>
<style>body{{font:16px/1.5 sans-serif;color:#222;background:#fff}} .faint{{color:#aaa}} nav li{{display:inline;margin:0 4px}}</style>
</head><body><header><nav aria-label="Main"><ul>{nav}</ul></nav></header>
<main><h1>Page {i}</h1>{paras}
<table><caption>Prices</caption><tr><th>Item</th><th>Price</th><th>Photo</th></tr>{rows}</table>
<form action="/subscribe"><h2>Newsletter</h2>{field}<button type="submit">Subscribe</button>
<button type="button" class="icon"><i class="fa fa-close"></i></button></form>
</main><footer><p>Footer of page {i}</p></footer></body></html>"""
        (root / name).write_text(html, encoding="utf-8")
    return names


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve(root: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(root)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def plain_driver() -> tuple[webdriver.Chrome, str]:
    """What a first attempt looks like: one Chrome, one loop, axe-selenium-python's inject/run."""
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="bench-chromium-")
    for a in (*BASE_ARGS, "--window-size=1280,1024", *LOOPBACK, f"--user-data-dir={profile}"):
        opts.add_argument(a)
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts), profile


def run_plain(urls: list[str], same_options: bool) -> tuple[float, float, int]:
    t0 = time.monotonic()
    driver, profile = plain_driver()
    startup = time.monotonic() - t0
    violations = 0
    cfg = BrowserConfig()
    try:
        t1 = time.monotonic()
        for url in urls:
            if same_options:  # same page load + axe options as the pool, no pool
                page = gather(driver, url, options=cfg.axe_options, script_timeout=30)
                violations += sum(len(r["nodes"]) for r in page.violations)
            else:
                driver.get(url)
                axe = Axe(driver)
                axe.inject()
                results = axe.run()
                violations += sum(len(r["nodes"]) for r in results["violations"])
        loop = time.monotonic() - t1
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    return startup, loop, violations


def run_pool(urls: list[str], browsers: int) -> tuple[float, float, int]:
    cfg = BrowserConfig(browsers=browsers, browser_args=LOOPBACK, screenshots=False)
    t0 = time.monotonic()
    pool = DriverPool(cfg).start()
    startup = time.monotonic() - t0
    todo = list(urls)
    lock = threading.Lock()
    counts: list[int] = []
    failures: list[str] = []

    def worker() -> None:
        while True:
            with lock:
                if not todo:
                    return
                url = todo.pop(0)
            result = pool.audit(url, {"127.0.0.1"})
            with lock:
                if result.error:
                    failures.append(f"{url}: {result.error}")
                counts.append(sum(1 for f in result.findings if f.outcome == "fail"))

    try:
        t1 = time.monotonic()
        threads = [threading.Thread(target=worker) for _ in range(browsers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        loop = time.monotonic() - t1
    finally:
        pool.close()
    if failures:
        print("failures:", *failures, sep="\n  ", file=sys.stderr)
    return startup, loop, sum(counts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=40)
    ap.add_argument("--repeat", type=int, default=1, help="run each mode this many times; the best loop is kept")
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-site-"))
    server = None
    try:
        names = make_site(root, args.pages)
        server, base = serve(root)
        urls = [base + n for n in names]
        modes: list[tuple[str, int, Callable[[], tuple[float, float, int]]]] = [
            ("plain Selenium + axe-selenium-python loop (baseline)", 1, lambda: run_plain(urls, False)),
            ("plain loop, our axe options (no pool)", 1, lambda: run_plain(urls, True)),
            ("DriverPool, 1 browser, 1 thread", 1, lambda: run_pool(urls, 1)),
            ("DriverPool, 2 browsers, 2 threads", 2, lambda: run_pool(urls, 2)),
        ]
        rows = []
        for label, n, fn in modes:
            best = None
            for _ in range(args.repeat):
                startup, loop, found = fn()
                if best is None or loop < best[1]:
                    best = (startup, loop, found)
            assert best is not None
            rows.append((label, n, *best))
        base_rate = len(urls) / rows[0][3]
        print(f"\n{len(urls)} pages, chromium headless, {sys.platform}, cpus={__import__('os').cpu_count()}\n")
        print(f"{'mode':54} {'browsers':>8} {'start s':>8} {'loop s':>8} {'pages/s':>8} {'x base':>7} {'fail nodes':>10}")
        for label, n, startup, loop, found in rows:
            rate = len(urls) / loop
            print(f"{label:54} {n:>8} {startup:>8.2f} {loop:>8.2f} {rate:>8.2f} {rate / base_rate:>7.2f} {found:>10}")
    finally:
        if server is not None:
            server.shutdown()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
