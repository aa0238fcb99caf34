"""BrowserAuditPipeline: audits each HTML page in Chromium with axe, off the reactor thread, via the DriverPool."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from scrapy.exceptions import NotConfigured

from empathy_audit.audits.browser.axe_map import merge_findings
from empathy_audit.crawler.browser import BrowserConfig, BrowserResult, DriverPool
from empathy_audit.crawler.items import PageItem
from empathy_audit.crawler.sampling import Plan, Projected, Sampler, layout_of, project
from empathy_audit.crawler.urls import origin

log = logging.getLogger(__name__)


class BrowserAuditPipeline:
    """Runs axe in a pooled Chromium on every HTML page and merges its findings (one finding per barrier).

    Enable with AUDIT_BROWSERS >= 1 and list it after the static audit pipeline in ITEM_PIPELINES. Sets
    item.browser = {"audited": True, "axe_version": ..., "error": None} or {"audited": False, "error": "audit failed:
    <reason>"}; a page the browser could not audit is never counted as a pass.

    With sampling on (AUDIT_SAMPLE, crawler/sampling.py) a page of a variant whose representatives were audited is
    not loaded: item.browser = {"audited": False, "inferred": True, "error": None, "inferred_from": <first
    representative's URL>, "representatives": [...], "template": ..., "findings_inferred": n}, and the
    representatives' browser findings on elements this page has are merged into its findings with
    data["inferred_from"]. Audited pages then also carry "template" and, for representatives, "representative": True.
    """

    def __init__(self, crawler: Any, config: BrowserConfig) -> None:
        self.crawler = crawler
        self.config = config
        self.pool: DriverPool | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._sem: asyncio.Semaphore | None = None
        self._dsem: Any = None  # twisted DeferredSemaphore, when the reactor is not asyncio's
        self._start_error: str | None = None
        self.sampler = Sampler.from_settings(crawler.settings)
        # How long a page waits for its variant's representatives before it is audited itself.
        self._wait_timeout = max(180.0, 10.0 * float(getattr(config, "page_timeout", 30) or 30))

    @classmethod
    def from_crawler(cls, crawler: Any) -> "BrowserAuditPipeline":
        config = BrowserConfig.from_settings(crawler.settings)
        if config.browsers == 0:
            raise NotConfigured()  # --no-browser: the user asked for it, so Scrapy logs nothing (no message)
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
        soup, plan = self._plan(item)
        for _ in range(3):  # a representative failed: wait for its successor (a few times at most)
            if plan.action != "infer":
                break
            sources, timed_out = await self.sampler.wait(plan.reps, self._wait_timeout)
            if sources:
                self._infer(item, plan, sources, soup)
                return item
            plan = self.sampler.retry(plan, item.url, timed_out)
        if plan.action == "infer":
            plan = Plan("audit", plan.layout, variant=plan.variant)
        url = item.final_url or item.url
        origins = self._allowed_origins(item)
        try:
            result = await self._limited(self.pool.audit, url, origins)
        except BaseException:
            self.sampler.settle(plan, None, None)  # never leave the variant's other pages waiting on us
            raise
        self.apply(item, result)
        self.sampler.settle(plan, result.findings if result.audited else None, soup)
        if plan.layout is not None and result.audited and isinstance(item.browser, dict):
            item.browser["template"] = plan.layout.template
            if plan.rep is not None:
                item.browser["representative"] = True
        stats = self.crawler.stats
        if result.audited:
            stats.inc_value("audit/browser_pages")
            if result.browser_version:
                stats.set_value("audit/chromium_version", result.browser_version)
        else:
            stats.inc_value("audit/browser_failed")
            log.warning("browser audit failed on %s: %s", item.url, result.error)
        return item

    # sampling ----------------------------------------------------------------------------------------------------
    def _plan(self, item: PageItem) -> tuple[Any, Plan]:
        """The page's parsed HTML (when sampling needs it) and what to do with it (crawler/sampling.py)."""
        if not self.sampler.active or _asyncio_loop() is None:
            return None, self.sampler.plan(item.url, None)
        try:
            soup = item.soup
            if soup is None:
                from empathy_audit.audits.artifacts import parse_html

                soup = parse_html(item.html or "")
            layout = layout_of(soup, item.findings, item.final_url or item.url)
        except Exception as exc:  # noqa: BLE001 - a page we cannot describe is simply audited
            log.warning("could not work out the layout of %s: %s", item.url, exc)
            return None, self.sampler.plan(item.url, None)
        spider = getattr(self.crawler, "spider", None)
        found = int(getattr(spider, "pages_scheduled", 0) or 0)  # pages found so far: is the site large?
        return soup, self.sampler.plan(item.url, layout, found)

    def _infer(self, item: PageItem, plan: Plan, sources: list[Projected], soup: Any) -> None:
        projected = project(soup, item.url, sources)
        item.findings = merge_findings(item.findings, projected)
        item.browser = {
            "audited": False,
            "inferred": True,
            "error": None,
            "inferred_from": sources[0].url,
            "representatives": [s.url for s in sources],
            "template": plan.layout.template if plan.layout is not None else None,
            "axe_version": self.pool.axe_version if self.pool is not None else None,
            "findings_inferred": len(projected),
        }
        stats = self.crawler.stats
        stats.inc_value("audit/browser_inferred")
        stats.set_value("audit/sample_templates", self.sampler.templates)  # templates seen so far

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

    def _allowed_origins(self, item: PageItem) -> set[str]:
        """The site's origins (SiteSpider.origins); for another spider its `hosts` or `allowed_domains` (host names,
        any port), else the page's own origin: the browser audits nothing elsewhere."""
        spider = getattr(self.crawler, "spider", None)
        scope = getattr(spider, "origins", None) or getattr(spider, "hosts", None) \
            or getattr(spider, "allowed_domains", None)
        if scope:
            return {str(s).lower() for s in scope}
        return {o for o in (origin(u) for u in (item.url, item.final_url) if u) if o}

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
