"""The trend of a run against the previous run of the same site: fixes new, unchanged, fixed or not rechecked."""

from __future__ import annotations

from dataclasses import dataclass

from empathy_audit.reports import fixes as fx
from empathy_audit.reports.model import Fix, GoneFix, Report, Trend


@dataclass
class PreviousFix:
    id: str
    check_id: str
    heading: str
    paths: list[str]  # URL paths of its pages
    pages_affected: int


@dataclass
class Previous:
    """What the trend needs of the previous run's report: kept instead of the report (and its run's rows)."""

    run_id: int | None
    finished_at: str | None
    browser_audits: str
    fixes: list[PreviousFix]

    @classmethod
    def of(cls, report: "Report") -> "Previous":
        return cls(report.run.id, report.run.finished_at, report.summary.browser_audits,
                   [PreviousFix(f.id, f.check_id, f.heading, [fx.url_path(p.url) for p in f.pages],
                                 f.pages_affected) for f in report.fixes])


def trend(fixes: list[Fix], previous: "Report | Previous", audited_paths: set[str], browser_mode: str) -> Trend:
    if not isinstance(previous, Previous):
        previous = Previous.of(previous)
    before = {f.id: f for f in previous.fixes}
    now = {f.id for f in fixes}
    new, unchanged = [], []
    for f in fixes:
        old = before.get(f.id)
        if old is None:
            f.trend = "new"
            new.append(f)
        else:
            f.trend, f.pages_before = "unchanged", old.pages_affected
            unchanged.append(f)
    fixed, not_rechecked = [], []
    for f in previous.fixes:
        if f.id in now:
            continue
        paths = f.paths
        gone = GoneFix(f.id, f.check_id, f.heading, paths, any(p in audited_paths for p in paths))
        (fixed if gone.rechecked else not_rechecked).append(gone)
    comparable = previous.browser_audits == browser_mode
    note = ""
    if not comparable:
        note = (f"The previous run audited pages in a browser: {previous.browser_audits}; this run: "
                f"{browser_mode}. Fixes only one of the runs could see show as new or fixed.")
    return Trend(previous.run_id, previous.finished_at, comparable, note, new, unchanged, fixed, not_rechecked)
