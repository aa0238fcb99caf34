"""The report's numbers and their words, defined once: every output (terminal, HTML, JSON, Markdown, SARIF, JUnit,
history) counts these things and names them so.

- **fixes to make**: fixes with at least one confirmed failure (outcome fail), each one change; by severity
  (critical, serious, moderate, minor: the worst of its findings); of which **blockers** block a key task;
- **elements on pages**: the elements those fixes list, and the pages they are on;
- **things to check by a person**: fixes whose every finding needs a person to decide (outcome needs-review). They
  are not ranked and have no score, never fail a gate, and come after the fixes to make in every output.

The impact score of a fix to make is its blocked-visit equivalents per 1,000 visits (reports.gates, `--max-score`);
the run's impact score is their sum.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from empathy_audit.audits.model import Outcome, Severity

SEVERITY_NAMES = tuple(str(s) for s in sorted(Severity, key=lambda s: -s.rank))  # critical, serious, moderate, minor

# The words, once.
FIX_TO_MAKE = ("fix to make", "fixes to make")
TO_CHECK = ("thing to check by a person", "things to check by a person")
LANE_BLOCKER = "Fix first: blocks a key task"
LANE_RANKED = "Fixes ranked by customer impact"
LANE_TO_CHECK = "To check by a person"
SCORE_NAME = "impact score"
SCORE_UNIT = "blocked-visit equivalents per 1,000 visits"
NOT_SCORED = "not scored: a person has to confirm it first"
STATS_KEY = "report/counts"  # in a run's stats: the counts of its report, for `history`


class _Fix(Protocol):
    """What the counts read of a fix (reports.model.Fix, which imports this module)."""

    outcome: Outcome
    severity: Severity
    blocker: bool
    pages: Any  # list of pages with a url

    @property
    def elements(self) -> int: ...


@dataclass(frozen=True)
class Counts:
    fixes: int = 0  # fixes to make
    by_severity: Mapping[str, int] = field(default_factory=lambda: {s: 0 for s in SEVERITY_NAMES})
    blockers: int = 0  # of the fixes to make, those that block a key task
    elements: int = 0  # elements the fixes to make list
    pages: int = 0  # pages with at least one fix to make
    to_check: int = 0  # things to check by a person
    to_check_elements: int = 0
    to_check_pages: int = 0


def is_to_check(fix: _Fix) -> bool:
    """A thing to check by a person: none of its findings is a confirmed failure."""
    return fix.outcome is not Outcome.FAIL


def count(fixes: Iterable[_Fix]) -> Counts:
    """The counts of a report's fixes."""
    fixes = list(fixes)
    make = [f for f in fixes if not is_to_check(f)]
    check = [f for f in fixes if is_to_check(f)]
    by_severity = {s: 0 for s in SEVERITY_NAMES}
    for f in make:
        by_severity[str(f.severity)] += 1
    return Counts(
        fixes=len(make),
        by_severity=by_severity,
        blockers=sum(1 for f in make if f.blocker),
        elements=sum(f.elements for f in make),
        pages=len({p.url for f in make for p in f.pages}),
        to_check=len(check),
        to_check_elements=sum(f.elements for f in check),
        to_check_pages=len({p.url for f in check for p in f.pages}),
    )


# --- words -------------------------------------------------------------------------------------------------------


def plural(n: int, forms: tuple[str, str]) -> str:
    return f"{n:,} {forms[0] if n == 1 else forms[1]}"


def fixes_words(n: int) -> str:
    """'29 fixes to make'."""
    return plural(n, FIX_TO_MAKE)


def to_check_words(n: int) -> str:
    """'5 things to check by a person'."""
    return plural(n, TO_CHECK)


def severity_words(c: Counts) -> str:
    """'3 critical, 17 serious, 6 moderate, 3 minor'."""
    return ", ".join(f"{c.by_severity.get(s, 0):,} {s}" for s in SEVERITY_NAMES)


def where_words(elements: int, pages: int) -> str:
    """'120 elements on 14 pages'."""
    return f"{plural(elements, ('element', 'elements'))} on {plural(pages, ('page', 'pages'))}"


