"""Reading the words a picture shows: element screenshots through DevTools, read by Tesseract (the `tesseract` CLI).

`gather(driver, budget, skip)` lists the page's OCR candidates in the page (`__eaOcrCandidates` in
js/render_common.js: rendered images, image buttons, <object> and SVG <image> pictures, and elements with a CSS
background image, at least 40 x 16 CSS px, not logos, with no page text over them; at most MAX_IMAGES), takes a PNG of
each one's shown box (Page.captureScreenshot with a clip, upscaled when small, downscaled when huge; a picture
outside the viewport is scrolled to, and the window scrolled back after: a screenshot beyond the viewport would
leave the page without its scrollbars) and pipes it to
`tesseract stdin stdout --psm 11 tsv`, two at a time, each with a timeout, all within `budget` seconds. It returns the
words read and their confidences per image; it never decides (audits.browser.images_of_text does). A picture read
once (same URL and size) is not read again in this process.

Without `tesseract` on PATH, or without DevTools (a remote Grid), nothing is read and the dict says why
({"available": False, "reason": ...}). Pages without candidates cost one in-page script and no screenshot.
"""

from __future__ import annotations

import base64
import logging
import os
import shutil
import subprocess
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor, wait
from typing import Any

from empathy_audit.audits.gather.scripts import source

log = logging.getLogger(__name__)

MAX_IMAGES = 12  # pictures read per page
BUDGET = 2.5  # seconds per page for screenshots and OCR; then it stops and says so
WORKERS = 2  # tesseract processes at a time (each limited to one thread)
MAX_PIXELS = 1_200_000  # a larger picture is read downscaled: time grows with its area
MIN_HEIGHT = 60  # CSS px: a picture less high is read at twice its size (Tesseract wants letters ~20 px high)
MAX_WORDS = 60  # words kept per picture
_CACHE_SIZE = 2000

# The candidates script: the render helpers and one call (js/render_common.js holds __eaOcrCandidates).
_CANDIDATES_JS = "\n".join(source(part) for part in ("css_path", "render_common")) + \
    "\nreturn __eaOcrCandidates(arguments[0], arguments[1]);"

_cache: OrderedDict[str, list[list[Any]]] = OrderedDict()
_cache_lock = threading.Lock()
_warned: set[str] = set()


def tesseract() -> str | None:
    """The `tesseract` program on PATH, or None."""
    return shutil.which("tesseract")


def read_png(png: bytes, *, program: str, timeout: float) -> list[list[Any]]:
    """The words Tesseract reads in a PNG: [[text, confidence 0-100], ...] in reading order (at most MAX_WORDS).

    Raises subprocess.TimeoutExpired when it takes longer than `timeout`, OSError/CalledProcessError when it fails."""
    env = dict(os.environ, OMP_THREAD_LIMIT="1")  # one core per process: two processes share the machine better
    proc = subprocess.run([program, "stdin", "stdout", "--psm", "11", "tsv"], input=png, capture_output=True,
                          timeout=timeout, env=env, check=True)
    return parse_tsv(proc.stdout.decode("utf-8", "replace"))


def parse_tsv(tsv: str) -> list[list[Any]]:
    """Tesseract's TSV (level, page, block, par, line, word, left, top, width, height, conf, text) -> words."""
    words: list[list[Any]] = []
    for line in tsv.splitlines()[1:]:
        cols = line.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        try:
            conf = round(float(cols[10]), 1)
        except ValueError:
            continue
        if conf < 0:
            continue
        words.append([cols[11].strip(), conf])
        if len(words) >= MAX_WORDS:
            break
    return words


def _read_by(png: bytes, program: str, deadline: float) -> list[list[Any]]:
    """read_png, with whatever time is left before the deadline when its turn comes."""
    left = deadline - time.monotonic()
    if left <= 0.05:
        raise TimeoutError("the OCR time budget was spent")
    return read_png(png, program=program, timeout=left)


def _cached(key: str) -> list[list[Any]] | None:
    with _cache_lock:
        words = _cache.get(key)
        if words is not None:
            _cache.move_to_end(key)
        return words


def _remember(key: str, words: list[list[Any]]) -> None:
    with _cache_lock:
        _cache[key] = words
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)


_SCROLL_JS = "window.scrollTo({left: arguments[0], top: arguments[1], behavior: 'instant'}); return [scrollX, scrollY];"


