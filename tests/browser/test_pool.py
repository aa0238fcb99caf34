"""DriverPool + axe gatherer against the local fixture site (real Chromium, nothing leaves loopback)."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from empathy_audit.audits.artifacts import css_path, parse_html
from empathy_audit.audits.model import Outcome, Persona, Severity
from empathy_audit.crawler.browser import DriverPool
from empathy_audit.crawler.browser.processes import descendants

pytestmark = pytest.mark.browser
HOST = {"127.0.0.1"}


SITE = Path(__file__).parent / "site"


def _static_selector(page: str, css: str) -> str:
    soup = parse_html((SITE / page).read_text())
    el = soup.select_one(css)
    assert el is not None, css
    return css_path(el)


def test_barriers_found_with_our_selectors(pool, site):
    result = pool.audit(site.url("issues.html"), HOST)
    assert result.audited, result.error
    assert result.title == "Page with barriers"
    assert result.axe_version and result.axe_version.startswith("4.")
    fails = {(f.check_id, f.selector) for f in result.findings if f.outcome is Outcome.FAIL}
    expected = {
        ("color-contrast", _static_selector("issues.html", "p.faint")),
        ("aria-hidden-focus", _static_selector("issues.html", 'div[aria-hidden="true"]')),
        ("aria-valid-attr", _static_selector("issues.html", 'div[role="button"]')),
        ("button-name", _static_selector("issues.html", "button.menu")),
        ("label", "#search-form > input"),  # added by JavaScript: only the browser sees it
    }
    assert expected <= fails, fails
    assert ("color-contrast", "html > body > main > p:nth-of-type(2)") in fails  # the format, spelled out
    by_rule = {f.check_id: f for f in result.findings}
    contrast = by_rule["color-contrast"]
    assert contrast.severity is Severity.SERIOUS
    assert contrast.sources == ("axe",)
    assert contrast.data["axe_impact"] == "serious"
    assert contrast.data["help_url"].startswith("https://dequeuniversity.com/rules/axe/")
    assert contrast.data["wcag"] == ["1.4.3"]
    assert contrast.data["personas"][0] == Persona.LOW_VISION
    assert "contrast" in contrast.message and "\n" not in contrast.message
    assert contrast.snippet == '<p class="faint">This sentence is too faint to read.</p>'
    assert by_rule["button-name"].severity is Severity.CRITICAL
    assert by_rule["label"].snippet == '<input type="text" name="q">'
    assert all(f.url == site.url("issues.html") for f in result.findings)


def test_clean_page_has_no_violations(pool, site):
    result = pool.audit(site.url("clean.html"), HOST)
    assert result.audited, result.error
    assert [f for f in result.findings if f.outcome is Outcome.FAIL] == []


def test_broken_video_does_not_cost_ten_seconds(pool, site):
    t0 = time.monotonic()
    result = pool.audit(site.url("video.html"), HOST)
    elapsed = time.monotonic() - t0
    assert result.audited, result.error
    assert elapsed < 6, f"audit of a page with broken <video> took {elapsed:.1f} s"
    rules = {f.check_id: f for f in result.findings}
    assert rules["image-alt"].outcome is Outcome.FAIL
    # axe cannot tell whether captions exist: a question for a person, never a failure nor a pass
    assert rules["video-caption"].outcome is Outcome.REVIEW
    assert rules["video-caption"].message.startswith("Needs a person to check")


def test_alerts_do_not_break_the_audit(pool, site):
    result = pool.audit(site.url("alert.html"), HOST)
    assert result.audited, result.error
    assert "image-alt" in {f.check_id for f in result.findings}
    # and the browser is still usable afterwards
    assert pool.audit(site.url("clean.html"), HOST).audited


def test_redirect_out_of_site_is_not_audited(pool, site):
    result = pool.audit(site.url("offsite"), HOST)
    assert not result.audited
    assert "outside the audited site" in (result.error or "")
    assert result.findings == []


def test_hanging_page_fails_within_the_timeout(site, browser_config):
    with DriverPool(browser_config(page_timeout=3.0)) as p:
        t0 = time.monotonic()
        result = p.audit(site.url("hang/page.html"), HOST)
        elapsed = time.monotonic() - t0
        assert not result.audited
        assert "did not finish loading within 3 s" in (result.error or "")
        assert elapsed < 3 + 4, elapsed
        assert result.findings == []
        # the same browser goes on working
        assert p.audit(site.url("clean.html"), HOST).audited


def _browser_pid(pool: DriverPool) -> int:
    slot = pool._slots[0]
    assert slot.service is not None and slot.browser_pid is not None
    assert slot.browser_pid in descendants(slot.service.process.pid)
    return slot.browser_pid


def test_killed_browser_is_replaced(site, browser_config):
    with DriverPool(browser_config(page_timeout=5.0)) as p:
        assert p.audit(site.url("clean.html"), HOST).audited
        os.kill(_browser_pid(p), signal.SIGKILL)
        result = p.audit(site.url("issues.html"), HOST)
        assert result.audited, result.error
        assert "label" in {f.check_id for f in result.findings}
        assert p.stats["replaced"] == 1


def test_browser_killed_mid_audit_is_retried_on_a_fresh_one(site, browser_config):
    with DriverPool(browser_config(page_timeout=4.0)) as p:
        pid = _browser_pid(p)
        killer = threading.Timer(1.0, os.kill, (pid, signal.SIGKILL))
        killer.start()
        # the page hangs, the browser dies under it, the retry on a fresh browser times out: failed, never a pass
        result = p.audit(site.url("hang/mid-run.html"), HOST)
        killer.join()
        assert not result.audited
        assert result.attempts == 2
        assert p.stats["retried"] == 1 and p.stats["replaced"] == 1
        assert _browser_pid(p) != pid
        assert p.audit(site.url("issues.html"), HOST).audited


def test_pool_quits_every_process(site, browser_config):
    p = DriverPool(browser_config()).start()
    slot = p._slots[0]
    pids = slot.pids()
    profile = slot.user_data_dir
    assert p.audit(site.url("clean.html"), HOST).audited
    p.close()
    time.sleep(0.3)
    alive = [pid for pid in pids if Path(f"/proc/{pid}").exists() and "Z" not in Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1]]
    assert alive == []
    assert profile and not Path(profile).exists()


def test_two_browsers_audit_in_parallel(site, browser_config):
    with DriverPool(browser_config(browsers=2)) as p:
        urls = [site.url(n) for n in ("issues.html", "clean.html", "table.html", "alert.html")]
        results: list = []
        threads = [threading.Thread(target=lambda u=u: results.append(p.audit(u, HOST))) for u in urls]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(results) == 4 and all(r.audited for r in results), [r.error for r in results]
        assert {r.url for r in results} == set(urls)
        assert {r.final_url for r in results} == set(urls)


def test_screenshots_of_serious_failures(site, browser_config, tmp_path):
    with DriverPool(browser_config(screenshots=True, out_dir=tmp_path)) as p:
        result = p.audit(site.url("issues.html"), HOST)
    assert result.audited, result.error
    shots = {f.check_id: f.data["screenshot"] for f in result.findings if "screenshot" in f.data}
    assert {"color-contrast", "button-name", "label"} <= set(shots)
    for rel in shots.values():
        png = (tmp_path / rel).read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) <= 150_000
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        assert 0 < width <= 600 and 0 < height <= 400
    assert all(rel.startswith("screenshots/") for rel in shots.values())
    assert not any("screenshot" in f.data for f in result.findings if f.severity.rank < 3)


def test_frozen_browser_is_killed_and_replaced(site, browser_config):
    """A browser that stops answering (SIGSTOP) is killed at the deadline; the page is retried on a fresh one."""
    with DriverPool(browser_config(page_timeout=2.0, hang_timeout=5.0)) as p:
        pid = _browser_pid(p)
        os.kill(pid, signal.SIGSTOP)
        for proc in descendants(pid):
            try:
                os.kill(proc, signal.SIGSTOP)
            except ProcessLookupError:  # a short-lived Chromium helper may exit between listing and stopping
                pass
        t0 = time.monotonic()
        result = p.audit(site.url("issues.html"), HOST)
        elapsed = time.monotonic() - t0
        assert result.audited, result.error
        assert result.attempts == 2 and p.stats["replaced"] == 1
        assert 5 <= elapsed < 12, elapsed
        assert not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1]


def test_elements_inside_a_same_origin_frame(pool, site):
    result = pool.audit(site.url("frame.html"), HOST)
    assert result.audited, result.error
    label = [f for f in result.findings if f.check_id == "label"]
    assert [f.selector for f in label] == ["html > body > main > iframe:nth-of-type(1) >>> html > body > form > input"]
