"""The browser audit: Chromium WebDrivers pooled (pool.py), each started, checked and killed (driver.py,
processes.py), a page audited in a leased browser (page_audit.py, screenshots.py), configured by the AUDIT_*
settings (config.py). Other modules import the names below from here."""

from __future__ import annotations

from empathy_audit.crawler.browser.config import BASE_ARGS, JS_FLAGS, BrowserConfig
from empathy_audit.crawler.browser.driver import PooledDriver
from empathy_audit.crawler.browser.page_audit import BrowserResult
from empathy_audit.crawler.browser.pool import DriverPool

__all__ = ["BASE_ARGS", "JS_FLAGS", "BrowserConfig", "BrowserResult", "DriverPool", "PooledDriver"]
