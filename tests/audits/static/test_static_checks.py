"""Every static check on its fixture pages: exactly the marked elements fail; well-built pages raise no alarm."""

from __future__ import annotations


import pytest

from empathy_audit.audits.artifacts import StaticPage, css_path
from empathy_audit.audits.model import Outcome
from empathy_audit.audits.registry import family, load_checks, select
from empathy_audit.audits.runner import run_checks

load_checks(plugins=False)  # tests never load third-party plug-ins

FIXTURES = family("static").fixture_root
STATIC_CHECKS = select("static")
STATIC_IDS = [c.id for c in STATIC_CHECKS]


def _page(check_id: str, kind: str) -> StaticPage:
    path = FIXTURES / check_id / f"{kind}.html"
    return StaticPage(url=f"https://fixture.test/checks/{check_id}/{kind}.html", html=path.read_text("utf-8"))


def _fails(findings):
    return [f for f in findings if f.outcome == Outcome.FAIL]


def test_static_checks_are_registered():
    assert len(STATIC_IDS) >= 20


@pytest.mark.parametrize("check_id", STATIC_IDS)
def test_fail_page_flags_exactly_the_violations(check_id):
    page = _page(check_id, "fail")
    chk = next(c for c in STATIC_CHECKS if c.id == check_id)
    expected = sorted(css_path(el) for el in page.soup.select(".violation"))
    # Elements a check reports as needs review are marked class "review" (some checks never fail, only review).
    expected_review = sorted(css_path(el) for el in page.soup.select(".review"))
    assert expected or expected_review, f"{check_id}/fail.html marks no element with class 'violation' or 'review'"
    findings = run_checks("static", page, page.url, checks=[chk])
    assert not [f for f in findings if f.outcome == Outcome.ERROR], findings
    got = sorted(f.selector for f in _fails(findings))
    assert got == expected
    assert sorted(f.selector for f in findings if f.outcome == Outcome.REVIEW) == expected_review
    for f in findings:
        assert f.check_id == check_id
        assert f.severity == chk.severity
        assert f.message and f.message[0].isupper() and f.message.endswith(".")
        assert f.url == page.url


@pytest.mark.parametrize("check_id", STATIC_IDS)
def test_fail_page_triggers_no_other_check(check_id):
    """Fixture pages are otherwise well built, so a fail page proves one check only."""
    page = _page(check_id, "fail")
    others = [c for c in STATIC_CHECKS if c.id != check_id]
    findings = run_checks("static", page, page.url, checks=others)
    assert [(f.check_id, f.selector, f.message) for f in findings] == []


@pytest.mark.parametrize("check_id", STATIC_IDS)
def test_pass_page_raises_no_alarm_from_any_check(check_id):
    page = _page(check_id, "pass")
    assert page.soup.select(".pass"), f"{check_id}/pass.html marks no element with class 'pass'"
    findings = run_checks("static", page, page.url, checks=STATIC_CHECKS)
    assert [(f.check_id, f.selector, f.message) for f in findings] == []


# Page-level variants that one fixture page per side cannot hold: (check id, html, number of FAIL findings).
DOC = '<!DOCTYPE html><html{attrs}><head><meta charset="utf-8"><title>T</title>{head}</head><body>{body}</body></html>'


def _doc(attrs: str = ' lang="en"', head: str = "", body: str = "<h1>Heading</h1><p>Text</p>") -> str:
    return DOC.format(attrs=attrs, head=head, body=body)


def _refreshes(*contents: str) -> str:
    """A page whose <head> holds one <meta http-equiv="refresh"> per content, in this order."""
    return _doc(head="".join(f'<meta http-equiv="refresh" content="{c}">' for c in contents))


