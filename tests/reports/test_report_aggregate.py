"""build_report: findings -> fixes, the impact score by hand, the blocker lane, traffic, trend, pages and coverage."""

from __future__ import annotations

import random

import pytest

from empathy_audit.audits.model import Outcome, Persona, Severity
from empathy_audit.reports.aggregate import build_report, http_url, order_fixes
from empathy_audit.reports.screenshots import screenshot_data_uri
from empathy_audit.reports.traffic import parse
from tests.reports.report_factories import (
    SITE,
    make_finding,
    make_page,
    make_run,
    png_bytes,
)


def _by(report, check_id):
    return [f for f in report.fixes if f.check_id == check_id]


def test_findings_become_fixes_by_fingerprint(sample, lookup):
    report = build_report(*sample, lookup=lookup)
    # image-alt: the two images on / share one component (same path and markup), /a's is another place
    home_imgs, a_img = sorted(_by(report, "image-alt"), key=lambda f: -f.elements)
    assert (home_imgs.pages_affected, home_imgs.elements) == (1, 2)  # the static+axe duplicate is one element
    assert [e.selector for e in home_imgs.pages[0].elements] == ["main > img:nth-of-type(2)", "main > img:nth-of-type(10)"]
    assert home_imgs.pages[0].elements[0].sources == ("static", "axe")
    assert (a_img.pages_affected, a_img.elements) == (1, 1)
    # link-name: the navigation link on two pages is one fix in the navigation; the footer link another
    nav, foot = sorted(_by(report, "link-name"), key=lambda f: -f.pages_affected)
    assert [p.url for p in nav.pages] == [SITE + "/", SITE + "/a"]  # start page first
    assert (nav.component.kind, nav.component.name, nav.component.template) == ("navigation", "navigation", True)
    assert foot.component.kind == "footer" and foot.pages_affected == 1
    assert nav.heading == "Links have no name: navigation"


def test_fix_metadata_comes_from_the_registry(sample, lookup):
    img = _by(build_report(*sample, lookup=lookup), "image-alt")[0]
    assert img.known and img.title == "Images have a text alternative"
    assert img.severity is Severity.CRITICAL and img.declared_severity is Severity.CRITICAL
    assert [(w.sc, w.name) for w in img.wcag] == [("1.1.1", "non text content")]
    assert img.how_to_fix.startswith("Give every meaningful image")
    # roles from IMPACT.md section 4 (audits.browser.axe_map): SR primary, LV and SLOW minor mentions
    assert [(h.persona, h.role, h.harm) for h in img.personas] == [
        (Persona.SCREEN_READER, "P", 1.0), (Persona.SLOW_CONNECTION, "M", 0.1), (Persona.LOW_VISION, "M", 0.1)]


def test_needs_review_is_a_thing_to_check_after_every_fix_and_errors_are_never_fixes(sample, lookup):
    report = build_report(*sample, lookup=lookup)
    (contrast,) = _by(report, "color-contrast")
    assert contrast.outcome is Outcome.REVIEW and contrast.to_check and not contrast.blocker
    assert contrast.lane == "to-check" and report.fixes[-1] is contrast and report.to_check == [contrast]
    assert contrast.rank == 0 and contrast.score.impact is None and contrast.score.bar == 0  # not ranked, no score
    assert contrast.reason.startswith("To check by a person: ")
    assert report.summary.counts.to_check == 1 and report.summary.counts.fixes == 5
    assert [(e.check_id, e.url, e.message) for e in report.could_not_check] == [
        ("link-name", SITE + "/b", "The check could not run: boom")]
    assert all(SITE + "/b" not in [p.url for p in f.pages] for f in _by(report, "link-name"))


def _one_page(check_id, path, n=1, **kw):
    return [make_finding(check_id, path, f"main > div > button:nth-of-type({i + 1})", snippet='<button class="x">',
                         **kw) for i in range(n)]


