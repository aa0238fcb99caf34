"""Bytes saved, each counted once: the one model the ranking (reports.aggregate) and the low-bandwidth section
(reports.bandwidth) share.

A saved byte belongs to a file. Every media fix that saves bytes names its file (data["resource"]) and what it
saves on a first visit (data["bytes_saved"]):

- Fixes to one file overlap (resizing and re-encoding one image both shrink it): the file counts once, with the
  largest saving any fix reports for it. A file shared by many pages counts once site-wide (a visitor downloads it
  once), and once in each page that loads it.
- Caching fixes (data["repeat_visit"]) save on return visits only: they are not first-visit savings.
- page-weight is the page-level summary, not a file: the page is `bytes_over` over its budget, and the fix carries
  only the bytes NOT already attributed to a file of that page: bytes_saved = max(0, bytes_over - the page's file
  savings). A page whose file fixes bring it under the budget gets 0: doing those fixes is how it is fixed.

Site-wide bytes saved = the sum over distinct files of their saving. Findings are the store's FindingRecords.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from functools import cache
from typing import Any

from empathy_audit.audits.model import Outcome
from empathy_audit.audits.registry import load_checks
from empathy_audit.crawler.store.records import FindingRecord


@cache
def _budgets() -> frozenset[str]:
    """Ids of the checks that are a page's byte budget (Check.budget): page-weight."""
    return frozenset(c.id for c in load_checks().values() if c.budget)


def is_budget(check_id: str) -> bool:
    """Whether the check is a page's byte budget (page-weight): a page-level summary, not a fix to one file."""
    return check_id in _budgets()


def _bytes(value: Any) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def _file_saving(f: FindingRecord) -> tuple[str, int] | None:
    """(file URL, first-visit bytes saved) of a failing media fix on one file, else None."""
    data = f.data
    if f.check_id in _budgets() or f.outcome is not Outcome.FAIL or data.get("repeat_visit"):
        return None
    resource, saved = data.get("resource"), _bytes(data.get("bytes_saved"))
    if not resource or saved <= 0:
        return None
    return str(resource), saved


def file_savings(findings: Iterable[FindingRecord]) -> dict[str, int]:
    """Distinct file -> the largest first-visit saving any fix reports for it, site-wide."""
    out: dict[str, int] = {}
    for f in findings:
        fs = _file_saving(f)
        if fs is not None and fs[1] > out.get(fs[0], 0):
            out[fs[0]] = fs[1]
    return out


def site_bytes_saved(findings: Iterable[FindingRecord]) -> int:
    """What every first-visit fix together takes off the site's files: the sum over distinct files."""
    return sum(file_savings(findings).values())


def page_file_savings(findings: Iterable[FindingRecord]) -> dict[str, int]:
    """Page URL -> the first-visit bytes the fixes to its files save on it (each of its files once)."""
    per_page: dict[str, dict[str, int]] = {}
    for f in findings:
        fs = _file_saving(f)
        if fs is None:
            continue
        files = per_page.setdefault(f.url, {})
        files[fs[0]] = max(files.get(fs[0], 0), fs[1])
    return {page: sum(files.values()) for page, files in per_page.items()}


def net_page_weight(findings: list[FindingRecord]) -> list[FindingRecord]:
    """The findings with each page-weight finding's bytes_saved reduced to the bytes no file fix of its page
    accounts for (bytes_over: how far over the budget the page is; bytes_attributed: what its file fixes save).
    Other findings are returned as they are; the input is not changed. Applying it twice changes nothing."""
    if not any(f.check_id in _budgets() for f in findings):
        return findings
    attributed = page_file_savings(findings)
    out = []
    for f in findings:
        data = f.data
        if f.check_id not in _budgets() or "bytes_saved" not in data and "bytes_over" not in data:
            out.append(f)
            continue
        over = _bytes(data.get("bytes_over", data.get("bytes_saved")))
        on_files = attributed.get(f.url, 0)
        saved = max(0, over - on_files)
        new = {**data, "bytes_over": over, "bytes_attributed": on_files, "bytes_saved": saved}
        if "seconds_saved" in data:
            new["seconds_saved"] = _seconds(saved)
        out.append(replace(f, data=new))
    return out


def _seconds(nbytes: int) -> float | None:
    try:
        from empathy_audit.audits.media import _network as net
    except ImportError:  # the media checks are not part of this build
        return None
    return round(net.transfer_seconds(nbytes), 2)
