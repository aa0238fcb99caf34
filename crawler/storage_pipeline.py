"""The storage pipeline: each page and its findings go to the run history as soon as its audits are done."""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import scrapy
from scrapy.exceptions import NotConfigured

from empathy_audit.crawler.items import PageItem
from empathy_audit.crawler.store import Store
from empathy_audit.crawler.store.handover import store_for
from empathy_audit.crawler.urls import in_origins, origin_of


def versions() -> dict[str, Any]:
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
        if s.get("AUDIT_STORE") is None and not s.get("AUDIT_DB"):
            raise NotConfigured("neither AUDIT_STORE nor AUDIT_DB is set")
        self.run_id: int | None = s.getint("AUDIT_RUN_ID") or None
        self.store: Store | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> StoragePipeline:
        pipeline = cls(crawler)
        # The run is closed on spider_closed, which carries the finish reason (pipelines close before it is known).
        crawler.signals.connect(pipeline.spider_closed, signal=scrapy.signals.spider_closed)
        return pipeline

    def open_spider(self) -> None:
        self.store = store_for(self.crawler)
        spider = self.crawler.spider
        if self.run_id is None:
            self.run_id = self.store.start_run(
                site=origin_of(spider.start_url),
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
        origins = getattr(self.crawler.spider, "origins", None)  # the site is its origins, not its hosts
        internal = [t for t, _ in item.links if origins is None or in_origins(t, origins)]
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
        self.store = None  # closed by whoever opened it (the run, or store_for when the engine stops)


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
        parts = urlsplit(url)
        if "@" in parts.netloc:
            out["AUDIT_WEBDRIVER_URL"] = urlunsplit(parts._replace(netloc="********@" + parts.netloc.rsplit("@", 1)[1]))
    return out