def test_the_score_by_hand(lookup):
    # proxy: I = 1/(1+d) * (1 + log2(1 + inbound)) * 2s ; V = I / sum(I)
    pages = [
        make_page("/", depth=0, inbound_links=3, sitemap_priority=None),  # I = 1 * (1 + 2) * 1 = 3
        make_page("/p", depth=1, inbound_links=1, sitemap_priority=0.5),  # I = 0.5 * 2 * 1 = 1
    ]
    findings = [
        # link-name, serious, SR:P KB:S, static element -> c = 0.5, 8 elements on /p -> g = 1 + log10 8
        *[make_finding("link-name", "/p", f"main > ul > li:nth-of-type({i}) > a", snippet='<a class="c" href="/x">')
          for i in range(1, 9)],
        # heading-order moderate, SR:S, confirmed by axe -> c = 1, on /
        make_finding("heading-order", "/", "main > h4", snippet="<h4>", severity="moderate", sources=["static", "axe"]),
    ]
    report = build_report(make_run(), pages, findings, lookup=lookup)
    link, = _by(report, "link-name")
    v_p = 1 / 4
    g = 1 + 0.90309  # log10 8
    persona = 0.006 * 0.7 + 0.01 * 0.3
    assert link.score.bve == pytest.approx(v_p * 1.0 * g * 0.5 * persona, rel=1e-4)
    assert link.score.effort == pytest.approx(1 + 3)  # 8 one-off edits: 1 + log2 8
    assert link.score.priority == pytest.approx(link.score.bve / 4)
    assert link.score.affected == pytest.approx(v_p * (0.006 + 0.01))
    assert link.score.visit_share == pytest.approx(0.25) and link.score.confidence == 0.5
    heading, = _by(report, "heading-order")
    assert heading.score.bve == pytest.approx(3 / 4 * 1 * 1 * 1.0 * 0.006 * 0.3)
    assert heading.score.effort == 1
    assert report.model.traffic == "proxy" and report.model.total_visits == pytest.approx(1.0)
    assert [p.visits for p in report.pages] == [pytest.approx(0.75), pytest.approx(0.25)]


def test_a_template_fix_outranks_the_same_count_of_one_off_fixes(lookup):
    pages = [make_page(f"/t/{i}.html") for i in range(4)] + [make_page("/one")]
    snippet = '<button class="wish" type="button">'
    template = [make_finding("button-name", f"/t/{i}.html", "main > form > button:nth-of-type(2)", snippet=snippet,
                             severity="critical") for i in range(4)]
    one_offs = [make_finding("button-name", "/one", f"main > div:nth-of-type({i}) > button", severity="critical",
                             snippet=f'<button class="b{"xyzw"[i]}">') for i in range(4)]
    report = build_report(make_run(), pages, template + one_offs, lookup=lambda cid: None)
    assert report.fixes[0].pages_affected == 4 and report.fixes[0].component.name == "t page template"
    assert report.fixes[0].score.effort == 1
    assert len(report.fixes) == 5 and all(f.pages_affected == 1 for f in report.fixes[1:])


def test_blockers_on_key_journeys_come_first_whatever_the_score(lookup):
    pages = [make_page("/", depth=0, inbound_links=50), make_page("/checkout/pay", depth=3, inbound_links=0)]
    findings = [
        # a big, site-wide-ish serious problem on the home page
        *[make_finding("link-name", "/", f"main > a:nth-of-type({i})", snippet="<a>") for i in range(20)],
        # an unnamed button in the payment form: critical for screen-reader users, on a key journey
        make_finding("button-name", "/checkout/pay", "main > form > button", snippet='<button type="submit">',
                     severity="critical"),
        # critical, but a secondary harm (duplicate-id-aria is SR:S): never announced as "blocks"
        make_finding("duplicate-id-aria", "/checkout/pay", "main > form > input", snippet="<input id=e>",
                     severity="critical"),
    ]
    report = build_report(make_run(), pages, findings, lookup=lookup)
    first = report.fixes[0]
    assert first.check_id == "button-name" and first.blocker and first.lane == "blocker"
    assert first.journey == "buying" and first.task == "buying"
    assert first.pages[0].journey_multiplier == 1.5
    assert first.reason.startswith("Blocks buying for screen-reader users and keyboard-only visitors on the page /checkout/pay")
    link = _by(report, "link-name")[0]
    assert link.score.priority > first.score.priority and not link.blocker
    dup = _by(report, "duplicate-id-aria")[0]
    assert not dup.blocker and dup.pages[0].journey_multiplier == 1.5
    assert report.blockers == [first] and report.summary.counts.blockers == 1


