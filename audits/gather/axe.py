"""Axe gatherer: load a URL in a WebDriver, inject the pinned axe-core, run it and return a serializable artifact.

This is the only module that talks to a page for axe. It never decides severities or personas: that is
`empathy_audit.audits.browser.axe_map`, a pure function of the artifact returned here (gather / audit split, Lighthouse style).
"""

from __future__ import annotations

import base64
import re
import time
from dataclasses import asdict, dataclass, field
from functools import cached_property
from importlib.util import find_spec
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlsplit

from selenium.common.exceptions import (
    JavascriptException,
    NoAlertPresentException,
    NoSuchFrameException,
    TimeoutException,
    UnexpectedAlertPresentException,
    WebDriverException,
)
from selenium.webdriver.common.by import By

from empathy_audit.audits.gather.scripts import script


def _axe_path() -> Path:
    spec = find_spec("axe_selenium_python")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("axe-selenium-python is not installed: pip install 'axe-selenium-python>=3.0'")
    return Path(list(spec.submodule_search_locations)[0]) / "node_modules" / "axe-core" / "axe.min.js"


class AxeScriptError(ValueError):
    """A file given as axe-core that is not one (the message says why, without a trailing full stop)."""


_VERSION_SET = re.compile(r"""axe\.version\s*=\s*["']([0-9][^"']{0,40})["']""")
_VERSION_BANNER = re.compile(r"axe v(\d+\.\d+\.\d+\S*)")
_RULE_ID = re.compile(r'(?:^|[\[,])\{\s*"?id"?\s*:\s*"([a-z0-9-]+)"')


@dataclass(frozen=True)
class AxeScript:
    """One axe-core build: its source (injected into every page), version and rule ids."""

    path: Path
    source: str = field(repr=False)
    version: str
    rule_ids: tuple[str, ...]  # the rules it defines (an axe option naming another rule makes axe.run fail)

    @cached_property
    def inject_js(self) -> str:
        return self.source + "\n;return (typeof axe !== 'undefined' && axe.version) || null;"


def _rule_ids(source: str) -> tuple[str, ...]:
    """The ids of the rules an axe-core build defines: the `rules:[{id:"..."` list of its bundled configuration."""
    start = source.find("rules:[{id:")
    if start < 0:
        return ()
    end = source.find("checks:[{id:", start)
    section = source[start + len("rules:"):end if end > start else len(source)]
    return tuple(dict.fromkeys(_RULE_ID.findall(section)))


def load_axe_script(path: str | Path) -> AxeScript:
    """Read an axe-core build (axe.min.js or axe.js); AxeScriptError when the file is missing or is not axe-core."""
    p = Path(path)
    try:
        source = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise AxeScriptError("there is no such file") from None
    except IsADirectoryError:
        raise AxeScriptError("this is a folder, not axe-core's axe.min.js") from None
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "it is not a text file"
        raise AxeScriptError(f"the file cannot be read ({reason})") from None
    m = _VERSION_SET.search(source) or _VERSION_BANNER.search(source[:500])
    if m is None or "axe.run" not in source and ".run=" not in source:
        raise AxeScriptError("this does not look like axe-core (no axe.version in it): give axe-core's axe.min.js")
    return AxeScript(path=p, source=source, version=m.group(1), rule_ids=_rule_ids(source))


BUNDLED = load_axe_script(_axe_path())  # axe-core as shipped with axe-selenium-python: the default
AXE_PATH = BUNDLED.path
AXE_SOURCE = BUNDLED.source  # read once per process; injected into every page with execute_script
AXE_VERSION = BUNDLED.version

