"""The "keyboard" probe: walk the page with real Tab / Shift+Tab presses in Chromium and record every focus stop.

`gather(driver, budget)` returns a JSON-safe dict (never decides findings; the checks in audits/browser do):

- one inventory script first: the tabbable elements in DOM order, elements that look interactive but cannot take
  focus (onclick-style attributes, widget ARIA roles, <a> without href, pointer cursor; with DevTools, their own
  pointer event listeners through getEventListeners), each tabbable's unfocused styles (kept in the page, compared
  at each stop) and where the main content starts;
- the walk: Tab presses, each followed by one in-page measurement of the focused element (path in our selector
  format, rect, visibility when focused, which focus-indicator styles changed). Stops at the end of the page (focus
  back on <body> or on the first stop), when a cycle or a stuck focus is confirmed, or at the budget;
- a few Shift+Tab presses (reverse movement), an escape test when focus is trapped, the skip-link activation test,
  and re-checks of the suspicious stops (re-focused after a pause; an element screenshot focused and unfocused when
  no style changed, then the whole viewport when those are identical), all bounded by the clock;
- clean-up: the focused element is blurred, the scroll position and URL (hash) restored.

Key presses go, fastest first, over Chromium's own DevTools socket (a local chromedriver's debuggerAddress: about
5 ms a press and measurement), through chromedriver's execute_cdp_cmd (about 35 ms: chromedriver waits after each
input command), or Selenium ActionChains (any WebDriver, a remote Grid). The walk stops early enough to leave time
for the re-checks of what it found.
"""

from __future__ import annotations

import base64
import logging
import time
from typing import Any

from empathy_audit.audits.gather.devtools import DevToolsClient, local_devtools_url
from empathy_audit.audits.gather.scripts import script

log = logging.getLogger(__name__)

MAX_STOPS = 1500  # presses in the forward walk, whatever the budget
STUCK_PRESSES = 3  # the same element after this many Tab presses in a row: focus does not move
CONTAINER_PRESSES = 30  # the same iframe / media / date field after this many presses: focus stays inside it
REVERSE_PRESSES = 6
MAX_VERIFY = 8  # stops without a focus style change given the screenshot test, per page
MAX_HIDDEN = 8  # stops hidden when focused re-checked, per page
SETTLE = 0.12  # seconds a re-focused element is given for scripts and transitions before it is measured
SETTLE_HIDDEN = 0.15  # the same for an element that was hidden when focused (its transitions were already ended)

# Installs window.__eaKb (KB, the in-page half of the walk) and returns the inventory.
_INSTALL_JS = script("keyboard")

_INVENTORY_OPTS = {"maxElements": 12000, "maxBase": 600, "maxCursor": 4000, "maxCandidates": 60,
                   "maxTabbables": 800}

_TAB = {"key": "Tab", "code": "Tab", "windowsVirtualKeyCode": 9, "nativeVirtualKeyCode": 9}
_KEYS = {
    "Tab": _TAB,
    "Escape": {"key": "Escape", "code": "Escape", "windowsVirtualKeyCode": 27, "nativeVirtualKeyCode": 27},
    "Enter": {"key": "Enter", "code": "Enter", "windowsVirtualKeyCode": 13, "nativeVirtualKeyCode": 13,
              "text": "\r", "unmodifiedText": "\r"},
}
_SHIFT = 8


class _Budget(Exception):
    """The probe's time is up."""


def _key_events(key: str, shift: bool) -> list[dict[str, Any]]:
    spec = _KEYS[key]
    mods = _SHIFT if shift else 0
    down = {"type": "keyDown" if "text" in spec else "rawKeyDown", "modifiers": mods, **spec}
    up = {"type": "keyUp", "modifiers": mods, **{k: v for k, v in spec.items() if k not in ("text", "unmodifiedText")}}
    return [down, up]


