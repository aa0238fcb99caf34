"""Every browser check (audits/browser, "browser") on its fixture pages, rendered in a real Chromium.

tests/fixtures/checks/<check-id>/fail.html marks what must fail with class "violation" and what must be
left to a reviewer with class "review"; pass.html is the same kind of page built right and must give nothing.
Fixture pages are otherwise well built, so a fail page proves one check only.
"""

from __future__ import annotations

from typing import Iterator

import pytest

from empathy_audit.audits.artifacts import StaticPage, css_path
from empathy_audit.audits.gather.probes import PROBES
from empathy_audit.audits.model import Outcome
from empathy_audit.audits.registry import family, load_checks, select
from empathy_audit.crawler.browser import BrowserResult, DriverPool
from empathy_audit.crawler.devserver import serve

from .conftest import make_config

load_checks(plugins=False)

FIXTURES = family("browser").fixture_root
BROWSER_CHECKS = select("browser")
BROWSER_IDS = [c.id for c in BROWSER_CHECKS]


@pytest.fixture(scope="module")
def fixture_server() -> Iterator[str]:
    with serve(str(FIXTURES)) as server:  # the project's own loopback server
        yield server.base_url


@pytest.fixture(scope="module")
def audited(fixture_server: str) -> Iterator:
    """audit(check_id, kind) -> BrowserResult, each page rendered once with every probe (forms included)."""
    cache: dict[tuple[str, str], BrowserResult] = {}
    with DriverPool(make_config(probes=tuple(PROBES))) as pool:

        def audit(check_id: str, kind: str) -> BrowserResult:
            key = (check_id, kind)
            if key not in cache:
                result = pool.audit(f"{fixture_server}/{check_id}/{kind}.html")
                assert result.audited, result.error
                probes = result.artifact.probes if result.artifact else {}
                failed = {name: data["error"] for name, data in probes.items() if data.get("error")}
                assert not failed, f"probes failed on {check_id}/{kind}.html: {failed}"
                cache[key] = result
            return cache[key]

        yield audit


def _marked(check_id: str, cls: str) -> list[str]:
    path = FIXTURES / check_id / "fail.html"
    page = StaticPage(url=f"https://fixture.test/{check_id}/fail.html", html=path.read_text("utf-8"))
    return sorted(css_path(el) for el in page.soup.select(f".{cls}"))


def _ours(result: BrowserResult, check_id: str | None = None, outcome: Outcome | None = None) -> list:
    return [f for f in result.findings if "browser" in f.sources
            and (check_id is None or f.check_id == check_id) and (outcome is None or f.outcome == outcome)]


def test_every_browser_check_has_fixture_pages():
    assert BROWSER_IDS, "no browser checks are registered"
    missing = [i for i in BROWSER_IDS if not (FIXTURES / i / "fail.html").is_file()
               or not (FIXTURES / i / "pass.html").is_file()]
    assert missing == []


@pytest.mark.parametrize("check_id", BROWSER_IDS)
def test_fail_page_flags_exactly_the_marked_elements(check_id, audited):
    expected_fail, expected_review = _marked(check_id, "violation"), _marked(check_id, "review")
    assert expected_fail or expected_review, f"{check_id}/fail.html marks no element"
    result = audited(check_id, "fail")
    assert _ours(result, check_id, Outcome.ERROR) == []
    assert sorted(f.selector for f in _ours(result, check_id, Outcome.FAIL)) == expected_fail
    assert sorted(f.selector for f in _ours(result, check_id, Outcome.REVIEW)) == expected_review
    for f in _ours(result, check_id):
        assert f.message and f.message[0].isupper() and f.message.rstrip().endswith((".", ")"))
        assert f.sources == ("browser",)


@pytest.mark.parametrize("check_id", BROWSER_IDS)
def test_pass_page_gives_nothing(check_id, audited):
    result = audited(check_id, "pass")
    assert [(f.check_id, f.selector, f.message) for f in _ours(result, check_id)] == []


@pytest.mark.parametrize("check_id", BROWSER_IDS)
def test_fail_page_triggers_no_other_browser_check(check_id, audited):
    result = audited(check_id, "fail")
    others = [(f.check_id, f.selector, f.message) for f in _ours(result)
              if f.check_id != check_id and f.outcome == Outcome.FAIL]
    assert others == []
