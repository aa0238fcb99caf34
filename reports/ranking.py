"""Ranking: the one ordering rule of the report."""

from __future__ import annotations

from typing import Iterable

from empathy_audit.reports.model import Fix


def order_fixes(fixes: Iterable[Fix]) -> list[Fix]:
    """Blockers on key journeys first, then by priority; ties by severity, pages, check id and fingerprint.

    This is the one ordering rule of the report (IMPACT.md 3.1: "Fix first" lane, then Priority = BVE / E).
    """
    return sorted(
        fixes,
        key=lambda f: (not f.blocker, -round(f.score.priority, 12), -f.severity.rank, -f.pages_affected,
                       f.check_id, f.id),
    )
