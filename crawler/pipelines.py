"""The HTML audit pipeline: the checks of every family that reads the served HTML, and the page's links for the
link audit."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urljoin

from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.families import Need
from empathy_audit.audits.registry import by_need
from empathy_audit.audits.runner import run_families
from empathy_audit.crawler.items import PageItem
from empathy_audit.crawler.urls import link_target

log = logging.getLogger(__name__)

_SKIP = ("mailto:", "tel:", "javascript:", "data:", "#")


class HtmlAuditPipeline:
    """Runs the checks of each family that needs the served HTML (static, and any family declared with
    Need.HTML, built in or plug-in) on each HTML page, and lists its internal links with their elements."""

    def __init__(self) -> None:
        self.families = by_need(Need.HTML)

    def process_item(self, item: PageItem) -> PageItem:
        if not item.is_html:
            return item
        page = StaticPage(url=item.url, html=item.html or "", status=item.status or 200, headers=item.headers)
        item.findings.extend(run_families(self.families, page, item.url))
        item.soup = page.soup  # parsed once: the media audit reads the same tree
        base = item.final_url or item.url
        base_tag = page.soup.find("base", href=True)
        if base_tag is not None:
            base = urljoin(base, str(base_tag["href"]))
        # Targets only: a link's selector and snippet are worked out by the link-integrity pipeline, for the few
        # links whose target is (or may still turn out) broken.
        links: list[tuple[str, Any]] = []
        for el in page.soup.find_all(["a", "area"], href=True):
            href = str(el["href"]).strip()
            if not href or href.lower().startswith(_SKIP):
                continue
            target = link_target(base, href)
            if target is not None and target.startswith(("http://", "https://")):
                links.append((target, el))
        item.links = links
        return item
