"""Progress: one live line on a terminal, a plain line every AUDIT_PROGRESS_INTERVAL seconds otherwise (CI logs).

    Crawling: 120 found, 80 crawled, 75 audited, 40 queued, 5 being audited, 2 errors; about 1 min left (0:35)

- the phase: crawling (pages are still to be fetched), auditing (all fetched; audits, mostly the browser's, are
  still running), stopping (after Ctrl-C: the pages in progress finish); the CLI then says it writes the report
- found: pages scheduled (start page, links, sitemap entries within the caps; with --urls, the list)
- crawled: pages whose fetch finished (a response, or an error such as a refused connection)
- audited: HTML pages whose audits finished and were stored
- queued: found but not crawled yet
- being audited: crawled but not stored yet (waiting for, or in, the audits: the browser's queue)
- errors: pages that answered 4xx/5xx or could not be fetched or audited (a page whose browser findings were
  inferred from its template is not an error)
- time left: what is queued and being audited, at the rate pages were stored over the last minute (once there is
  one), never more pages than --max-pages leaves

Enabled by AUDIT_PROGRESS (the CLI sets it unless --quiet). Writes to stderr only; on a terminal the line is
redrawn in place (at most every 0.5 s) and ended with a newline when the crawl stops, so the CLI's summary and
the report paths that follow start on a fresh line. With -v (Scrapy's log on stderr) plain lines are used.
"""

from __future__ import annotations

import sys
import time
from collections import deque
from typing import Any, TextIO

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task

TERMINAL_INTERVAL = 0.5
RATE_WINDOW = 60.0  # seconds of stored pages the time estimate is read from
RATE_MIN_SECONDS = 5.0  # no estimate before the rate has been watched this long


def _duration(seconds: float) -> str:
    """A rough time span: '40 s', '3 min', '1 h 5 min'."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{max(10, (seconds + 9) // 10 * 10)} s"
    minutes = (seconds + 30) // 60
    return f"{minutes} min" if minutes < 60 else f"{minutes // 60} h {minutes % 60} min"


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
        self.max_pages = crawler.settings.getint("AUDIT_MAX_PAGES", 0)
        self.stop = crawler.settings.get("AUDIT_STOP")
        self.samples: deque[tuple[float, int]] = deque()  # (when, pages stored) over the last RATE_WINDOW seconds
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
        failed_browser = browser.get("audited") is False and not browser.get("inferred")
        if getattr(item, "error", None) or (status is not None and status >= 400) or failed_browser:
            self.errors += 1

    def counts(self) -> dict[str, int]:
        spider = getattr(self.crawler, "spider", None)
        found = int(getattr(spider, "pages_scheduled", 0) or 0)
        listed = len(getattr(spider, "listed", None) or ())
        if listed:  # a --urls list is scheduled a little at a time: it is all found from the start
            found = max(found, min(listed, self.max_pages) if self.max_pages else listed)
        stats = self.crawler.stats
        audited = int(stats.get_value("audit/pages_audited", 0) or 0)
        stored = int(stats.get_value("audit/pages_stored", 0) or 0) + int(stats.get_value("audit/pages_stopped", 0) or 0)
        crawled = min(self.crawled, found) if found else self.crawled
        return {"found": found, "crawled": crawled, "audited": audited, "queued": max(0, found - crawled),
                "auditing": max(0, crawled - stored), "stored": stored, "errors": self.errors}

    def phase(self, c: dict[str, int]) -> str:
        if self.stop is not None and self.stop.requested:
            return "stopping"
        return "crawling" if c["queued"] or not c["crawled"] else "auditing"

    def left(self, c: dict[str, int], now: float) -> float | None:
        """Seconds left at the recent rate of stored pages; None until there is a rate."""
        samples = self.samples
        samples.append((now, c["stored"]))
        while len(samples) > 2 and now - samples[0][0] > RATE_WINDOW:
            samples.popleft()
        (t0, n0), (t1, n1) = samples[0], samples[-1]
        if t1 - t0 < RATE_MIN_SECONDS or n1 <= n0:
            return None
        pages = c["auditing"] + (0 if self.phase(c) == "stopping" else c["queued"])
        if self.max_pages:
            pages = min(pages, max(0, self.max_pages - c["stored"]))
        return pages / ((n1 - n0) / (t1 - t0))

    def line(self) -> tuple[str, str]:
        """(the phase, the counts and the time estimate)."""
        now = time.monotonic()
        c = self.counts()
        phase = self.phase(c)
        parts = [f"{c['found']} found", f"{c['crawled']} crawled", f"{c['audited']} audited", f"{c['queued']} queued"]
        if c["auditing"]:
            parts.append(f"{c['auditing']} being audited")
        parts.append(f"{c['errors']} error{'' if c['errors'] == 1 else 's'}")
        left = self.left(c, now)
        estimate = f"; about {_duration(left)} left" if left is not None and (c["queued"] or c["auditing"]) else ""
        return phase, f"{', '.join(parts)}{estimate} ({_clock(now - self.started)})"

    # output -----------------------------------------------------------------------------------------------------
    def spider_opened(self, spider: Any = None) -> None:
        self.started = time.monotonic()
        self._task = task.LoopingCall(self.tick)
        self._task.start(self.interval, now=False)

    def tick(self) -> None:
        phase, text = self.line()
        try:
            if self.live:
                shown = f"{phase.capitalize()}: {text}"
                pad = max(0, self._width - len(shown))
                self.stream.write("\r" + shown + " " * pad)
                self._width = len(shown)
            else:
                self.stream.write(f"empathy-audit: progress: {phase}: {text}\n")
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
