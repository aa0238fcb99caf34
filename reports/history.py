"""The previous run of the same site, for the report's trend (new, fixed and unchanged fixes)."""

from __future__ import annotations

from typing import Any

RunInputs = tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]


def previous_run(store: Any, run: dict[str, Any]) -> RunInputs | None:
    """(run, pages, findings) of the latest *finished* run of `run`'s site before it, or None.

    Interrupted and failed runs are skipped: their missing pages would read as fixed barriers.
    """
    run_id, site = run.get("id"), run.get("site")
    if run_id is None or not site:
        return None
    for rid in reversed([i for i in store.run_ids(site) if i < run_id]):
        prev = store.get_run(rid)
        if prev is not None and prev.get("status") == "finished":
            return store.load_run(rid)
    return None
