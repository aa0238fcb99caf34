"""Stored records of a run (crawler.store.records) read into the report model's records."""

from __future__ import annotations

import os
from dataclasses import dataclass

from empathy_audit.audits.model import Outcome
from empathy_audit.crawler.store.records import (
    FindingRecord,
    PageRecord,
    RunRecord,
    float_or_none,
    int_or_none,
)
from empathy_audit.reports.model import Element, Page, RunInfo
from empathy_audit.reports.screenshots import screenshot_data_uri
from empathy_audit.reports.sources import ordered_sources

__all__ = ["Item", "RunInputs", "dedupe", "float_or_none", "int_or_none", "ordered_sources", "page_order",
           "page_record", "parse_finding", "run_info"]

# A run as Store.load_run gives it (crawler.store.records.RunData is one).
RunInputs = tuple[RunRecord, list[PageRecord], list[FindingRecord]]


def run_info(r: RunRecord) -> RunInfo:
    versions = dict(r.versions)
    for key in ("empathy_audit", "scrapy", "python", "axe_core", "chromium"):
        versions.setdefault(key, None)
    return RunInfo(
        id=r.id,
        site=str(r.site or ""),
        start_url=str(r.start_url or r.site or ""),
        started_at=r.started_at,
        finished_at=r.finished_at,
        status=str(r.status or "unknown"),
        versions=versions,
        settings=dict(r.settings),
        stats=dict(r.stats),
    )


def page_record(p: PageRecord) -> Page:
    return Page(
        anchor="",
        url=p.url,
        final_url=p.final_url,
        status=p.status,
        content_type=p.content_type,
        depth=p.depth,
        title=p.title,
        found_via=p.found_via,
        inbound_links=p.inbound_links,
        error=p.error,
        redirect_chain=list(p.redirect_chain),
        browser=dict(p.browser) if p.browser is not None else None,
        sitemap_priority=float_or_none(p.sitemap_priority),
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


def parse_finding(f: FindingRecord, screenshots: dict[str, str | None], shots_base: str | None = None) -> Item:
    data = dict(f.data)
    shot = data.get("screenshot")
    shot_path = shot if isinstance(shot, str) and shot else None
    if shot_path is not None and shots_base and not os.path.isabs(shot_path):
        shot_path = os.path.join(shots_base, shot_path)  # browser screenshots are stored relative to the run's out dir
    if shot_path is not None and shot_path not in screenshots:
        screenshots[shot_path] = screenshot_data_uri(shot_path)
    return Item(
        check_id=f.check_id or "unknown",
        url=f.url,
        outcome=f.outcome,
        element=Element(
            selector=f.selector,
            snippet=f.snippet,
            message=f.message,
            severity=f.severity,
            sources=_shared(f.sources),
            data=data,
            outcome=f.outcome,
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