# AUDIT_STANDARD -> axe runOnly tags. Each standard includes the levels below it (AAA: axe's wcag2aaa rules such as
# color-contrast-enhanced; axe accepts the wcag21aaa/wcag22aaa tags before any rule carries them).
STANDARD_TAGS: dict[str, tuple[str, ...]] = {
    "wcag2a": ("wcag2a",),
    "wcag2aa": ("wcag2a", "wcag2aa"),
    "wcag2aaa": ("wcag2a", "wcag2aa", "wcag2aaa"),
    "wcag21aa": ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"),
    "wcag22aa": ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"),
    "wcag22aaa": ("wcag2a", "wcag2aa", "wcag2aaa", "wcag21a", "wcag21aa", "wcag21aaa", "wcag22aa", "wcag22aaa"),
}
# axe-core's experimental rules (off unless asked for by name) that we run: each agrees with its W3C ACT rule on
# all of that rule's test cases (css-orientation-lock: ACT b33eff, 4 of 4 failed cases caught, no false alarm;
# tests/act), and runs when the standard includes the tag of its success criterion.
EXPERIMENTAL_RULES: dict[str, str] = {"css-orientation-lock": "wcag21aa"}
MAX_NODES_PER_RULE = 100  # colour-contrast can flag thousands of nodes; the count is kept in "node_count"
MAX_FRAMES = 5  # same-origin iframes that get axe injected (others are skipped by axe after its 500 ms ping)


def axe_options(standard: str = "wcag22aa", best_practices: bool = False,
                disabled: Iterable[str] = ()) -> dict[str, Any]:
    """The options passed to axe.run; `disabled` rules do not run (`rules: {id: {enabled: false}}`, which wins over
    the tags; ids this axe-core does not have are dropped in the page, see `scope`).

    preload: axe by default waits up to 10 s for <video>/<audio> metadata ("media" asset) before running the
    few rules that need it; a broken <video src> then costs the full 10 s. We preload only the CSSOM, with 2 s.
    """
    if standard not in STANDARD_TAGS:
        raise ValueError(f"unknown standard {standard!r}: use one of {', '.join(STANDARD_TAGS)}")
    tags = list(STANDARD_TAGS[standard]) + (["best-practice"] if best_practices else [])
    rules: dict[str, dict[str, bool]] = {rule_id: {"enabled": True} for rule_id, tag in EXPERIMENTAL_RULES.items()
                                         if tag in tags}
    rules.update({rule_id: {"enabled": False} for rule_id in disabled})
    return {
        **({"rules": rules} if rules else {}),
        "runOnly": {"type": "tag", "values": tags},
        "resultTypes": ["violations", "incomplete"],
        "preload": {"assets": ["cssom"], "timeout": 2000},
        "elementRef": True,
        "frameWaitTime": 5000,
        "performanceTimer": False,
    }


class PageLoadTimeout(Exception):
    """The page did not finish loading within the page timeout."""


class AxeTimeout(Exception):
    """axe.run did not finish within the script timeout."""


@dataclass
class AxePage:
    """What the browser saw on one page: the artifact audits.browser.axe_map turns into findings (JSON-safe)."""

    requested_url: str
    final_url: str = ""
    title: str = ""
    axe_version: str = AXE_VERSION
    user_agent: str = ""
    violations: list[dict[str, Any]] = field(default_factory=list)
    incomplete: list[dict[str, Any]] = field(default_factory=list)
    error: str | None = None  # the page was not audited, and why (never read as a pass)
    gathered_at: float = 0.0
    seconds: float = 0.0
    resources: dict[str, Any] | None = None  # Resource Timing and image layout, for the media audit
    probes: dict[str, Any] = field(default_factory=dict)  # our own browser checks' data (audits.gather.probes)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


_RUN_JS = script("axe_run")

