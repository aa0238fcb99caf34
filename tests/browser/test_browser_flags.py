"""The browser side of the crawl's flags, in Chromium on 127.0.0.1: --exclude-selector (axe's context, our probes),
--ignore-check (axe's rules option), --standard wcag22aaa, --axe-script, --chromium/--chromedriver (and their
environment variables), and --urls with the browser on."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest

from empathy_audit.audits.gather.axe import BUNDLED
from empathy_audit.crawler.browser import DriverPool
from empathy_audit.crawler.devserver import serve
from tests.browser.conftest import make_config
from tests.helpers import LOOPBACK_BROWSER_ARGS, run_cli

pytestmark = pytest.mark.browser

JUSTIFIED = ("Our beans are roasted in small batches every Tuesday and Friday, rested for two days and shipped the "
             "same afternoon, so they reach you at their best. Each bag carries the roast date, the farm and the "
             "altitude, and our tasting notes are written by the roaster who roasted it. ") * 2
PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Flags</title>
<style>
body {{ background: #ffffff; color: #111111; font: 16px/1.5 sans-serif; }}
main {{ max-width: 40rem; }}
.aa {{ color: #767676; }}      /* 4.54:1 on white: passes AA, fails the enhanced (AAA) 7:1 */
.muted {{ color: #777777; }}   /* 4.48:1: fails AA */
.faint {{ color: #999999; }}   /* 2.85:1 */
.justified {{ text-align: justify; }}
</style></head>
<body><main>
<h1>Flags</h1>
<p class="aa">Prices include VAT</p>
<p class="muted">Updated weekly</p>
<img src="/photo.png" id="outside-img" width="10" height="10">
<p class="justified" id="outside-text">{JUSTIFIED}</p>
<div id="widget">
  <p class="faint">Chat with us</p>
  <img src="/widget.png" id="inside-img" width="10" height="10">
  <div role="listitem">Not in a list</div>
  <p class="justified" id="inside-text">{JUSTIFIED}</p>
</div>
</main></body></html>
"""


