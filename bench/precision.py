"""Precision of the static checks: every check over a corpus of correct pages; every FAIL there is a false alarm.

Run: .venv/bin/python bench/precision.py [--corpus DIR] [--details] [--browser] [--probes render,keyboard]
The corpus (tests/fixture_site/corpus/*.html) is hand-written, varied, realistic markup that is correct: navigation
and mega-menus, checkout, login, newsletter and search forms, data and layout tables, media with captions and
transcripts, multilingual articles, card grids, footers, cookie banners, pages in fr, de, es, it, pt and ja.
The target is 0 false alarms per check; a check that raises one is fixed or moved to needs review. Needs-review
findings are not false alarms, but each one costs a reviewer's time, so they are counted too.
Exit status 1 when any check raised a FAIL on the corpus.

--browser also loads every page in Chromium (served on 127.0.0.1, loopback-only browser), runs the probes and every
check of the "browser" family (audits.browser), and counts their findings (sources == ("browser",)) the same way; axe's own
findings are not counted. Its exit status is 1 when a static or a browser check raised a FAIL.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from empathy_audit.audits.artifacts import StaticPage  # noqa: E402
from empathy_audit.audits.model import Finding, Outcome  # noqa: E402
from empathy_audit.audits.registry import load_checks, select  # noqa: E402
from empathy_audit.audits.runner import run_checks  # noqa: E402

CORPUS = ROOT / "tests" / "fixture_site" / "corpus"


@dataclass
class Result:
    pages: int = 0
    elapsed: float = 0.0
    findings: list[tuple[str, Finding]] = field(default_factory=list)  # (page file name, finding)

    def count(self, outcome: Outcome) -> Counter[str]:
        return Counter(f.check_id for _page, f in self.findings if f.outcome == outcome)


def run(corpus: Path = CORPUS) -> Result:
    """Every static check over every page of the corpus."""
    load_checks(plugins=False)
    checks = select("static")
    result = Result()
    started = time.perf_counter()
    for path in sorted(corpus.glob("*.html")):
        page = StaticPage(url=f"https://corpus.test/{path.name}", html=path.read_text("utf-8"))
        result.pages += 1
        for finding in run_checks("static", page, page.url, checks=checks):
            result.findings.append((path.name, finding))
    result.elapsed = time.perf_counter() - started
    return result


def table(result: Result) -> str:
    """A plain-text table: one row per static check, false alarms (FAIL), needs review and errors."""
    fails, reviews, errors = (result.count(o) for o in (Outcome.FAIL, Outcome.REVIEW, Outcome.ERROR))
    checks = select("static")
    width = max(len(c.id) for c in checks)
    lines = [f"{'check':<{width}}  false alarms  needs review  errors", "-" * (width + 38)]
    for chk in checks:
        lines.append(f"{chk.id:<{width}}  {fails[chk.id]:>12}  {reviews[chk.id]:>12}  {errors[chk.id]:>6}")
    lines.append("-" * (width + 38))
    lines.append(
        f"{'total':<{width}}  {sum(fails.values()):>12}  {sum(reviews.values()):>12}  {sum(errors.values()):>6}"
    )
    clean = sum(1 for c in checks if not fails[c.id] and not errors[c.id])
    lines.append(
        f"{len(checks)} static checks over {result.pages} correct pages in {result.elapsed:.2f} s: "
        f"{clean} with no false alarm."
    )
    return "\n".join(lines)


@dataclass
class BrowserRun:
    pages: int = 0
    elapsed: float = 0.0
    findings: list[tuple[str, Finding]] = field(default_factory=list)  # (page file name, finding)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (page file name, why it was not audited)
    probe_seconds: dict[str, list[float]] = field(default_factory=dict)  # probe name -> seconds per page

    def count(self, outcome: Outcome) -> Counter[str]:
        return Counter(f.check_id for _page, f in self.findings if f.outcome == outcome)


def run_browser(corpus: Path = CORPUS, probes: tuple[str, ...] | None = None) -> BrowserRun:
    """Every page of the corpus in one loopback-only Chromium: our browser checks' findings (not axe's)."""
    from empathy_audit.audits.gather.probes import DEFAULT_PROBES
    from empathy_audit.crawler.browser import BrowserConfig, DriverPool
    from empathy_audit.crawler.devserver import serve

    from tests.helpers import LOOPBACK_BROWSER_ARGS  # Chromium never leaves loopback

    load_checks(plugins=False)
    config = BrowserConfig(browsers=1, browser_args=tuple(LOOPBACK_BROWSER_ARGS), screenshots=False,
                           probes=tuple(probes) if probes is not None else DEFAULT_PROBES)
    out = BrowserRun()
    started = time.perf_counter()
    with serve(str(corpus)) as server, DriverPool(config) as pool:
        for path in sorted(corpus.glob("*.html")):
            result = pool.audit(f"{server.base_url}/{path.name}")
            out.pages += 1
            if result.error:
                out.errors.append((path.name, result.error))
                continue
            for name, data in ((result.artifact.probes or {}) if result.artifact else {}).items():
                if isinstance(data, dict):
                    if "seconds" in data:
                        out.probe_seconds.setdefault(name, []).append(float(data["seconds"]))
                    if data.get("error"):
                        out.errors.append((path.name, f"probe {name}: {data['error']}"))
            for f in result.findings:
                if tuple(f.sources) == ("browser",):
                    out.findings.append((path.name, f))
    out.elapsed = time.perf_counter() - started
    return out


def browser_table(run_: BrowserRun) -> str:
    """One row per browser check ("browser"): false alarms (FAIL), needs review and errors on the corpus."""
    fails, reviews, errors = (run_.count(o) for o in (Outcome.FAIL, Outcome.REVIEW, Outcome.ERROR))
    checks = select("browser")
    width = max([len(c.id) for c in checks] + [5])
    lines = [f"{'browser check':<{width}}  false alarms  needs review  errors", "-" * (width + 38)]
    for chk in checks:
        lines.append(f"{chk.id:<{width}}  {fails[chk.id]:>12}  {reviews[chk.id]:>12}  {errors[chk.id]:>6}")
    lines.append("-" * (width + 38))
    lines.append(
        f"{'total':<{width}}  {sum(fails.values()):>12}  {sum(reviews.values()):>12}  {sum(errors.values()):>6}"
    )
    clean = sum(1 for c in checks if not fails[c.id] and not errors[c.id])
    lines.append(
        f"{len(checks)} browser checks over {run_.pages} correct pages in {run_.elapsed:.1f} s: "
        f"{clean} with no false alarm."
    )
    for name, secs in sorted(run_.probe_seconds.items()):
        secs = sorted(secs)
        lines.append(f"probe {name}: median {secs[len(secs) // 2]:.3f} s, max {secs[-1]:.3f} s per page")
    grouped: dict[str, list[str]] = {}
    for page, why in run_.errors:
        grouped.setdefault(why, []).append(page)
    for why, pages in grouped.items():
        shown = ", ".join(pages[:3]) + (f" and {len(pages) - 3} more" if len(pages) > 3 else "")
        lines.append(f"{'not audited' if not why.startswith('probe ') else 'probe failed'} on {len(pages)} "
                     f"page(s) ({shown}): {why}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of correct HTML pages")
    parser.add_argument("--details", action="store_true", help="list every finding")
    parser.add_argument("--browser", action="store_true",
                        help="also run the browser checks (audits.browser) in a loopback-only Chromium")
    parser.add_argument("--probes", default=None,
                        help="comma-separated probes for --browser (default: the crawler's default probes)")
    args = parser.parse_args(argv)
    result = run(args.corpus)
    print(table(result))
    if args.details:
        for page, f in result.findings:
            print(f"{page}  {f.check_id}  {f.outcome}  {f.selector}\n    {f.message}")
    status = 1 if any(f.outcome != Outcome.REVIEW for _p, f in result.findings) else 0
    if args.browser:
        probes = tuple(p.strip() for p in args.probes.split(",") if p.strip()) if args.probes is not None else None
        brun = run_browser(args.corpus, probes)
        print()
        print(browser_table(brun))
        if args.details:
            for page, f in brun.findings:
                print(f"{page}  {f.check_id}  {f.outcome}  {f.selector}\n    {f.message}")
        if any(f.outcome != Outcome.REVIEW for _p, f in brun.findings):
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
