"""`make bench`: empathy-audit at scale on generated brand sites, each figure beside a baseline from the same run.

Usage: .venv/bin/python bench/bench_scale.py [--quick] [--only ROWS] [--all] [--all-probes] [--json PATH] [--keep DIR]

Rows (all by default; --only static,browser,sampling,memory picks some):

* static: a 1,000-page, 5-template site (bench/sitegen.py). First a plain fetch loop (4 threads, keep-alive,
  gzip) shows what the loopback server can deliver; then a bare Scrapy spider that only fetches and follows
  links (same politeness settings as a crawl: robots.txt, AutoThrottle, 4 per host) against
  `empathy-audit crawl --no-browser --no-media` (static crawl + every static check, SQLite history, HTML + JSON
  report). Target: at least 0.8x the bare spider's pages/s. With --all, a second row, `crawl --no-browser`, adds
  the media checks (measuring what each page downloads: ~3 more requests a page), against the same baseline.
* browser: bench/bench_browser.py's measurement on 30 generated pages: plain Selenium + axe-selenium-python in a
  loop with no crawler, against `crawl --browsers 1` doing the same browser work (axe only: --no-keyboard
  --no-render-checks), then the product as shipped (axe + render and keyboard probes) with 2 browsers (and with
  1 browser too with --all) (--sample off, screenshots off). Target: crawler overhead under 20% with 1 browser.
* sampling: the 1,000-page site audited whole in the browser (`--sample off`) and with sampling
  (`--sample auto`, the default), 2 browsers, screenshots off, axe only unless --all-probes. Target: 10x faster
  with sampling; recall of the full run's failing fixes (by fingerprint, from report.json) at least 95%, and
  every critical fix found.
* memory: a 10,000-page static crawl (`--no-browser --no-media`, as the static row); the RSS of the crawl process (VmRSS, sampled every 0.5 s
  from /proc, and its VmHWM peak) when 1,000, 5,000 and 10,000 pages are stored. Target: under 500 MB, flat.

--quick runs everything at a tenth of the size (100 / 30 / 300 / 1,000 pages): a smoke test, not the figures.
Every crawl runs in its own process, on 127.0.0.1 only (Chromium: dead proxy, every host mapped to loopback).
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sitegen import generate, serve_site  # noqa: E402

LOOPBACK = ("--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * 127.0.0.1")
AXE_ONLY = ["--no-keyboard", "--no-render-checks"]  # the browser work the Selenium + axe baseline does

BARE_SPIDER = r'''
import sys, time
import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

class Bare(scrapy.Spider):
    """Fetches pages and follows their links; nothing else."""
    name = "bare"
    def __init__(self, url):
        super().__init__()
        self.start_urls = [url]
        self.allowed_domains = ["127.0.0.1"]
        self.pages = 0
    def parse(self, response):
        self.pages += 1
        if b"html" in response.headers.get(b"Content-Type", b""):
            for href in response.xpath("//a/@href").getall():
                yield response.follow(href.split("#")[0], self.parse)

s = Settings()
s.setmodule("empathy_audit.crawler.settings", priority="project")
s.set("ITEM_PIPELINES", {})
s.set("EXTENSIONS", {})
s.set("LOG_LEVEL", "ERROR")
s.set("DEPTH_LIMIT", 10)
p = CrawlerProcess(s)
crawler = p.create_crawler(Bare)
p.crawl(crawler, url=sys.argv[1])
p.start()
print(crawler.spider.pages)
'''


# --- measuring a process ----------------------------------------------------------------------------------------


def _status_kb(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process in KB; (0, 0) when it is gone."""
    rss = hwm = 0
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith("VmHWM:"):
                    hwm = int(line.split()[1])
    except OSError:
        pass
    return rss, hwm


def _children(pid: int) -> list[int]:
    out: list[int] = []
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/task/{p}/children") as fh:
                kids = [int(x) for x in fh.read().split()]
        except OSError:
            kids = []
        out += kids
        todo += kids
    return out


def _stored_pages(db: Path) -> int | None:
    if not db.exists():
        return None
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.2)
        try:
            return conn.execute("SELECT COUNT(*) FROM pages").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return None


