"""Precision of the static checks: every check over a corpus of correct pages; every FAIL there is a false alarm.

Run: .venv/bin/python bench/precision.py [--corpus DIR] [--details]
The corpus (tests/fixture_site/corpus/*.html) is hand-written, varied, realistic markup that is correct: navigation
and mega-menus, checkout, login, newsletter and search forms, data and layout tables, media with captions and
transcripts, multilingual articles, card grids, footers, cookie banners, pages in fr, de, es, it, pt and ja.
The target is 0 false alarms per check; a check that raises one is fixed or moved to needs review. Needs-review
findings are not false alarms, but each one costs a reviewer's time, so they are counted too.
Exit status 1 when any check raised a FAIL on the corpus.
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

from audits.artifacts import StaticPage  # noqa: E402
from audits.model import Finding, Kind, Outcome  # noqa: E402
from audits.registry import load_checks, select  # noqa: E402
from audits.runner import run_checks  # noqa: E402

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
    checks = select(Kind.STATIC)
    result = Result()
    started = time.perf_counter()
    for path in sorted(corpus.glob("*.html")):
        page = StaticPage(url=f"https://corpus.test/{path.name}", html=path.read_text("utf-8"))
        result.pages += 1
        for finding in run_checks(Kind.STATIC, page, page.url, checks=checks):
            result.findings.append((path.name, finding))
    result.elapsed = time.perf_counter() - started
    return result


def table(result: Result) -> str:
    """A plain-text table: one row per static check, false alarms (FAIL), needs review and errors."""
    fails, reviews, errors = (result.count(o) for o in (Outcome.FAIL, Outcome.REVIEW, Outcome.ERROR))
    checks = select(Kind.STATIC)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="folder of correct HTML pages")
    parser.add_argument("--details", action="store_true", help="list every finding")
    args = parser.parse_args(argv)
    result = run(args.corpus)
    print(table(result))
    if args.details:
        for page, f in result.findings:
            print(f"{page}  {f.check_id}  {f.outcome}  {f.selector}\n    {f.message}")
    return 1 if any(f.outcome != Outcome.REVIEW for _p, f in result.findings) else 0


if __name__ == "__main__":
    sys.exit(main())
