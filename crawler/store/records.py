"""Typed rows out of the run history: JSON columns parsed once, severities and outcomes as audits.model enums.

Records are read-only by contract: a run's equal strings are one object, and equal JSON values (headers, data,
sources...) one parsed value shared by every row that has them (Store.load_run: a 10,000-page run loads flat).
`coerce` turns a dict of the same shape (a test's factory, a caller that built one) into a record.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, NamedTuple

from audits.model import Outcome, Severity


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


class _Row:
    """Dict-style reads (`row["url"]`, `row.get("url")`) for callers written against the dicts the history
    returned before records: crawler/cli.py, reports/aggregate.py, reports/savings.py and tests. Remove it once
    they read attributes."""

    __slots__ = ()

    def __getitem__(self, key: str) -> Any:
        try:
            return getattr(self, key)
        except AttributeError:
            raise KeyError(key) from None

    def get(self, key: str, default: Any = None) -> Any:
        return getattr(self, key, default)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and hasattr(self, key)

    def keys(self) -> list[str]:
        return [f.name for f in fields(self)]  # type: ignore[arg-type]

    @classmethod
    def coerce(cls, value: Any) -> Any:
        """`value` if it is a record of this type, else the record a mapping of the same keys describes."""
        return value if isinstance(value, cls) else cls.from_mapping(value)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class RunRecord(_Row):
    id: int | None
    site: str
    start_url: str
    started_at: str | None
    finished_at: str | None
    status: str
    settings: dict[str, Any]
    versions: dict[str, Any]
    stats: dict[str, Any]

    @classmethod
    def from_mapping(cls, d: Mapping[str, Any]) -> RunRecord:
        return cls(id=d.get("id"), site=d.get("site") or "", start_url=d.get("start_url") or "",
                   started_at=d.get("started_at"), finished_at=d.get("finished_at"), status=d.get("status") or "",
                   settings=dict(d.get("settings") or {}), versions=dict(d.get("versions") or {}),
                   stats=dict(d.get("stats") or {}))


@dataclass(frozen=True, slots=True)
class PageRecord(_Row):
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

    @classmethod
    def from_mapping(cls, d: Mapping[str, Any]) -> PageRecord:
        browser = d.get("browser")
        return cls(url=str(d.get("url") or ""), final_url=d.get("final_url"), status=int_or_none(d.get("status")),
                   content_type=d.get("content_type"), depth=int_or_none(d.get("depth")),
                   found_via=d.get("found_via"), referrer=d.get("referrer"),
                   sitemap_priority=float_or_none(d.get("sitemap_priority")), title=d.get("title"),
                   inbound_links=int_or_none(d.get("inbound_links")) or 0, error=d.get("error"),
                   redirect_chain=tuple(str(u) for u in (d.get("redirect_chain") or ())),
                   headers=d.get("headers"), browser=browser if isinstance(browser, dict) else None,
                   fetched_at=float_or_none(d.get("fetched_at")))


@dataclass(frozen=True, slots=True)
class FindingRecord(_Row):
    check_id: str
    url: str  # the page the finding is about
    selector: str
    snippet: str
    message: str
    severity: Severity
    outcome: Outcome
    sources: tuple[str, ...]
    data: dict[str, Any]

    @classmethod
    def from_mapping(cls, d: Mapping[str, Any]) -> FindingRecord:
        return cls(check_id=str(d.get("check_id") or "unknown"), url=str(d.get("url") or ""),
                   selector=str(d.get("selector") or ""), snippet=str(d.get("snippet") or ""),
                   message=str(d.get("message") or ""), severity=severity_of(d.get("severity")),
                   outcome=outcome_of(d.get("outcome")), sources=tuple(str(s) for s in (d.get("sources") or ())),
                   data=dict(d.get("data") or {}))


@dataclass(frozen=True, slots=True)
class ResourceRecord(_Row):
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

    @classmethod
    def from_mapping(cls, d: Mapping[str, Any]) -> ResourceRecord:
        return cls(page_url=str(d.get("page_url") or ""), url=str(d.get("url") or ""), type=d.get("type") or "",
                   found_via=d.get("found_via") or "", in_weight=bool(d.get("in_weight")),
                   selector=d.get("selector") or "", data=dict(d.get("data") or {}),
                   status=int_or_none(d.get("status")), content_type=d.get("content_type") or "",
                   bytes=int_or_none(d.get("bytes")), decoded_bytes=int_or_none(d.get("decoded_bytes")),
                   gzip_bytes=int_or_none(d.get("gzip_bytes")), encoding=d.get("encoding") or "",
                   cache_control=d.get("cache_control"), expires=d.get("expires"), etag=d.get("etag"),
                   last_modified=d.get("last_modified"), measured=bool(d.get("measured")),
                   reason=d.get("reason"), method=d.get("method"), info=dict(d.get("info") or {}))


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
