"""Every media check on its fixture pages: exactly the marked elements fail; well-built pages raise no alarm."""

from __future__ import annotations

import pytest

from empathy_audit.audits.artifacts import css_path
from empathy_audit.audits.media import _network as net
from empathy_audit.audits.model import Outcome, Severity
from empathy_audit.audits.registry import load_checks, select
from empathy_audit.audits.runner import run_checks
from tests.media.helpers import FIXTURES, fixture, inventory

load_checks(plugins=False)

MEDIA = select("media")
IDS = [c.id for c in MEDIA]


def test_every_media_check_is_registered_with_fixtures():
    assert set(IDS) == {
        "page-weight", "oversized-image", "legacy-image-format", "offscreen-images", "animated-gif",
        "media-autoplay", "video-preload", "heavy-web-font", "text-compression", "static-asset-caching",
        "large-script",
    }
    for chk in MEDIA:
        for kind in ("fail.html", "pass.html", "resources.json"):
            assert (FIXTURES / chk.id / kind).is_file(), f"missing fixture {chk.id}/{kind}"
        assert chk.func.__module__ == "empathy_audit.audits.media." + chk.id.replace("-", "_")
        assert {"slow-connection", "prepaid-data"} <= {str(p) for p in chk.personas}


@pytest.mark.parametrize("check_id", IDS)
def test_fail_page_flags_exactly_the_violations(check_id):
    inv = fixture(check_id, "fail")
    chk = next(c for c in MEDIA if c.id == check_id)
    expected = sorted(css_path(el) for el in inv.soup.select(".violation"))
    assert expected, f"{check_id}/fail.html marks no element with class 'violation'"
    findings = run_checks("media", inv, inv.url, checks=[chk])
    assert not [f for f in findings if f.outcome == Outcome.ERROR], findings
    assert sorted(f.selector for f in findings) == expected
    for f in findings:
        assert f.check_id == check_id and f.url == inv.url and f.sources == ("media",)
        assert f.message and f.message[0].isupper() and f.message.endswith("."), f.message
        assert isinstance(f.severity, Severity)
        if "bytes_saved" in f.data:
            assert f.data["bytes_saved"] > 0
            assert f.data["seconds_saved"] == round(net.transfer_seconds(f.data["bytes_saved"]), 2)


@pytest.mark.parametrize("check_id", IDS)
def test_fail_page_triggers_no_other_media_check(check_id):
    inv = fixture(check_id, "fail")
    others = [c for c in MEDIA if c.id != check_id]
    assert [(f.check_id, f.selector, f.message) for f in run_checks("media", inv, inv.url, checks=others)] == []


@pytest.mark.parametrize("check_id", IDS)
def test_pass_page_raises_no_alarm_from_any_media_check(check_id):
    inv = fixture(check_id, "pass")
    assert inv.soup.select(".pass"), f"{check_id}/pass.html marks no element with class 'pass'"
    assert [(f.check_id, f.selector, f.message) for f in run_checks("media", inv, inv.url, checks=MEDIA)] == []


def _one(check_id, html, resources, **kw):
    chk = next(c for c in MEDIA if c.id == check_id)
    inv = inventory(html, "https://fixture.test/p.html", resources, **kw)
    return run_checks("media", inv, inv.url, checks=[chk])


DOC = '<!DOCTYPE html><html lang="en"><head><title>T</title>{head}</head><body><h1>T</h1>{body}</body></html>'


def test_page_weight_honours_the_budget_and_says_at_least_when_something_is_unmeasured():
    html = DOC.format(head="", body='<img src="/a.webp" alt=""><img src="/gone.webp" alt="">')
    res = {"/a.webp": {"bytes": 600 * 1024, "info": {"format": "webp", "width": 300, "height": 200}}}
    assert _one("page-weight", html, res, budget_kib=1000) == []
    (f,) = _one("page-weight", html, res, budget_kib=500)
    assert f.data["total_bytes"] == 600 * 1024 + 2000 and f.data["budget_bytes"] == 500 * 1024
    assert f.data["unmeasured"] == 1 and "at least" in f.message
    assert f.data["bytes_saved"] == 600 * 1024 + 2000 - 500 * 1024


def test_autoplay_with_sound_is_serious_and_muted_is_at_most_moderate():
    html = DOC.format(head="", body='<video autoplay src="/a.mp4"></video><video autoplay muted src="/b.mp4"></video>')
    res = {"/a.mp4": {"bytes": 9_000_000}, "/b.mp4": {"bytes": 9_000_000}}
    loud, muted = _one("media-autoplay", html, res)
    assert loud.severity == Severity.SERIOUS and "1.4.2" in loud.message and not loud.data["muted"]
    assert muted.severity == Severity.MODERATE and muted.data["muted"]


def test_browser_layout_overrides_the_static_guess_for_offscreen_images():
    imgs = "".join(f'<img src="/s{i}.webp" alt="">' for i in range(6))
    html = DOC.format(head="", body=imgs)
    res = {f"/s{i}.webp": {"bytes": 30000, "info": {"format": "webp", "width": 100, "height": 100}} for i in range(6)}
    assert len(_one("offscreen-images", html, res)) == 1
    selector = "html > body > img:nth-of-type(6)"
    in_view = {"viewport": [1280, 1024], "images": [{"selector": selector, "top": 300, "width": 100}]}
    assert _one("offscreen-images", html, res, browser=in_view) == []
    below = {"viewport": [1280, 1024], "images": [{"selector": selector, "top": 3000, "width": 100}]}
    assert len(_one("offscreen-images", html, res, browser=below)) == 1


def test_browser_displayed_width_makes_an_image_oversized():
    html = DOC.format(head="", body='<img src="/a.webp" alt="">')
    res = {"/a.webp": {"bytes": 200_000, "info": {"format": "webp", "width": 800, "height": 600}}}
    assert _one("oversized-image", html, res) == []  # 800 px for a 412 px phone at 1.75x: about right
    shown = {"viewport": [1280, 1024], "images": [{"selector": "html > body > img", "top": 0, "width": 150}]}
    (f,) = _one("oversized-image", html, res, browser=shown)
    assert f.data["needed_width"] == round(150 * net.PHONE_DPR)


def test_text_compression_flags_the_page_itself():
    html = DOC.format(head="", body="<p>x</p>")
    res = {"document": {"bytes": 40000, "gzip_bytes": 9000, "content_type": "text/html"}}
    (f,) = _one("text-compression", html, res)
    assert f.selector == "html" and f.data["bytes_saved"] == 31000


def test_a_check_never_counts_unmeasured_resources_as_passing_or_failing():
    html = DOC.format(head="", body='<img src="/a.png" alt="" width="100">')
    res = {"/a.png": {"measured": False, "bytes": None, "status": None, "reason": "no answer within 10 s"}}
    for chk in MEDIA:
        if chk.id != "page-weight":
            assert _one(chk.id, html, res) == []
