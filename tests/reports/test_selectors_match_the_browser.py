"""Selectors in findings pick the element in the browser: the served HTML is read as an HTML5 parser builds it
(Chromium's tree), not as lxml does. A page without <body>, a table without <tbody> and a <picture> with <source>
are where lxml's tree differs; a finding there names the element Chromium's document.querySelector finds, and the
same element on several pages is one fix."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from empathy_audit.audits.artifacts import StaticPage, parse_html
from empathy_audit.audits.families import Need
from empathy_audit.audits.registry import by_need
from empathy_audit.audits.runner import run_families
from empathy_audit.crawler.devserver import serve
from empathy_audit.crawler.store.records import FindingRecord
from empathy_audit.reports.aggregate import build_report
from tests.browser.conftest import pool  # noqa: F401 - the shared Chromium of the browser tests
from tests.reports.report_factories import SITE, make_finding, make_page, make_run

# No <body> tag: lxml keeps the <nav> in <head>; the standard (and Chromium) start the body at it.
NO_BODY = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<nav aria-label="Main">
<a href="/index.html">Home</a>
<a href="/shop.html">Shop</a>
<a href="/contact.html"><img src="/mail.png" alt=""></a>
</nav>
<main>
<h1>{title}</h1>
<table><tr><th>Item</th><td><a href="/basket.html"></a></td></tr></table>
<picture><source srcset="/hero.webp" type="image/webp"><img src="/hero.jpg"></picture>
</main>
"""
PAGES = ("about.html", "team.html", "jobs.html")
NAV_LINK = "html > body > nav > a:nth-of-type(3)"
TABLE_LINK = "html > body > main > table > tbody > tr > td > a"
PICTURE_IMG = "html > body > main > picture > img"


def _page(name: str) -> str:
    return NO_BODY.format(title=name.removesuffix(".html").title())


def _findings(url: str, html: str) -> list[FindingRecord]:
    """The static checks' findings on one served page, as the store returns them."""
    found = run_families(by_need(Need.HTML), StaticPage(url=url, html=html), url)
    return [FindingRecord(check_id=f.check_id, url=f.url, selector=f.selector, snippet=f.snippet, message=f.message,
                          severity=f.severity, outcome=f.outcome, sources=("static",), data=dict(f.data))
            for f in found]


def test_a_page_without_body_gets_the_selectors_an_html5_parser_gives():
    soup = parse_html(_page("about.html"))
    assert soup.find("nav").parent.name == "body" and soup.head.find("nav") is None
    records = _findings(f"{SITE}/about.html", _page("about.html"))
    by_check = {(r.check_id, r.selector) for r in records}
    assert ("link-name", NAV_LINK) in by_check  # the image link with an empty alt has no name
    assert ("link-name", TABLE_LINK) in by_check  # rows of a table sit in an implied <tbody>
    assert ("image-alt", PICTURE_IMG) in by_check  # the <img> follows the <source>, it is not inside it
    assert not any(r.selector.startswith("html > head > ") and r.selector != "html > head > title" for r in records)


def _nav_link_fixes(report) -> list:
    return [f for f in report.fixes if f.check_id == "link-name"
            and any('href="/contact.html"' in e.snippet for p in f.pages for e in p.elements)]


def test_the_same_link_on_every_page_without_body_is_one_fix():
    pages = [make_page("/" + name, depth=1) for name in PAGES]
    findings = [r for name in PAGES for r in _findings(f"{SITE}/{name}", _page(name))]
    report = build_report(make_run(), pages, findings)
    [fix] = _nav_link_fixes(report)
    assert sorted(p.url for p in fix.pages) == sorted(f"{SITE}/{name}" for name in PAGES)
    assert {e.selector for p in fix.pages for e in p.elements} == {NAV_LINK}
    assert fix.fingerprint.kind == "element" and fix.component.kind == "navigation"


def test_a_stored_run_with_head_selectors_still_gets_one_fix():
    """Runs stored before the HTML5 tree named the link under <head>: that is not a page-level finding (which would
    be one fix per top-level page), it is the same element as under <body>."""
    pages = [make_page("/" + name, depth=1) for name in PAGES]
    old = NAV_LINK.replace("html > body >", "html > head >")
    findings = [make_finding("link-name", "/" + name, old if i else NAV_LINK,
                             snippet='<a href="/contact.html"><img src="/mail.png" alt=""></a>')
                for i, name in enumerate(PAGES)]
    report = build_report(make_run(), pages, findings)
    [fix] = _nav_link_fixes(report)
    assert fix.pages_affected == 3 and fix.fingerprint.kind == "element"
    assert fix.component.kind == "navigation"


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[str]:
    root: Path = tmp_path_factory.mktemp("no-body")
    for name in PAGES:
        (root / name).write_text(_page(name), encoding="utf-8")
    with serve(str(root)) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}"


@pytest.mark.browser
def test_chromium_finds_each_finding_by_its_selector(pool, served):  # noqa: F811 - the imported fixture
    records = _findings(f"{served}/about.html", _page("about.html"))
    wanted = {r.selector: r.snippet for r in records if r.selector in (NAV_LINK, TABLE_LINK, PICTURE_IMG)}
    assert set(wanted) == {NAV_LINK, TABLE_LINK, PICTURE_IMG}
    with pool.leased(timeout=60) as slot:
        slot.driver.get(f"{served}/about.html")
        for selector in wanted:
            found = slot.driver.execute_script(
                "const all = document.querySelectorAll(arguments[0]);"
                "return [all.length, all.length ? all[0].outerHTML : ''];", selector)
            assert found[0] == 1, selector
            start = found[1].split(">")[0]
            assert start and wanted[selector].startswith(start), (selector, found[1], wanted[selector])
