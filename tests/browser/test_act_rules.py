"""Where axe-core raises false alarms against a W3C ACT rule, our own browser check implements the rule and axe's
rule is superseded (audits.browser.axe_map.SUPERSEDED): on a real page each barrier of that kind is one finding, in
our words, and a page built right gives none from either.

The pages are the checks' fixture pages (tests/fixtures/checks/<id>/), whose fail.html marks each barrier with class
"violation"; each pass.html holds the situations the ACT rule says are not failures, several of which axe-core flags.
"""

from __future__ import annotations

from typing import Iterator

import pytest

from empathy_audit.audits.artifacts import StaticPage, css_path
from empathy_audit.audits.browser.axe_map import SUPERSEDED
from empathy_audit.audits.registry import family
from empathy_audit.crawler.browser import DriverPool
from empathy_audit.crawler.devserver import serve

from .conftest import make_config

FIXTURES = family("browser").fixture_root
# axe rule -> the checks of ours that implement its ACT rules in its place
REPLACED_BY: dict[str, tuple[str, ...]] = {
    "avoid-inline-spacing": ("important-letter-spacing", "important-word-spacing", "important-line-height"),
    "frame-focusable-content": ("frame-focusable-content",),
    "scrollable-region-focusable": ("scrollable-region-focusable",),
}
CASES = [(rule, check) for rule, checks in REPLACED_BY.items() for check in checks]


def test_every_superseded_rule_is_covered_here():
    assert set(REPLACED_BY) == set(SUPERSEDED)


@pytest.fixture(scope="module")
def audit() -> Iterator:
    with serve(str(FIXTURES)) as server, DriverPool(make_config(probes=("render", "keyboard"))) as pool:
        def run(path: str):
            result = pool.audit(f"{server.base_url}/{path}")
            assert result.audited, result.error
            return result
        yield run


def _marked(check_id: str) -> list[str]:
    path = FIXTURES / check_id / "fail.html"
    page = StaticPage(url="https://fixture.test/", html=path.read_text("utf-8"))
    return sorted(css_path(el) for el in page.soup.select(".violation, .review"))


@pytest.mark.parametrize(("rule", "check_id"), CASES)
def test_each_barrier_is_one_finding_of_ours(audit, rule, check_id):
    result = audit(f"{check_id}/fail.html")
    found = [(f.check_id, f.sources, f.selector) for f in result.findings if f.check_id in (rule, check_id)]
    assert sorted(found) == [(check_id, ("browser",), sel) for sel in _marked(check_id)]


# pass.html and any other page built right (pass-*.html: situations that need a page of their own)
PASS_PAGES = [(rule, check, page.name) for rule, check in CASES for page in sorted((FIXTURES / check).glob("pass*.html"))]


@pytest.mark.parametrize(("rule", "check_id", "page"), PASS_PAGES)
def test_a_page_built_right_gives_no_finding_from_axe_or_ours(audit, rule, check_id, page):
    result = audit(f"{check_id}/{page}")
    ids = (rule, *REPLACED_BY[rule])
    assert [(f.check_id, f.selector, f.message) for f in result.findings if f.check_id in ids] == []
