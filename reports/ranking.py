"""Ranking: the one ordering rule of the report."""

from __future__ import annotations

from typing import Iterable

from empathy_audit.reports.model import Fix

LANES = ("blocker", "ranked", "to-check")


def order_fixes(fixes: Iterable[Fix]) -> list[Fix]:
    """Fixes to make first: blockers on key journeys, then by priority; things to check by a person after every fix
    to make (never above a confirmed failure), in the same order among themselves. Ties by severity, pages, check id
    and fingerprint.

    This is the one ordering rule of the report (IMPACT.md 3.1: "Fix first" lane, then Priority = BVE / E).
    """
    return sorted(
        fixes,
        key=lambda f: (LANES.index(f.lane), -round(f.score.priority, 12), -f.severity.rank, -f.pages_affected,
                       f.check_id, f.id),
    )
