"""End to end: `empathy-audit demo` on the bundled site finds exactly the defects listed in expected.json."""

from __future__ import annotations

import json
from collections import Counter
from urllib.parse import urlsplit

import pytest

from crawler.devserver import DEMO_SITE
from tests.helpers import LOOPBACK_BROWSER_ARGS, run_cli

EXPECTED = json.loads((__import__("pathlib").Path(DEMO_SITE) / "expected.json").read_text())


def _path(url: str) -> str:
    p = urlsplit(url)
    return p.path + (f"?{p.query}" if p.query else "")


def _audit_demo(tmp_path, *extra):
    out = tmp_path / "out"
    res = run_cli("demo", "--out", str(out), "--db", str(tmp_path / "h.db"), *extra, timeout=600)
    assert res.code == 0, res.stderr
    report = json.loads((out / "report.json").read_text())
    found: dict[str, Counter] = {}
    for problem in report["problems"]:
        for page in problem["pages"]:
            found.setdefault(_path(page["url"]), Counter())[problem["check_id"]] += len(page["elements"])
    pages = {_path(p["url"]): p for p in report["pages"]}
    return res, out, report, {k: dict(v) for k, v in found.items()}, pages


def _expected(with_browser: bool) -> dict[str, dict[str, int]]:
    want = {page: dict(checks) for page, checks in EXPECTED["pages"].items()}
    if with_browser:
        for page, checks in EXPECTED["browser"].items():
            for check_id, n in checks.items():
                want.setdefault(page, {})[check_id] = want.get(page, {}).get(check_id, 0) + n
    return want


def _assert_crawl_coverage(pages):
    html_pages = {p for p, rec in pages.items() if rec["status"] == 200 and rec["content_type"].startswith("text/html")}
    assert html_pages == set(EXPECTED["pages"]) | set(EXPECTED["clean"])
    for path in EXPECTED["not_crawled"]:
        assert pages.get(path) is None or pages[path]["status"] is None
    for path, mime in EXPECTED["non_html"].items():
        assert pages[path]["content_type"].startswith(mime)
    for path, status in EXPECTED["broken"].items():
        assert pages[path]["status"] == status


def test_static_audit_of_the_demo_site_matches_expected_json_exactly(tmp_path):
    res, out, report, found, pages = _audit_demo(tmp_path, "--no-browser")
    assert found == _expected(with_browser=False)
    for clean in EXPECTED["clean"]:
        assert clean not in found
    _assert_crawl_coverage(pages)
    assert report["summary"]["browser_audits"] == "none"
    assert res.stdout.strip().splitlines()[0] == str(out / "report.html")
    html = (out / "report.html").read_text()
    assert "Static checks only" in html


@pytest.mark.browser
def test_browser_audit_of_the_demo_site_matches_expected_json_exactly(tmp_path):
    res, out, report, found, pages = _audit_demo(
        tmp_path, "--browsers", "2", *[f"--browser-arg={a}" for a in LOOPBACK_BROWSER_ARGS]
    )
    assert found == _expected(with_browser=True)
    _assert_crawl_coverage(pages)
    html_pages = [p for p in pages.values() if p["status"] == 200 and p["content_type"].startswith("text/html")]
    assert all(p["browser"] and p["browser"]["audited"] for p in html_pages)
    assert report["run"]["versions"]["axe_core"].startswith("4.10")
    # Static and axe findings on the same element are one finding, confirmed by both engines.
    template_button = next(p for p in report["problems"] if p["check_id"] == "button-name")
    assert set(template_button["sources"]) == {"static", "axe"}
    injected = next(p for p in report["problems"] if p["check_id"] == "label")
    contact = next(pg for pg in injected["pages"] if pg["url"].endswith("/contact.html"))
    assert sorted(tuple(sorted(e["sources"])) for e in contact["elements"]) == [("axe",), ("axe", "static")]