def test_traffic_file_gives_visits_and_unknown_pages_get_the_capped_proxy(lookup):
    pages = [make_page("/", depth=0, inbound_links=3), make_page("/a", inbound_links=1),
             make_page("/b", inbound_links=1)]
    traffic = parse("url,visits\n/,9000\n/a?utm_source=x,1000\n/elsewhere,50\n", "ga.csv")
    report = build_report(make_run(), pages, [make_finding("link-name", "/b", "main > a", snippet="<a>")],
                          lookup=lookup, traffic=traffic)
    home, a, b = report.pages
    assert (home.visits, a.visits) == (9000, 1000) and home.in_traffic and a.in_traffic and not b.in_traffic
    # proxy rate = 10,000 visits / (I(/) 3 + I(/a) 1) = 2,500 per unit; I(/b) = 1 -> 2,500, capped at the file's 1,000
    assert b.visits == 1000
    assert report.model.traffic == "analytics" and report.model.total_visits == 11000
    assert (report.model.pages_in_traffic, report.model.pages_estimated) == (2, 1)
    fix = report.fixes[0]
    assert fix.score.affected == pytest.approx(1000 * (0.006 + 0.01))
    assert "up to 16 visits a month meet it" in fix.reason


def test_shares_are_a_parameter(sample, lookup):
    base = build_report(*sample, lookup=lookup)
    doubled = build_report(*sample, lookup=lookup, shares={"screen-reader": 0.012})
    img = lambda r: _by(r, "image-alt")[0]  # noqa: E731
    assert doubled.model.shares[Persona.SCREEN_READER] == 0.012
    assert img(doubled).score.bve > img(base).score.bve


def test_trend_new_unchanged_fixed_and_not_rechecked(lookup):
    pages = [make_page("/", depth=0), make_page("/a"), make_page("/b")]
    before = [
        make_finding("image-alt", "/a", "main > img", snippet='<img src="x.png">', severity="critical"),
        make_finding("link-name", "/a", "main > a", snippet="<a>"),  # will be fixed
        make_finding("heading-order", "/gone", "h3", severity="moderate"),  # its page is not crawled again
    ]
    now = [
        make_finding("image-alt", "/a", "main > img", snippet='<img src="y.png?v=2">', severity="critical"),
        make_finding("button-name", "/b", "main > button", snippet="<button>", severity="critical"),  # new
    ]
    previous = (make_run(id=41), pages + [make_page("/gone")], before)
    report = build_report(make_run(id=42), pages, now, lookup=lookup, previous=previous)
    t = report.trend
    assert t.previous_run_id == 41 and t.comparable and t.note == ""
    assert [f.check_id for f in t.new] == ["button-name"] and [f.check_id for f in t.unchanged] == ["image-alt"]
    assert [g.check_id for g in t.fixed] == ["link-name"] and t.fixed[0].pages == ["/a"]
    assert [g.check_id for g in t.not_rechecked] == ["heading-order"]
    assert _by(report, "image-alt")[0].trend == "unchanged" and _by(report, "image-alt")[0].pages_before == 1
    assert build_report(make_run(), pages, now, lookup=lookup).trend is None


def test_trend_says_when_the_runs_used_different_engines(lookup):
    pages_now = [make_page("/", browser={"audited": True, "error": None})]
    report = build_report(make_run(), pages_now, [], lookup=lookup, previous=(make_run(id=1), [make_page("/")], []))
    assert not report.trend.comparable and "browser" in report.trend.note


def test_unknown_check_ids_fall_back_to_id_and_finding_severity(lookup):
    findings = [
        make_finding("not-a-real-check", "/", "a", severity="minor"),
        make_finding("not-a-real-check", "/", "a", severity="serious", message="other"),
        make_finding("Weird ID!", "/", severity="bogus-severity"),
    ]
    report = build_report(make_run(), [make_page("/")], findings, lookup=lookup)
    unknown = _by(report, "not-a-real-check")[0]
    assert (unknown.title, unknown.failure_title, unknown.known) == ("not-a-real-check",) * 2 + (False,)
    assert unknown.severity is Severity.SERIOUS and unknown.declared_severity is None and unknown.wcag == []
    assert [h.persona for h in unknown.personas] == [Persona.SCREEN_READER]
    weird = _by(report, "Weird ID!")[0]
    assert weird.anchor.startswith("fix-weird-id-")


