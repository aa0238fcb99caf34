"""Runs checks of one family over an artifact; a check that raises becomes an ERROR finding, never a pass."""

from __future__ import annotations

import logging
from typing import Any, Iterable

from empathy_audit.audits.model import Check, Finding, Outcome
from empathy_audit.audits.registry import FAMILIES, select

log = logging.getLogger(__name__)


def run_families(groups: Iterable[tuple[str, Iterable[Check]]], artifact: Any, url: str) -> list[Finding]:
    """run_checks for each (family, checks) of `groups` (audits.registry.by_need) on the same artifact."""
    results: list[Finding] = []
    for kind, checks in groups:
        results.extend(run_checks(kind, artifact, url, checks))
    return results


def run_checks(kind: str, artifact: Any, url: str, checks: Iterable[Check] | None = None) -> list[Finding]:
    """Run every check of family `kind` (or the given ones) on `artifact`; fill in check id, default severity and
    the family's source name."""
    results: list[Finding] = []
    for chk in checks if checks is not None else select(kind):
        family = FAMILIES.get(chk.kind)
        sources = (family.source if family else chk.kind,)
        try:
            for f in chk.func(artifact) or ():
                f.check_id = chk.id
                f.sources = sources
                if not f.data.pop("_severity_set", False):
                    f.severity = chk.severity
                results.append(f)
        except Exception as exc:  # a broken check must show, not pass silently
            log.warning("check %s failed on %s: %s", chk.id, url, exc)
            results.append(
                Finding(
                    check_id=chk.id,
                    url=url,
                    selector="html",
                    snippet="",
                    message=f"The check could not run on this page: {type(exc).__name__}: {exc}",
                    severity=chk.severity,
                    outcome=Outcome.ERROR,
                    sources=sources,
                )
            )
    return results