class _Keyboard:
    """Presses keys and measures the focused element; the fastest channel the driver offers."""

    method = "none"

    def __init__(self, driver: Any, deadline: float) -> None:
        self.driver = driver
        self.deadline = deadline

    def left(self) -> float:
        return self.deadline - time.monotonic()

    def check(self) -> None:
        if self.left() <= 0:
            raise _Budget()

    # Overridden per channel
    def press(self, key: str, shift: bool = False) -> None:
        raise NotImplementedError

    def js(self, expr: str) -> Any:
        """Evaluate `expr` (an expression using KB) in the page."""
        self.check()
        return self.driver.execute_script("var KB = window.__eaKb; if (!KB) return null; return " + expr + ";")

    def tabs(self, n: int, shift: bool = False) -> list[dict[str, Any]]:
        """Press Tab n times; the measured stop after each press."""
        out = []
        for _ in range(n):
            self.check()
            self.press("Tab", shift)
            out.append(self.js("KB.stop()") or {"p": None, "i": -1})
        return out

    def screenshot(self, rect: dict[str, Any]) -> str | None:
        return None

    def devtools_eval(self, expr: str) -> Any:
        """Runtime.evaluate with DevTools' command-line API (getEventListeners); None without DevTools."""
        return None

    def close(self) -> None:
        pass


class _Actions(_Keyboard):
    method = "webdriver-actions"

    def press(self, key: str, shift: bool = False) -> None:
        from selenium.webdriver.common.action_chains import ActionChains
        from selenium.webdriver.common.keys import Keys

        self.check()
        k = {"Tab": Keys.TAB, "Escape": Keys.ESCAPE, "Enter": Keys.ENTER}[key]
        chain = ActionChains(self.driver)
        if shift:
            chain = chain.key_down(Keys.SHIFT).send_keys(k).key_up(Keys.SHIFT)
        else:
            chain = chain.send_keys(k)
        chain.perform()


class _DriverCdp(_Keyboard):
    method = "chromedriver-cdp"

    def press(self, key: str, shift: bool = False) -> None:
        for ev in _key_events(key, shift):
            self.check()
            self.driver.execute_cdp_cmd("Input.dispatchKeyEvent", ev)

    def screenshot(self, rect: dict[str, Any]) -> str | None:
        self.check()
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", _shot_params(rect))
        return shot.get("data")

    def devtools_eval(self, expr: str) -> Any:
        self.check()
        res = self.driver.execute_cdp_cmd("Runtime.evaluate", _devtools_params(expr))
        if res.get("exceptionDetails"):
            return None
        return (res.get("result") or {}).get("value")


def _devtools_params(expr: str) -> dict[str, Any]:
    return {"expression": "(function(){var KB = window.__eaKb; if (!KB) return null; return " + expr + ";})()",
            "returnByValue": True, "includeCommandLineAPI": True}


def _shot_params(rect: dict[str, Any]) -> dict[str, Any]:
    # Page coordinates (the viewport's rect plus the scroll offset), as audits.gather.axe.capture_element does.
    return {"format": "png", "fromSurface": True, "captureBeyondViewport": False,
            "clip": {"x": rect["x"] + rect["sx"], "y": rect["y"] + rect["sy"], "width": rect["w"],
                     "height": rect["h"], "scale": 1}}


