"""BrowserAuditPipeline: audits each HTML page in Chromium with axe, off the reactor thread, via the DriverPool."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

from scrapy.exceptions import NotConfigured

from audits.browser.axe_map import merge_findings
from crawler.browser import BrowserConfig, BrowserResult, DriverPool
from crawler.items import PageItem

log = logging.getLogger(__name__)


class BrowserAuditPipeline:
    """Runs axe in a pooled Chromium on every HTML page and merges its findings (one finding per barrier).

    Enable with AUDIT_BROWSERS >= 1 and list it after the static audit pipeline in ITEM_PIPELINES. Sets
    item.browser = {"audited": True, "axe_version": ..., "error": None} or {"audited": False, "error": "audit failed:
    <reason>"}; a page the browser could not audit is never counted as a pass.
    """

    def __init__(self, crawler: Any, config: BrowserConfig) -> None:
        self.crawler = crawler
        self.config = config
        self.pool: DriverPool | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._sem: asyncio.Semaphore | None = None
        self._dsem: Any = None  # twisted DeferredSemaphore, when the reactor is not asyncio's
        self._start_error: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> "BrowserAuditPipeline":
        config = BrowserConfig.from_settings(crawler.settings)
        if config.browsers == 0:
            raise NotConfigured("AUDIT_BROWSERS is 0: pages are audited without a browser")
        missing = config.missing_prerequisite()
        if missing:
            raise NotConfigured(missing)
        return cls(crawler, config)

    # lifecycle ---------------------------------------------------------------------------------------------------
    async def open_spider(self, spider: Any = None) -> None:
        self._executor = ThreadPoolExecutor(max_workers=self.config.browsers, thread_name_prefix="browser-audit")
        pool = DriverPool(self.config)
        try:
            await self._in_thread(pool.start)
        except Exception as exc:  # noqa: BLE001 - every page then records why it was not audited
            self._start_error = f"the browser could not start ({exc})"
            log.error("browser audit disabled for this crawl: %s", self._start_error)
            return
        self.pool = pool
        stats = self.crawler.stats
        stats.set_value("audit/axe_version", self.pool.axe_version)
        stats.set_value("audit/chromium_version", self.pool.browser_version)
        stats.set_value("audit/browsers", self.config.browsers)
        stats.set_value("audit/standard", self.config.standard)

    async def close_spider(self, spider: Any = None) -> None:
        if self.pool is not None:
            pool, self.pool = self.pool, None
            await self._in_thread(pool.close)
            stats = self.crawler.stats
            for key in ("retried", "replaced", "screenshots"):
                stats.set_value(f"audit/browser_{key}", pool.stats[key])
        if self._executor is not None:
            self._executor.shutdown(wait=False)
            self._executor = None

    # items -------------------------------------------------------------------------------------------------------
    async def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, PageItem) or not item.is_html:
            return item
        if self.pool is None:
            self.apply(item, BrowserResult(url=item.url, error=self._start_error or "the browser pool is not open",
                                           attempts=0))
            self.crawler.stats.inc_value("audit/browser_failed")
            return item
        url = item.final_url or item.url
        hosts = self._allowed_hosts(item)
        result = await self._limited(self.pool.audit, url, hosts)
        self.apply(item, result)
        stats = self.crawler.stats
        if result.audited:
            stats.inc_value("audit/browser_pages")
            if result.browser_version:
                stats.set_value("audit/chromium_version", result.browser_version)
        else:
            stats.inc_value("audit/browser_failed")
            log.warning("browser audit failed on %s: %s", item.url, result.error)
        return item

    @staticmethod
    def apply(item: PageItem, result: BrowserResult) -> None:
        """Record the result on the item: item.browser, and the axe findings merged into item.findings."""
        if not result.audited:
            item.browser = {"audited": False, "axe_version": result.axe_version, "error": f"audit failed: {result.error}",
                            "final_url": result.final_url, "attempts": result.attempts}
            return
        for f in result.findings:
            f.url = item.url
        item.findings = merge_findings(item.findings, result.findings)
        item.browser = {
            "audited": True,
            "axe_version": result.axe_version,
            "error": None,
            "final_url": result.final_url,
            "title": result.title,
            "browser_version": result.browser_version,
            "attempts": result.attempts,
            "seconds": result.seconds,
        }
        probes = getattr(result.artifact, "probes", None) or {}
        if probes:  # how long each probe took, and why one did not run (its checks then say nothing)
            item.browser["probes"] = {name: {k: v for k, v in data.items() if k in ("seconds", "error")}
                                      for name, data in probes.items()}
        if result.artifact is not None and getattr(result.artifact, "resources", None):
            item.browser["resources"] = result.artifact.resources  # taken off again by MediaBrowserPipeline

    def _allowed_hosts(self, item: PageItem) -> set[str]:
        spider = getattr(self.crawler, "spider", None)
        hosts = getattr(spider, "hosts", None) or getattr(spider, "allowed_domains", None)
        if hosts:
            return {str(h).lower() for h in hosts}
        return {(urlsplit(u).hostname or "").lower() for u in (item.url, item.final_url) if u}

    # threads -----------------------------------------------------------------------------------------------------
    async def _limited(self, fn: Any, *args: Any) -> BrowserResult:
        """At most N pages (N = browsers) wait on the pool; the rest wait here, without holding a thread."""
        if _asyncio_loop() is not None:
            if self._sem is None:
                self._sem = asyncio.Semaphore(self.config.browsers)
            async with self._sem:
                return await self._in_thread(fn, *args)
        from twisted.internet.defer import DeferredSemaphore

        if self._dsem is None:
            self._dsem = DeferredSemaphore(self.config.browsers)
        await self._dsem.acquire()
        try:
            return await self._in_thread(fn, *args)
        finally:
            self._dsem.release()

    async def _in_thread(self, fn: Any, *args: Any) -> Any:
        loop = _asyncio_loop()
        if loop is not None:
            return await loop.run_in_executor(self._executor, fn, *args)
        from twisted.internet.threads import deferToThread

        return await deferToThread(fn, *args)


def _asyncio_loop() -> asyncio.AbstractEventLoop | None:
    """The running asyncio loop (Scrapy on the asyncio reactor), else None (a plain Twisted reactor drives us)."""
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None
