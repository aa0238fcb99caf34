"""The "forms" probe (only with --try-forms): submit each form empty and read how its errors reach the visitor.

For up to MAX_FORMS forms on the page (search forms and `method="dialog"` forms are skipped; forms with constraints
or `novalidate` go first) the probe clicks the form's submit button (or calls requestSubmit() when it has none),
waits for the page to settle, and records, as facts only (audits.browser checks decide):

- whether native constraint validation stopped the submission (`invalid` events the page did not cancel: the
  browser's own bubble, accessible by itself), whether the submit event fired and whether the page cancelled it;
- every element that became visible with text (or whose visible text changed) after the submit, the field it sits
  next to, whether it is tied to that field (aria-describedby, aria-errormessage with aria-invalid, inside a
  label or legend), inside a live region (and whether that region existed before), or focused;
- every field whose look (border, outline, background, shadow, colour) changed, its aria-invalid and validity;
- what the page tried to send (fetch, XMLHttpRequest, sendBeacon, WebSocket, form.submit(), window.open,
  navigations) and any alert() text.

Nothing leaves the browser: during the probe a bubbling `submit` listener on window (registered last, so it runs
after the page's own handlers) cancels every submission, and a capturing one makes stopPropagation() cancel it too;
HTMLFormElement.prototype.submit, fetch, XMLHttpRequest.send, navigator.sendBeacon, WebSocket.send and window.open
become recorders (fetch returns a promise that never settles); the Navigation API cancels navigations; alert,
confirm and prompt return at once. With chromedriver, Chrome DevTools also blocks every URL
(Network.setBlockedURLs ["*"]) for the probe's duration. Afterwards every guard is removed, the
DOM mutations the submit caused are undone (a MutationObserver undo log, so selectors found by axe still match),
focus is released and the scroll position put back (field values are never touched: the probe does not type); if
the page navigated anyway, the same URL is loaded again (a GET).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from selenium.common.exceptions import (
    JavascriptException,
    TimeoutException,
    UnexpectedAlertPresentException,
    WebDriverException,
)

from empathy_audit.audits.gather.axe import dismiss_alerts
from empathy_audit.audits.gather.scripts import script

log = logging.getLogger(__name__)

MAX_FORMS = 5
MIN_FORM_SECONDS = 0.9  # do not start another form with less than this left of the budget
SETTLE_QUIET_MS = 300  # the page counts as settled after this long without DOM mutations...
SETTLE_MAX_MS = 1500  # ...or this long after the submit, whichever comes first

# The in-page scripts (audits/gather/js/forms_*.js): list the forms, guard the page, try one form, unguard.
_LIST_JS = script("forms_list")
_GUARD_JS = script("forms_guard")
_TRY_JS = script("forms_try")
_UNGUARD_JS = script("forms_unguard")
_BLUR_JS = script("blur_active")


def _cdp(driver: Any, cmd: str, params: dict[str, Any]) -> bool:
    if not hasattr(driver, "execute_cdp_cmd"):
        return False
    try:
        driver.execute_cdp_cmd(cmd, params)
        return True
    except Exception:  # noqa: BLE001 - a Grid node or cloud service may not pass DevTools commands
        return False


def block_network(driver: Any) -> bool:
    """Block every request through Chrome DevTools; False when DevTools is not reachable (JS guards only)."""
    if not _cdp(driver, "Network.enable", {}):
        return False
    return _cdp(driver, "Network.setBlockedURLs", {"urls": ["*"]})


def unblock_network(driver: Any) -> None:
    _cdp(driver, "Network.setBlockedURLs", {"urls": []})


def _script_timeout(driver: Any) -> float | None:
    try:
        value = driver.timeouts.script
        return float(value) if value else None
    except Exception:  # noqa: BLE001 - an old or remote driver that will not say
        return None


def gather(driver: Any, budget: float = 5.0) -> dict[str, Any]:
    """Submit up to MAX_FORMS forms empty, with everything that could send data stopped; see the module docstring."""
    t0 = time.monotonic()
    url = driver.current_url
    out: dict[str, Any] = {"url": url, "forms": [], "skipped": [], "network_blocked": False, "sent": [], "navs": []}
    listing = driver.execute_script(_LIST_JS, MAX_FORMS) or {}  # reads the page only
    out["skipped"] = listing.get("skipped") or []
    out["form_count"] = listing.get("forms", 0)
    out["tried"] = 0
    if not listing.get("candidates"):
        return out
    out["network_blocked"] = block_network(driver)
    navigated = False
    script_timeout = _script_timeout(driver)
    try:
        # One form's script settles within SETTLE_MAX_MS; a page that breaks it costs seconds, not the page timeout.
        driver.set_script_timeout(SETTLE_MAX_MS / 1000 + 3.0)
        # Styles are compared with no field focused (focus rings and their transitions are not error marks).
        if driver.execute_script(_BLUR_JS):
            time.sleep(0.25)
        driver.execute_script(_GUARD_JS)
        for cand in listing["candidates"]:
            remaining = budget - (time.monotonic() - t0)
            if remaining < MIN_FORM_SECONDS:
                out["skipped"].append({"selector": cand["selector"], "why": "budget"})
                continue
            settle_max = max(SETTLE_QUIET_MS + 100, min(SETTLE_MAX_MS, int((remaining - 0.4) * 1000)))
            entry: dict[str, Any] = {"selector": cand["selector"], "snippet": cand["snippet"],
                                     "constraints": cand["constraints"]}
            try:
                res = driver.execute_async_script(_TRY_JS, cand["index"], SETTLE_QUIET_MS, settle_max)
                entry.update(res if isinstance(res, dict) else {"error": "the form probe returned nothing"})
            except UnexpectedAlertPresentException as exc:
                dismiss_alerts(driver)
                alert_text = (getattr(exc, "alert_text", "") or "")[:200]
                entry["error"] = f"a dialog interrupted the submission: {alert_text}"
            except (JavascriptException, TimeoutException) as exc:
                text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
                entry["error"] = f"{type(exc).__name__}: {text[:200]}"
            out["forms"].append(entry)
            if driver.current_url != url:
                navigated = True
                break
    finally:
        try:
            if driver.current_url == url:
                tail = driver.execute_script(_UNGUARD_JS) or {}
                out["sent"], out["navs"] = tail.get("sent") or [], tail.get("navs") or []
            else:
                navigated = True
        except WebDriverException:
            navigated = True
        unblock_network(driver)
        if script_timeout:
            try:
                driver.set_script_timeout(script_timeout)
            except WebDriverException:
                pass
    if navigated:
        # The page left despite the guards (nothing was sent: the network was blocked): load it again with a GET.
        out["navigated"] = True
        try:
            dismiss_alerts(driver)
            driver.get(url)
        except WebDriverException as exc:
            out["reload_error"] = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else type(exc).__name__
    out["tried"] = len(out["forms"])
    return out