class _Socket(_Keyboard):
    """Chromium's DevTools WebSocket, next to chromedriver's own connection: commands are pipelined."""

    method = "devtools-socket"

    def __init__(self, driver: Any, deadline: float, url: str) -> None:
        super().__init__(driver, deadline)
        self.client = DevToolsClient(url, connect_timeout=min(1.0, max(0.2, self.left())), name="keyboard-devtools")

    def _send(self, method: str, params: dict[str, Any]) -> int:
        return self.client.request(method, params)

    def _wait(self, ids: list[int]) -> dict[int, dict[str, Any]]:
        left = self.left()
        if left <= 0:
            raise _Budget()
        try:
            return self.client.wait(ids, max(0.05, left))
        except TimeoutError as exc:  # the budget decides; a closed connection is an error
            raise _Budget() from exc

    @staticmethod
    def _value(msg: dict[str, Any]) -> Any:
        if "error" in msg:
            raise RuntimeError(msg["error"].get("message", "DevTools error"))
        res = msg.get("result") or {}
        if res.get("exceptionDetails"):
            raise RuntimeError(str(res["exceptionDetails"].get("text", "script error"))[:200])
        return (res.get("result") or {}).get("value")

    def _eval_params(self, expr: str) -> dict[str, Any]:
        return {"expression": "(function(){var KB = window.__eaKb; if (!KB) return null; return " + expr + ";})()",
                "returnByValue": True}

    def press(self, key: str, shift: bool = False) -> None:
        self.check()
        ids = [self._send("Input.dispatchKeyEvent", ev) for ev in _key_events(key, shift)]
        self._wait(ids)

    def js(self, expr: str) -> Any:
        self.check()
        mid = self._send("Runtime.evaluate", self._eval_params(expr))
        return self._value(self._wait([mid])[mid])

    def tabs(self, n: int, shift: bool = False) -> list[dict[str, Any]]:
        # Input events reach the renderer through the browser process, Runtime.evaluate directly: each press is
        # acknowledged (the renderer handled it) before the measurement is sent, or the two could cross.
        out = []
        for _ in range(n):
            self.check()
            ids = [self._send("Input.dispatchKeyEvent", ev) for ev in _key_events("Tab", shift)]
            self._wait(ids)
            mid = self._send("Runtime.evaluate", self._eval_params("KB.stop()"))
            out.append(self._value(self._wait([mid])[mid]) or {"p": None, "i": -1})
        return out

    def screenshot(self, rect: dict[str, Any]) -> str | None:
        self.check()
        mid = self._send("Page.captureScreenshot", _shot_params(rect))
        msg = self._wait([mid])[mid]
        if "error" in msg:
            return None
        return (msg.get("result") or {}).get("data")

    def devtools_eval(self, expr: str) -> Any:
        self.check()
        mid = self._send("Runtime.evaluate", _devtools_params(expr))
        try:
            return self._value(self._wait([mid])[mid])
        except RuntimeError:
            return None

    def close(self) -> None:
        self.client.close()


def _open_keyboard(driver: Any, deadline: float) -> _Keyboard:
    url = local_devtools_url(driver)
    if url:
        try:
            return _Socket(driver, deadline, url)
        except Exception as exc:  # noqa: BLE001
            log.debug("no DevTools socket (%s): falling back to chromedriver", exc)
    if hasattr(driver, "execute_cdp_cmd"):
        try:
            driver.execute_cdp_cmd("Browser.getVersion", {})
            return _DriverCdp(driver, deadline)
        except Exception:  # noqa: BLE001
            pass
    return _Actions(driver, deadline)


# --- the walk ------------------------------------------------------------------------------------------------------