@dataclass
class Run:
    seconds: float
    code: int
    stderr: str
    samples: list[tuple[float, int, int, int]] = field(default_factory=list)  # (t, pages stored, rss KB, tree KB)
    hwm_kb: int = 0
    cpu: float = 0.0


def run_process(args: list[str], db: Path | None = None, timeout: float = 1800) -> Run:
    """Run a command, sampling its RSS (and its children's) and the pages stored in `db` every 0.5 s."""
    t0 = time.monotonic()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    samples: list[tuple[float, int, int, int]] = []
    hwm = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.5):
            rss, peak = _status_kb(proc.pid)
            if not rss:
                continue
            hwm[0] = max(hwm[0], peak)
            tree = rss + sum(_status_kb(c)[0] for c in _children(proc.pid))
            pages = _stored_pages(db) if db is not None else None
            samples.append((time.monotonic() - t0, pages or 0, rss, tree))

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    seconds = time.monotonic() - t0
    stop.set()
    thread.join()
    return Run(seconds, proc.returncode, (out or "") + (err or ""), samples, hwm[0])


def crawl_args(url: str, work: Path, name: str, max_pages: int, extra: list[str]) -> tuple[list[str], Path, Path]:
    out = work / name
    db = work / f"{name}.db"
    args = [sys.executable, "-m", "empathy_audit.crawler.cli", "crawl", url, "--out", str(out), "--db", str(db),
            "--max-pages", str(max_pages), "-q", *extra]
    return args, out, db


def html_pages(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT COUNT(*) FROM pages WHERE status = 200 AND content_type LIKE 'text/html%'"
                            ).fetchone()[0]
    finally:
        conn.close()