# Two in-page scripts of this module alone, kept here (audits/gather/js holds the shared ones).
_SCOPE_JS = """\
// Narrow the axe-core injected into this page (arguments: context, or null for the whole document). axe.run then
// audits `context` (its exclude list leaves elements and their descendants out), and the options.rules entries for
// rules this axe-core does not have are dropped first (axe.run fails on an unknown rule id).
var __eaContext = arguments[0];
if (typeof axe !== 'undefined' && typeof axe.run === 'function') {
  var __eaOwnRun = axe.__eaOwnRun || axe.run;
  axe.__eaOwnRun = __eaOwnRun;
  axe.run = function (context, options) {
    var opts = options || {};
    if (opts.rules && typeof axe.getRules === 'function') {
      var have = {};
      axe.getRules().forEach(function (r) { have[r.ruleId] = true; });
      var rules = {};
      Object.keys(opts.rules).forEach(function (id) { if (have[id]) rules[id] = opts.rules[id]; });
      opts = Object.assign({}, opts, {rules: rules});
    }
    return __eaOwnRun.call(axe, __eaContext || context, opts);
  };
}
"""
_EXCLUDED_JS = """\
// For each selector (ours: "frame >>> inner" for an element inside an iframe), whether its element is inside an
// element matching one of the exclude selectors (arguments: selectors, exclude selectors). Not found: false.
var __eaSelectors = arguments[0], __eaExclude = arguments[1];
function __eaFind(root, sel) {
  try { return root.querySelector(sel); } catch (e) { return null; }
}
function __eaInside(el) {
  for (var i = 0; i < __eaExclude.length; i++) {
    try { if (el.closest(__eaExclude[i])) return true; } catch (e) { /* a selector this browser cannot read */ }
  }
  return false;
}
return __eaSelectors.map(function (sel) {
  var parts = String(sel).split(' >>> ');
  var el = __eaFind(document, parts[0]);
  if (!el) return false;
  if (__eaInside(el)) return true;
  if (parts.length > 1) {
    var doc = null;
    try { doc = el.contentDocument; } catch (e) { doc = null; }
    var inner = doc ? __eaFind(doc, parts[1]) : null;
    return !!(inner && __eaInside(inner));
  }
  return false;
});
"""


def host_allowed(url: str, allowed_hosts: Iterable[str] | None) -> bool:
    """True when url is http(s) and on one of `allowed_hosts`; None allows all. An entry with "://" is an origin
    (`scheme://host[:port]`, the default port left out) and must match the URL's scheme, host and port exactly, as
    the crawl passes them; a bare host name (a script's shortcut) matches that host on any port."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    if not allowed_hosts:
        return True
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:
        return False
    shown = f"[{host}]" if ":" in host else host
    default = {"http": 80, "https": 443}[parts.scheme] in (port, None)
    own = f"{parts.scheme}://{shown}" + ("" if default else f":{port}")
    allowed = {a.lower() for a in allowed_hosts}
    return own in allowed or host in allowed


def dismiss_alerts(driver: Any, limit: int = 5) -> int:
    """Dismiss any open JS dialog (alert/confirm/prompt); returns how many were dismissed."""
    n = 0
    for _ in range(limit):
        try:
            driver.switch_to.alert.dismiss()
            n += 1
        except NoAlertPresentException:
            break
        except WebDriverException:
            break
    return n


def _with_alerts(driver: Any, fn: Any, *args: Any) -> Any:
    """Call fn; if a JS dialog interrupts it, dismiss it and try again (twice at most)."""
    for attempt in range(3):
        try:
            return fn(*args)
        except UnexpectedAlertPresentException:
            dismiss_alerts(driver)
            if attempt == 2:
                raise
    return None  # pragma: no cover


def load(driver: Any, url: str) -> None:
    """Navigate; raises PageLoadTimeout when the page load timeout (set on the driver) passes."""
    try:
        _with_alerts(driver, driver.get, url)
    except TimeoutException as exc:
        raise PageLoadTimeout(str(exc).strip().splitlines()[0] if str(exc).strip() else "page load timeout") from exc


def inject(driver: Any, axe: AxeScript = BUNDLED) -> str | None:
    """Inject axe into the page and into up to MAX_FRAMES iframes (best effort); returns axe's version."""
    version = _with_alerts(driver, driver.execute_script, axe.inject_js)
    try:
        frames = driver.find_elements(By.CSS_SELECTOR, "iframe, frame")[:MAX_FRAMES]
    except WebDriverException:
        frames = []
    for frame in frames:
        try:
            driver.switch_to.frame(frame)
            driver.execute_script(axe.inject_js)
        except (NoSuchFrameException, JavascriptException, WebDriverException):
            pass
        finally:
            try:
                driver.switch_to.default_content()
            except WebDriverException:
                pass
    return version


