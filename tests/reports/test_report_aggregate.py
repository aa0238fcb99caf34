"""build_report: grouping, counting, ordering, page links, coverage and summary on hand-built inputs."""

from __future__ import annotations

import random

import pytest

import reports.aggregate as aggregate
from audits.model import Severity
from reports.aggregate import build_report, http_url, order_problems, screenshot_data_uri
from tests.reports.report_factories import SITE, make_finding, make_page, make_run, png_bytes


def test_fail_findings_are_grouped_by_check_with_pages_and_elements(sample, lookup):
    report = build_report(*sample, lookup=lookup)
    by_id = {p.check_id: p for p in report.problems}
    assert set(by_id) == {"image-alt", "link-name", "heading-order"}

    img = by_id["image-alt"]
    assert (img.pages_affected, img.elements) == (2, 3)  # the static+axe duplicate is one element
    assert [pp.url for pp in img.pages] == [SITE + "/", SITE + "/a"]  # start page first
    home = img.pages[0]
    # natural order: nth-of-type(2) before nth-of-type(10)
    assert [e.selector for e in home.elements] == ["main > img:nth-of-type(2)", "main > img:nth-of-type(10)"]
    assert home.elements[0].sources == ("static", "axe")
    assert img.sources == ["static", "axe"]

    link = by_id["link-name"]
    assert (link.pages_affected, link.elements) == (2, 3)


def test_problem_metadata_comes_from_the_registry(sample, lookup):
    img = next(p for p in build_report(*sample, lookup=lookup).problems if p.check_id == "image-alt")
    assert img.known and img.title == "Images have a text alternative"
    assert img.failure_title == "Images have no text alternative"
    assert img.severity is Severity.CRITICAL and img.declared_severity is Severity.CRITICAL
    assert [(w.sc, w.name) for w in img.wcag] == [("1.1.1", "non text content")]
    assert img.wcag[0].url.startswith("https://www.w3.org/WAI/WCAG22/Understanding/")
    assert [p.label for p in img.personas] == ["Blind and screen-reader users", "Visitors on slow mobile connections"]
    assert img.how_to_fix.startswith("Give every meaningful image")


def test_problems_order_by_severity_then_pages_then_elements_then_id(lookup):
    pages = [make_page(f"/p{i}") for i in range(4)]
    findings = [
        # minor, on 3 pages: still last (severity first)
        *(make_finding("zz-minor", f"/p{i}", severity="minor") for i in range(3)),
        # serious on 2 pages beats serious on 1 page with more elements
        make_finding("b-serious-two-pages", "/p0", severity="serious"),
        make_finding("b-serious-two-pages", "/p1", severity="serious"),
        *(make_finding("a-serious-one-page", "/p0", f"li:nth-of-type({i})", severity="serious") for i in range(5)),
        # same pages and elements: more elements wins, then id
        make_finding("d-moderate", "/p0", "a", severity="moderate"),
        make_finding("d-moderate", "/p0", "b", severity="moderate"),
        make_finding("c-moderate", "/p1", "a", severity="moderate"),
        make_finding("e-moderate", "/p2", "a", severity="moderate"),
        make_finding("critical-one", "/p3", severity="critical"),
    ]
    report = build_report(make_run(), pages, findings, lookup=lookup)
    assert [p.check_id for p in report.problems] == [
        "critical-one",
        "b-serious-two-pages",
        "a-serious-one-page",
        "d-moderate",
        "c-moderate",
        "e-moderate",
        "zz-minor",
    ]


def test_ordering_lives_in_one_replaceable_function(sample, lookup, monkeypatch):
    monkeypatch.setattr(aggregate, "order_problems", lambda problems: sorted(problems, key=lambda p: p.check_id))
    report = build_report(*sample, lookup=lookup)
    assert [p.check_id for p in report.problems] == ["heading-order", "image-alt", "link-name"]
    # and the default is what order_problems says
    monkeypatch.undo()
    report = build_report(*sample, lookup=lookup)
    assert report.problems == order_problems(report.problems)


