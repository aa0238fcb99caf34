"""report.html: escaping of untrusted data, the report's own accessibility, banners and the empty run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from empathy_audit.reports.aggregate import build_report
from empathy_audit.reports.writers import html as html_writer
from tests.reports.report_factories import SITE, make_finding, make_page, make_run, png_bytes

CSS = Path(html_writer.TEMPLATES_DIR) / "report.css"


def render(run=None, pages=(), findings=(), lookup=None) -> str:
    return html_writer.render(build_report(run or make_run(), list(pages), list(findings), lookup=lookup))


@pytest.fixture
def sample_html(sample, lookup) -> str:
    return html_writer.render(build_report(*sample, lookup=lookup))


# --- untrusted data ------------------------------------------------------------------------------------------

TITLE = "</title><script>alert(1)</script>"
SNIPPET = "<img src=x onerror=alert(1)>"
MESSAGE = 'Bad "><svg onload=alert(1)>'
JS_URL = "javascript:alert(1)"


@pytest.fixture
def hostile_html(lookup, tmp_path) -> str:
    pages = [
        make_page("/", title=TITLE, depth=0),
        make_page("/x", url="javascript:alert(1)", final_url=JS_URL, title='"><svg onload=alert(2)>'),
        make_page("/r", redirect_chain=[JS_URL, SITE + "/r"], final_url="JAVASCRIPT:alert(3)"),
    ]
    findings = [
        make_finding("image-alt", "/", "img[onerror]", snippet=SNIPPET, message=MESSAGE),
        make_finding("<script>alert(4)</script>", JS_URL, "a", snippet="<script>alert(5)</script>", message=MESSAGE),
        make_finding("link-name", "/", "a", outcome="error", message="<script>alert(6)</script>"),
    ]
    return render(make_run(site=SITE, start_url=JS_URL), pages, findings, lookup)


def test_untrusted_text_is_escaped(hostile_html):
    html = hostile_html
    assert TITLE not in html and "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert SNIPPET not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<svg onload" not in html and "&lt;svg onload=alert(1)&gt;" in html
    assert "&#34;&gt;&lt;svg" in html  # the quote is escaped too


def test_no_script_no_event_handlers_no_javascript_links(hostile_html):
    soup = BeautifulSoup(hostile_html, "lxml")
    assert "<script" not in hostile_html.lower()
    assert soup.find_all(["script", "iframe", "object", "embed", "form"]) == []
    assert [svg.get("class") for svg in soup.find_all("svg")] == [["chart-svg"]]  # only our own chart
    for tag in soup.find_all(True):
        assert not [a for a in tag.attrs if a.lower().startswith("on")], tag
    hrefs = [a["href"] for a in soup.find_all(href=True)]
    assert hrefs and all(h.startswith(("#", "http://", "https://")) for h in hrefs), hrefs
    assert not any("javascript" in h.lower() for h in hrefs)
    # the javascript: URL is still shown, as text
    assert JS_URL in soup.get_text()


def test_the_report_is_self_contained(sample_html):
    soup = BeautifulSoup(sample_html, "lxml")
    assert soup.find_all("link") == [] and soup.find_all("script") == []
    assert all(img["src"].startswith("data:image/png;base64,") for img in soup.find_all("img"))
    assert "@import" not in sample_html and "url(" not in soup.style.get_text()
    csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert csp and "default-src 'none'" in csp["content"] and "script-src" not in csp["content"]


def test_templates_autoescape_and_undefined_is_an_error():
    env = html_writer.environment()
    for name in ("report.html.j2", "partials/_fix.html.j2", "x.html", "x.j2"):
        assert env.autoescape(name) is True, name
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
    with pytest.raises(Exception, match="undefined"):
        env.from_string("{{ nope }}").render()


def test_templates_never_mark_data_safe():
    for path in Path(html_writer.TEMPLATES_DIR).rglob("*.j2"):
        text = path.read_text(encoding="utf-8")
        assert "|safe" not in text.replace(" ", "") and "Markup(" not in text, path


# --- accessibility smoke test ---------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["sample", "empty", "hostile"])
def test_accessibility_smoke(variant, sample_html, hostile_html):
    html = {"sample": sample_html, "empty": render(), "hostile": hostile_html}[variant]
    soup = BeautifulSoup(html, "lxml")
    assert soup.html.get("lang") == "en"
    assert soup.title and soup.title.get_text().strip()
    assert len(soup.find_all("h1")) == 1
    levels = [int(h.name[1]) for h in soup.find_all(re.compile(r"^h[1-6]$"))]
    assert levels[0] == 1
    for before, after in zip(levels, levels[1:]):
        assert after <= before + 1, f"heading jumps from h{before} to h{after}"
    for landmark in ("header", "nav", "main", "footer"):
        assert len(soup.find_all(landmark)) == 1, landmark
    skip = soup.find("a")
    assert skip["href"] == "#main" and soup.find(id="main").name == "main"
    for table in soup.find_all("table"):
        assert table.caption and table.caption.get_text().strip()
        for th in table.find_all("th"):
            assert th.get("scope") in ("col", "row")
    for img in soup.find_all("img"):
        assert img.get("alt", "").strip()
    # every in-page link lands somewhere, and ids are unique
    ids = [t["id"] for t in soup.find_all(id=True)]
    assert len(ids) == len(set(ids))
    for a in soup.find_all("a", href=True):
        if a["href"].startswith("#"):
            assert a["href"][1:] in ids, a["href"]
    # scrollable table regions are keyboard reachable and named
    for region in soup.select(".table-wrap"):
        assert region.get("tabindex") == "0" and region.get("role") == "region" and region.get("aria-labelledby")
    # snippets are code blocks
    for pre in soup.find_all("pre"):
        assert pre.code is not None


def test_severity_is_written_not_only_coloured(sample_html):
    soup = BeautifulSoup(sample_html, "lxml")
    badges = soup.select(".sev")
    assert badges and all(b.get_text().strip() in ("Critical", "Serious", "Moderate", "Minor") for b in badges)


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_colour_pairs_in_the_stylesheet_have_enough_contrast():
    css = CSS.read_text(encoding="utf-8")
    pairs = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        fg = re.search(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})", body)
        bg = re.search(r"background(?:-color)?:\s*(#[0-9a-fA-F]{3,6})", body)
        if fg and bg:
            pairs.append((selector.strip(), fg.group(1), bg.group(1)))
    assert len(pairs) >= 8  # the severities, banner, notice, code, focus...
    for selector, fg, bg in pairs:
        assert _contrast(fg, bg) >= 4.5, (selector, fg, bg, round(_contrast(fg, bg), 2))
    # links and body text on the white page
    for colour in ("#0b4f9c", "#5a2d82", "#1b1b1b"):
        assert colour in css and _contrast(colour, "#ffffff") >= 4.5


def test_focus_is_visible_and_print_styles_exist():
    css = CSS.read_text(encoding="utf-8")
    assert re.search(r"a:focus-visible[^{]*\{[^}]*outline: 3px solid", css)
    assert "outline: none" not in css.replace("main:focus { outline: none; }", "")
    assert "@media print" in css
    assert not re.search(r"(?<![-\w])width:\s*\d+px", css), "no fixed pixel widths (400% zoom)"


# --- what the page says ---------------------------------------------------------------------------------------


def test_interrupted_run_has_a_partial_results_banner(lookup):
    html = render(make_run(status="interrupted", finished_at=None), [make_page("/")], [], lookup)
    soup = BeautifulSoup(html, "lxml")
    banner = soup.find(id="partial-results")
    assert banner is not None and "Partial results" in banner.get_text() and "interrupted" in banner.get_text()
    assert "partial results" in soup.title.get_text()
    assert "Interrupted: partial results" in soup.header.get_text()


def test_finished_run_has_no_banner(sample_html):
    soup = BeautifulSoup(sample_html, "lxml")
    assert soup.find(id="partial-results") is None
    assert "partial" not in soup.title.get_text()


def test_empty_run_says_no_problems_found_and_points_to_manual_checks():
    html = render(make_run(), [make_page("/", depth=0)], [])
    soup = BeautifulSoup(html, "lxml")
    text = " ".join(soup.find(id="summary").get_text().split())
    assert "No problems found by automated checks" in text
    assert soup.find(id="summary").find("a", href="#manual") is not None
    manual = " ".join(soup.find(id="manual").get_text().split()).lower()
    for topic in ("keyboard", "screen-reader", "captions", "alt text", "zoom", "cognitive"):
        assert topic in manual, topic


def test_run_with_no_html_page_does_not_claim_a_clean_site():
    html = render(make_run(), [make_page("/", status=None, error="the server refused the connection")], [])
    text = " ".join(BeautifulSoup(html, "lxml").find(id="summary").get_text().split())
    assert "No HTML page could be audited" in text and "No problems found" not in text


def test_header_shows_run_facts_and_static_only(lookup):
    html = render(make_run(), [make_page("/", browser=None)], [], lookup)
    header = " ".join(BeautifulSoup(html, "lxml").header.get_text().split())
    for fact in (SITE, "42", "2025-11-25 10:00:00 UTC", "took 3 min 12 s", "Finished", "Static checks only"):
        assert fact in header, fact
    assert "empathy-audit 0.1.0" in header and "Scrapy 2.13.3" in header and "axe-core not used" in header


def test_browser_audits_are_reported_when_they_ran(sample_html):
    header = " ".join(BeautifulSoup(sample_html, "lxml").header.get_text().split())
    assert "Static checks only" not in header and "browser audits on 2 of 3" in header


def test_fix_sections_reasons_and_links(sample_html):
    soup = BeautifulSoup(sample_html, "lxml")
    fixes = soup.select("#fixes section.fix")
    assert len(fixes) == 5 and soup.select("#fix-first section.fix") == []
    first = fixes[0]
    assert first.h3.get_text().strip() == "1. Images have no text alternative: page /"
    text = " ".join(first.get_text().split())
    assert "Blocks understanding images for screen-reader users on the home page" in text  # the reason
    assert "Blind and screen-reader users, blocked: The image is skipped" in text  # who is hurt, and how
    assert "Critical" in text
    assert re.search(r"Impact score \d[\d.]* \(blocked-visit equivalents per 1,000 visits\)", text)
    assert "Confidence 100%: confirmed in the rendered page by axe-core" in text  # one element seen by axe too
    assert "Up to 30 in every 10,000 visits meet it" in text
    assert first.find("a", href=re.compile("non-text-content")) is not None
    assert first.find("pre") is not None  # an example with its snippet
    # fix -> page and page -> fix
    row = first.select_one("table tbody tr")
    page_row = soup.find(id=row.a["href"][1:])
    assert page_row.name == "tr" and page_row.find("a", href="#" + row["id"]) is not None
    # the review is a thing to check by a person, after the ranked fixes, with no rank and no score; errors apart
    [review] = soup.select("#to-check section.fix")
    assert review.h3.get_text().strip() == "Text has too little contrast: page /a"
    assert "To check by a person: " in review.get_text() and "Impact score" not in review.get_text()
    assert "Not scored: a person has to confirm it first" in review.get_text()
    assert "boom" in soup.find(id="could-not-check").get_text()


def test_summary_top_fixes_chart_and_table(sample_html):
    soup = BeautifulSoup(sample_html, "lxml")
    summary = soup.find(id="summary")
    top = summary.select("ol.top-fixes > li")
    assert len(top) == 5 and top[0].a["href"] == "#" + soup.select("section.fix")[0]["id"]
    svg = summary.find("svg")
    assert svg["role"] == "img" and soup.find(id=svg["aria-labelledby"]).name == "title"
    assert "Screen-reader users" in svg.get_text()
    table = soup.find(id="who-table-caption").find_parent("table")
    rows = [" ".join(tr.get_text(" ").split()) for tr in table.tbody.find_all("tr")]
    assert rows[0].startswith("Blind and screen-reader users 0.6%") and len(rows) >= 5
    assert "nothing to compare with yet" in summary.get_text()


def test_one_view_per_persona(sample_html):
    soup = BeautifulSoup(sample_html, "lxml")
    sr = soup.find(id="persona-screen-reader")
    assert sr.h3.get_text() == "What a screen-reader user meets on this site"
    assert [a["href"] for a in sr.select("ol a")][0] == "#" + soup.select("section.fix")[0]["id"]
    cvd = soup.find(id="persona-colour-vision")
    assert "found no barrier" in cvd.get_text() or cvd.select("ol li")


def test_trend_is_shown(lookup):
    pages = [make_page("/")]
    previous = (make_run(id=41), pages, [make_finding("link-name", "/", "main > a", snippet="<a>")])
    now = [make_finding("image-alt", "/", "main > img", snippet="<img>", severity="critical")]
    html = html_writer.render(build_report(make_run(), pages, now, lookup=lookup, previous=previous))
    soup = BeautifulSoup(html, "lxml")
    text = " ".join(soup.find(id="summary").get_text().split())
    assert "Compared with run 41" in text and "1 fixed" in text and "1 new" in text
    assert "New since run 41" in soup.select_one("section.fix").get_text()


def test_the_bandwidth_section_is_included_only_when_the_run_has_one(sample, lookup):
    report = build_report(*sample, lookup=lookup)
    html = html_writer.render(report)
    assert 'id="bandwidth"' not in html and 'href="#bandwidth"' not in html
    template = (Path(html_writer.TEMPLATES_DIR) / "report.html.j2").read_text(encoding="utf-8")
    assert '{% if report.bandwidth %}\n{% include "partials/_bandwidth.html.j2" ignore missing %}' in template
    # (the demo-site report in test_report_axe.py renders it for real)


def test_coverage_sections(sample_html):
    cov = BeautifulSoup(sample_html, "lxml").find(id="coverage")
    text = cov.get_text()
    for fragment in ("/doc.pdf", "application/pdf", "/gone", "404", "blocked by robots.txt", "/b2", "timed out"):
        assert fragment in text, fragment


def test_screenshots_are_embedded(tmp_path, lookup):
    shot = tmp_path / "shot.png"
    shot.write_bytes(png_bytes())
    html = render(make_run(), [make_page("/")], [make_finding("link-name", "/", data={"screenshot": str(shot)})], lookup)
    img = BeautifulSoup(html, "lxml").find("img", class_="screenshot")
    assert img["src"].startswith("data:image/png;base64,") and img["alt"]


def test_long_lists_are_capped_in_html_only(lookup):
    findings = [make_finding("link-name", "/", f"main > li:nth-of-type({i}) > a", snippet="<a>") for i in range(30)]
    html = render(make_run(), [make_page("/")], findings, lookup)
    soup = BeautifulSoup(html, "lxml")
    fix = soup.select_one("section.fix")
    assert len(fix.select("tbody tr ul li")) == html_writer.MAX_SELECTORS_SHOWN
    assert "And 20 more (all are in report.json)" in fix.get_text()


def test_the_report_passes_our_own_static_checks(sample_html, hostile_html):
    from empathy_audit.audits.artifacts import StaticPage
    from empathy_audit.audits.model import Outcome
    from empathy_audit.audits.runner import run_checks

    for html in (sample_html, hostile_html):
        findings = run_checks("static", StaticPage(url="file:///report.html", html=html), "file:///report.html")
        failures = [(f.check_id, f.selector, f.message) for f in findings if f.outcome == Outcome.FAIL]
        assert failures == []


def test_each_fix_says_whether_axe_or_our_own_checks_found_it(lookup):
    pages = [make_page("/")]
    findings = [
        make_finding("focus-visible", "/", "#main > a", sources=["browser"]),
        make_finding("color-contrast", "/", "#main > p", sources=["axe"]),
        make_finding("image-alt", "/", "#main > img", sources=["static", "axe"]),
    ]
    soup = BeautifulSoup(render(pages=pages, findings=findings, lookup=lookup), "html.parser")
    found_by = {}
    for dl in soup.select("dl"):
        terms = [dt.get_text(strip=True) for dt in dl.find_all("dt")]
        if "Found by" in terms:
            dd = dl.find_all("dd")[terms.index("Found by")].get_text(" ", strip=True)
            found_by[dd.split("check ", 1)[1].split()[0]] = dd.split("; check", 1)[0]
    assert found_by == {
        "focus-visible": "empathy-audit, in the browser",
        "color-contrast": "axe-core",
        "image-alt": "empathy-audit, in the HTML; axe-core",
    }