def axe_context(exclude: Iterable[str]) -> dict[str, Any] | None:
    """axe's context for a run that leaves out the elements matching `exclude` (CSS selectors) and everything inside
    them; None: the whole document."""
    sels = [[sel] for sel in exclude]
    return {"include": [["html"]], "exclude": sels} if sels else None


def scope(driver: Any, options: dict[str, Any], context: dict[str, Any] | None) -> None:
    """Make the injected axe run on `context` (when given) and ignore `options.rules` entries for rules it does not
    have (axe.run fails on those; they come from --ignore-check ids that are our checks or other axe versions')."""
    if context is not None or options.get("rules"):
        _with_alerts(driver, driver.execute_script, _SCOPE_JS, context)


def excluded(driver: Any, selectors: list[str], exclude: Iterable[str]) -> list[bool]:
    """For each selector (ours: "frame >>> inner" inside an iframe), whether its element in the loaded page is inside
    an element matching one of `exclude` (Element.closest). An element that cannot be found is not excluded."""
    sels = list(exclude)
    if not selectors or not sels:
        return [False] * len(selectors)
    res = _with_alerts(driver, driver.execute_script, _EXCLUDED_JS, selectors, sels)
    if not isinstance(res, list) or len(res) != len(selectors):
        return [False] * len(selectors)
    return [bool(x) for x in res]


_FRAME_PATHS_JS = script("frame_paths")


def resolve_frame_selectors(driver: Any, rules: list[dict[str, Any]]) -> None:
    """Nodes found inside an iframe get our selector format on both sides of " >>> " (one frame level deep)."""
    by_frame: dict[str, list[dict[str, Any]]] = {}
    for rule in rules:
        for node in rule.get("nodes") or []:
            if node.get("frame") and node.get("inner"):
                by_frame.setdefault(node["frame"], []).append(node)
    for frame_sel, nodes in list(by_frame.items())[:MAX_FRAMES]:
        try:
            frame_path = nodes[0]["selector"].split(" >>> ")[0]
            driver.switch_to.frame(driver.find_element(By.CSS_SELECTOR, frame_sel))
            paths = driver.execute_script(_FRAME_PATHS_JS, [n["inner"] for n in nodes])
            for node, path in zip(nodes, paths or []):
                if path:
                    node["selector"] = f"{frame_path} >>> {path}"
        except WebDriverException:
            pass
        finally:
            try:
                driver.switch_to.default_content()
            except WebDriverException:
                pass
    for nodes in by_frame.values():
        for node in nodes:
            node.pop("frame", None)
            node.pop("inner", None)


def run_axe(driver: Any, options: dict[str, Any], script_timeout: float) -> dict[str, Any]:
    """Run axe (already injected) and return its reduced results. Raises AxeTimeout or RuntimeError."""
    driver.set_script_timeout(script_timeout)
    try:
        res = _with_alerts(driver, driver.execute_async_script, _RUN_JS, options, MAX_NODES_PER_RULE)
    except TimeoutException as exc:  # selenium raises it for the script timeout too
        raise AxeTimeout(f"axe did not finish within {script_timeout:g} s") from exc
    if not isinstance(res, dict) or not res.get("ok"):
        raise RuntimeError(f"axe failed: {res.get('error') if isinstance(res, dict) else res!r}")
    return res


# What the page downloaded (Resource Timing) and where its images sit, for crawler.media_pipeline (media audit).
_RESOURCES_JS = script("resources")


def gather_resources(driver: Any) -> dict[str, Any] | None:
    """{"viewport": [w, h], "entries": [Resource Timing], "images": [layout]}; None when the page will not say."""
    try:
        res = _with_alerts(driver, driver.execute_script, _RESOURCES_JS)
    except WebDriverException:
        return None
    return res if isinstance(res, dict) else None