def test_needs_review_and_errors_are_never_failures(sample, lookup):
    report = build_report(*sample, lookup=lookup)
    assert [p.check_id for p in report.needs_review] == ["color-contrast"]
    assert all(p.check_id != "color-contrast" for p in report.problems)
    assert report.summary.review_checks == 1 and report.summary.review_elements == 1
    assert [(e.check_id, e.url, e.message) for e in report.could_not_check] == [
        ("link-name", SITE + "/b", "The check could not run: boom")
    ]
    assert report.summary.could_not_check == 1
    link = next(p for p in report.problems if p.check_id == "link-name")
    assert SITE + "/b" not in [pp.url for pp in link.pages]  # the error did not add a page to the problem


def test_unknown_check_ids_fall_back_to_id_and_finding_severity(lookup):
    findings = [
        make_finding("not-a-real-check", "/", "a", severity="minor"),
        make_finding("not-a-real-check", "/", "b", severity="serious"),
        make_finding("Weird ID!", "/", severity="bogus-severity"),
    ]
    report = build_report(make_run(), [make_page("/")], findings, lookup=lookup)
    unknown = next(p for p in report.problems if p.check_id == "not-a-real-check")
    assert (unknown.title, unknown.failure_title, unknown.known) == ("not-a-real-check",) * 2 + (False,)
    assert unknown.severity is Severity.SERIOUS  # the worst of its findings
    assert unknown.declared_severity is None and unknown.wcag == [] and unknown.personas == []
    weird = next(p for p in report.problems if p.check_id == "Weird ID!")
    assert weird.anchor == "problem-weird-id"


def test_unknown_check_ids_with_the_real_registry():
    report = build_report(make_run(), [make_page("/")], [make_finding("no-such-check-anywhere", "/")])
    assert report.problems[0].title == "no-such-check-anywhere"


def test_pages_and_problems_link_both_ways(sample, lookup):
    report = build_report(*sample, lookup=lookup)
    pages_by_anchor = {p.anchor: p for p in report.pages}
    entries = {pp.anchor: (prob, pp) for prob in report.problems for pp in prob.pages}
    for prob in report.problems:
        for pp in prob.pages:
            page = pages_by_anchor[pp.page_anchor]
            assert page.url == pp.url
            assert pp.anchor in [link.anchor for link in page.problems]
    for page in report.pages:
        for link in page.problems:
            prob, pp = entries[link.anchor]
            assert pp.page_anchor == page.anchor and prob.check_id == link.check_id
            assert link.elements == len(pp.elements)
    assert len({p.anchor for p in report.pages}) == len(report.pages)


def test_findings_match_pages_by_final_url(sample, lookup):
    report = build_report(*sample, lookup=lookup)
    heading = next(p for p in report.problems if p.check_id == "heading-order")
    assert heading.pages[0].url == SITE + "/b"  # the finding said /b2, the page's final URL


def test_a_finding_on_an_unlisted_url_gets_a_page(lookup):
    report = build_report(make_run(), [make_page("/")], [make_finding("link-name", "/elsewhere")], lookup=lookup)
    extra = report.pages[-1]
    assert extra.url == SITE + "/elsewhere" and not extra.in_crawl
    assert report.summary.pages_crawled == 1
    assert [link.check_id for link in extra.problems] == ["link-name"]


def test_coverage_sorts_pages_into_what_was_not_audited(sample, lookup):
    report = build_report(*sample, lookup=lookup)
    cov = report.coverage
    urls = lambda pages: [p.url for p in pages]  # noqa: E731
    assert urls(cov.non_html) == [SITE + "/doc.pdf"]
    assert urls(cov.broken) == [SITE + "/gone"]
    assert urls(cov.redirects) == [SITE + "/b"]
    assert urls(cov.errors) == [SITE + "/private"]
    assert urls(cov.browser_failures) == [SITE + "/b"]
    assert cov.browser_failures[0].browser_error == "timed out"


