"""Low-contrast text, end to end in a real browser: axe's check data -> one fix per colour pair, harm from the ratio."""

from __future__ import annotations

import json

import pytest

from empathy_audit.crawler.devserver import serve
from tests.helpers import LOOPBACK_BROWSER_ARGS, run_cli

STYLE = """<style>
body { background: #ffffff; color: #111111; font: 16px/1.5 sans-serif; }
.faint { color: #999999; }   /* 2.85:1 on white: fails even large text */
.muted { color: #777777; }   /* 4.48:1 on white: just below 4.5:1 */
</style>"""


def _page(title: str, body: str) -> str:
    return (f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>{title}</title>{STYLE}</head>"
            f"<body><main><h1>{title}</h1>{body}</main></body></html>")


@pytest.mark.browser
def test_two_low_contrast_colour_pairs_are_two_fixes_naming_colours_and_ratio(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(_page("Home", (
        '<p class="faint">Opening hours</p><p class="faint">Free delivery</p>'
        '<p class="muted">Prices include VAT</p><p class="muted">Updated weekly</p>'
        '<p><a href="/about.html">About us</a></p>')))
    (site / "about.html").write_text(_page("About", (
        '<p class="faint">Since 1998</p><p class="muted">Family run</p><p class="muted">Roasted in town</p>')))
    with serve(str(site)) as srv:
        res = run_cli("crawl", srv.base_url + "/", "--db", str(tmp_path / "h.db"), "--out", str(tmp_path / "out"),
                      "--browsers", "1", *[f"--browser-arg={a}" for a in LOOPBACK_BROWSER_ARGS], "--no-sitemaps",
                      timeout=300)
    assert res.code == 0, res.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert report["summary"]["browser_audits"] == "all"
    contrast = {f["component"]["name"]: f for f in report["fixes"] if f["check_id"] == "color-contrast"}
    assert sorted(contrast) == ["colour pair #777777 on #ffffff, normal text",
                                "colour pair #999999 on #ffffff, normal text"]
    faint = contrast["colour pair #999999 on #ffffff, normal text"]
    muted = contrast["colour pair #777777 on #ffffff, normal text"]
    assert (faint["elements"], faint["pages_affected"]) == (3, 2)
    assert (muted["elements"], muted["pages_affected"]) == (4, 2)
    # axe truncates the ratio to two decimals: #999 on white is 2.847:1, #777 on white 4.478:1
    for fix, fg, ratio in ((faint, "#999999", "2.84:1"), (muted, "#777777", "4.47:1")):
        assert fix["component"]["kind"] == "style" and fix["score"]["effort"] == 1
        assert fix["outcome"] == "fail" and fix["sources"] == ["axe"]
        assert fix["reason"].endswith(
            f"one colour change ({fg} on #ffffff, normal text: contrast {ratio}, needs 4.5:1) fixes every place.")
        assert fix["how_to_fix"].startswith(
            f"Text in {fg} on #ffffff has a contrast ratio of {ratio}; normal text needs at least 4.5:1. ")
    # harm from the actual ratio: below 3:1 hinders low-vision visitors seriously, just below 4.5:1 slightly
    harm = {name: {p["id"]: p["harm"] for p in f["personas"]} for name, f in contrast.items()}
    assert harm["colour pair #999999 on #ffffff, normal text"]["low-vision"] == 0.7
    assert harm["colour pair #777777 on #ffffff, normal text"]["low-vision"] == 0.1
    assert faint["score"]["priority"] > muted["score"]["priority"]
