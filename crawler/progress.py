"""Progress: one live line on a terminal, a plain line every AUDIT_PROGRESS_INTERVAL seconds otherwise (CI logs).

    Crawling: 120 found, 80 crawled, 75 audited, 40 queued, 2 errors (0:35)

- found: pages scheduled (start page, links, sitemap entries within the caps)
- crawled: pages whose fetch finished (a response, or an error such as a refused connection)
- audited: HTML pages whose audits finished and were stored
- queued: found but not crawled yet
- errors: pages that answered 4xx/5xx or could not be fetched or audited

Enabled by AUDIT_PROGRESS (the CLI sets it unless --quiet). Writes to stderr only; on a terminal the line is
redrawn in place (at most every 0.5 s) and ended with a newline when the crawl stops, so the CLI's summary and
the report paths that follow start on a fresh line. With -v (Scrapy's log on stderr) plain lines are used.
"""

from __future__ import annotations

import sys
import time
from typing import Any, TextIO

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

TERMINAL_INTERVAL = 0.5


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 else \
        f"{seconds // 60}:{seconds % 60:02d}"


class Progress:
    def __init__(self, crawler: Any, stream: TextIO | None = None, live: bool | None = None,
                 interval: float | None = None) -> None:
        self.crawler = crawler
        self.stream = stream or sys.stderr
        verbose = crawler.settings.get("LOG_LEVEL") in ("DEBUG", "INFO")
        is_tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.live = (is_tty and not verbose) if live is None else live
        self.interval = TERMINAL_INTERVAL if self.live else (
            interval or crawler.settings.getfloat("AUDIT_PROGRESS_INTERVAL", 10.0))
        self.crawled = 0
        self.errors = 0
        self.started = time.monotonic()
        self._task: Any = None
        self._last = ""
        self._width = 0

    @classmethod
    def from_crawler(cls, crawler: Any) -> Progress:
        if not crawler.settings.getbool("AUDIT_PROGRESS", False):
            raise NotConfigured  # no message: Scrapy prints one as a warning
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.response_received, signal=signals.response_received)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        return ext

    # counting -----------------------------------------------------------------------------------------------------
    def response_received(self, response: Any, request: Any, spider: Any = None) -> None:
        if request.meta.get("page_url") and not request.meta.get("audit_login"):
            self.crawled += 1

    def item_scraped(self, item: Any, response: Any = None, spider: Any = None) -> None:
        status = getattr(item, "status", None)
        if status is None:
            self.crawled += 1  # no response came: counted here, once its error is recorded
        browser = getattr(item, "browser", None) or {}
        if getattr(item, "error", None) or (status is not None and status >= 400) or browser.get("audited") is False:
            self.errors += 1

    def counts(self) -> dict[str, int]:
        spider = getattr(self.crawler, "spider", None)
        found = int(getattr(spider, "pages_scheduled", 0) or 0)
        stats = self.crawler.stats
        audited = int(stats.get_value("audit/pages_audited", 0) or 0)
        crawled = min(self.crawled, found) if found else self.crawled
        return {"found": found, "crawled": crawled, "audited": audited, "queued": max(0, found - crawled),
                "errors": self.errors}

    def line(self) -> str:
        c = self.counts()
        return (f"{c['found']} found, {c['crawled']} crawled, {c['audited']} audited, {c['queued']} queued, "
                f"{c['errors']} error{'' if c['errors'] == 1 else 's'} ({_clock(time.monotonic() - self.started)})")

    # output -----------------------------------------------------------------------------------------------------
    def spider_opened(self, spider: Any = None) -> None:
        self.started = time.monotonic()
        self._task = task.LoopingCall(self.tick)
        self._task.start(self.interval, now=False)

    def tick(self) -> None:
        text = self.line()
        try:
            if self.live:
                shown = f"Crawling: {text}"
                pad = max(0, self._width - len(shown))
                self.stream.write("\r" + shown + " " * pad)
                self._width = len(shown)
            else:
                self.stream.write(f"empathy-audit: progress: {text}\n")
            self.stream.flush()
        except (OSError, ValueError):  # stderr closed: nothing to show progress on
            self._stop()
        self._last = text

    def spider_closed(self, spider: Any = None, reason: str = "") -> None:
        self._stop()
        if self.live and self._width:
            try:
                self.tick()
                self.stream.write("\n")
                self.stream.flush()
            except (OSError, ValueError):
                pass

    def _stop(self) -> None:
        if self._task is not None and self._task.running:
            self._task.stop()
        self._task = None
