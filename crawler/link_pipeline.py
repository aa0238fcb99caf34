"""The link-integrity pipeline: links to pages that answered 4xx/5xx become broken-link findings on the pages
that link to them, whichever of the two was crawled first.

What spans pages (targets known broken or fine, links waiting for a target's status) is kept in the run's store
(Store.settle_links), so processes crawling one run together see each other's pages. Answers that cannot change
are cached here: a URL is fetched once, so a target once known broken stays broken, and one known fine stays fine.
"""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import NotConfigured

from empathy_audit.audits.artifacts import css_path, snippet
from empathy_audit.audits.crawl.broken_link import BrokenLink
from empathy_audit.audits.families import Need
from empathy_audit.audits.registry import by_need
from empathy_audit.audits.runner import run_families
from empathy_audit.crawler.items import PageItem
from empathy_audit.crawler.store.handover import run_id_of, store_for


class LinkIntegrityPipeline:
    """Turns links to pages that answered 4xx/5xx into broken-link findings on every page that links to them."""

    MAX_REFERRERS = 200  # elements remembered per target: enough to report every page of a site-wide link

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.broken: dict[str, int] = {}
        # Pages whose fetch is over and not broken: links to them never give a finding, so they are neither
        # remembered nor described.
        self.fine: set[str] = set()
        self.families = by_need(Need.SITE)  # the checks that read a link and its target's status

    @classmethod
    def from_crawler(cls, crawler: Any) -> LinkIntegrityPipeline:
        if crawler.settings.get("AUDIT_STORE") is None and not crawler.settings.get("AUDIT_DB"):
            raise NotConfigured("link integrity keeps its state in the run history: neither AUDIT_STORE nor "
                                "AUDIT_DB is set")
        return cls(crawler)

    def _findings(self, page_url: str, target: str, status: int, selector: str, snip: str) -> list[Any]:
        link = BrokenLink(page_url=page_url, target=target, status=status, selector=selector, snippet=snip)
        return run_families(self.families, link, page_url)

    def process_item(self, item: PageItem) -> PageItem:
        broken, fine = self.broken, self.fine
        # Links whose target is not known here yet; each described once (the findings keep link order).
        ask: list[tuple[str, str, str]] = []
        for target, el in item.links:
            if target not in fine:
                ask.append((target, css_path(el), snippet(el)))
        store, run_id = store_for(self.crawler), run_id_of(self.crawler)
        facts = store.settle_links(run_id, item.url, item.status, item.is_broken,
                                   [a for a in ask if a[0] not in broken], self.MAX_REFERRERS)
        broken.update(facts.broken)
        fine.update(facts.fine)
        for target, selector, snip in ask:
            status = broken.get(target)
            if status is not None:
                item.findings.extend(self._findings(item.url, target, status, selector, snip))
        if item.is_broken:
            broken[item.url] = item.status or 0
            # Findings for pages already stored: the storage pipeline files them under their own page.
            for ref in facts.waiting:
                item.findings.extend(self._findings(ref.page_url, item.url, item.status or 0, ref.selector,
                                                    ref.snippet))
        else:
            fine.add(item.url)
        return item