@pytest.fixture()
def flags_site(tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(PAGE, encoding="utf-8")
    with serve(str(site)) as srv:
        yield srv


def _found(report: dict) -> set[tuple[str, str]]:
    return {(fix["check_id"], el["selector"]) for fix in report["fixes"] for page in fix["pages"]
            for el in page["elements"]}


def _patched_axe(tmp_path: Path, version: str = "4.99.0") -> Path:
    path = tmp_path / "axe.min.js"
    path.write_text(BUNDLED.source.replace(BUNDLED.version, version), encoding="utf-8")
    return path


def _wrapper(tmp_path: Path, name: str, target: str) -> Path:
    """An executable that notes it ran, then becomes `target`."""
    path = tmp_path / name
    path.write_text(f'#!/bin/sh\necho ran >> "{tmp_path / (name + ".ran")}"\nexec "{target}" "$@"\n', encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return path


def _crawl(tmp_path: Path, srv, *args: str, env: dict | None = None):
    tmp_path.mkdir(parents=True, exist_ok=True)
    listing = tmp_path / "pages.txt"
    listing.write_text(srv.base_url + "/index.html\n", encoding="utf-8")
    out = tmp_path / "out"
    res = run_cli("crawl", "--urls", str(listing), "--db", str(tmp_path / "h.db"), "--out", str(out), "--browsers", "1",
                  "--no-screenshots", *[f"--browser-arg={a}" for a in LOOPBACK_BROWSER_ARGS], *args, env=env,
                  timeout=300)
    report = json.loads((out / "report.json").read_text(encoding="utf-8")) if res.code == 0 else None
    return res, report


def test_flags_change_what_the_browser_audits(tmp_path, flags_site):
    plain_res, plain = _crawl(tmp_path / "plain", flags_site)
    assert plain_res.code == 0, plain_res.stderr
    before = _found(plain)
    # Without the flags: the widget's barriers (axe, our static and browser checks) are there, AAA contrast is not.
    assert {("image-alt", "#inside-img"), ("image-alt", "#outside-img"),
            ("justified-text", "#inside-text"), ("justified-text", "#outside-text")} <= before
    assert {c for c, s in before if s.startswith("#widget")} >= {"color-contrast", "aria-required-parent"}
    assert "color-contrast-enhanced" not in {c for c, _ in before}
    assert plain["run"]["versions"]["axe_core"] == BUNDLED.version

    chromium = _wrapper(tmp_path, "my-chromium", shutil.which("chromium") or "/usr/bin/chromium")
    driver = _wrapper(tmp_path, "my-chromedriver", shutil.which("chromedriver") or "/usr/bin/chromedriver")
    res, report = _crawl(tmp_path / "flags", flags_site, "--exclude-selector", "#widget", "--standard", "wcag22aaa",
                         "--ignore-check", "color-contrast", "--axe-script", str(_patched_axe(tmp_path)),
                         "--chromium", str(chromium), "--chromedriver", str(driver))
    assert res.code == 0, res.stderr
    after = _found(report)
    assert not [s for _c, s in after if "widget" in s or "inside" in s], after  # nothing inside the excluded element
    assert {("image-alt", "#outside-img"), ("justified-text", "#outside-text")} <= after  # the rest still audited
    assert "color-contrast" not in {c for c, _ in after}  # ignored, though .muted fails it
    # AAA: .aa (4.54:1) passes AA but not the enhanced 7:1
    assert ("color-contrast-enhanced", "html > body > main > p:nth-of-type(1)") in after
    assert report["run"]["versions"]["axe_core"] == "4.99.0"  # the axe-core given, as the report records it
    assert report["run"]["versions"]["chromium"]
    assert "axe-core 4.99.0" in (tmp_path / "flags" / "out" / "report.html").read_text(encoding="utf-8")
    assert (tmp_path / "my-chromium.ran").exists() and (tmp_path / "my-chromedriver.ran").exists()


def test_the_environment_names_the_browser_and_the_flag_wins(tmp_path, flags_site):
    chromium = _wrapper(tmp_path, "env-chromium", shutil.which("chromium") or "/usr/bin/chromium")
    driver = _wrapper(tmp_path, "env-chromedriver", shutil.which("chromedriver") or "/usr/bin/chromedriver")
    flag_driver = _wrapper(tmp_path, "flag-chromedriver", shutil.which("chromedriver") or "/usr/bin/chromedriver")
    env = {"EMPATHY_CHROMIUM": str(chromium), "EMPATHY_CHROMEDRIVER": str(driver)}
    res, report = _crawl(tmp_path, flags_site, "--chromedriver", str(flag_driver), env=env)
    assert res.code == 0, res.stderr
    assert report["summary"]["browser_pages_audited"] == 1
    assert (tmp_path / "env-chromium.ran").exists()
    assert (tmp_path / "flag-chromedriver.ran").exists() and not (tmp_path / "env-chromedriver.ran").exists()


def test_axe_runs_without_ignored_rules_and_outside_excluded_elements(flags_site):
    """axe itself is told: rules: {id: {enabled: false}} and a context that excludes the selector (not only our
    filter afterwards); an ignored id that is one of our checks or unknown to this axe-core does not break axe.run."""
    url = flags_site.base_url + "/index.html"
    config = make_config(ignore_checks=("color-contrast", "link-text-generic"), exclude=("#widget",), probes=())
    with DriverPool(config) as pool:
        result = pool.audit(url, {"127.0.0.1"})
        assert result.error is None
        rules = {r["id"]: r for r in result.artifact.violations}
        assert "color-contrast" not in rules and "aria-required-parent" not in rules
        assert [n["selector"] for n in rules["image-alt"]["nodes"]] == ["#outside-img"]
        plain = make_config(probes=())
        with DriverPool(plain) as plain_pool:
            rules = {r["id"] for r in plain_pool.audit(url, {"127.0.0.1"}).artifact.violations}
        assert {"color-contrast", "aria-required-parent"} <= rules



def test_quiet_browser_crawl_prints_only_the_report_paths(tmp_path, flags_site):
    """-q: none of Scrapy's, Selenium's or the browser pool's log lines, no progress, no "Auditing ..." line."""
    res, report = _crawl(tmp_path, flags_site, "-q")
    assert res.code == 0, res.stderr
    assert res.stderr == ""
    assert [Path(line).name for line in res.stdout.splitlines()] == ["report.html", "report.json"]
    assert report["summary"]["browser_pages_audited"] == 1
