"""Item pipelines: static audits, link integrity, and storage. The spider only crawls; audits happen here."""

from __future__ import annotations

import logging
import platform
from collections import defaultdict
from typing import Any
from urllib.parse import urljoin

import scrapy
from scrapy.exceptions import NotConfigured

from audits.artifacts import StaticPage, css_path, snippet
from audits.crawl.broken_link import BrokenLink
from audits.model import Kind
from audits.registry import select
from audits.runner import run_checks
from crawler.items import PageItem
from crawler.storage import Store
from crawler.urls import host_of, link_target

log = logging.getLogger(__name__)

_SKIP = ("mailto:", "tel:", "javascript:", "data:", "#")


class StaticAuditPipeline:
    """Runs every static check on each HTML page and lists its internal links with their elements."""

    def __init__(self) -> None:
        self.checks = select(Kind.STATIC)

    def process_item(self, item: PageItem) -> PageItem:
        if not item.is_html:
            return item
        page = StaticPage(url=item.url, html=item.html or "", status=item.status or 200, headers=item.headers)
        item.findings.extend(run_checks(Kind.STATIC, page, item.url, self.checks))
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


def versions() -> dict[str, Any]:
    from importlib.metadata import PackageNotFoundError, version

    def v(name: str) -> str | None:
        try:
            return version(name)
        except PackageNotFoundError:
            return None

    return {
        "empathy_audit": v("empathy-audit"),
        "scrapy": scrapy.__version__,
        "python": platform.python_version(),
        "beautifulsoup4": v("beautifulsoup4"),
        "axe_core": None,
        "chromium": None,
    }


class StoragePipeline:
    """Writes each page and its findings to the run history as soon as its audits are done, then drops its HTML."""

    def __init__(self, crawler: Any) -> None:
        s = crawler.settings
        self.crawler = crawler
        self.db_path = s.get("AUDIT_DB")
        if not self.db_path:
            raise NotConfigured("AUDIT_DB is not set")
        self.run_id: int | None = s.getint("AUDIT_RUN_ID") or None
        self.store: Store | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> "StoragePipeline":
        pipeline = cls(crawler)
        # The run is closed on spider_closed, which carries the finish reason (pipelines close before it is known).
        crawler.signals.connect(pipeline.spider_closed, signal=scrapy.signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        self.store = Store(self.db_path)
        spider = self.crawler.spider
        if self.run_id is None:
            self.run_id = self.store.start_run(
                site=_site_of(spider.start_url),
                start_url=spider.start_url,
                settings=audit_settings(self.crawler.settings),
                versions=versions(),
            )
        self.crawler.stats.set_value("audit/run_id", self.run_id)

    def process_item(self, item: PageItem) -> PageItem:
        assert self.store is not None and self.run_id is not None
        own = [f for f in item.findings if f.url == item.url]
        others = [f for f in item.findings if f.url != item.url]
        page = {
            "url": item.url,
            "final_url": item.final_url,
            "status": item.status,
            "content_type": item.content_type,
            "depth": item.depth,
            "found_via": item.found_via,
            "referrer": item.referrer,
            "sitemap_priority": item.sitemap_priority,
            "title": item.title,
            "error": item.error,
            "redirect_chain": item.redirect_chain,
            "headers": item.headers,
            "browser": item.browser,
            "fetched_at": item.fetched_at,
        }
        hosts = getattr(self.crawler.spider, "hosts", None)
        internal = [t for t, _ in item.links if hosts is None or host_of(t) in hosts]
        self.store.add_page(self.run_id, page, own, internal)
        if others:
            self.store.add_findings(self.run_id, others)
        self.crawler.stats.inc_value("audit/pages_stored")
        if item.is_html:
            self.crawler.stats.inc_value("audit/pages_audited")
        # Nothing holds a page's HTML once its audits ran: memory stays flat however large the site.
        item.html = None
        item.soup = None
        item.links = []
        item.findings = []
        return item

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.store is None or self.run_id is None:
            return
        status = "finished" if reason == "finished" else "interrupted"
        # Sitemap priorities of pages a link (or the start URL) reached before their sitemap was read.
        self.store.set_sitemap_priorities(self.run_id, getattr(spider, "sitemap_priorities", None) or {})
        stats = {
            k: v
            for k, v in (self.crawler.stats.get_stats() or {}).items()
            if k.startswith(("audit/", "downloader/response_status_count", "item_scraped", "finish_reason",
                             "elapsed_time", "response_received", "robotstxt/"))
        }
        self.store.finish_run(
            self.run_id,
            status,
            stats,
            versions={
                "axe_core": self.crawler.stats.get_value("audit/axe_version"),
                "chromium": self.crawler.stats.get_value("audit/chromium_version"),
            },
        )
        self.store.close()
        self.store = None


def _site_of(url: str) -> str:
    from crawler.urls import origin_of

    return origin_of(url)


def audit_settings(settings: Any) -> dict[str, Any]:
    """The AUDIT_* settings of a run, as stored with it (never credentials)."""
    out: dict[str, Any] = {}
    for key in sorted(settings.attributes):
        if key.startswith("AUDIT_") and key not in ("AUDIT_RUN_ID",):
            value = settings.get(key)
            if isinstance(value, (str, int, float, bool, type(None))):
                out[key] = value
            elif isinstance(value, (list, tuple)):
                out[key] = list(value)
    out["ROBOTSTXT_OBEY"] = settings.getbool("ROBOTSTXT_OBEY")
    # A Grid URL may carry user:password@: keep the address, never the credentials.
    url = out.get("AUDIT_WEBDRIVER_URL")
    if isinstance(url, str) and url:
        from urllib.parse import urlsplit, urlunsplit

        parts = urlsplit(url)
        if "@" in parts.netloc:
            out["AUDIT_WEBDRIVER_URL"] = urlunsplit(parts._replace(netloc="********@" + parts.netloc.rsplit("@", 1)[1]))
    return out
