"""Benchmark: browser-audited pages per second of a full `empathy-audit crawl`, next to plain Selenium + axe.

Usage: python bench/bench_browser.py [--pages 60] [--repeat 2] [--screenshots] [--quick] [--json PATH]
(`make bench` runs it; BENCH_ARGS="--screenshots" adds the screenshot row.)

On a generated site served on 127.0.0.1 (nothing leaves loopback: dead proxy, host resolver mapped to loopback):

* baseline: plain Selenium + axe-selenium-python in a loop, no crawler, the stock way
  (`driver.get(url); axe = Axe(driver); axe.inject(); axe.run()`), one Chromium; and the same loop in two threads
  with two Chromiums, which is what two browsers can give on this machine without any crawler;
* the browser work of a crawl without the crawler: a loop of empathy-audit's own `gather()` (same axe options,
  same Chromium flags), which separates the crawler's overhead from the difference in axe configuration;
* the product: `empathy-audit crawl URL --browsers 1` and `--browsers 2` in a subprocess, as a user runs it (fetch,
  robots.txt, static checks, axe in the browser pool, SQLite history, HTML + JSON report). Screenshots are off
  unless --screenshots is given;
* `--no-browser`: the same crawl with static checks only, which is the crawler's own share of the work.

Every time is wall clock from start to end, browser start-up and report writing included (the baseline's too:
start Chromium, audit, quit). pages/s counts pages the browser audited. CPU is what each kind of process used, read
from /proc while it ran, in CPU-seconds, with the whole machine's busy share next to it: on 2 cores, 2 browsers
cannot go faster once the machine is busy all the time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from axe_selenium_python import Axe  # noqa: E402
from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402

from empathy_audit.audits.gather.axe import axe_options, gather  # noqa: E402
from empathy_audit.crawler.browser import BASE_ARGS, JS_FLAGS  # noqa: E402

LOOPBACK = ("--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * 127.0.0.1")
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
TICK = os.sysconf("SC_CLK_TCK")


# --- the site -----------------------------------------------------------------------------------------------------


def make_site(root: Path, pages: int) -> list[str]:
    """A shop-like site: nav, article text, a price table, a form, images (some without alt), low-contrast notes.

    index.html links to every page; each page links to its neighbours, so a crawl from index.html finds them all.
    """
    names = ["index.html"] + [f"page{i:02d}.html" for i in range(1, pages)]
    for i, name in enumerate(names):
        links = names[1:] if i == 0 else [names[0], *names[max(1, i - 5): i + 6]]
        nav = "".join(f'<li><a href="{n}">Page {names.index(n)}</a></li>' for n in links if n != name)
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
        field_ = '<input type="email" name="email">' if i % 2 else '<label>Email <input type="email" name="email"></label>'
        html = f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Page {i}</title>
<style>body{{font:16px/1.5 sans-serif;color:#222;background:#fff}} .faint{{color:#aaa}} nav li{{display:inline;margin:0 4px}}</style>
</head><body><header><nav aria-label="Main"><ul>{nav}</ul></nav></header>
<main><h1>Page {i}</h1>{paras}
<table><caption>Prices</caption><tr><th>Item</th><th>Price</th><th>Photo</th></tr>{rows}</table>
<form action="/subscribe"><h2>Newsletter</h2>{field_}<button type="submit">Subscribe</button>
<button type="button" class="icon"><i class="fa fa-close"></i></button></form>
</main><footer><p>Footer of page {i}</p></footer></body></html>"""
        (root / name).write_text(html, encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    return names


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve(root: Path) -> tuple[ThreadingHTTPServer, str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(root)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


# --- CPU accounting -----------------------------------------------------------------------------------------------


def _stat(pid: int) -> tuple[int, float] | None:
    """(ppid, CPU seconds) of a process."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            s = fh.read().decode("utf-8", "replace")
    except OSError:
        return None
    f = s[s.rfind(")") + 2:].split()
    return int(f[1]), (int(f[11]) + int(f[12])) / TICK


def _kind(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            cmd = [a.decode("utf-8", "replace") for a in fh.read().split(b"\0") if a]
    except OSError:
        return "gone"
    if not cmd:
        return "gone"
    if len(cmd) == 1 and " " in cmd[0]:  # Chromium rewrites its child processes' titles into one string
        cmd = cmd[0].split()
    exe = Path(cmd[0]).name
    if "chromedriver" in exe:
        return "chromedriver"
    if "chrom" in exe:
        typ = next((a.split("=", 1)[1] for a in cmd if a.startswith("--type=")), "")
        return {"": "chromium (browser)", "renderer": "chromium (renderer)", "gpu-process": "chromium (gpu)"}.get(
            typ, "chromium (other)")
    if "python" in exe:
        return "python"
    return exe


def _machine_busy() -> tuple[float, float]:
    with open("/proc/stat") as fh:
        cpu = [int(x) for x in fh.readline().split()[1:]]
    idle = cpu[3] + cpu[4]
    return sum(cpu) - idle, sum(cpu)


class CpuMeter:
    """Samples the CPU time of every process below `root` (and root itself) while a mode runs."""

    def __init__(self, root: int, include_root: bool = True) -> None:
        self.root, self.include_root = root, include_root
        self.seen: dict[int, tuple[str, float]] = {}
        self.base: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def __enter__(self) -> "CpuMeter":
        self.busy0 = _machine_busy()
        self._sample()  # what already ran before does not count
        self.base = {pid: cpu for pid, (_, cpu) in self.seen.items()}
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._sample()
        self._stop.set()
        self._thread.join()
        b1 = _machine_busy()
        self.busy = (b1[0] - self.busy0[0]) / max(1, b1[1] - self.busy0[1])

    def _loop(self) -> None:
        while not self._stop.wait(0.2):
            self._sample()

    def _sample(self) -> None:
        tree: dict[int, list[int]] = {}
        stats: dict[int, float] = {}
        for name in os.listdir("/proc"):
            if name.isdigit():
                st = _stat(int(name))
                if st:
                    tree.setdefault(st[0], []).append(int(name))
                    stats[int(name)] = st[1]
        todo, pids = [self.root], [self.root] if self.include_root else []
        while todo:
            for c in tree.get(todo.pop(), []):
                pids.append(c)
                todo.append(c)
        for pid in pids:
            if pid in stats:  # kind read again each time: a fresh fork still shows its parent's command line
                kind = _kind(pid)
                if kind == "gone":
                    kind = self.seen.get(pid, ("gone",))[0]
                self.seen[pid] = (kind, stats[pid])

    def by_kind(self) -> dict[str, float]:
        out: dict[str, float] = {}
        for pid, (kind, cpu) in self.seen.items():
            out[kind] = out.get(kind, 0.0) + cpu - self.base.get(pid, 0.0)
        return {k: round(v, 1) for k, v in sorted(out.items(), key=lambda kv: -kv[1]) if v >= 0.05}


# --- modes --------------------------------------------------------------------------------------------------------


@dataclass
class Row:
    label: str
    browsers: int
    pages: int
    seconds: float
    cpu: dict[str, float] = field(default_factory=dict)
    busy: float = 0.0
    note: str = ""

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0

    @property
    def others(self) -> float:
        """Share of the machine's CPU that processes not ours used meanwhile (other work disturbs the numbers)."""
        n = os.cpu_count() or 1
        return max(0.0, self.busy * n * self.seconds - sum(self.cpu.values())) / (n * self.seconds)


def plain_loop(urls: list[str], ours: bool = False) -> int:
    """One Chromium in a loop, no crawler; returns pages audited.

    ours=False: the stock axe-selenium-python way (Axe(driver).inject(); .run(), axe's default rules) with the
    Chromium flags any headless container needs. ours=True: empathy-audit's own gather() (axe injected from memory,
    WCAG 2.2 AA rules, our V8 flags): the browser work of a crawl without the crawler.
    """
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="bench-chromium-")
    for a in (*BASE_ARGS, "--window-size=1280,1024", *LOOPBACK, f"--user-data-dir={profile}",
              *([JS_FLAGS] if ours else [])):
        opts.add_argument(a)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(30)
    done = 0
    options = axe_options()
    try:
        for url in urls:
            if ours:
                page = gather(driver, url, allowed_hosts={"127.0.0.1"}, options=options, script_timeout=30)
                assert page.violations and not page.error, url
            else:
                driver.get(url)
                axe = Axe(driver)
                axe.inject()
                results = axe.run()
                assert results["violations"], url  # every generated page has some
            done += 1
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    return done


def run_baseline(urls: list[str], browsers: int, ours: bool = False) -> Row:
    counts: list[int] = []
    shares = [urls[i::browsers] for i in range(browsers)]
    with CpuMeter(os.getpid()) as meter:
        t0 = time.monotonic()
        threads = [threading.Thread(target=lambda s=s: counts.append(plain_loop(s, ours))) for s in shares]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        seconds = time.monotonic() - t0
    label = ("plain loop of empathy-audit's gather(), no crawler" if ours else
             "baseline: Selenium + axe-selenium-python loop") + (f" x{browsers} threads" if browsers > 1 else "")
    return Row(label, browsers, sum(counts), seconds, meter.by_kind(), meter.busy)


def run_crawl(base: str, n_pages: int, browsers: int, screenshots: bool, work: Path,
              extra: list[str] | None = None) -> Row:
    out = Path(tempfile.mkdtemp(prefix=f"crawl-{browsers}-", dir=work))
    db = out / "history.db"
    args = [sys.executable, "-m", "empathy_audit.crawler.cli", "crawl", base + "index.html", "--out", str(out), "--db", str(db),
            "--max-pages", str(n_pages + 10), "--no-sitemaps", "-q", *(extra or [])]
    if browsers:
        args += ["--browsers", str(browsers), *[f"--browser-arg={a}" for a in LOOPBACK]]
        if not screenshots:
            args.append("--no-screenshots")
    else:
        args.append("--no-browser")
    t0 = time.monotonic()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with CpuMeter(proc.pid) as meter:
        _, stderr = proc.communicate(timeout=900)
    seconds = time.monotonic() - t0
    if proc.returncode != 0:
        raise SystemExit(f"crawl with --browsers {browsers} failed ({proc.returncode}):\n{stderr[-3000:]}")
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT browser, content_type FROM pages WHERE status = 200").fetchall()
    conn.close()
    html = [json.loads(b) if b else None for b, ct in rows if ct.startswith("text/html")]
    audited = sum(1 for b in html if b and b.get("audited"))
    if browsers:
        label = f"empathy-audit crawl --browsers {browsers}" + (" (screenshots on)" if screenshots else "")
        pages = audited
        note = "" if audited == n_pages else f"only {audited} of {n_pages} pages browser-audited"
    else:
        label, pages, note = "empathy-audit crawl --no-browser (static only)", len(html), ""
    return Row(label, browsers, pages, seconds, meter.by_kind(), meter.busy, note)




def machine() -> str:
    mem = next((int(line.split()[1]) for line in open("/proc/meminfo") if line.startswith("MemTotal")), 0)
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()
    load = open("/proc/loadavg").read().split()[:3]
    return (f"{dt.datetime.now().strftime('%Y-%m-%d %H:%M')}; nproc {os.cpu_count()}; {mem / 2**20:.0f} GiB; "
            f"{chromium}; Python {platform.python_version()}; load average before: {' '.join(load)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=60)
    ap.add_argument("--repeat", type=int, default=2,
                    help="rounds over all modes (interleaved, so a busy moment hits every mode); fastest run kept")
    ap.add_argument("--screenshots", action="store_true", help="also time --browsers 2 with screenshots on")
    ap.add_argument("--quick", action="store_true", help="skip the 2-thread baseline and the static-only crawl")
    ap.add_argument("--json", metavar="PATH", help="also write the rows as JSON")
    args = ap.parse_args()
    print(machine(), flush=True)
    work = Path(tempfile.mkdtemp(prefix="bench-browser-"))
    site = work / "site"
    site.mkdir()
    server = None
    try:
        names = make_site(site, args.pages)
        server, base = serve(site)
        urls = [base + n for n in names]
        plan = [
            ("baseline1", lambda: run_baseline(urls, 1)),
            ("crawl1", lambda: run_crawl(base, len(urls), 1, False, work)),
            ("crawl2", lambda: run_crawl(base, len(urls), 2, False, work)),
        ]
        if not args.quick:
            plan.insert(1, ("baseline2", lambda: run_baseline(urls, 2)))
            plan.insert(2, ("ours1", lambda: run_baseline(urls, 1, ours=True)))
            plan.append(("static", lambda: run_crawl(base, len(urls), 0, False, work)))
        if args.screenshots:
            plan.append(("crawl2shots", lambda: run_crawl(base, len(urls), 2, True, work)))
        rows: dict[str, Row] = {}
        for round_ in range(1, args.repeat + 1):
            for key, fn in plan:
                r = fn()
                print(f"  round {round_}: {r.label}: {r.pages} pages in {r.seconds:.1f} s "
                      f"(others used {r.others * 100:.0f}% of the CPU)", file=sys.stderr, flush=True)
                if key not in rows or r.seconds < rows[key].seconds:
                    rows[key] = r
        report(rows, len(urls))
        if args.json:
            Path(args.json).write_text(json.dumps({k: {**r.__dict__, "rate": r.rate} for k, r in rows.items()},
                                                  indent=2))
    finally:
        if server is not None:
            server.shutdown()
        shutil.rmtree(work, ignore_errors=True)


def report(rows: dict[str, Row], n: int) -> None:
    base = rows["baseline1"].rate
    print(f"\n{n} generated pages on 127.0.0.1; wall clock incl. browser start-up; static checks on; "
          f"screenshots off unless the row says so.\n")
    print(f"| {'mode':56} | browsers | pages | seconds | pages/s | x baseline | machine busy | of it others | "
          f"CPU-seconds by process |")
    print(f"|{'-' * 58}|---------:|------:|--------:|--------:|-----------:|-------------:|-------------:|---|")
    for r in rows.values():
        cpu = ", ".join(f"{k} {v}" for k, v in r.cpu.items())
        ratio = f"{r.rate / base:.2f}" if r.browsers else "-"
        print(f"| {r.label:56} | {r.browsers:>8} | {r.pages:>5} | {r.seconds:>7.1f} | {r.rate:>7.2f} | {ratio:>10} "
              f"| {r.busy * 100:>11.0f}% | {r.others * 100:>11.0f}% | {cpu} |" + (f" {r.note}" if r.note else ""))
    c1, c2 = rows["crawl1"], rows["crawl2"]
    overhead = (base / c1.rate - 1) * 100 if c1.rate else float("inf")
    print()
    print(f"crawler overhead over the baseline, 1 browser: {overhead:+.0f}% (target: under +20%)")
    if "ours1" in rows:
        own = (rows["ours1"].rate / c1.rate - 1) * 100 if c1.rate else float("inf")
        print(f"crawler overhead over the same browser work without a crawler (gather() loop): {own:+.0f}%")
    print(f"2 browsers vs 1 browser (crawl): {c2.rate / c1.rate:.2f}x (target: at least 1.6x)")
    if "baseline2" in rows:
        print(f"2 browsers vs 1 browser (plain loop, no crawler): {rows['baseline2'].rate / base:.2f}x")


if __name__ == "__main__":
    main()