def sentence(c: Counts) -> str:
    """The counts in one line, the same in every output: '29 fixes to make (3 critical, 17 serious, 6 moderate,
    3 minor), 120 elements on 14 pages; 5 things to check by a person'."""
    made = fixes_words(c.fixes)
    if c.fixes:
        made += f" ({severity_words(c)}), {where_words(c.elements, c.pages)}"
    return f"{made}; {to_check_words(c.to_check)}"


def terminal_line(c: Counts) -> str:
    """What the terminal prints after a crawl, in place of 'N kinds of problem found' (crawler/cli.py
    _print_result): the same counts as every report."""
    return f"{sentence(c)}."


def number(x: float) -> str:
    """A score as every output writes it: 2.31, 0.0042, 12 (enough digits to compare with --max-score)."""
    if x == 0:
        return "0"
    text = f"{x:.3g}" if abs(x) < 1 else f"{x:.2f}".rstrip("0").rstrip(".")
    return text if "e" not in text else f"{x:.6f}".rstrip("0").rstrip(".") or "0"


def score_words(score: float | None) -> str:
    """'impact score 2.31' for a fix to make; NOT_SCORED for a thing to check."""
    return NOT_SCORED if score is None else f"{SCORE_NAME} {number(score)}"


# --- the history of runs -------------------------------------------------------------------------------------------


def to_stats(c: Counts) -> dict[str, Any]:
    """What a run's stats keep of its report's counts (under STATS_KEY), so `history` lists them."""
    return {"fixes": c.fixes, **{s: c.by_severity.get(s, 0) for s in SEVERITY_NAMES}, "blockers": c.blockers,
            "elements": c.elements, "pages": c.pages, "to_check": c.to_check}


def from_stats(stats: Mapping[str, Any] | None) -> Counts | None:
    """The counts a run's stats recorded (to_stats), or None when its report was never written."""
    raw = (stats or {}).get(STATS_KEY)
    if not isinstance(raw, Mapping):
        return None
    try:
        return Counts(fixes=int(raw["fixes"]), by_severity={s: int(raw[s]) for s in SEVERITY_NAMES},
                      blockers=int(raw.get("blockers", 0)), elements=int(raw.get("elements", 0)),
                      pages=int(raw.get("pages", 0)), to_check=int(raw["to_check"]))
    except (KeyError, TypeError, ValueError):
        return None


HISTORY_COLUMNS = ("fixes", *SEVERITY_NAMES, "to check")


def history_row(summary: Mapping[str, Any]) -> dict[str, Any]:
    """One row of `empathy-audit history` from Store.run_summaries(): the run's recorded report counts (fixes to
    make, by severity, things to check) in place of the store's finding counts, which count elements, not fixes.
    A run whose report was never written has None in those columns (shown as '-')."""
    row = {k: v for k, v in summary.items() if k not in ("problems", "stats", *SEVERITY_NAMES)}
    c = from_stats(summary.get("stats"))
    row["fixes"] = c.fixes if c else None
    for s in SEVERITY_NAMES:
        row[s] = c.by_severity[s] if c else None
    row["to_check"] = c.to_check if c else None
    return row


def limit_sentences(limits: Mapping[str, Mapping[str, int]]) -> list[str]:
    """One sentence per limit that cut the crawl short (the run's stats `limits_hit`, recorded by the crawl): the
    terminal prints them as warnings and the report's coverage section shows them, in the same words."""
    def pages(n: int) -> str:
        return f"{n:,} page{'s' if n != 1 else ''}"

    out = []
    if "max_pages" in limits:
        n, left = limits["max_pages"]["limit"], limits["max_pages"]["frontier_left"]
        out.append(f"the crawl stopped at --max-pages {n}: {left:,} more page{'s' if left != 1 else ''} of the site "
                   f"{'were' if left != 1 else 'was'} found but not audited; raise --max-pages to include them.")
    if "max_depth" in limits:
        n, left = limits["max_depth"]["limit"], limits["max_depth"]["links_not_followed"]
        out.append(f"--max-depth {n} kept {pages(left)} of the site out (linked more than {n} clicks from the start "
                   f"page); raise --max-depth to include {'them' if left != 1 else 'it'}.")
    if "max_time" in limits:
        n, left = limits["max_time"]["limit"], limits["max_time"]["frontier_left"]
        out.append(f"the crawl stopped at --max-time {n} s with {pages(left).replace('page', 'requested page')} "
                   f"not yet audited; the report covers what was audited by then.")
    return out
