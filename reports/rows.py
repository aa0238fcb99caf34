"""Stored rows of a run (as the history returns them) read into the report model's records."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from typing import Any, Iterable

from audits.model import Outcome, Severity
from reports.model import SOURCE_ORDER, Element, Page, RunInfo
from reports.screenshots import screenshot_data_uri

RunInputs = tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]


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


def ordered_sources(sources: Iterable[str]) -> list[str]:
    unique = set(sources)
    known = [s for s in SOURCE_ORDER if s in unique]
    return known + sorted(unique - set(SOURCE_ORDER))


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



def run_info(run: dict[str, Any]) -> RunInfo:
    versions = dict(run.get("versions") or {})
    for key in ("empathy_audit", "scrapy", "python", "axe_core", "chromium"):
        versions.setdefault(key, None)
    return RunInfo(
        id=run.get("id"),
        site=str(run.get("site") or ""),
        start_url=str(run.get("start_url") or run.get("site") or ""),
        started_at=run.get("started_at"),
        finished_at=run.get("finished_at"),
        status=str(run.get("status") or "unknown"),
        versions=versions,
        settings=dict(run.get("settings") or {}),
        stats=dict(run.get("stats") or {}),
    )


def page_record(d: dict[str, Any]) -> Page:
    browser = d.get("browser")
    return Page(
        anchor="",
        url=str(d.get("url") or ""),
        final_url=d.get("final_url"),
        status=int_or_none(d.get("status")),
        content_type=d.get("content_type"),
        depth=int_or_none(d.get("depth")),
        title=d.get("title"),
        found_via=d.get("found_via"),
        inbound_links=int_or_none(d.get("inbound_links")) or 0,
        error=d.get("error"),
        redirect_chain=[str(u) for u in (d.get("redirect_chain") or [])],
        browser=dict(browser) if isinstance(browser, dict) else None,
        sitemap_priority=float_or_none(d.get("sitemap_priority")),
    )


def page_order(p: Page) -> tuple:
    return (p.depth if p.depth is not None else 1_000_000, p.url)


@dataclass
class Item:
    """A parsed finding, before grouping."""

    check_id: str
    url: str
    outcome: Outcome
    element: Element


def parse_finding(f: dict[str, Any], screenshots: dict[str, str | None], shots_base: str | None = None) -> Item:
    data = dict(f.get("data") or {})
    shot = data.get("screenshot")
    shot_path = shot if isinstance(shot, str) and shot else None
    if shot_path is not None and shots_base and not os.path.isabs(shot_path):
        shot_path = os.path.join(shots_base, shot_path)  # browser screenshots are stored relative to the run's out dir
    if shot_path is not None and shot_path not in screenshots:
        screenshots[shot_path] = screenshot_data_uri(shot_path)
    outcome = outcome_of(f.get("outcome"))
    return Item(
        check_id=str(f.get("check_id") or "unknown"),
        url=str(f.get("url") or ""),
        outcome=outcome,
        element=Element(
            selector=str(f.get("selector") or ""),
            snippet=str(f.get("snippet") or ""),
            message=str(f.get("message") or ""),
            severity=severity_of(f.get("severity")),
            sources=_shared(tuple(str(s) for s in (f.get("sources") or ()))),
            data=data,
            outcome=outcome,
            screenshot_path=shot_path,
            screenshot_uri=screenshots.get(shot_path) if shot_path else None,
        ),
    )


_SHARED: dict[tuple[str, ...], tuple[str, ...]] = {}


def _shared(sources: tuple[str, ...]) -> tuple[str, ...]:
    """One tuple object per distinct sources tuple (a run has a handful, over tens of thousands of elements)."""
    if len(_SHARED) > 1024:
        _SHARED.clear()
    return _SHARED.setdefault(sources, sources)


def dedupe(items: list[Item]) -> list[Item]:
    """Identical findings (same check, outcome, page, element and message) become one, their sources merged."""
    seen: dict[tuple, Item] = {}
    out: list[Item] = []
    for it in items:
        e = it.element
        key = (it.check_id, it.outcome, it.url, e.selector, e.snippet, e.message)
        first = seen.get(key)
        if first is None:
            seen[key] = it
            out.append(it)
            continue
        fe = first.element
        fe.sources = tuple(ordered_sources((*fe.sources, *e.sources)))
        if e.severity.rank > fe.severity.rank:
            fe.severity = e.severity
        if fe.screenshot_uri is None and e.screenshot_uri is not None:
            fe.screenshot_path, fe.screenshot_uri = e.screenshot_path, e.screenshot_uri
    return out
