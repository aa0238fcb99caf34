"""Auditing one page in a leased browser: load, axe, probes, findings, screenshots, and telling a slow or broken page
apart from a crashed or hung browser (which raises BrowserBroken: the pool replaces it and retries the page)."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

from selenium.common.exceptions import InvalidSessionIdException, WebDriverException

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.browser.axe_map import findings_from_axe
from empathy_audit.audits.gather.axe import AxePage, AxeTimeout, PageLoadTimeout, excluded, gather
from empathy_audit.audits.model import Finding
from empathy_audit.audits.families import Need
from empathy_audit.audits.registry import by_need
from empathy_audit.audits.runner import run_families
from empathy_audit.crawler.browser.config import REMOTE_COMMAND_MARGIN, BrowserConfig
from empathy_audit.crawler.browser.driver import PooledDriver
from empathy_audit.crawler.browser.errors import DEAD_MARKERS, BrowserBroken, http_timeout, short
from empathy_audit.crawler.browser.processes import quiet
from empathy_audit.crawler.browser.screenshots import take_screenshots

log = logging.getLogger(__name__)


@dataclass
class BrowserResult:
    """One page as the browser audited it. `error` set means not audited (never read as a pass)."""

    url: str
    final_url: str = ""
    title: str = ""
    axe_version: str | None = None
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    browser_version: str | None = None
    attempts: int = 1
    seconds: float = 0.0
    screenshots: int = 0
    artifact: AxePage | None = None

    @property
    def audited(self) -> bool:
        return self.error is None


def audit_once(slot: PooledDriver, url: str, origins: set[str] | None, cfg: BrowserConfig,
               axe_options: dict[str, Any]) -> BrowserResult:
    """One attempt at the page on the slot's (running) browser; raises BrowserBroken when the browser failed."""
    hung = threading.Event()

    def on_deadline() -> None:
        hung.set()
        slot.kill()

    timer = threading.Timer(cfg.deadline, on_deadline)
    timer.daemon = True
    timer.start()
    driver = slot.driver
    try:
        try:
            if cfg.auth is not None:  # the login's session cookies, once they exist
                cfg.auth.before_page(driver)
            page = gather(
                driver, url, allowed_hosts=origins, options=axe_options, script_timeout=cfg.page_timeout,
                probes=cfg.probes, axe=cfg.axe, context=cfg.axe_context,
            )
        except PageLoadTimeout:
            _recover(slot)
            return BrowserResult(url=url, error=f"the page did not finish loading within {cfg.page_timeout:g} s")
        except AxeTimeout as exc:
            _recover(slot)
            return BrowserResult(url=url, error=str(exc))
        except Exception as exc:  # noqa: BLE001
            if hung.is_set():
                raise BrowserBroken(f"the browser stopped responding for {cfg.deadline:g} s") from exc
            reason = _broken_reason(slot, exc)
            if reason:
                raise BrowserBroken(reason) from exc
            return BrowserResult(url=url, error=f"the page could not be audited ({short(exc)})")
        result = BrowserResult(
            url=url,
            final_url=page.final_url,
            title=page.title,
            axe_version=page.axe_version,
            error=page.error,
            browser_version=slot.browser_version,
            artifact=page,
        )
        if page.error:
            return result
        found = findings_from_axe(page, url) + browser_check_findings(page, url, cfg.ignore_checks)
        result.findings = _in_scope(driver, found, cfg)
        if cfg.screenshots and cfg.out_dir is not None:
            try:
                result.screenshots = take_screenshots(slot, cfg.out_dir, url, result.findings)
            except Exception as exc:  # noqa: BLE001 - a missing picture never fails the audit
                log.info("screenshots failed on %s: %s", url, short(exc))
        if hung.is_set():  # finished, but only just: the browser was killed and restarts on next lease
            log.warning("browser %d hit the deadline right after auditing %s", slot.index, url)
        return result
    finally:
        timer.cancel()


def browser_check_findings(page: AxePage, url: str, ignore: tuple[str, ...] = ()) -> list[Finding]:
    """The checks of every family that reads the rendered page (audits.browser, and any family declared with
    Need.RENDERED) over the probes' data, but the `ignore`d ones; each finding carries its family's source."""
    if not page.probes:
        return []
    rendered = RenderedPage(url=url, final_url=page.final_url, probes=page.probes)
    families = by_need(Need.RENDERED)
    if ignore:
        families = [(kind, [c for c in checks if c.id not in ignore]) for kind, checks in families]
    found = run_families(families, rendered, url)
    for f in found:
        f.url = url
    return found


def _in_scope(driver: Any, found: list[Finding], cfg: BrowserConfig) -> list[Finding]:
    """The findings but those of ignored checks (--ignore-check) and those on elements inside an excluded element
    (--exclude-selector), asked of the page as it is loaded (Element.closest)."""
    if cfg.ignore_checks:
        found = [f for f in found if f.check_id not in cfg.ignore_checks]
    if not cfg.exclude or not found:
        return found
    try:
        inside = excluded(driver, [f.selector for f in found], cfg.exclude)
    except WebDriverException as exc:  # the page went away: axe already left the excluded elements out
        log.info("could not match findings against --exclude-selector on %s: %s", found[0].url, short(exc))
        return found
    return [f for f, out in zip(found, inside) if not out]


def _broken_reason(slot: PooledDriver, exc: BaseException) -> str | None:
    """Why the browser (not the page) is unusable after exc, or None when only this page failed."""
    text = str(exc).lower()
    if http_timeout(exc):
        return (f"the browser stopped responding (no answer within "
                f"{slot.config.page_timeout + REMOTE_COMMAND_MARGIN:g} s)")
    if "timed out receiving message from renderer" in text:
        # The page's script keeps the renderer busy (e.g. an endless loop): the tab will not answer again.
        return f"the page hung the browser ({short(exc)})"
    if slot.remote and (isinstance(exc, InvalidSessionIdException) or "session" in text and any(
            m in text for m in ("invalid session id", "cannot find session", "no such session",
                                "unable to find session"))):
        return f"the remote browser session ended ({short(exc)})"
    if _looks_dead(slot, exc):
        return f"the browser crashed ({short(exc)})"
    return None


def _looks_dead(slot: PooledDriver, exc: BaseException) -> bool:
    if not slot.alive():
        return True
    if not isinstance(exc, WebDriverException):
        return True  # connection errors to chromedriver or the Grid, protocol errors
    if any(m in str(exc).lower() for m in DEAD_MARKERS):
        return True
    return not slot.responsive()


def _recover(slot: PooledDriver) -> None:
    """After a timeout: stop loading and go blank; a browser that cannot is killed (restarted on next lease)."""
    driver = slot.driver
    if driver is None:
        return
    try:
        quiet(lambda: driver.execute_script("window.stop();"))
        driver.get("about:blank")
    except Exception as exc:  # noqa: BLE001
        log.info("browser %d could not recover after a timeout (%s); replacing it", slot.index, short(exc))
        slot.kill()
