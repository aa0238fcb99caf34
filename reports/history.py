"""The previous run of the same site, for the report's trend (new, fixed and unchanged fixes)."""

from __future__ import annotations

from empathy_audit.crawler.store import RunData, RunRecord, Store


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