def _walk(kb: _Keyboard, data: dict[str, Any], end_by: float) -> None:
    """Forward Tab walk: fills data["stops"], data["end"] and, when focus cannot get out of something, data["trap"].

    It walks until `end_by` minus the time the re-checks of what it found so far will need."""
    stops: list[dict[str, Any]] = data["stops"]
    first_seen: dict[str, int] = {}
    presses = empty = 0
    revisits: list[str] = []  # consecutive stops on elements already visited
    suspicious, groups = 0, set()
    while presses < MAX_STOPS:
        reserve = min(suspicious, MAX_HIDDEN) * (SETTLE_HIDDEN + 0.03) + min(len(groups), MAX_VERIFY) * (
            2 * SETTLE + 0.15)
        if time.monotonic() >= end_by - reserve:
            data["end"] = "budget"
            return
        for stop in kb.tabs(1):
            presses += 1
            path = stop.get("p")
            if stop.get("hid") or stop.get("obs"):
                suspicious += 1
            elif stop.get("ch") == [] and not stop.get("te") and not stop.get("c") and not stop.get("fr"):
                groups.add(stop.get("g") or path)
            if path is None:
                if stops:
                    # Past the last element; or focus was lost mid-page (an element hid itself): then Tab goes on
                    # from where it was, so one more press tells which.
                    empty += 1
                    if empty >= 2 or not _unvisited(data):
                        data["end"] = "body"
                        return
                    continue
                empty += 1
                if empty >= 2:
                    data["end"] = "nothing-focusable"
                    return
                continue
            empty = 0 if stops else empty
            idx = len(stops)
            stop["seq"] = idx
            if idx > 0 and path == stops[0]["p"] and not stops[0].get("c"):
                data["end"] = "wrapped"
                return
            stops.append(stop)
            if idx > 0 and stops[idx - 1]["p"] == path:
                run = 1
                while run < idx and stops[idx - run - 1]["p"] == path:
                    run += 1
                if run >= (CONTAINER_PRESSES if stop.get("c") else STUCK_PRESSES):
                    data["end"] = "stuck"
                    data["trap"] = {"kind": "stuck", "paths": [path], "presses": run + 1, "from": idx - run,
                                    "exit": path}
                    return
                continue
            if path in first_seen:
                if not revisits:
                    data["cycle_exit"] = stops[idx - 1]["p"]  # the element Tab did not leave forwards
                revisits.append(path)
                if len(revisits) == 3 and not _unvisited(data):
                    data["end"] = "wrapped"  # a script sent focus back to the top after the last element
                    return
                distinct = list(dict.fromkeys(revisits))
                if len(revisits) >= max(2 * len(distinct), 4):
                    data["end"] = "cycle"
                    data["trap"] = {"kind": "cycle", "paths": distinct, "presses": len(revisits),
                                    "exit": data.get("cycle_exit"),
                                    "from": min(first_seen[p] for p in distinct)}
                    return
            else:
                revisits = []
                data.pop("cycle_exit", None)
                first_seen[path] = idx
    data["end"] = "limit"


def _unvisited(data: dict[str, Any]) -> list[dict[str, Any]]:
    seen = {s.get("k") for s in data["stops"]} | {s.get("p") for s in data["stops"]}
    out, keys = [], set()
    for t in data.get("tabbables", []):
        k = t.get("k") or t["p"]
        if k in seen or k in keys:
            continue
        keys.add(k)
        out.append(t)
    return out


def _escape_test(kb: _Keyboard, data: dict[str, Any]) -> None:
    """A confirmed cycle or stuck focus: can Shift+Tab or Escape then Tab get out?"""
    trap = data["trap"]
    inside = set(trap["paths"])
    back = kb.tabs(len(inside) + 2, shift=True)
    trap["reverse_escapes"] = any(s.get("p") is not None and s.get("p") not in inside for s in back)
    trap["reverse"] = [s.get("p") for s in back]
    kb.press("Escape")
    after = kb.tabs(len(inside) + 2)
    trap["escape_key_escapes"] = any(s.get("p") is not None and s.get("p") not in inside for s in after)


def _listeners(kb: _Keyboard, data: dict[str, Any]) -> None:
    """Pointer event listeners on the elements that look interactive but cannot take focus (DevTools only)."""
    items = data.get("unfocusable") or []
    if not items:
        return
    found = kb.devtools_eval("KB.listeners(getEventListeners)")
    if not isinstance(found, list):
        return
    data["listeners_checked"] = True
    for item, kinds in zip(items, found):
        if kinds:
            item["listeners"] = kinds


def _reverse(kb: _Keyboard, data: dict[str, Any]) -> None:
    """A few Shift+Tab presses from where the walk ended; recorded as paths."""
    back = kb.tabs(REVERSE_PRESSES, shift=True)
    data["reverse"] = [{"p": s.get("p"), "c": bool(s.get("c"))} for s in back]


