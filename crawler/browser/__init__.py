"""The browser audit: Chromium WebDrivers pooled (pool.py) and started, checked and killed one by one (driver.py,
processes.py), each page audited in a leased browser (page_audit.py, screenshots.py), configured by AUDIT_*
settings (config.py). Callers use the names exported here."""

from __future__ import annotations

from crawler.browser.config import BASE_ARGS, JS_FLAGS, BrowserConfig
from crawler.browser.driver import PooledDriver
from crawler.browser.errors import BrowserUnavailable
from crawler.browser.page_audit import BrowserResult, browser_check_findings
from crawler.browser.pool import DriverPool

__all__ = [
    "BASE_ARGS",
    "JS_FLAGS",
    "BrowserConfig",
    "BrowserResult",
    "BrowserUnavailable",
    "DriverPool",
    "PooledDriver",
    "browser_check_findings",
]
