"""The history of runs: the previous run of the same site (for the report's trend), and the report's counts kept
with each run so `empathy-audit history` lists the same numbers as its reports (reports.counts)."""

from __future__ import annotations

from typing import Any

from empathy_audit.crawler.store import RunData, RunRecord, Store
from empathy_audit.reports import counts as cn
from empathy_audit.reports.model import Report


def previous_run(store: Store, current: RunRecord) -> RunData | None:
    """(run, pages, findings) of the latest *finished* run of `current`'s site before it, or None.

    Interrupted and failed runs are skipped: their missing pages would read as fixed barriers.
    """
    if current.id is None or not current.site:
        return None
    for rid in reversed([i for i in store.run_ids(current.site) if i < current.id]):
        prev = store.get_run(rid)
        if prev is not None and prev.status == "finished":
            return store.load_run(rid)
    return None


def record_counts(store: Store, run_id: int, report: Report) -> None:
    """Keep the report's counts in the run's stats (cn.STATS_KEY), beside its impact score, when its report is
    written: `history` then lists fixes to make by severity and things to check, as every report counts them."""
    store.set_run_stat(run_id, cn.STATS_KEY, cn.to_stats(report.summary.counts))


def history_rows(store: Store, site: str | None = None, limit: int | None = None) -> list[dict[str, Any]]:
    """The newest runs, each as Store.run_summaries() gives it with the report's counts (cn.history_row) in place
    of the store's counts of findings, and `stats` kept (the impact score is read from it)."""
    return [{**cn.history_row(r), "stats": r.get("stats") or {}} for r in store.run_summaries(site=site, limit=limit)]
