"""DriverPool: N browsers owned by one object, leased to threads, replaced when they crash or hang.

The pool is the only owner of browsers (ARCHITECTURE.md rule of thumb 5). `DriverPool.audit(url, allowed_origins)`
is blocking: call it from a worker thread (the pipeline uses asyncio.to_thread-style executors), never from the
reactor. A page whose browser crashed or hung is retried once on a fresh driver, then reported as failed.
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from selenium.common.exceptions import WebDriverException

from empathy_audit.crawler.browser.config import BrowserConfig
from empathy_audit.crawler.browser.driver import PooledDriver
from empathy_audit.crawler.browser.errors import BrowserBroken, BrowserUnavailable, short
from empathy_audit.crawler.browser.page_audit import BrowserResult, audit_once
from empathy_audit.crawler.browser.processes import quiet
from empathy_audit.crawler.signals import STOPPED

log = logging.getLogger(__name__)


class DriverPool:
    """N browsers, thread-safe lease/release, replaced when they crash or hang; `audit()` is the main entry point."""

    def __init__(self, config: BrowserConfig) -> None:
        if config.browsers < 1:
            raise ValueError("DriverPool needs AUDIT_BROWSERS >= 1")
        self.config = config
        self._axe_options = config.axe_options
        self._slots = [PooledDriver(i, config) for i in range(config.browsers)]
        self._idle: queue.Queue[PooledDriver] = queue.Queue()
        self._closed = False
        self._started = False
        self._lock = threading.Lock()
        self.stats: dict[str, int] = {"audits": 0, "failed": 0, "retried": 0, "replaced": 0, "screenshots": 0}
        self.browser_version: str | None = None
        self.axe_version: str = config.axe.version  # the bundled axe-core, or --axe-script's
        atexit.register(self._kill_all)
        if config.stop is not None:  # a second Ctrl-C kills every browser at once (crawler/signals.py)
            config.stop.on_force(self._kill_all)

    # lifecycle
    def start(self) -> DriverPool:
        """Start every browser (in parallel). Raises if none can start.

        A local browser that fails is retried on lease. A remote session the Grid would not give (it has fewer free
        slots than AUDIT_BROWSERS) is left out of the pool instead: retrying it on every lease would make pages wait
        for the Grid's queue and then fail.
        """
        errors: list[BaseException] = []
        failed: list[PooledDriver] = []

        def boot(slot: PooledDriver) -> None:
            try:
                slot.start()
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)
                failed.append(slot)

        threads = [threading.Thread(target=boot, args=(s,), daemon=True) for s in self._slots]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if len(errors) == len(self._slots):
            self.close()
            raise RuntimeError(f"no browser could start: {short(errors[0])}") from errors[0]
        self.browser_version = next((s.browser_version for s in self._slots if s.browser_version), None)
        if failed and self.config.webdriver_url:
            log.warning("the Grid at %s gave %d of %d browser sessions (%s); auditing with %d",
                        self.config.webdriver_url, len(self._slots) - len(failed), len(self._slots),
                        short(errors[0]), len(self._slots) - len(failed))
            self._slots = [s for s in self._slots if s not in failed]
        for s in self._slots:
            self._idle.put(s)
        self._started = True
        return self

    def close(self) -> None:
        """Quit every idle browser now; browsers still leased are quit when released."""
        with self._lock:
            self._closed = True
        slots = []
        while True:
            try:
                slots.append(self._idle.get_nowait())
            except queue.Empty:
                break
        threads = [threading.Thread(target=s.quit, daemon=True) for s in slots]
        for t in threads:
            t.start()
        for t in threads:
            t.join(15)
        atexit.unregister(self._kill_all)

    def _kill_all(self) -> None:
        for s in self._slots:
            quiet(s.kill)

    def __enter__(self) -> DriverPool:
        if not self._started:
            self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @property
    def size(self) -> int:
        return len(self._slots)

    # leasing
    def lease(self, timeout: float | None = None) -> PooledDriver:
        """Take a browser for this thread's exclusive use (blocks while all are busy); started if it is not."""
        if self._closed:
            raise BrowserUnavailable("the browser pool is closed")
        try:
            slot = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise BrowserUnavailable(f"no browser became free within {timeout:g} s") from None
        if self._closed:
            slot.quit()
            raise BrowserUnavailable("the browser pool is closed")
        return slot

    def release(self, slot: PooledDriver, *, broken: bool = False) -> None:
        """Give a browser back; broken=True kills it (it is restarted on its next lease)."""
        if broken:
            slot.kill()
        if self._closed:
            slot.quit()
            return
        self._idle.put(slot)

    @contextmanager
    def leased(self, timeout: float | None = None) -> Iterator[PooledDriver]:
        slot = self.lease(timeout)
        broken = False
        try:
            self._ensure(slot)
            yield slot
        except WebDriverException:
            broken = not slot.alive()
            raise
        finally:
            self.release(slot, broken=broken)

    def _ensure(self, slot: PooledDriver) -> None:
        """(Re)start the slot's browser if it is not running."""
        if slot.driver is not None and slot.alive():
            return
        if slot.starts:
            log.warning("browser %d is gone; starting a fresh one", slot.index)
            with self._lock:
                self.stats["replaced"] += 1
        slot.kill()
        slot.start()
        if self.browser_version is None:
            self.browser_version = slot.browser_version

    # auditing: a leased browser per page, replaced and the page retried once when it breaks (page_audit.py)
    def audit(self, url: str, allowed_origins: Iterable[str] | None = None) -> BrowserResult:
        """Load url in a browser, run axe, map to findings, take screenshots. Blocking; thread-safe.

        `allowed_origins` (`scheme://host[:port]`): a page that ends up on another origin is not audited.

        Never raises for page or browser problems: the result's `error` says why the page was not audited.
        """
        t0 = time.monotonic()
        origins = set(allowed_origins) if allowed_origins else None
        if self._stopping():
            return self._count(BrowserResult(url=url, error=STOPPED, attempts=0), t0)
        try:
            slot = self.lease(timeout=max(60.0, self.config.deadline * 2))
        except BrowserUnavailable as exc:
            return self._count(BrowserResult(url=url, error=str(exc), attempts=0), t0)
        reasons: list[str] = []
        try:
            for attempt in (1, 2):
                if self._stopping(forced=attempt == 2):  # stopped while waiting for a browser; killed on purpose
                    return self._count(BrowserResult(url=url, error=STOPPED, attempts=attempt - 1), t0)
                if attempt == 2:
                    with self._lock:
                        self.stats["retried"] += 1
                try:
                    self._ensure(slot)
                except Exception as exc:  # noqa: BLE001
                    reasons.append(f"the browser could not start ({short(exc)})")
                    slot.kill()
                    continue
                try:
                    result = audit_once(slot, url, origins, self.config, self._axe_options)
                except BrowserBroken as exc:
                    log.warning("browser %d broke on %s: %s", slot.index, url, exc)
                    reasons.append(str(exc))
                    slot.kill()
                    continue
                result.attempts = attempt
                return self._count(result, t0)
            return self._count(
                BrowserResult(url=url, error="; then ".join(reasons) + " (tried twice)", attempts=2), t0
            )
        finally:
            self.release(slot)

    def _stopping(self, forced: bool = False) -> bool:
        """The run is stopping (the first Ctrl-C: no new page), or quitting (the second: not even a retry)."""
        stop = self.config.stop
        return stop is not None and (stop.forced if forced else stop.requested)

    def _count(self, result: BrowserResult, t0: float) -> BrowserResult:
        result.seconds = round(time.monotonic() - t0, 3)
        result.browser_version = result.browser_version or self.browser_version
        with self._lock:
            self.stats["audits"] += 1
            if result.error:
                self.stats["failed"] += 1
            self.stats["screenshots"] += result.screenshots
        return result