VARIANTS = [
    ("html-has-lang", _doc(' lang=""'), 1),
    ("html-has-lang", _doc(' lang="   "'), 1),
    ("html-has-lang", _doc(' LANG="en"'), 0),
    ("html-has-lang", _doc(' xml:lang="de"'), 0),
    ("html-lang-valid", _doc(' lang="en_US"'), 1),
    ("html-lang-valid", _doc(' lang="x-default"'), 1),
    ("html-lang-valid", _doc(' lang="e"'), 1),
    ("html-lang-valid", _doc(' lang="en" xml:lang="english"'), 1),
    ("html-lang-valid", _doc(' lang=""'), 0),
    ("html-lang-valid", _doc(' lang="EN"'), 0),
    ("html-lang-valid", _doc(' lang=" pt-BR "'), 0),
    ("html-lang-valid", _doc(' lang="zh-Hant-TW"'), 0),
    ("html-lang-valid", _doc(' lang="haw"'), 0),
    ("html-lang-valid", _doc(' lang="sr-Latn-RS"'), 0),
    ("meta-viewport", _doc(head='<meta name="viewport" content="user-scalable=0">'), 1),
    ("meta-viewport", _doc(head='<meta name="viewport" content="user-scalable=0.5">'), 1),
    ("meta-viewport", _doc(head='<meta name="viewport" content="User-Scalable = No ; maximum-scale=3">'), 1),
    ("meta-viewport", _doc(head='<meta name="viewport" content="maximum-scale=1.5">'), 1),
    ("meta-viewport", _doc(head='<meta name="viewport" content="maximum-scale=yes">'), 1),
    ("meta-viewport", _doc(head='<meta name="viewport" content="maximum-scale=2.0, user-scalable=1">'), 0),
    ("meta-viewport", _doc(head='<meta name="viewport" content="maximum-scale=-1">'), 0),
    ("meta-viewport", _doc(head='<meta name="viewport" content="maximum-scale=device-width">'), 0),
    ("meta-viewport", _doc(head='<meta name="viewport" content="user-scalable=yes">'), 0),
    ("meta-viewport", _doc(head='<meta name="viewport" content="">'), 0),
    ("meta-viewport", _doc(head='<meta name="description" content="user-scalable=no">'), 0),
    ("meta-refresh", _doc(head='<meta http-equiv="refresh" content="72000">'), 1),
    ("meta-refresh", _doc(head='<meta http-equiv="refresh" content="1.5,url=/x">'), 1),
    ("meta-refresh", _doc(head='<meta http-equiv="refresh" content="0">'), 0),
    ("meta-refresh", _doc(head='<meta http-equiv="refresh" content="soon">'), 0),
    ("meta-refresh", _doc(head='<meta http-equiv="refresh" content="">'), 0),
    # Browsers act on the first refresh whose content they accept (HTML's shared declarative refresh steps).
    ("meta-refresh", _refreshes("0; /sale", "5"), 0),
    ("meta-refresh", _refreshes("0: /sale", "5"), 1),
    ("meta-refresh", _refreshes("72001; url=/sale"), 0),
    ("meta-refresh", _refreshes("+5; /sale"), 0),
    ("meta-refresh", _refreshes("; 30"), 0),
    ("meta-refresh", _refreshes("-1"), 0),
    ("meta-refresh", _refreshes("5;http://[::1/sale"), 0),
    ("meta-refresh", _doc(head='<meta http-equiv=" refresh" content="5">'), 0),
    ("meta-refresh", _doc(head='<meta http-equiv="refresh">'), 0),
    ("meta-refresh", _doc(body='<h1>T</h1><template><meta http-equiv="refresh" content="5"></template>'), 0),
    ("meta-refresh", _doc(body='<h1>T</h1><meta http-equiv="refresh" content=" 5 ; URL = \'/sale\'">'), 1),
    ("meta-refresh-no-exceptions", _refreshes("72001"), 1),
    ("meta-refresh-no-exceptions", _refreshes("72000"), 0),
    ("meta-refresh-no-exceptions", _refreshes("0"), 0),
    ("meta-refresh-no-exceptions", _refreshes("0: /a", "72001; /a"), 1),
    ("meta-refresh-no-exceptions", _refreshes("0; /a", "72001"), 0),
    ("meta-refresh-no-exceptions", _refreshes("+72001"), 0),
    ("page-has-heading-one", _doc(body='<h2 class="visually-hidden">x</h2><h1 class="visually-hidden">Shop</h1>'), 0),
    ("page-has-heading-one", _doc(body='<h2 aria-level="1">Shop</h2><p>Text</p>'), 0),
    ("page-has-heading-one", _doc(body='<h1 aria-hidden="true">Shop</h1><p>Text</p>'), 1),
    ("page-has-heading-one", _doc(body='<div id="root"></div><script>render()</script>'), 0),
    ("page-has-heading-one", _doc(body='<h1 aria-level="2">Shop</h1><p>Text</p>'), 1),
    ("document-title", _doc().replace("<title>T</title>", "<title>  </title>"), 1),
    ("heading-order", _doc(body="<h3>Start deep</h3><h1>Top</h1><h2>Sub</h2><h3>Subsub</h3>"), 0),
    ("heading-order", _doc(body="<h1>Top</h1><h2 aria-level='4'>Deep</h2>"), 1),
    ("heading-order", _doc(body="<h1>Top</h1><h2 hidden>Gone</h2><h3>Sub</h3>"), 1),
    ("duplicate-id-aria", _doc(body='<h1>T</h1><p id="a">A</p><p id="a">B</p><p id="a">C</p>'), 0),
    ("duplicate-id-aria", _doc(body='<h1>T</h1><td headers="h"></td><p id="h">A</p><p id="h">B</p>'), 1),
    ("aria-hidden-body", _doc().replace("<body>", '<body aria-hidden="TRUE ">'), 1),
]


@pytest.mark.parametrize(("check_id", "html", "count"), VARIANTS)
def test_page_level_variants(check_id, html, count):
    page = StaticPage(url="https://fixture.test/variant.html", html=html)
    chk = next(c for c in STATIC_CHECKS if c.id == check_id)
    findings = run_checks("static", page, page.url, checks=[chk])
    assert not [f for f in findings if f.outcome == Outcome.ERROR]
    assert len(_fails(findings)) == count, [f.message for f in findings]


def test_image_alt_message_names_the_file():
    page = StaticPage(url="u", html='<html lang="en"><body><img src="/a/b/hero%20banner.jpg?v=2"></body></html>')
    chk = next(c for c in STATIC_CHECKS if c.id == "image-alt")
    (finding,) = run_checks("static", page, "u", checks=[chk])
    assert "hero banner.jpg" in finding.message
    assert finding.selector == "html > body > img"
    assert finding.snippet.startswith("<img")


def test_meta_refresh_messages_say_what_the_page_does_and_when():
    checks = {c.id: c for c in STATIC_CHECKS}
    page = StaticPage(url="u", html=_refreshes("30; URL='/scores'"))
    (short,) = run_checks("static", page, "u", checks=[checks["meta-refresh"]])
    assert "sends visitors to another page after 30 seconds" in short.message
    page = StaticPage(url="u", html=_refreshes("86400"))
    (daily,) = run_checks("static", page, "u", checks=[checks["meta-refresh-no-exceptions"]])
    assert "reloads itself after 24 hours" in daily.message
    page = StaticPage(url="u", html=_refreshes("72001; url=/sale"))
    (long,) = run_checks("static", page, "u", checks=[checks["meta-refresh-no-exceptions"]])
    assert "sends visitors to another page after 72,001 seconds (about 20 hours)" in long.message
    assert daily.selector.startswith("html > head > meta")
