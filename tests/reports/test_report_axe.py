"""The HTML report audited by axe-core in Chromium, wide and at 320 CSS px (400% zoom): no violations, no sideways scroll."""

from __future__ import annotations

from importlib.util import find_spec
from pathlib import Path
from typing import Iterator

import pytest

from empathy_audit.reports.aggregate import build_report
from empathy_audit.reports.writers import html as html_writer

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def _axe_source() -> str:
    spec = find_spec("axe_selenium_python")
    assert spec is not None and spec.submodule_search_locations, "axe-selenium-python is not installed"
    return (Path(list(spec.submodule_search_locations)[0]) / "node_modules" / "axe-core" / "axe.min.js").read_text()


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    opts = Options()
    opts.binary_location = CHROMIUM
    profile = tmp_path_factory.mktemp("chromium-profile")
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--proxy-server=http://127.0.0.1:9",  # the report must need nothing from the network
    ):
        opts.add_argument(arg)
    d = webdriver.Chrome(options=opts, service=Service(executable_path=CHROMEDRIVER))
    d.set_page_load_timeout(30)
    d.set_script_timeout(60)
    try:
        yield d
    finally:
        d.quit()


def _axe_clean(driver, path: Path, width: int) -> None:
    driver.set_window_size(width, 900)
    driver.get(path.as_uri())
    driver.execute_script(_axe_source())
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done({violations: r.violations.map(v => [v.id, v.nodes.map(n => n.target)])}))"
        ".catch(e => done({error: String(e)}));",
        TAGS,
    )
    assert "error" not in result, result
    assert result["violations"] == []
    # reflow: the page itself never scrolls sideways (wide tables scroll inside their own region)
    overflow = driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0


@pytest.mark.parametrize("width", [1280, 320])
def test_report_has_no_axe_violations(driver, width, sample, lookup, tmp_path):
    _axe_clean(driver, html_writer.write(build_report(*sample, lookup=lookup), tmp_path / "report.html"), width)


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site audited twice on one port (static only, then with browsers: axe findings, screenshots, and a
    trend against the first run), and the second run's report: the real thing, every section filled."""
    import socket

    from tests.helpers import LOOPBACK_BROWSER_ARGS, run_cli

    tmp = tmp_path_factory.mktemp("demo-report")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = str(s.getsockname()[1])
    common = ["--db", str(tmp / "h.db"), "--port", port]
    res = run_cli("demo", "--out", str(tmp / "first"), "--no-browser", *common, timeout=600)
    assert res.code == 0, res.stderr
    res = run_cli("demo", "--out", str(tmp / "out"), "--browsers", "2", *common,
                  *[f"--browser-arg={a}" for a in LOOPBACK_BROWSER_ARGS], timeout=600)
    assert res.code == 0, res.stderr
    return tmp / "out" / "report.html"


@pytest.mark.parametrize("width", [1280, 320])
def test_the_demo_site_report_has_no_axe_violations(driver, width, demo_report):
    _axe_clean(driver, demo_report, width)
    assert driver.find_elements("css selector", "section.fix")  # the real report, with its fixes
    assert driver.find_elements("css selector", "img.screenshot")  # and the browser's screenshots
    assert "Compared with run" in driver.find_element("id", "summary").text
    assert driver.find_elements("id", "bandwidth")  # the low-bandwidth section, inside the same report