def test_axe_rules_outside_the_registry_use_what_axe_reported(lookup):
    data = {"help": "Elements must only use supported ARIA attributes", "wcag": ["4.1.2"], "axe_impact": "critical",
            "persona_levels": {"screen-reader": "P"}, "help_url": "https://dequeuniversity.com/rules/axe/x"}
    report = build_report(make_run(), [make_page("/")],
                          [make_finding("aria-allowed-attr", "/", "div", severity="critical", sources=["axe"],
                                        data=data)], lookup=lookup)
    fix = report.fixes[0]
    assert not fix.known and fix.title == data["help"] and fix.score.confidence == 1.0
    assert fix.how_to_fix.startswith("See axe-core's guidance")


def test_pages_and_fixes_link_both_ways(sample, lookup):
    report = build_report(*sample, lookup=lookup)
    pages_by_anchor = {p.anchor: p for p in report.pages}
    entries = {pp.anchor: (f, pp) for f in report.fixes for pp in f.pages}
    for f in report.fixes:
        for pp in f.pages:
            assert pp.anchor in [link.anchor for link in pages_by_anchor[pp.page_anchor].fixes]
    for page in report.pages:
        for link in page.fixes:
            f, pp = entries[link.anchor]
            assert pp.page_anchor == page.anchor and f.id == link.fix_id and link.elements == len(pp.elements)
    assert len({p.anchor for p in report.pages}) == len(report.pages)
    assert len({f.anchor for f in report.fixes}) == len(report.fixes)


def test_findings_match_pages_by_final_url_and_unlisted_urls_get_a_page(sample, lookup):
    report = build_report(*sample, lookup=lookup)
    assert _by(report, "heading-order")[0].pages[0].url == SITE + "/b"  # the finding said /b2
    report = build_report(make_run(), [make_page("/")], [make_finding("link-name", "/elsewhere")], lookup=lookup)
    extra = report.pages[-1]
    assert extra.url == SITE + "/elsewhere" and not extra.in_crawl and report.summary.pages_crawled == 1
    assert [link.rank for link in extra.fixes] == [1] and extra.visits > 0


def test_coverage_sorts_pages_into_what_was_not_audited(sample, lookup):
    cov = build_report(*sample, lookup=lookup).coverage
    urls = lambda pages: [p.url for p in pages]  # noqa: E731
    assert urls(cov.non_html) == [SITE + "/doc.pdf"] and urls(cov.broken) == [SITE + "/gone"]
    assert urls(cov.redirects) == [SITE + "/b"] and urls(cov.errors) == [SITE + "/private"]
    assert urls(cov.browser_failures) == [SITE + "/b"] and cov.browser_failures[0].browser_error == "timed out"


def test_summary_numbers(sample, lookup):
    s = build_report(*sample, lookup=lookup).summary
    assert (s.pages_crawled, s.html_pages_audited, s.browser_pages_audited, s.browser_audits) == (6, 3, 2, "some")
    c = s.counts
    assert c.fixes == 5 and c.pages == 3 and c.blockers == 0
    assert s.template_fixes == 1  # the navigation link on two pages
    assert c.by_severity == {"critical": 2, "serious": 2, "moderate": 1, "minor": 0}
    assert c.elements == 2 + 1 + 2 + 1 + 1 and (c.to_check, c.to_check_elements, c.to_check_pages) == (1, 1, 1)


def test_persona_views(sample, lookup):
    report = build_report(*sample, lookup=lookup)
    views = {v.persona: v for v in report.personas}
    assert list(views)[:5] == [Persona.SCREEN_READER, Persona.LOW_VISION, Persona.COLOUR_VISION, Persona.KEYBOARD,
                               Persona.SLOW_CONNECTION]
    sr = views[Persona.SCREEN_READER]
    assert sr.pages_hit == 3 and sr.visit_share_hit == pytest.approx(1.0) and sr.blocker_pages == 2
    assert [f.check_id for f, _ in sr.failing][0] == "image-alt"
    lv = views[Persona.LOW_VISION]
    assert [f.outcome for f, _ in lv.fixes][-1] is Outcome.REVIEW  # the contrast review, after failures


@pytest.mark.parametrize(
    ("browsers", "expected"),
    [
        ([None, None], "none"),
        ([{"audited": True, "error": None}, {"audited": True, "error": None}], "all"),
        ([{"audited": True, "error": None}, {"audited": False, "error": "crash"}], "some"),
    ],
)
def test_browser_audit_mode(browsers, expected):
    pages = [make_page(f"/{i}", browser=b) for i, b in enumerate(browsers)]
    assert build_report(make_run(), pages, []).summary.browser_audits == expected