class _Viewport:
    """Where the window is scrolled: a picture outside the viewport is scrolled to (its middle in the middle), as
    screenshots beyond the viewport (captureBeyondViewport) leave the page without its scrollbars; `restore` scrolls
    back. Pictures that text in a fixed or sticky box would then cover are not taken."""

    def __init__(self, driver: Any, view: dict[str, Any], pinned: list[list[float]]) -> None:
        self.driver = driver
        self.home = (float(view.get("sx") or 0), float(view.get("sy") or 0))
        self.at = self.home
        self.size = (float(view.get("vw") or 0), float(view.get("vh") or 0))
        self.most = (max(0.0, float(view.get("maxx") or 0)), max(0.0, float(view.get("maxy") or 0)))
        self.pinned = [r for r in pinned if isinstance(r, list) and len(r) == 4]

    def clip(self, item: dict[str, Any]) -> dict[str, float] | None:
        """The item's box in page coordinates, within the viewport (scrolled to when needed); None when covered."""
        x, y, w, h = (float(item[k]) for k in ("x", "y", "w", "h"))
        (sx, sy), (vw, vh) = self.at, self.size
        if not (x >= sx and y >= sy and x + w <= sx + vw and y + h <= sy + vh):
            want = (min(max(0.0, x + w / 2 - vw / 2), self.most[0]), min(max(0.0, y + h / 2 - vh / 2), self.most[1]))
            got = self.driver.execute_script(_SCROLL_JS, *want) or want
            self.at = sx, sy = float(got[0]), float(got[1])
            for left, top, right, bottom in self.pinned:  # viewport coordinates: where they stay
                if left + sx < x + w - 2 and right + sx > x + 2 and top + sy < y + h - 2 and bottom + sy > y + 2:
                    return None
        left, top = max(x, sx), max(y, sy)
        right, bottom = min(x + w, sx + vw), min(y + h, sy + vh)
        if right - left < 8 or bottom - top < 8:
            return None
        return {"x": left, "y": top, "width": right - left, "height": bottom - top}

    def restore(self) -> None:
        if self.at != self.home:
            self.driver.execute_script(_SCROLL_JS, *self.home)
            self.at = self.home


def _shot(driver: Any, clip: dict[str, float]) -> bytes:
    """A PNG of the clip (page coordinates, in the viewport), scaled for reading."""
    w, h = clip["width"], clip["height"]
    scale = 2.0 if h < MIN_HEIGHT else 1.0
    if w * h * scale * scale > MAX_PIXELS:
        scale = (MAX_PIXELS / (w * h)) ** 0.5
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "fromSurface": True, "captureBeyondViewport": False,
        "clip": dict(clip, scale=round(scale, 3))})
    return base64.b64decode(shot["data"])


def _unavailable(reason: str) -> dict[str, Any]:
    if reason not in _warned:
        _warned.add(reason)
        log.warning("images are not read for words: %s", reason)
    return {"available": False, "reason": reason, "images": []}


def gather(driver: Any, budget: float = BUDGET, skip: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """What the page's pictures read as (see the module docstring)."""
    started = time.monotonic()
    program = tesseract()
    if program is None:
        return _unavailable("tesseract is not installed (Debian: apt-get install tesseract-ocr)")
    if not hasattr(driver, "execute_cdp_cmd"):
        return _unavailable("no DevTools connection to take element screenshots (a remote browser)")
    listed = driver.execute_script(_CANDIDATES_JS, MAX_IMAGES, list(skip)) or {}
    items = [i for i in listed.get("items") or () if isinstance(i, dict) and i.get("selector")]
    out: dict[str, Any] = {"available": True, "images": [], "candidates": len(items),
                           "more": int(listed.get("more") or 0), "logos": int(listed.get("logos") or 0),
                           "covered": int(listed.get("covered") or 0), "read": 0, "cached": 0}
    if not items:
        return out
    pool = ThreadPoolExecutor(max_workers=WORKERS, thread_name_prefix="ocr")
    jobs: list[tuple[dict[str, Any], str, Future | list]] = []
    viewport = _Viewport(driver, listed.get("view") or {}, listed.get("pinned") or [])
    unread = failed = 0
    try:
        for n, item in enumerate(items):
            if budget - (time.monotonic() - started) <= 0.1:
                unread += len(items) - n
                break
            key = f"{item.get('kind')}|{item.get('key') or item.get('src')}|{item.get('width')}x{item.get('height')}"
            words = _cached(key)
            if words is not None:
                jobs.append((item, key, words))
                continue
            try:
                clip = viewport.clip(item)
                png = _shot(driver, clip) if clip is not None else None
            except Exception as exc:  # noqa: BLE001 - one picture that cannot be captured leaves the others
                log.debug("no screenshot of %s: %s", item["selector"], exc)
                failed += 1
                continue
            if png is None:
                out["covered"] += 1  # text that stays on screen would cover it once scrolled to
                continue
            jobs.append((item, key, pool.submit(_read_by, png, program, started + budget)))
        viewport.restore()
        wait([job for _, _, job in jobs if isinstance(job, Future)],
             timeout=max(0.0, budget - (time.monotonic() - started)))
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
        viewport.restore()
    for item, key, job in jobs:
        if isinstance(job, list):
            words = job
            out["cached"] += 1
        elif not job.done() or job.cancelled():
            unread += 1
            continue
        else:
            try:
                words = job.result()
            except (TimeoutError, subprocess.TimeoutExpired):
                unread += 1
                continue
            except Exception as exc:  # noqa: BLE001 - tesseract failed on that picture: it is not known
                log.debug("tesseract failed on %s: %s", item["selector"], exc)
                failed += 1
                continue
            _remember(key, words)
            out["read"] += 1
        out["images"].append({k: item.get(k) for k in ("selector", "snippet", "kind", "src", "alt", "near",
                                                       "width", "height", "hidden_at")} | {"words": words})
    if failed:
        out["failed"] = failed
    if unread:
        out["unread"] = unread
        out["stopped"] = (f"the OCR time budget ({budget:g} s) was spent before {unread} of {len(items)} pictures "
                          "were read")
    out["seconds"] = round(time.monotonic() - started, 3)
    return out
