"""The low-bandwidth report section: per-page weights, fixes counted once per shared file, chart and template."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace

from empathy_audit.audits.media import _network as net
from empathy_audit.crawler.store.records import FindingRecord, ResourceRecord
from empathy_audit.reports.bandwidth import build_bandwidth, site_fixes
from empathy_audit.reports.writers.html import environment
from tests.reports.report_factories import (
    make_finding,
    make_page,
    make_resource,
    make_run,
)

SITE = "https://shop.test"


def _row(page: str, url: str, type_: str, nbytes: int | None, *, found_via: str = "img[src]", in_weight: bool = True,
         reason: str | None = None, data: dict | None = None) -> ResourceRecord:
    return make_resource(SITE + page, SITE + url, type_, nbytes, found_via=found_via, in_weight=in_weight,
                         data=data or {}, status=200 if nbytes is not None else None, reason=reason)


def _doc(page: str, nbytes: int) -> ResourceRecord:
    return _row(page, page, "document", nbytes, found_via="page", data={"extra_origins": 0, "chain_depth": 2})


def _finding(page: str, check_id: str, resource: str | None, saved: int, **data) -> FindingRecord:
    return make_finding(check_id, SITE + page, "img", message="M.", sources=(),
                        data={"resource": SITE + resource if resource else None, "bytes_saved": saved, **data})


def _site(pages: int = 40):
    """`pages` pages share one 2 MB hero; one page also has a 500 KB GIF and a video that waits to be played."""
    resources, findings = [], []
    for i in range(pages):
        page = f"/p{i}.html"
        resources += [_doc(page, 10_000), _row(page, "/hero.png", "image", 2_000_000),
                      _row(page, "/site.css", "stylesheet", 20_000, found_via="link[rel=stylesheet]")]
        findings.append(_finding(page, "legacy-image-format", "/hero.png", 1_800_000))
        findings.append(_finding(page, "static-asset-caching", "/hero.png", 2_000_000, repeat_visit=True))
    resources += [_row("/p0.html", "/spin.gif", "image", 500_000), _row("/p0.html", "/film.mp4", "media", 9_000_000,
                                                                     found_via="video>source", in_weight=False),
                  _row("/p0.html", "/never.js", "script", None, found_via="script[src]", reason="no answer within 10 s")]
    findings.append(_finding("/p0.html", "animated-gif", "/spin.gif", 400_000))
    findings.append(_finding("/p0.html", "page-weight", None, 100_000))
    findings.append(make_finding("image-alt", SITE + "/p0.html", "", message="", sources=()))
    pages_ = [make_page(f"/p{i}.html", url=SITE + f"/p{i}.html", title=f"Page {i}") for i in range(pages)]
    run = make_run(id=1, settings={"AUDIT_PAGE_WEIGHT_BUDGET": 2000})
    return run, pages_, resources, findings


def test_no_resources_no_section():
    assert build_bandwidth(make_run(settings={}), [], [], []) is None


def test_page_weights_by_type_time_and_cost():
    run, pages, resources, findings = _site()
    bw = build_bandwidth(run, pages, resources, findings)
    assert bw.budget_bytes == 2000 * 1024
    heaviest = bw.pages[0]
    assert heaviest.path == "/p0.html" and heaviest.title == "Page 0"
    assert heaviest.bytes == 10_000 + 2_000_000 + 20_000 + 500_000  # the video waits: not counted
    assert heaviest.requests == 5  # the unmeasured script is a request all the same
    assert heaviest.type_bytes("image") == 2_500_000 and heaviest.type_bytes("media") == 0
    assert [u.reason for u in heaviest.unmeasured] == ["no answer within 10 s"] and heaviest.size.startswith("at least")
    assert heaviest.load_seconds == net.load_seconds(heaviest.bytes, 0, 2)
    zimbabwe = next(c for c in heaviest.costs if c.country == "Zimbabwe")
    assert zimbabwe.usd == heaviest.bytes / 1e9 * 43.75 and zimbabwe.year == 2023
    assert heaviest.over_budget and bw.over_budget == 1 and bw.pages[1].bytes == 2_030_000
    assert [f.check_id for f in heaviest.fixes] == ["legacy-image-format", "animated-gif", "static-asset-caching"]


def test_a_file_shared_by_40_pages_is_one_fix_counted_once_per_visit():
    run, pages, resources, findings = _site(40)
    fixes = build_bandwidth(run, pages, resources, findings).fixes
    assert [(f.check_id, f.label, f.bytes_saved, len(f.pages)) for f in fixes] == [
        ("legacy-image-format", "/hero.png", 1_800_000, 40),
        ("animated-gif", "/spin.gif", 400_000, 1),
        ("static-asset-caching", "/hero.png", 2_000_000, 40),  # return visits only: after the first-visit fixes
    ]
    assert fixes[0].seconds_saved == net.transfer_seconds(1_800_000)
    assert fixes[2].repeat_visits and not fixes[0].repeat_visits
    assert site_fixes([_finding("/a", "page-weight", None, 5)]) == []


def test_chart_geometry_and_json():
    run, pages, resources, findings = _site(12)
    bw = build_bandwidth(run, pages, resources, findings)
    ch = bw.chart
    assert len(ch.bars) == 10 and ch.bars[0].page.path == "/p0.html"
    first = ch.bars[0]
    assert first.segments[0].x == ch.label_width
    assert abs(first.end - (ch.label_width + ch.plot_width * first.page.bytes / ch.max_bytes)) < 1
    assert ch.budget_x is not None and ch.label_width < ch.budget_x <= ch.label_width + ch.plot_width
    assert ch.max_bytes >= first.page.bytes and [t for t, _, _ in ch.legend] == ["document", "stylesheet", "image"]
    data = json.loads(json.dumps(bw.to_dict()))
    assert data["pages"][0]["bytes"] == first.page.bytes and data["fixes"][0]["bytes_saved"] == 1_800_000
    assert data["pages"][0]["by_type"]["image"] == {"bytes": 2_500_000, "requests": 2}


def test_template_renders_an_accessible_chart_with_a_table_equivalent():
    run, pages, resources, findings = _site(3)
    bw = build_bandwidth(run, pages, resources, findings)
    html = environment().get_template("partials/_bandwidth.html.j2").render(report=SimpleNamespace(bandwidth=bw))
    assert "<script" not in html.lower()
    svg = re.search(r"<svg[^>]*>", html).group(0)
    assert 'role="img"' in svg and 'aria-labelledby="bandwidth-chart-title bandwidth-chart-desc"' in svg
    assert 'id="bandwidth-chart-title"' in html and 'id="bandwidth-chart-desc"' in html
    assert html.count("<caption") == 4 and html.count('scope="row"') >= 3 * 2
    for p in bw.pages:
        assert p.path in html and p.size in html
    assert "Zimbabwe (2023)" in html and "Cable.co.uk" in html and "no answer within 10 s" in html
    assert "budget 2,000 KB" in html or "budget 2.0 MB" in html
    assert re.search(r'<h2 id="bandwidth-h">', html)
    # Every id is unique, and every aria-labelledby points at one.
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids))
    for ref in re.findall(r'aria-labelledby="([^"]+)"', html):
        assert all(r in ids for r in ref.split())


def test_untrusted_urls_are_escaped():
    run, pages, resources, findings = _site(1)
    resources.append(_row("/p0.html", '/x.png?"><script>alert(1)</script>', "image", None, reason="<b>bad</b>"))
    bw = build_bandwidth(run, pages, resources, findings)
    html = environment().get_template("partials/_bandwidth.html.j2").render(report=SimpleNamespace(bandwidth=bw))
    assert "<script>alert(1)" not in html and "<b>bad</b>" not in html


def test_saved_bytes_count_once_each_file_and_page_weight_keeps_only_the_rest():
    from empathy_audit.reports.savings import net_page_weight, site_bytes_saved

    run, pages, resources, findings = _site(3)
    # /hero.png: two overlapping fixes on 3 pages, plus caching (return visits); /spin.gif on /p0.html
    findings.append(_finding("/p1.html", "oversized-image", "/hero.png", 1_500_000))
    bw = build_bandwidth(run, pages, resources, findings)
    assert bw.bytes_saved == site_bytes_saved(findings) == 1_800_000 + 400_000
    assert bw.to_dict()["bytes_saved"] == 2_200_000
    # /p0.html is 100,000 bytes over, all of them saved by the fixes to its files: page-weight carries 0
    (weight,) = [f for f in net_page_weight(findings) if f.check_id == "page-weight"]
    assert weight.data == {"resource": None, "bytes_saved": 0, "bytes_over": 100_000, "bytes_attributed": 2_200_000}
    # a page 3 MB over whose files' fixes save 2.2 MB: page-weight carries the 0.8 MB no fix accounts for
    raw = next(f for f in findings if f.check_id == "page-weight")
    raw.data["bytes_saved"] = 3_000_000
    (weight,) = [f for f in net_page_weight(findings) if f.check_id == "page-weight"]
    assert (weight.data["bytes_saved"], weight.data["bytes_attributed"]) == (800_000, 2_200_000)
    assert net_page_weight(net_page_weight(findings)) == net_page_weight(findings)
    assert raw.data["bytes_saved"] == 3_000_000  # the stored findings are not changed
