"""The "render" probe: what the rendered page looks like, read with computed styles and layout, never decided here.

`gather(driver, budget)` runs a few in-page scripts on the loaded page and returns a JSON-safe dict:

- "generated": CSS ::before / ::after content that is an icon-font glyph (Private Use Area code points or an icon
  font family) or that contains words, with whether the element (or its link / button) has a name of its own.
- "justified": blocks of text rendered with text-align: justify and how many lines they take.
- "runs": blocks whose text is mostly rendered upper-case (text-transform or source) or italic, with its length.
- "images": <img> elements that look like images of text (banner-shaped with a sentence for alt, or named so).
- "important": letter-spacing, word-spacing and line-height declared !important in the style attribute of an
  element with visible text of its own: the used value in px, the font size, whether the text wraps.
- "frames": iframes / frames with a negative tabindex: shown, inert, and how many visible elements of their
  document (same origin) are in its tab order.
- "scrollers": boxes whose content scrolls (overflow auto / scroll) further than their padding, with content to
  see, that neither are nor hold anything in the tab order and are not inert.
- "spacing": the WCAG 1.4.12 text-spacing style injected (line-height 1.5, letter-spacing .12em, word-spacing
  .16em, paragraph spacing 2em, all !important): text newly clipped by its box (overflow hidden / clip) or newly
  spilling out of a fixed-height box. The style is removed before the script returns.
- "text200": every text element's computed font size doubled (inline !important), same measures; restored.
- "svgtext": <img> and image buttons whose source is SVG markup (a data: URI, or an .svg file fetched again from
  the cache within the budget) that writes words with <text>: the words, how many other shapes it draws, and what
  says it is a logo.
- "reflow": the viewport emulated at 320 x 256 CSS px (DevTools Emulation.setDeviceMetricsOverride, else the
  window resized): whether the page scrolls sideways and the elements responsible, outside the content that may
  need two dimensions (data tables, code, maps, media, own scrollers). Restored (clearDeviceMetricsOverride).
- "ocr": the words Tesseract reads in screenshots of the page's pictures (audits.gather.ocr), with a time budget of
  its own (ocr.BUDGET, after the others' budget); {"available": False, "reason": ...} without `tesseract`.

Every step restores what it changed before the next one starts; a step that fails or runs out of the budget
records its own {"error": ...} and the others still run. Selectors come from the in-page __eaPath (the same as
audits.artifacts.css_path), snippets are shortened like audits.artifacts.snippet.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from empathy_audit.audits.gather import ocr
from empathy_audit.audits.gather.scripts import script

log = logging.getLogger(__name__)

REFLOW_WIDTH = 320  # CSS px: 1280 px at 400% zoom (WCAG 1.4.10)
REFLOW_HEIGHT = 256

# The in-page scripts (audits/gather/js/render_*.js): 1. read, 2 and 3. measure text spacing / 200% text, 4. reflow,
# 5. SVG images that write text.
_READ_JS = script("render_read")
_MEASURE_JS = script("render_measure")
_REFLOW_JS = script("render_reflow")
_SVGTEXT_JS = script("render_svgtext")
_FRAME_JS = script("next_frame")


def _step(out: dict[str, Any], name: str, started: float, budget: float, func: Any) -> None:
    """Run one step into out[name]; errors and a spent budget are recorded, never raised."""
    remaining = budget - (time.monotonic() - started)
    if remaining <= 0.05:
        out[name] = {"error": "skipped: the render probe's time budget was spent"}
        return
    t0 = time.monotonic()
    try:
        data = func(remaining)
        out[name] = data if isinstance(data, dict) else {"error": "the script returned nothing"}
    except Exception as exc:  # noqa: BLE001 - one step failing leaves the others
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        out[name] = {"error": f"{type(exc).__name__}: {text[:200]}"}
    out.setdefault("timings", {})[name] = round(time.monotonic() - t0, 3)


def _async_within(driver: Any, script: str, *args: Any, timeout: float) -> Any:
    """execute_async_script with the driver's script timeout lowered to `timeout` seconds for this call only."""
    previous = None
    try:
        previous = driver.timeouts.script
        driver.set_script_timeout(timeout)
    except Exception:  # noqa: BLE001 - a driver that cannot say: keep its own timeout
        previous = None
    try:
        return driver.execute_async_script(script, *args)
    finally:
        if previous is not None:
            driver.set_script_timeout(previous)