def test_empty_and_partial_runs():
    report = build_report(make_run(status="interrupted", finished_at=None), [], [])
    assert report.fixes == [] and report.pages == [] and report.summary.pages_crawled == 0 and report.run.partial
    assert report.summary.counts.by_severity == {"critical": 0, "serious": 0, "moderate": 0, "minor": 0}
    bare = make_run(id=1, start_url="", started_at=None, finished_at=None, status="running", settings={}, versions={},
                    stats={})
    report = build_report(bare, [], [])
    assert report.run.start_url == SITE and report.run.versions["axe_core"] is None


def test_output_does_not_depend_on_input_order(sample, lookup):
    from empathy_audit.reports.writers import json as json_writer

    run, pages, findings = sample
    first = json_writer.dumps(build_report(run, pages, findings, lookup=lookup))
    rng = random.Random(7)
    for _ in range(5):
        p, f = pages[:], findings[:]
        rng.shuffle(p)
        rng.shuffle(f)
        assert json_writer.dumps(build_report(run, p, f, lookup=lookup)) == first


def test_order_fixes_is_the_one_ordering_rule(sample, lookup):
    report = build_report(*sample, lookup=lookup)
    assert report.fixes == order_fixes(reversed(report.fixes))
    assert [f.rank for f in report.failing] == list(range(1, len(report.failing) + 1))
    assert report.fixes == report.failing + report.to_check and [f.rank for f in report.to_check] == [0]
    priorities = [f.score.priority for f in report.ranked]
    assert priorities == sorted(priorities, reverse=True)


def test_media_findings_join_the_scale_through_time(lookup):
    pytest.importorskip("empathy_audit.audits.media._network")
    pages = [make_page("/", depth=0)]
    media = make_finding("oversized-image", "/", "main > img", snippet="<img src=big.jpg>", sources=["media"],
                         data={"bytes_saved": 1024 * 1024, "seconds_saved": 5.0})
    report = build_report(make_run(), pages, [media], lookup=lookup)
    fix = report.fixes[0]
    assert [(h.persona, h.role) for h in fix.personas] == [(Persona.SLOW_CONNECTION, "P")]
    assert fix.personas[0].harm == pytest.approx(0.62, abs=0.01)  # S_SLOW of 5 s (IMPACT.md 3.6)
    assert fix.score.bve == pytest.approx(1.0 * 0.06 * fix.personas[0].harm)
    assert fix.bandwidth == {"bytes_saved_per_page": 1024 * 1024, "pages": 1}
    assert "1.0 MB a visit" in fix.reason and fix.task == "loading the page"


def test_screenshots_are_embedded_only_when_small_existing_pngs(tmp_path, lookup):
    small = tmp_path / "small.png"
    small.write_bytes(png_bytes())
    big = tmp_path / "big.png"
    big.write_bytes(png_bytes() + b"\0" * (200 * 1024))
    fake = tmp_path / "fake.png"
    fake.write_bytes(b"<svg onload=alert(1)>")
    shots = {"a": str(small), "b": str(big), "c": str(fake), "d": str(tmp_path / "missing.png"), "e": "small.png"}
    findings = [make_finding("link-name", "/", f"main > {sel}", snippet=f"<{sel}>", data={"screenshot": path})
                for sel, path in shots.items()]
    report = build_report(make_run(), [make_page("/")], findings, lookup=lookup)
    uris = {e.selector[-1]: e.screenshot_uri for f in report.fixes for e in f.pages[0].elements}
    assert uris["a"] is not None and uris["a"].startswith("data:image/png;base64,iVBORw0KGgo")
    assert uris["b"] is uris["c"] is uris["d"] is uris["e"] is None
    assert screenshot_data_uri(None) is None and screenshot_data_uri(str(tmp_path)) is None
    # examples prefer elements with a screenshot
    fix_a = next(f for f in report.fixes if f.pages[0].elements[0].selector.endswith("a"))
    assert fix_a.examples[0][1].screenshot_uri is not None


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("http://example.com/a?b=c#d", True),
        ("HTTPS://example.com", True),
        ("javascript:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//example.com/x", False),
        ("http://exa mple.com", False),
        ("http://example.com/\nx", False),
        ("", False),
        (None, False),
    ],
)
def test_http_url_lets_only_http_and_https_through(url, ok):
    assert (http_url(url) == url) if ok else (http_url(url) is None)
