"""PageItem: what the spider yields for every URL it tried, HTML or not, and what the pipelines add to it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from empathy_audit.audits.model import Finding


@dataclass
class PageItem:
    url: str  # canonical URL that was requested (fragment and tracking parameters removed)
    final_url: str = ""  # where the response came from after redirects
    status: int | None = None  # HTTP status; None when no response came (refused, DNS, timeout, robots)
    content_type: str = ""
    depth: int = 0  # clicks from the start page (sitemap seeds count as 1)
    found_via: str = "link"  # start | link | sitemap
    referrer: str | None = None
    sitemap_priority: float | None = None
    title: str = ""
    html: str | None = None  # dropped by the storage pipeline once every audit has read it
    soup: Any = None  # the HTML parsed once by the static pipeline and shared with later audits; dropped with html
    headers: dict[str, str] = field(default_factory=dict)
    redirect_chain: list[str] = field(default_factory=list)
    error: str | None = None  # why the page could not be fetched or audited, in one sentence
    links: list[tuple[str, Any]] = field(default_factory=list)  # (canonical target url, <a>/<area> element) links
    findings: list[Finding] = field(default_factory=list)
    browser: dict[str, Any] | None = None  # browser audit result: {"audited": bool, "axe_version": ..., "error": ...}
    fetched_at: float = 0.0

    @property
    def is_html(self) -> bool:
        return self.html is not None and self.status is not None and 200 <= self.status < 300

    @property
    def is_broken(self) -> bool:
        return self.status is not None and self.status >= 400