def _reflow(driver: Any, remaining: float) -> dict[str, Any]:
    """Narrow the viewport to 320 CSS px, measure, restore."""
    method = None
    size = None
    try:
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": REFLOW_WIDTH, "height": REFLOW_HEIGHT, "deviceScaleFactor": 1, "mobile": False})
        method = "cdp"
    except Exception:  # noqa: BLE001 - no DevTools through this driver (a Grid): resize the window instead
        size = driver.get_window_size()
        inner = driver.execute_script("return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight];")
        dx, dy = (inner or [0, 0])[:2]
        driver.set_window_size(REFLOW_WIDTH + int(dx or 0), REFLOW_HEIGHT + int(dy or 0))
        method = "window"
    try:
        data = _async_within(driver, _REFLOW_JS, max(0.2, remaining - 0.3), timeout=max(1.0, remaining))
    finally:
        if method == "cdp":
            driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        elif size:
            driver.set_window_size(size["width"], size["height"])
        try:  # one frame at the full size again, so the page's resize handlers run before the next step
            _async_within(driver, _FRAME_JS, timeout=1.0)
        except Exception:  # noqa: BLE001
            pass
    if not isinstance(data, dict):
        return {"error": "the reflow script returned nothing"}
    data["method"] = method
    data["width"] = REFLOW_WIDTH
    if method == "window" and abs(int(data.get("inner_width") or 0) - REFLOW_WIDTH) > 16:
        return {"error": f"the window could not be narrowed to {REFLOW_WIDTH} px (got {data.get('inner_width')})",
                "method": method}
    return data


def gather(driver: Any, budget: float = 3.0) -> dict[str, Any]:
    """The render probe's data for the loaded page (see the module docstring)."""
    started = time.monotonic()
    out: dict[str, Any] = {}
    # Reading: one script, at most 40% of the budget.
    _step(out, "read", started, budget,
          lambda rem: driver.execute_script(_READ_JS, min(rem, 0.4 * budget)))
    read = out.pop("read")
    if isinstance(read, dict) and "error" not in read:
        out.update(read)
    else:
        out["read_error"] = read.get("error") if isinstance(read, dict) else "no data"
    # Reflow first: it is quick (one layout at 320 px) and what most visitors who zoom meet.
    _step(out, "reflow", started, budget, lambda rem: _reflow(driver, min(rem, 0.3 * budget)))
    _step(out, "spacing", started, budget,
          lambda rem: driver.execute_script(_MEASURE_JS, "spacing", min(rem, 0.15 * budget)))
    _step(out, "text200", started, budget,
          lambda rem: driver.execute_script(_MEASURE_JS, "text200", min(rem, 0.15 * budget)))
    _step(out, "svgtext", started, budget, lambda rem: _async_within(
        driver, _SVGTEXT_JS, min(rem, 0.1 * budget), timeout=max(1.0, min(rem, 0.1 * budget) + 0.5)))
    # OCR last, on its own budget: it reads pixels, so the page must be as the visitor sees it (every step restored).
    # SVG images whose <text> was read already are not read again.
    svg = out.get("svgtext", {}).get("svg") if isinstance(out.get("svgtext"), dict) else None
    skip = [i["selector"] for i in svg or () if isinstance(i, dict) and i.get("selector")]
    _step(out, "ocr", time.monotonic(), ocr.BUDGET, lambda rem: ocr.gather(driver, rem, skip))
    out["budget"] = budget
    return out
