"""Screenshots of the elements behind a page's worst failures, cropped and outlined, under <out_dir>/screenshots/."""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path
from typing import Any

from selenium.common.exceptions import WebDriverException

from empathy_audit.audits.gather.axe import capture_element
from empathy_audit.audits.model import Finding, Outcome
from empathy_audit.crawler.browser.driver import PooledDriver
from empathy_audit.crawler.browser.errors import short

log = logging.getLogger(__name__)

SCREENSHOTS_PER_CHECK = 3  # per check and page, serious/critical failures only
SCREENSHOT_MAX = (600, 400, 150_000)  # CSS px wide, high, bytes


def take_screenshots(slot: PooledDriver, out_dir: Path, url: str, findings: list[Finding]) -> int:
    """Screenshots of the serious and critical failures' elements (a few per check); each one's path goes into its
    finding's data["screenshot"], relative to out_dir. Returns how many were taken."""
    driver = slot.driver
    shots_dir = out_dir / "screenshots"
    page_key = hashlib.sha1(url.encode("utf-8")).hexdigest()[:12]
    per_check: dict[str, int] = {}
    taken = 0
    w, h, max_bytes = SCREENSHOT_MAX
    wanted = [f for f in findings if f.outcome is Outcome.FAIL and f.severity.rank >= 3
              and f.selector not in ("html", "body", "head")]
    if not wanted:
        return 0
    if slot.cdp is None:
        slot.cdp = _cdp_works(driver)
        if not slot.cdp:
            log.info("browser %d: no DevTools commands through %s; element screenshots instead of cropped ones",
                     slot.index, slot.config.webdriver_url or "chromedriver")
    shooter = driver if slot.cdp else WithoutCdp(driver)
    for f in wanted:
        n = per_check.get(f.check_id, 0)
        if n >= SCREENSHOTS_PER_CHECK:
            continue
        name = f"{page_key}-{f.check_id}-{n + 1}.png"
        try:
            ok = capture_element(shooter, f.selector, shots_dir / name, max_width=w, max_height=h,
                                 max_bytes=max_bytes)
            if ok and not slot.cdp:
                ok = _png_within(shots_dir / name, w, h)  # an element screenshot is not cropped
        except WebDriverException as exc:
            log.debug("no screenshot of %s on %s: %s", f.selector, url, short(exc))
            ok = False
        if ok:
            per_check[f.check_id] = n + 1
            f.data["screenshot"] = f"screenshots/{name}"  # relative to AUDIT_OUT_DIR
            taken += 1
    return taken


def _cdp_works(driver: Any) -> bool:
    """Chrome DevTools commands reach the browser (chromedriver does; a Grid node or a cloud service may not)."""
    try:
        return bool(driver.execute_cdp_cmd("Browser.getVersion", {}))
    except Exception:  # noqa: BLE001
        return False


class WithoutCdp:
    """The driver, minus execute_cdp_cmd: capture_element then falls back to WebDriver element screenshots."""

    def __init__(self, driver: Any) -> None:
        self._driver = driver

    def __getattr__(self, name: str) -> Any:
        if name == "execute_cdp_cmd":
            raise AttributeError(name)
        return getattr(self._driver, name)


def _png_within(path: Path, max_width: int, max_height: int) -> bool:
    """Keep the PNG only when it fits the size cap (its IHDR says how large it is); delete it otherwise."""
    try:
        head = path.read_bytes()[:24]
        width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    except OSError:
        return False
    if 0 < width <= max_width and 0 < height <= max_height:
        return True
    path.unlink(missing_ok=True)
    return False
