"""Typed rows out of the run history: JSON columns parsed once, severities and outcomes as audits.model enums.

Records are read-only by contract: a run's equal strings are one object, and equal JSON values (headers, data,
sources...) one parsed value shared by every row that has them (Store.load_run: a 10,000-page run loads flat).
Callers read attributes; a changed copy is `dataclasses.replace(record, ...)`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, NamedTuple

from empathy_audit.audits.model import Outcome, Severity


def severity_of(value: Any, default: Severity = Severity.MODERATE) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        return default


def outcome_of(value: Any) -> Outcome:
    if value is None:
        return Outcome.FAIL
    try:
        return Outcome(value)
    except ValueError:
        return Outcome.ERROR  # an outcome we cannot read is never shown as a pass nor a failure


def int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def float_or_none(value: Any) -> float | None:
    try:
        v = float(value) if value is not None else None
    except (TypeError, ValueError):
        return None
    return v if v is None or math.isfinite(v) else None


@dataclass(frozen=True, slots=True)
class RunRecord:
    id: int | None
    site: str
    start_url: str
    started_at: str | None
    finished_at: str | None
    status: str
    settings: dict[str, Any]
    versions: dict[str, Any]
    stats: dict[str, Any]
    owner: dict[str, Any] | None = None  # the crawl process that started it (crawler/store/owner.py)


@dataclass(frozen=True, slots=True)
class PageRecord:
    url: str
    final_url: str | None
    status: int | None
    content_type: str | None
    depth: int | None
    found_via: str | None
    referrer: str | None
    sitemap_priority: float | None
    title: str | None
    inbound_links: int
    error: str | None
    redirect_chain: tuple[str, ...]
    headers: dict[str, Any] | None
    browser: dict[str, Any] | None
    fetched_at: float | None


@dataclass(frozen=True, slots=True)
class FindingRecord:
    check_id: str
    url: str  # the page the finding is about
    selector: str
    snippet: str
    message: str
    severity: Severity
    outcome: Outcome
    sources: tuple[str, ...]
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ResourceRecord:
    """One resource one page loads: the page_resources row joined with the resource's measurement."""

    page_url: str
    url: str
    type: str
    found_via: str
    in_weight: bool
    selector: str
    data: dict[str, Any]
    status: int | None
    content_type: str
    bytes: int | None
    decoded_bytes: int | None
    gzip_bytes: int | None
    encoding: str
    cache_control: str | None
    expires: str | None
    etag: str | None
    last_modified: str | None
    measured: bool  # False also when the resource has no measurement row
    reason: str | None
    method: str | None
    info: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Referrer:
    """An element of a page that links to a URL whose status was not known when the page was stored."""

    page_url: str
    selector: str
    snippet: str


class RunData(NamedTuple):
    """One run as Store.load_run gives it: `run, pages, findings = store.load_run(run_id)`."""

    run: RunRecord
    pages: list[PageRecord]
    findings: list[FindingRecord]


class LinkFacts(NamedTuple):
    """What Store.settle_links tells a page: the targets it links to that are known broken (url -> status), and
    the elements of earlier pages that link to it, now that it is known broken (empty when it is not)."""

    broken: dict[str, int]
    fine: frozenset[str]
    waiting: list[Referrer]