def test_summary_numbers(sample, lookup):
    s = build_report(*sample, lookup=lookup).summary
    assert s.pages_crawled == 6
    assert s.html_pages_audited == 3  # /, /a, /b (the PDF, the 404 and the blocked URL are not)
    assert s.browser_pages_audited == 2 and s.browser_audits == "some"
    assert s.pages_with_problems == 3
    assert s.problems == 3
    assert s.problems_by_severity == {"critical": 1, "serious": 1, "moderate": 1, "minor": 0}
    assert list(s.problems_by_severity) == ["critical", "serious", "moderate", "minor"]
    assert s.elements == 3 + 3 + 1


@pytest.mark.parametrize(
    ("browsers", "expected"),
    [
        ([None, None], "none"),
        ([{"audited": True, "error": None}, {"audited": True, "error": None}], "all"),
        ([{"audited": True, "error": None}, {"audited": False, "error": "crash"}], "some"),
        ([{"audited": True, "error": None}, None], "some"),
    ],
)
def test_browser_audit_mode(browsers, expected):
    pages = [make_page(f"/{i}", browser=b) for i, b in enumerate(browsers)]
    assert build_report(make_run(), pages, []).summary.browser_audits == expected


def test_empty_run():
    report = build_report(make_run(status="interrupted", finished_at=None), [], [])
    assert report.problems == [] and report.pages == [] and report.summary.pages_crawled == 0
    assert report.run.partial
    assert report.summary.problems_by_severity == {"critical": 0, "serious": 0, "moderate": 0, "minor": 0}


def test_missing_run_fields_do_not_crash():
    report = build_report({"id": 1, "site": SITE, "status": "running"}, [], [])
    assert report.run.start_url == SITE and report.run.versions["axe_core"] is None and report.run.partial


def test_output_does_not_depend_on_input_order(sample, lookup):
    from reports.writers import json as json_writer

    run, pages, findings = sample
    first = json_writer.dumps(build_report(run, pages, findings, lookup=lookup))
    rng = random.Random(7)
    for _ in range(5):
        p, f = pages[:], findings[:]
        rng.shuffle(p)
        rng.shuffle(f)
        assert json_writer.dumps(build_report(run, p, f, lookup=lookup)) == first


def test_screenshots_are_embedded_only_when_small_existing_pngs(tmp_path, lookup):
    small = tmp_path / "small.png"
    small.write_bytes(png_bytes())
    big = tmp_path / "big.png"
    big.write_bytes(png_bytes() + b"\0" * (200 * 1024))
    fake = tmp_path / "fake.png"
    fake.write_bytes(b"<svg onload=alert(1)>")
    shots = {"a": str(small), "b": str(big), "c": str(fake), "d": str(tmp_path / "missing.png"), "e": "small.png"}
    findings = [make_finding("link-name", "/", sel, data={"screenshot": path}) for sel, path in shots.items()]
    report = build_report(make_run(), [make_page("/")], findings, lookup=lookup)
    uris = {e.selector: e.screenshot_uri for e in report.problems[0].pages[0].elements}
    assert uris["a"] is not None and uris["a"].startswith("data:image/png;base64,iVBORw0KGgo")
    assert uris["b"] is uris["c"] is uris["d"] is uris["e"] is None
    assert screenshot_data_uri(None) is None and screenshot_data_uri(str(tmp_path)) is None


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("http://example.com/a?b=c#d", True),
        ("HTTPS://example.com", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//example.com/x", False),
        ("http://exa mple.com", False),
        ("http://example.com/\nx", False),
        ("mailto:a@example.com", False),
        ("http:///nohost", False),
        ("", False),
        (None, False),
    ],
)
def test_http_url_lets_only_http_and_https_through(url, ok):
    assert (http_url(url) == url) if ok else (http_url(url) is None)
