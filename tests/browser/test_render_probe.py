"""The "render" probe (audits/gather/render.py) on real Chromium: it leaves the page as it found it and keeps to its
time budget. What the probe finds is tested through the checks (test_browser_checks.py and their fixture pages)."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any, Iterator

import pytest

from empathy_audit.audits.gather import render
from empathy_audit.crawler.browser.screenshots import WithoutCdp
from empathy_audit.crawler.devserver import serve

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "checks"

# Everything the probe may touch: inline styles, injected style elements, viewport and window size, scroll position.
_STATE_JS = r"""
var styles = [];
var all = document.getElementsByTagName('*');
for (var i = 0; i < all.length; i++) styles.push(all[i].getAttribute('style'));
return {styles: styles, count: all.length, sheets: document.styleSheets.length,
        styleElements: document.querySelectorAll('style').length,
        innerWidth: window.innerWidth, innerHeight: window.innerHeight,
        clientWidth: document.documentElement.clientWidth, dpr: window.devicePixelRatio,
        scroll: [window.scrollX, window.scrollY], html: document.documentElement.outerHTML.length};
"""


@pytest.fixture(scope="module")
def fixtures_url() -> Iterator[str]:
    with serve(str(FIXTURES)) as server:
        yield server.base_url


@pytest.fixture
def driver(pool) -> Iterator[Any]:
    with pool.leased(timeout=60) as slot:
        yield slot.driver


@pytest.mark.parametrize("page", ["text-spacing/fail.html", "reflow/fail.html", "text-resize/fail.html",
                                  "images-of-text/fail.html", "important-line-height/fail.html"])
def test_probe_restores_the_page(driver, fixtures_url, page):
    driver.get(f"{fixtures_url}/{page}")
    before = driver.execute_script(_STATE_JS)
    data = render.gather(driver, budget=3.0)
    after = driver.execute_script(_STATE_JS)
    assert after == before
    for step in ("spacing", "text200", "reflow", "svgtext"):
        assert "error" not in data[step], data[step]
    assert data["spacing"]["restored"] is True
    json.dumps(data)  # JSON-safe


def test_probe_finds_what_the_fixtures_mark(driver, fixtures_url):
    driver.get(f"{fixtures_url}/text-spacing/fail.html")
    data = render.gather(driver, budget=3.0)
    clipped = {c["selector"]: c["ellipsis"] for c in data["spacing"]["clipped"]}
    assert clipped == {"html > body > main > div:nth-of-type(1)": False, "html > body > main > p": True}
    assert [c["selector"] for c in data["spacing"]["spilled"]] == ["html > body > main > div:nth-of-type(3)"]
    driver.get(f"{fixtures_url}/reflow/fail.html")
    data = render.gather(driver, budget=3.0)
    assert data["reflow"]["method"] == "cdp"
    assert data["reflow"]["scroll_width"] > data["reflow"]["viewport"]
    assert {c["text"] for c in data["reflow"]["culprits"]} == {True, False}


def test_reflow_without_devtools_resizes_the_window_and_restores_it(driver, fixtures_url):
    driver.get(f"{fixtures_url}/reflow/fail.html")
    size = driver.get_window_size()
    before = driver.execute_script(_STATE_JS)
    data = render.gather(WithoutCdp(driver), budget=3.0)  # as through a Grid
    assert driver.get_window_size() == size
    assert driver.execute_script(_STATE_JS)["innerWidth"] == before["innerWidth"]
    reflow = data["reflow"]
    if "error" in reflow:  # a window manager that will not go that narrow: said, never guessed
        assert "could not be narrowed" in reflow["error"]
    else:
        assert reflow["method"] == "window"
        assert any(c["text"] for c in reflow["culprits"])


def test_probe_keeps_to_its_budget_on_a_big_page(driver, fixtures_url):
    driver.get(f"{fixtures_url}/text-spacing/pass.html")
    # A long page: 3,000 cards of text in fixed-size clipping boxes.
    driver.execute_script(r"""
        var main = document.querySelector('main'), html = '';
        for (var i = 0; i < 3000; i++) html += '<div style="height:3em;overflow:hidden"><p>Card ' + i +
          ' <em>with</em> some text that fits</p></div>';
        main.insertAdjacentHTML('beforeend', html);
    """)
    t0 = time.monotonic()
    data = render.gather(driver, budget=1.0)
    elapsed = time.monotonic() - t0
    assert elapsed < 2.5, (elapsed, data.get("timings"))
    print("big page, budget 1 s:", round(elapsed, 3), data.get("timings"), data["spacing"].get("candidates"), data["spacing"].get("truncated"))
    assert data["budget"] == 1.0
    json.dumps(data)
    t0 = time.monotonic()
    render.gather(driver, budget=3.0)
    assert time.monotonic() - t0 < 4.0
    # Nothing left behind.
    assert driver.execute_script("return document.querySelectorAll('style[data-empathy-audit]').length") == 0


# --- the checks over probe data (no browser) -----------------------------------------------------------------------

RENDER_CHECKS = ("css-generated-text", "css-icon-glyph", "images-of-text", "justified-text", "reflow", "text-all-caps",
                 "text-italic", "text-resize", "text-spacing")


def _run(probes: dict) -> list:
    from empathy_audit.audits.artifacts import RenderedPage
    from empathy_audit.audits.registry import load_checks, select
    from empathy_audit.audits.runner import run_checks

    load_checks(plugins=False)
    page = RenderedPage(url="https://site.test/", final_url="https://site.test/", probes=probes)
    return run_checks("browser", page, page.url, checks=select("browser", RENDER_CHECKS))


def test_checks_say_nothing_without_the_probe_or_when_it_failed():
    assert _run({}) == []
    assert _run({"render": {"error": "TimeoutException: boom"}}) == []
    broken_steps = {"render": {"generated": [], "spacing": {"error": "x"}, "text200": {"error": "x"},
                               "reflow": {"error": "x"}}}
    assert _run(broken_steps) == []


def test_reflow_does_not_guess_when_the_viewport_clips_or_text_is_off_screen():
    item = {"selector": "#panel", "snippet": "<div id=\"panel\">", "text": True, "media": False, "width": 280,
            "left": 330, "right": 610, "sample": "Basket"}
    def clipped(**kw):
        return {"render": {"reflow": {"viewport": 320, "scroll_width": 610, "viewport_clips": True,
                                      "culprits": [dict(item, **kw)]}}}

    assert _run(clipped(beyond=True)) == []  # an off-canvas panel behind overflow-x: hidden
    assert _run(clipped(beyond=False, text=False, media=True, left=16)) == []
    cut = _run(clipped(beyond=False, left=16))
    assert [(f.check_id, f.outcome.value) for f in cut] == [("reflow", "needs-review")]
    off = _run({"render": {"reflow": {"viewport": 320, "scroll_width": 610, "width": 320,
                                      "culprits": [dict(item, beyond=True)]}}})
    assert [(f.check_id, f.outcome.value) for f in off] == [("reflow", "needs-review")]
    on = _run({"render": {"reflow": {"viewport": 320, "scroll_width": 610, "width": 320,
                                     "culprits": [dict(item, beyond=False, left=16)]}}})
    assert [(f.check_id, f.outcome.value, f.sources) for f in on] == [("reflow", "fail", ("browser",))]


def test_icon_glyph_reports_each_control_once_and_respects_css_alternative_text():
    glyph = {"selector": "#b > span", "snippet": "<span>", "pseudo": "::before", "text": "\uf002", "icon": True,
             "hidden": False, "own_name": "", "sr_only": False,
             "control": {"selector": "#b", "snippet": "<button id=\"b\">", "name": "", "hidden": False}}
    found = _run({"render": {"generated": [glyph, dict(glyph, pseudo="::after")]}})
    assert [(f.check_id, f.selector, f.outcome.value) for f in found] == [("css-icon-glyph", "#b", "fail")]
    named = dict(glyph, control=dict(glyph["control"], name="Search"))
    assert _run({"render": {"generated": [named]}}) == []