def _skip_link(kb: _Keyboard, data: dict[str, Any]) -> None:
    stops = data["stops"]
    for stop in stops[:3]:
        if stop.get("t") != "a":
            continue
        info = kb.js(f"KB.skip({int(stop['i'])})")
        if not info or not info.get("frag") or str(info["frag"]).lower() == "top":
            continue
        data["skip"] = info
        if not info.get("target") or info.get("widget") or not info.get("after"):
            return
        # Activate it from the keyboard, then Tab once: focus must land at or after the target.
        if not kb.js(f"KB.refocus({int(stop['i'])})"):
            return
        kb.press("Enter")
        time.sleep(0.05)
        before = kb.js("location.href")
        kb.press("Tab")
        res = kb.js("KB.skipResult()")
        if isinstance(res, dict):
            res["href_after_enter"] = before
            info["result"] = res
        return


def _verify(kb: _Keyboard, data: dict[str, Any], deadline: float) -> None:
    """Re-check suspicious stops: re-focused after a pause (hidden?), screenshots focused vs not (no indicator?)."""
    stops = data["stops"]
    hidden = [s for s in stops if (s.get("hid") and not s.get("lbl") and not _nearby(s)) or s.get("obs")]
    plain = [s for s in stops if s.get("ch") == [] and (not s.get("hid") or s.get("lbl")) and not s.get("obs")
             and not s.get("fr") and not s.get("te") and not s.get("c")]
    seen_groups: set[str] = set()
    todo: list[tuple[str, dict[str, Any]]] = [("hidden", s) for s in hidden[:MAX_HIDDEN]]
    for s in plain:
        group = _style_group(s)
        if group in seen_groups:
            continue
        seen_groups.add(group)
        todo.append(("indicator", s))
        if len(seen_groups) >= MAX_VERIFY:
            break
    results: dict[str, Any] = {}
    for kind, stop in todo:
        if time.monotonic() + 3 * SETTLE > deadline:
            data["verify_truncated"] = True
            break
        i = int(stop["i"])
        if not kb.js(f"KB.refocus({i})"):
            continue
        time.sleep(SETTLE if kind == "indicator" else SETTLE_HIDDEN)
        if kind == "hidden":
            again = kb.js(f"KB.remeasure({i})")
            if isinstance(again, dict):
                results[str(i)] = {"hid": again.get("hid"), "obs": again.get("obs")}
            continue
        rect = kb.js(f"KB.shotRect({i})")
        if not rect:
            continue
        focused = kb.screenshot(rect)
        above = kb.js(f"KB.ancestors({i})")
        kb.js("KB.blur()")
        time.sleep(SETTLE)
        kb.js(f"window.scrollTo({float(rect['sx'])}, {float(rect['sy'])})")
        plain_shot = kb.screenshot(rect)
        if above != kb.js(f"KB.ancestors({i})"):
            results[str(i)] = {"pixels": "differ", "why": "an ancestor's style changes", "group": _style_group(stop)}
        elif focused and plain_shot:
            same = _same_png(focused, plain_shot)
            if same and time.monotonic() + 3 * SETTLE < deadline:
                # Nothing changed around the element: the indicator may be drawn anywhere on screen (a highlight
                # elsewhere, a marker before it); the whole viewport is compared before calling it invisible.
                view = _viewport_changes(kb, i)
                if view is not None:
                    same = not view
            results[str(i)] = {"pixels": "same" if same else "differ", "group": _style_group(stop)}
    data["verify"] = results


def _viewport_changes(kb: _Keyboard, i: int) -> bool | None:
    """Whether any pixel of the viewport differs with stop i focused and not; None when it could not be compared."""
    if not kb.js(f"KB.refocus({i})"):
        return None
    time.sleep(SETTLE)
    view = kb.js("KB.viewRect()")
    if not view:
        return None
    focused = kb.screenshot(view)
    kb.js("KB.blur()")
    time.sleep(SETTLE)
    kb.js(f"window.scrollTo({float(view['sx'])}, {float(view['sy'])})")
    plain = kb.screenshot(view)
    if not focused or not plain:
        return None
    return not _same_png(focused, plain)