def gather(
    driver: Any,
    url: str,
    *,
    allowed_hosts: Iterable[str] | None = None,
    options: dict[str, Any] | None = None,
    script_timeout: float = 30.0,
    probes: Iterable[str] = (),
    axe: AxeScript = BUNDLED,
    context: dict[str, Any] | None = None,
) -> AxePage:
    """Load url and run axe on it.

    Raises PageLoadTimeout / AxeTimeout for slow pages and lets WebDriver errors through (the pool decides whether
    the browser died). A page that ends up outside allowed_hosts is returned with `error` set and is not audited.
    """
    t0 = time.monotonic()
    page = AxePage(requested_url=url, gathered_at=time.time())
    load(driver, url)
    page.final_url = _with_alerts(driver, lambda: driver.current_url)
    if page.final_url.startswith("chrome-error://"):
        page.error = "the page did not load in the browser (network error)"
        return page
    if not host_allowed(page.final_url, allowed_hosts):
        page.error = f"the browser ended up at {page.final_url}, outside the audited site"
        return page
    try:
        page.title = _with_alerts(driver, lambda: driver.title) or ""
    except WebDriverException:
        page.title = ""
    options = options or axe_options()
    inject(driver, axe)
    scope(driver, options, context)
    res = run_axe(driver, options, script_timeout)
    page.axe_version = res.get("version") or axe.version
    page.user_agent = res.get("userAgent") or ""
    page.violations = res.get("violations") or []
    page.incomplete = res.get("incomplete") or []
    resolve_frame_selectors(driver, page.violations + page.incomplete)
    page.resources = gather_resources(driver)
    # A script may have navigated away while axe ran: the results then describe another page.
    after = _with_alerts(driver, lambda: driver.current_url)
    if after != page.final_url and not host_allowed(after, allowed_hosts):
        page.error = f"the page navigated to {after}, outside the audited site, during the audit"
        page.violations, page.incomplete = [], []
    elif probes:
        from empathy_audit.audits.gather.probes import run_probes

        page.probes = run_probes(driver, probes)
    page.seconds = round(time.monotonic() - t0, 3)
    return page


# --- element screenshots ----------------------------------------------------------------------------------------

_RECT_JS = script("mark_element")
_UNMARK_JS = script("unmark_element")


def capture_element(
    driver: Any,
    selector: str,
    path: Path,
    *,
    max_width: int = 600,
    max_height: int = 400,
    max_bytes: int = 150_000,
    pad: int = 8,
) -> bool:
    """Save a cropped PNG of the element, outlined in red, at most max_width x max_height CSS px and max_bytes.

    Returns False (nothing written) when the element is missing, invisible, or the image would be too large.
    """
    if " >>> " in selector:
        return False
    rect = driver.execute_script(_RECT_JS, selector)
    if not rect:
        return False
    try:
        x = max(0.0, rect["x"] - pad)
        y = max(0.0, rect["y"] - pad)
        w = min(rect["w"] + 2 * pad, max_width)
        h = min(rect["h"] + 2 * pad, max_height)
        data: bytes | None = None
        for scale in (1.0, 0.6, 0.4):
            if hasattr(driver, "execute_cdp_cmd"):
                shot = driver.execute_cdp_cmd(
                    "Page.captureScreenshot",
                    {"format": "png", "clip": {"x": x, "y": y, "width": w, "height": h, "scale": scale},
                     "captureBeyondViewport": True},
                )
                data = base64.b64decode(shot["data"])
            else:  # remote WebDriver: no CDP; the element's own screenshot, kept only when small enough
                data = driver.find_element(By.CSS_SELECTOR, selector).screenshot_as_png
            if len(data) <= max_bytes:
                break
            if not hasattr(driver, "execute_cdp_cmd"):
                data = None
                break
        else:
            data = None
        if not data or len(data) > max_bytes:
            return False
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return True
    finally:
        try:
            driver.execute_script(_UNMARK_JS, selector)
        except WebDriverException:
            pass