def browser_pages(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        rows = conn.execute("SELECT browser FROM pages WHERE browser IS NOT NULL").fetchall()
    finally:
        conn.close()
    return sum(1 for (b,) in rows if b and json.loads(b).get("audited"))


# --- rows -------------------------------------------------------------------------------------------------------


@dataclass
class Row:
    section: str
    label: str
    pages: int
    seconds: float
    baseline: str = ""
    ratio: str = ""
    target: str = ""
    met: bool | None = None
    note: str = ""

    @property
    def rate(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def fetch_loop(base: str, paths: list[str], threads: int = 4) -> tuple[int, float]:
    """GET every page with keep-alive connections and gzip, in `threads` threads: what the server can deliver."""
    shares = [paths[i::threads] for i in range(threads)]
    done = [0] * threads
    host, port = base.split("//", 1)[1].split(":")

    def work(i: int) -> None:
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        for p in shares[i]:
            conn.request("GET", p, headers={"Accept-Encoding": "gzip"})
            resp = conn.getresponse()
            resp.read()
            if resp.status == 200:
                done[i] += 1
        conn.close()

    t0 = time.monotonic()
    ts = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return sum(done), time.monotonic() - t0


def static_rows(site: Path, manifest: Any, work: Path, rows: list[Row], every_row: bool = False) -> None:
    n = len(manifest.pages)
    with serve_site(site) as server:
        url = server.base_url + "/index.html"
        got, secs = fetch_loop(server.base_url, [p.path for p in manifest.pages])
        rows.append(Row("static", "plain fetch loop (4 threads, keep-alive, gzip): the server's ceiling", got, secs))
        log(f"fetch loop: {got} pages in {secs:.1f} s")
        bare = run_process([sys.executable, "-c", BARE_SPIDER, url])
        if bare.code != 0:
            raise SystemExit(f"bare spider failed:\n{bare.stderr[-2000:]}")
        bare_pages = _last_int(bare.stderr)
        rows.append(Row("static", "baseline: bare Scrapy spider (fetch + follow links only)", bare_pages, bare.seconds))
        log(f"bare spider: {bare_pages} pages in {bare.seconds:.1f} s")
        base_rate = rows[-1].rate
        # The figure: static crawl + static checks (--no-media), against the target; then the crawl with
        # media measuring too (~3 more requests a page for what each page downloads), shown beside it.
        plan = [("static", ["--no-browser", "--no-media"],
                 "empathy-audit crawl --no-browser --no-media (static checks, history, report)", True)]
        if every_row:  # the media checks too: ~3 more requests a page (left out of make bench for its 10 minutes)
            plan.append(("static-media", ["--no-browser"],
                         "empathy-audit crawl --no-browser (static + media checks: measures what each page downloads)",
                         False))
        for name, flags, label, targeted in plan:
            args, _out, db = crawl_args(url, work, name, n + 50, flags)
            ours = run_process(args, db)
            if ours.code != 0:
                raise SystemExit(f"crawl {' '.join(flags)} failed:\n{ours.stderr[-2000:]}")
            pages = html_pages(db)
            r = Row("static", label, pages, ours.seconds)
            r.baseline = f"{base_rate:.1f}"
            r.ratio = f"{r.rate / base_rate:.2f}x" if base_rate else "-"
            if targeted:
                r.target = ">= 0.8x"
                r.met = bool(base_rate) and r.rate / base_rate >= 0.8
            r.note = f"peak RSS {ours.hwm_kb / 1024:.0f} MB"
            rows.append(r)
            log(f"crawl {' '.join(flags)}: {pages} pages in {ours.seconds:.1f} s")


def _last_int(text: str) -> int:
    for line in reversed(text.strip().splitlines()):
        if line.strip().isdigit():
            return int(line.strip())
    return 0


def browser_rows(work: Path, pages: int, rows: list[Row], every_row: bool = False) -> None:
    import bench_browser as bb

    site = work / "site-browser"
    m = generate(site, pages, 5, seed=11)
    with serve_site(site) as server:
        base = server.base_url + "/"
        urls = [server.base_url + p.path for p in m.pages]
        b1 = bb.run_baseline(urls, 1)
        log(f"baseline: {b1.pages} pages in {b1.seconds:.1f} s")
        rows.append(Row("browser", "baseline: Selenium + axe-selenium-python loop, 1 Chromium", b1.pages, b1.seconds))
        # axe only (the baseline's work): the crawler's overhead; then the product as shipped (axe + our probes).
        plan = [(1, AXE_ONLY, "axe only: --no-keyboard --no-render-checks"),
                *([(1, [], "axe + render and keyboard probes")] if every_row else []),
                (2, [], "axe + render and keyboard probes")]
        one = 0.0
        for n, flags, what in plan:
            c = bb.run_crawl(base, len(urls), n, False, work, extra=["--sample", "off", *flags])
            log(f"crawl --browsers {n} ({what}): {c.pages} pages in {c.seconds:.1f} s")
            r = Row("browser", f"empathy-audit crawl --browsers {n}, {what} (--sample off, no screenshots)",
                    c.pages, c.seconds)
            r.baseline = f"{b1.rate:.2f}"
            r.ratio = f"{r.rate / b1.rate:.2f}x" if b1.rate else "-"
            if flags:
                overhead = (b1.rate / r.rate - 1) * 100 if r.rate else float("inf")
                r.target = "overhead < 20%"
                r.met = overhead < 20
                r.note = f"crawler overhead {overhead:+.0f}%"
            elif n == 1:
                one = r.rate
            elif one:
                r.note = f"{r.rate / one:.2f}x of 1 browser"
            rows.append(r)


def _fixes(report: Path) -> list[dict[str, Any]]:
    data = json.loads(report.read_text(encoding="utf-8"))
    return data.get("fixes", [])


def sampling_rows(site: Path, manifest: Any, work: Path, rows: list[Row], all_probes: bool) -> dict[str, Any]:
    n = len(manifest.pages)
    results: dict[str, Any] = {}
    with serve_site(site) as server:
        url = server.base_url + "/index.html"
        common = ["--browsers", "2", "--no-screenshots", *[f"--browser-arg={a}" for a in LOOPBACK],
                  *([] if all_probes else AXE_ONLY)]
        runs = {}
        for mode in ("off", "auto"):
            args, out, db = crawl_args(url, work, f"sample-{mode}", n + 50, [*common, "--sample", mode])
            r = run_process(args, db, timeout=1500)
            if r.code not in (0, 1):
                raise SystemExit(f"crawl --sample {mode} failed ({r.code}):\n{r.stderr[-2000:]}")
            runs[mode] = (r, out, db)
            log(f"crawl --sample {mode}: {r.seconds:.1f} s, {browser_pages(db)} pages in the browser")
    full_run, full_out, full_db = runs["off"]
    s_run, s_out, s_db = runs["auto"]
    full = _fixes(full_out / "report.json")
    sampled = _fixes(s_out / "report.json")
    sampled_fps = {f["fingerprint"] for f in sampled}
    failing = [f for f in full if f.get("outcome") == "fail"]
    review = [f for f in full if f.get("outcome") != "fail"]
    found = [f for f in failing if f["fingerprint"] in sampled_fps]
    critical = [f for f in failing if f.get("severity") == "critical"]
    crit_found = [f for f in critical if f["fingerprint"] in sampled_fps]
    review_found = [f for f in review if f["fingerprint"] in sampled_fps]
    missed = [f"{f['fingerprint']} ({f.get('severity')}, {f.get('pages_affected')} pages: {f.get('heading')})"
              for f in failing if f["fingerprint"] not in sampled_fps]
    recall = len(found) / len(failing) if failing else 1.0
    pages_full = html_pages(full_db)
    probes = "axe + probes" if all_probes else "axe only"
    r_full = Row("sampling", f"baseline: crawl --sample off, 2 browsers, {probes} "
                 f"({browser_pages(full_db)} pages in the browser)",
                 pages_full, full_run.seconds)
    rows.append(r_full)
    r = Row("sampling", f"crawl --sample auto, 2 browsers, {probes} ({browser_pages(s_db)} pages in the browser)",
            html_pages(s_db), s_run.seconds)
    speed = full_run.seconds / s_run.seconds if s_run.seconds else 0
    r.baseline = f"{r_full.rate:.2f}"
    r.ratio = f"{speed:.1f}x faster"
    r.target = ">= 10x"
    r.met = speed >= 10
    rows.append(r)
    rec = Row("sampling", f"recall: failing fixes of the full run found with sampling ({len(found)}/{len(failing)})",
              0, 0)
    rec.ratio = f"{recall * 100:.1f}%"
    rec.target = ">= 95%"
    rec.met = recall >= 0.95
    rec.note = f"needs-review fixes: {len(review_found)}/{len(review)}"
    rows.append(rec)
    crit = Row("sampling", f"critical fixes of the full run found with sampling ({len(crit_found)}/{len(critical)})",
               0, 0)
    crit.ratio = f"{len(crit_found)}/{len(critical)}"
    crit.target = "all"
    crit.met = len(crit_found) == len(critical)
    rows.append(crit)
    results.update(recall=recall, missed=missed, critical=len(critical), critical_found=len(crit_found),
                   full_fixes=len(full), sampled_fixes=len(sampled))
    return results


def memory_rows(site: Path, manifest: Any, work: Path, rows: list[Row]) -> dict[str, Any]:
    n = len(manifest.pages)
    with serve_site(site) as server:
        args, _out, db = crawl_args(server.base_url + "/index.html", work, "memory", n + 50,
                                    ["--no-browser", "--no-media"])
        r = run_process(args, db, timeout=3000)
    if r.code != 0:
        raise SystemExit(f"memory crawl failed ({r.code}):\n{r.stderr[-2000:]}")
    pages = html_pages(db)
    marks = sorted({m for m in (1000, n // 2, n) if m <= n} | ({5000} if n >= 5000 else set()))
    at: dict[int, float] = {}
    for mark in marks:
        hit = next((s for s in r.samples if s[1] >= mark), None)
        if hit is None and r.samples:
            hit = r.samples[-1]
        if hit:
            at[mark] = hit[2] / 1024
    peak = r.hwm_kb / 1024
    row = Row("memory", f"crawl --no-browser --no-media of {n:,} pages: RSS at " +
              ", ".join(f"{k:,} pages {v:.0f} MB" for k, v in at.items()), pages, r.seconds)
    row.ratio = f"peak {peak:.0f} MB"
    row.target = "< 500 MB, flat"
    vals = list(at.values())
    flat = len(vals) < 2 or vals[-1] <= vals[0] * 1.25 + 20
    row.met = peak < 500 and flat
    row.note = "flat" if flat else "growing"
    rows.append(row)
    trace = [(round(t, 1), p, round(rss / 1024)) for t, p, rss, _tree in r.samples]
    return {"rss_at_mb": at, "peak_mb": peak, "trace": trace[:: max(1, len(trace) // 60)]}


# --- output -----------------------------------------------------------------------------------------------------


def log(msg: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def print_table(rows: list[Row]) -> None:
    print()
    print("| section | what | pages | seconds | pages/s | baseline pages/s | vs baseline | target | met |")
    print("|---|---|---:|---:|---:|---:|---:|---|---|")
    for r in rows:
        met = "" if r.met is None else ("yes" if r.met else "**no**")
        pages = f"{r.pages:,}" if r.pages else ""
        secs = f"{r.seconds:.1f}" if r.seconds else ""
        rate = f"{r.rate:.1f}" if r.seconds else ""
        print(f"| {r.section} | {r.label}{' (' + r.note + ')' if r.note else ''} | {pages} | {secs} | {rate} | "
              f"{r.baseline} | {r.ratio} | {r.target} | {met} |")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a tenth of the sizes: a smoke test")
    ap.add_argument("--only", default="static,browser,sampling,memory",
                    help="comma-separated rows to run (default: all)")
    ap.add_argument("--pages", type=int, default=None, help="pages of the static and sampling site (default 1000)")
    ap.add_argument("--memory-pages", type=int, default=None, help="pages of the memory crawl (default 10000)")
    ap.add_argument("--browser-pages", type=int, default=None, help="pages of the browser rows (default 30)")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--all-probes", action="store_true",
                    help="sampling rows with the render and keyboard probes too (default: axe only, as the "
                    "Selenium + axe baseline; the probes make a full 1,000-page browser audit take 10+ minutes)")
    ap.add_argument("--all", action="store_true",
                    help="also the static crawl with media checks and the full product with 1 browser (make bench "
                    "leaves them out to stay within 10 minutes)")
    ap.add_argument("--json", metavar="PATH", help="also write the rows and details as JSON")
    ap.add_argument("--keep", metavar="DIR", help="work in DIR and keep the sites and reports")
    args = ap.parse_args()
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    scale = 10 if args.quick else 1
    n_site = args.pages or 1000 // scale
    n_mem = args.memory_pages or 10000 // scale
    n_browser = args.browser_pages or (30 if not args.quick else 20)

    import bench_browser as bb

    print(bb.machine(), flush=True)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    rows: list[Row] = []
    details: dict[str, Any] = {}
    t_all = time.monotonic()
    try:
        site = work / "site"
        if only & {"static", "sampling"}:
            t = time.monotonic()
            shutil.rmtree(site, ignore_errors=True)
            manifest = generate(site, n_site, 5, seed=args.seed)
            log(f"generated {n_site} pages (5 templates, {sum(p.bytes for p in manifest.pages) / 2**20:.0f} MiB "
                f"of HTML) in {time.monotonic() - t:.1f} s")
        if "static" in only:
            static_rows(site, manifest, work, rows, every_row=args.all)
        if "browser" in only:
            browser_rows(work, n_browser, rows, every_row=args.all)
        if "sampling" in only:
            details["sampling"] = sampling_rows(site, manifest, work, rows, args.all_probes)
        if "memory" in only:
            t = time.monotonic()
            big = work / "site-memory"
            shutil.rmtree(big, ignore_errors=True)
            big_manifest = generate(big, n_mem, 5, seed=args.seed)
            log(f"generated {n_mem} pages in {time.monotonic() - t:.1f} s")
            details["memory"] = memory_rows(big, big_manifest, work, rows)
            if not args.keep:
                shutil.rmtree(big, ignore_errors=True)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print_table(rows)
    s = details.get("sampling")
    if s and s.get("missed"):
        print("\nFixes of the full run that the sampled run missed:")
        for m in s["missed"][:20]:
            print(f"- {m}")
    print(f"\nwhole benchmark: {time.monotonic() - t_all:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": [{**r.__dict__, "rate": r.rate} for r in rows],
                                               "details": details}, indent=2, default=str))


if __name__ == "__main__":
    main()