def _nearby(stop: dict[str, Any]) -> bool:
    """Focus changed the style of a parent, sibling or child (the indicator is drawn next to the element)."""
    return any(not str(c).startswith(("self:", "before:", "after:")) for c in stop.get("ch") or [])


def _style_group(stop: dict[str, Any]) -> str:
    """Stops that render focus alike (same tag, classes, inner structure, unfocused styles): one check for all."""
    return str(stop.get("g") or stop.get("p"))


def _same_png(a: str, b: str) -> bool:
    if a == b:
        return True
    try:
        return base64.b64decode(a) == base64.b64decode(b)
    except Exception:  # noqa: BLE001
        return False


def gather(driver: Any, budget: float = 3.0) -> dict[str, Any]:
    """Walk the loaded page with the keyboard within `budget` seconds; see the module docstring for the data."""
    t0 = time.monotonic()
    deadline = t0 + budget
    data: dict[str, Any] = {"version": 1, "stops": [], "end": None, "trap": None, "reverse": [], "skip": None,
                            "verify": {}}
    inv = driver.execute_script(_INSTALL_JS, {**_INVENTORY_OPTS, "millis": int(budget * 250)})
    if not isinstance(inv, dict):
        return {"error": "the keyboard inventory script returned nothing"}
    data.update(inv)
    data["inventory_seconds"] = round(time.monotonic() - t0, 3)
    timings = data["timings"] = {}
    kb = _open_keyboard(driver, deadline - 0.15)
    data["method"] = kb.method
    try:
        try:
            _listeners(kb, data)
            kb.js("KB.start()")
            # What the walk leaves: reverse presses and the skip-link test (about 0.3 s), then the re-checks.
            _walk(kb, data, deadline - 0.35 - (0.0 if isinstance(kb, _Socket) else 0.4))
            timings["walk"] = round(time.monotonic() - t0, 3)
            if data.get("trap"):
                _escape_test(kb, data)
            elif data["stops"]:
                _reverse(kb, data)
            _skip_link(kb, data)
            timings["skip"] = round(time.monotonic() - t0, 3)
            _verify(kb, data, deadline - 0.2)
            timings["verify"] = round(time.monotonic() - t0, 3)
        except _Budget:
            data["truncated"] = True
            if data["end"] is None:
                data["end"] = "budget"
    finally:
        kb.close()
        try:
            after = driver.execute_script("var KB = window.__eaKb; if (KB) KB.cleanup(); return location.href;")
        except Exception as exc:  # noqa: BLE001
            log.debug("keyboard clean-up failed: %s", exc)
            after = None
    if isinstance(after, str) and after.split("#")[0] != str(inv.get("url") or "").split("#")[0]:
        return {"error": "the page navigated away during the keyboard walk", "url": after}
    unvisited = _unvisited(data)
    if data.get("trap"):
        data["trap"]["unvisited"] = [t["p"] for t in unvisited[:20]]
        data["trap"]["unvisited_count"] = len(unvisited)
    data["unvisited_count"] = len(unvisited)
    data["unvisited"] = [t["p"] for t in unvisited[:20]]
    tabbables = data.pop("tabbables", None) or []
    data["tabbables_before_main"] = sum(1 for t in tabbables if t.get("main") is False and not t.get("dlg"))
    data["stops"] = [_compact(s) for s in data["stops"]]
    data["walk_seconds"] = round(time.monotonic() - t0, 3)
    return data


def _compact(stop: dict[str, Any]) -> dict[str, Any]:
    """A stop without its empty fields (the probe's data is stored with every page): "ch" is kept, as [] (nothing
    changed) and None (no baseline) differ."""
    def empty(v: Any) -> bool:
        return v is None or v is False or (isinstance(v, (str, list, dict)) and not v)

    return {k: v for k, v in stop.items()
            if k in ("p", "ch", "i") or (k not in ("k", "x", "y", "seq") and not empty(v))}
