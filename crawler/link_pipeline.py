"""The link-integrity pipeline: links to pages that answered 4xx/5xx become broken-link findings on the pages
that link to them, whichever of the two was crawled first."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from audits.artifacts import css_path, snippet
from audits.crawl.broken_link import BrokenLink
from audits.model import Kind
from audits.registry import select
from audits.runner import run_checks
from crawler.items import PageItem


class LinkIntegrityPipeline:
    """Turns links to pages that answered 4xx/5xx into broken-link findings on every page that links to them."""

    MAX_REFERRERS = 200  # elements remembered per target: enough to report every page of a site-wide link

    def __init__(self) -> None:
        self.broken: dict[str, int] = {}
        # Pages whose fetch is over and not broken (each URL is fetched once): links to them never give a finding,
        # so they are neither remembered nor described.
        self.fine: set[str] = set()
        self.referrers: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        self.checks = select(Kind.CRAWL, ["broken-link"])

    def _findings(self, page_url: str, target: str, status: int, selector: str, snip: str) -> list[Any]:
        link = BrokenLink(page_url=page_url, target=target, status=status, selector=selector, snippet=snip)
        return run_checks(Kind.CRAWL, link, page_url, self.checks)

    def process_item(self, item: PageItem) -> PageItem:
        broken, fine, referrers = self.broken, self.fine, self.referrers
        for target, el in item.links:
            if target in fine:
                continue
            if target in broken:
                item.findings.extend(self._findings(item.url, target, broken[target], css_path(el), snippet(el)))
            else:
                refs = referrers[target]
                if len(refs) < self.MAX_REFERRERS:
                    refs.append((item.url, css_path(el), snippet(el)))
        if item.is_broken:
            self.broken[item.url] = item.status or 0
            # Findings for pages already stored: the storage pipeline files them under their own page.
            for page_url, selector, snip in self.referrers.pop(item.url, []):
                item.findings.extend(self._findings(page_url, item.url, item.status or 0, selector, snip))
        else:
            fine.add(item.url)
            self.referrers.pop(item.url, None)
        return item
