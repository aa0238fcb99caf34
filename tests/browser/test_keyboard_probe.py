"""The "keyboard" probe (audits.gather.keyboard) in a real Chromium: bounded in time, never hangs, finds traps, leaves
the page as it found it; and the keyboard checks on cases the fixture pages cannot hold (one page per case)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Iterator

import pytest

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.gather import keyboard
from empathy_audit.audits.model import Outcome
from empathy_audit.audits.registry import load_checks, select
from empathy_audit.audits.runner import run_checks
from empathy_audit.crawler.devserver import serve

from .conftest import make_config

load_checks(plugins=False)

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "checks"
BUDGET = 3.0
MARGIN = 0.8  # the clean-up script and one in-flight command may run past the budget

HEAD = '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head><body>'

PAGES = {
    "many-links.html": HEAD.format(title="Many links") + "<main><h1>Index</h1>"
    + "".join(f'<a href="/p{i}">Page {i}</a> ' for i in range(500)) + "</main></body></html>",
    "nothing.html": HEAD.format(title="Nothing") + "<main><h1>Opening hours</h1><p>Monday to Friday, 8 to 18.</p>"
    "</main></body></html>",
    "slow-focus.html": HEAD.format(title="Slow") + "<main><h1>Slow</h1>"
    + "".join(f'<a href="/p{i}">Page {i}</a> ' for i in range(40))
    + "</main><script>document.addEventListener('focusin', function () { var t = Date.now(); "
    "while (Date.now() - t < 250) {} });</script></body></html>",
    "skip-scripted.html": HEAD.format(title="Skip") + '<a href="#main" id="skip">Skip to main content</a>'
    '<nav><a href="/a">A</a> <a href="/b">B</a></nav><main id="main"><h1>Main</h1><a href="/c">C</a></main>'
    "<script>document.getElementById('skip').addEventListener('click', function (e) { e.preventDefault(); "
    "document.getElementById('main').scrollIntoView(); });</script></body></html>",
    "long-nav.html": HEAD.format(title="Long nav") + "<header><nav>"
    + "".join(f'<a href="/s{i}">Section {i}</a> ' for i in range(18))
    + '</nav></header><main><h1>Main</h1><a href="/c">Read more</a></main></body></html>',
    "escape-trap.html": HEAD.format(title="Editor") + '<main><h1>Editor</h1><a href="/a">Before</a> '
    '<textarea id="code" aria-label="Code"></textarea> <a href="/b">After</a></main>'
    "<script>var esc = false, ta = document.getElementById('code');"
    "ta.addEventListener('keydown', function (e) { if (e.key === 'Escape') { esc = true; return; }"
    " if (e.key === 'Tab' && !esc) { e.preventDefault(); } });"
    "ta.addEventListener('blur', function () { esc = false; });</script></body></html>",
    "routes.html": HEAD.format(title="Routes") + '<nav><a href="#/shop">Shop</a> <a href="#features">Features</a>'
    '</nav><main><h1>Main</h1><a href="/c">C</a></main></body></html>',
    "skip-frame.html": HEAD.format(title="Skip to a map") + '<a href="#main">Skip to main content</a>'
    '<nav><a href="/a">A</a> <a href="/b">B</a></nav><main id="main"><h1>Cafés</h1>'
    '<iframe title="Map" src="frame-inner.html" width="300" height="120"></iframe><a href="/c">C</a></main>'
    "</body></html>",
    "frame-inner.html": HEAD.format(title="Map") + '<main><p><a href="/pin">Pin</a></p></main></body></html>',
    "hash.html": HEAD.format(title="Hash") + '<a href="#main">Skip to main content</a><main id="main"><h1>Main</h1>'
    '<a href="/x">X</a></main></body></html>',
}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("keyboard")
    for name, html in PAGES.items():
        (root / name).write_text(html, "utf-8")
    (root / "fixtures").symlink_to(FIXTURES, target_is_directory=True)
    with serve(str(root)) as server:
        yield server.base_url


@pytest.fixture(scope="module")
def driver() -> Iterator:
    from empathy_audit.crawler.browser import DriverPool

    with DriverPool(make_config()) as pool:
        with pool.leased() as slot:
            yield slot.driver


def _walk(driver, url: str, budget: float = BUDGET) -> tuple[dict, float]:
    driver.get(url)
    t0 = time.monotonic()
    data = keyboard.gather(driver, budget=budget)
    return data, time.monotonic() - t0


def _findings(url: str, data: dict, check_id: str) -> list:
    page = RenderedPage(url=url, final_url=url, probes={"keyboard": data})
    return run_checks("browser", page, url, checks=select("browser", [check_id]))


def test_walk_visits_every_stop_and_restores_the_page(driver, served):
    data, seconds = _walk(driver, f"{served}/hash.html")
    assert seconds < BUDGET + MARGIN
    assert data["method"] == "devtools-socket"
    assert [s["p"] for s in data["stops"]] == ["html > body > a", "#main > a"]
    assert data["end"] in ("body", "wrapped")
    assert data["skip"]["result"]["where"] == "inside"  # the skip link was really followed...
    state = driver.execute_script(
        "return [location.href, document.activeElement === document.body, typeof window.__eaKb, window.scrollY];")
    assert state == [f"{served}/hash.html", True, "undefined", 0]  # ...and the page put back as it was


def test_page_with_500_links_stays_within_budget(driver, served):
    data, seconds = _walk(driver, f"{served}/many-links.html")
    assert seconds < BUDGET + MARGIN
    assert data["tabbable_count"] == 500
    assert len(data["stops"]) >= 20  # about 6 ms a stop on an idle machine; the budget, not the page, ends it
    assert data["end"] in ("budget", "body")
    assert data["trap"] is None


def test_page_without_focusable_elements(driver, served):
    data, seconds = _walk(driver, f"{served}/nothing.html")
    assert seconds < 1.5
    assert data["stops"] == [] and data["end"] == "nothing-focusable" and data["tabbable_count"] == 0
    for check_id in ("keyboard-trap", "focus-visible", "focus-hidden", "focus-order", "skip-link-keyboard"):
        assert _findings(f"{served}/nothing.html", data, check_id) == []


def test_slow_focus_handlers_never_hang_the_walk(driver, served):
    data, seconds = _walk(driver, f"{served}/slow-focus.html", budget=1.5)
    assert seconds < 1.5 + MARGIN
    assert data.get("truncated") or data["end"] == "budget"


def test_script_trap_is_detected_in_both_directions(driver, served):
    url = f"{served}/fixtures/keyboard-trap/fail.html"
    data, seconds = _walk(driver, url)
    assert seconds < BUDGET + MARGIN
    trap = data["trap"]
    assert trap["kind"] == "cycle" and trap["exit"] == "#minute"
    assert set(trap["paths"]) == {"#hour", "#minute"}
    assert not trap["reverse_escapes"] and not trap["escape_key_escapes"]
    assert trap["unvisited_count"] == 1
    [f] = _findings(url, data, "keyboard-trap")
    assert f.outcome == Outcome.FAIL and f.selector == "#minute"


def test_trap_released_by_escape_is_only_needs_review(driver, served):
    url = f"{served}/escape-trap.html"
    data, _ = _walk(driver, url)
    assert data["trap"]["kind"] == "stuck" and data["trap"]["escape_key_escapes"]
    [f] = _findings(url, data, "keyboard-trap")
    assert f.outcome == Outcome.REVIEW and f.selector == "#code"


def test_fallback_channels_give_the_same_walk(driver, served, monkeypatch):
    url = f"{served}/fixtures/keyboard-trap/fail.html"
    fast, _ = _walk(driver, url)
    monkeypatch.setattr(keyboard, "local_devtools_url", lambda d: None)
    slow, seconds = _walk(driver, url)
    assert slow["method"] == "chromedriver-cdp" and seconds < BUDGET + MARGIN
    assert [s["p"] for s in slow["stops"]] == [s["p"] for s in fast["stops"]]
    assert slow["trap"]["exit"] == "#minute"

    from empathy_audit.crawler.browser.screenshots import WithoutCdp

    actions, seconds = _walk(WithoutCdp(driver), url)
    assert actions["method"] == "webdriver-actions" and seconds < BUDGET + MARGIN
    assert [s["p"] for s in actions["stops"]][:3] == [s["p"] for s in fast["stops"]][:3]


def test_skip_link_cancelled_by_script_fails(driver, served):
    url = f"{served}/skip-scripted.html"
    data, _ = _walk(driver, url)
    assert data["skip"]["result"]["where"] == "before"
    [f] = _findings(url, data, "skip-link-keyboard")
    assert f.outcome == Outcome.FAIL and f.selector == "#skip"


def test_skip_link_whose_next_stop_is_inside_a_frame_in_the_target_passes(driver, served):
    """Focus inside a same-origin frame counts where the frame is (it once compared nodes of two documents)."""
    url = f"{served}/skip-frame.html"
    for _ in range(3):
        data, _ = _walk(driver, url)
        assert data["skip"]["result"]["where"] == "inside"
        assert _findings(url, data, "skip-link-keyboard") == []


def test_long_navigation_without_skip_link_is_needs_review(driver, served):
    url = f"{served}/long-nav.html"
    data, _ = _walk(driver, url)
    [f] = _findings(url, data, "skip-link-keyboard")
    assert f.outcome == Outcome.REVIEW and f.selector == "html" and "18 times" in f.message


# --- the checks' decisions on recorded probe data (no browser) ------------------------------------------------------


def _stop(path: str, **kw) -> dict:
    base = {"p": path, "i": kw.pop("i", 0), "t": "a", "n": path.rsplit(" ", 1)[-1], "ch": ["self:outline-style"],
            "dx": 0, "dy": 0, "w": 100, "h": 20, "html": f'<a href="/{path}">x</a>'}
    base.update(kw)
    return base


def _data(stops: list[dict], **kw) -> dict:
    return {"stops": stops, "verify": {}, "trap": None, "skip": None, "unfocusable": [], **kw}


def _run(check_id: str, data: dict) -> list:
    return _findings("https://site.test/", data, check_id)


def test_focus_cycling_inside_a_modal_dialog_is_not_a_trap():
    trap = {"kind": "cycle", "paths": ["#ok", "#more"], "exit": "#more", "presses": 4, "unvisited_count": 3}
    stops = [_stop("#a", i=0), _stop("#ok", i=1, dlg=True), _stop("#more", i=2, dlg=True)]
    assert _run("keyboard-trap", _data(stops, trap=trap)) == []
    stops = [_stop("#a", i=0), _stop("#ok", i=1, fx=True), _stop("#more", i=2, fx=True)]
    [f] = _run("keyboard-trap", _data(stops, trap=trap))  # a fixed banner holding focus: a person judges
    assert f.outcome == Outcome.REVIEW and f.selector == "#more"
    stops = [_stop("#a", i=0), _stop("#ok", i=1), _stop("#more", i=2)]
    assert _run("keyboard-trap", _data(stops, trap={**trap, "unvisited_count": 0})) == []  # everything was reached
    [f] = _run("keyboard-trap", _data(stops, trap={**trap, "reverse_escapes": True}))
    assert f.outcome == Outcome.FAIL and f.severity.value == "serious"


def test_hidden_stops_share_a_confirmed_verdict_within_their_container():
    stops = [_stop(f"#menu > ul > li:nth-of-type({k}) > a", i=k, hid=["offscreen"]) for k in range(1, 6)]
    verify = {"1": {"hid": ["offscreen"], "obs": None}}
    found = _run("focus-hidden", _data(stops, verify=verify))
    assert [f.outcome for f in found] == [Outcome.FAIL] * 5
    found = _run("focus-hidden", _data(stops))  # nothing confirmed: needs review
    assert [f.outcome for f in found] == [Outcome.REVIEW] * 5
    stops = [_stop("#file", i=0, hid=["transparent"], ch=["parent:outline-style"])]  # styled wrapper shows focus
    assert _run("focus-hidden", _data(stops)) == []
    stops = [_stop("#card", i=0, hid=["fading"])]  # a reveal-on-scroll fade may be slower than the re-check
    [f] = _run("focus-hidden", _data(stops, verify={"0": {"hid": ["fading"], "obs": None}}))
    assert f.outcome == Outcome.REVIEW


def test_focus_visible_needs_identical_pixels_to_fail():
    a = _stop("#a", i=0, ch=[], g="a:1")
    b = _stop("#b", i=1, ch=[], g="a:1")
    c = _stop("#c", i=2, ch=[], g="a:2")
    field = _stop("#q", i=3, ch=[], t="input", te=True)
    verify = {"0": {"pixels": "same", "group": "a:1"}, "2": {"pixels": "differ", "group": "a:2"}}
    found = _run("focus-visible", _data([a, b, c, field], verify=verify))
    assert [(f.selector, f.outcome) for f in found] == [("#a", Outcome.FAIL), ("#b", Outcome.FAIL),
                                                         ("#q", Outcome.REVIEW)]


def test_focus_order_ignores_menus_and_fixed_elements():
    down = _stop("#x > p > a", i=0, dy=900)
    up = _stop("#x > div > a", i=1, dy=100)
    [f] = _run("focus-order", _data([down, up]))
    assert f.outcome == Outcome.REVIEW and f.selector == "#x > div > a"
    assert _run("focus-order", _data([down, {**up, "fx": True}])) == []
    assert _run("focus-order", _data([{**down, "ch": None}, up])) == []  # leaving a menu that opened on focus
    assert _run("focus-order", _data([down, {**up, "dx": 500}])) == []  # another column
    nav = [_stop("nav > ul > li:nth-of-type(1) > ul > li > a", i=0, dy=600), _stop("nav > ul > li:nth-of-type(2) > a",
                                                                                   i=1, dy=10)]
    assert _run("focus-order", _data(nav)) == []


def test_route_and_ordinary_in_page_links_are_not_taken_for_skip_links(driver, served):
    url = f"{served}/routes.html"
    data, _ = _walk(driver, url)
    assert data["skip"]["frag"] == "features" and data["skip"]["target"] is None  # #/shop is a route, passed over
    assert _findings(url, data, "skip-link-keyboard") == []  # "Features" does not read like a skip link
