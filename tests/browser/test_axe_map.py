"""axe results -> our findings (pure, no browser) and one finding per barrier when static and axe agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.browser.axe_map import (
    findings_from_axe,
    merge_findings,
    personas_of,
    plain_summary,
    severity_of,
    start_tag_key,
    wcag_of,
)
from empathy_audit.audits.gather.axe import AXE_VERSION, STANDARD_TAGS, AxePage, axe_options
from empathy_audit.audits.model import Finding, Outcome, Persona, Severity

SITE = Path(__file__).parent / "site"


@pytest.mark.parametrize(
    ("impact", "severity"),
    [("critical", Severity.CRITICAL), ("serious", Severity.SERIOUS), ("moderate", Severity.MODERATE),
     ("minor", Severity.MINOR), (None, Severity.MODERATE)],
)
def test_impact_to_severity(impact, severity):
    assert severity_of(impact) is severity


def test_wcag_tags():
    tags = ["cat.color", "wcag2aa", "wcag143", "wcag1410", "wcag21aa", "best-practice", "EN-9.1.4.3", "wcag111"]
    assert wcag_of(tags) == ("1.4.3", "1.4.10", "1.1.1")


def test_personas_table():
    assert personas_of("color-contrast") == (Persona.LOW_VISION, Persona.COLOUR_VISION)
    assert personas_of("target-size")[0] is Persona.MOTOR
    assert personas_of("bypass")[0] is Persona.KEYBOARD
    assert personas_of("some-future-rule") == (Persona.SCREEN_READER,)


def test_plain_summary():
    s = "Fix any of the following:\n  Element does not have an alt attribute\n  aria-label attribute does not exist or is empty"
    assert plain_summary(s) == (
        "Any one of these fixes it: Element does not have an alt attribute; aria-label attribute does not exist or is empty."
    )
    two = "Fix all of the following:\n  A is wrong\n\nFix any of the following:\n  B is missing"
    assert plain_summary(two) == "To fix: A is wrong. To fix: B is missing."


def test_standards_and_options():
    assert STANDARD_TAGS["wcag22aa"] == ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
    opts = axe_options("wcag2aa", best_practices=True)
    assert opts["runOnly"]["values"] == ["wcag2a", "wcag2aa", "best-practice"]
    assert opts["resultTypes"] == ["violations", "incomplete"]
    assert "media" not in opts["preload"]["assets"]
    assert "rules" not in opts  # css-orientation-lock (1.3.4) is a WCAG 2.1 rule
    assert axe_options("wcag22aa")["rules"] == {"css-orientation-lock": {"enabled": True}}
    assert axe_options("wcag22aa", disabled=["css-orientation-lock"])["rules"] == {
        "css-orientation-lock": {"enabled": False}}
    with pytest.raises(ValueError):
        axe_options("wcag3")
    assert AXE_VERSION.startswith("4.")


def _rule(rule_id, impact, nodes, tags=("wcag2a", "wcag111")):
    return {"id": rule_id, "impact": impact, "tags": list(tags), "help": "Images must have alternative text",
            "helpUrl": f"https://dequeuniversity.com/rules/axe/4.10/{rule_id}", "nodes": nodes}


def test_violations_fail_and_incomplete_is_review():
    node = {"selector": "html > body > img", "html": "<img   src='a.png'>", "impact": "critical",
            "failureSummary": "Fix any of the following:\n  Element does not have an alt attribute"}
    page = AxePage(requested_url="http://x/", violations=[_rule("image-alt", "critical", [node])],
                   incomplete=[_rule("video-caption", None, [dict(node, impact=None, selector="html > body > video")])])
    fails, reviews = findings_from_axe(page)
    assert (fails.outcome, fails.severity, fails.sources, fails.selector) == (
        Outcome.FAIL, Severity.CRITICAL, ("axe",), "html > body > img")
    assert fails.snippet == "<img src='a.png'>"
    assert fails.data["wcag"] == ["1.1.1"] and fails.data["axe_impact"] == "critical"
    assert reviews.outcome is Outcome.REVIEW and reviews.severity is Severity.MODERATE
    # the artifact's JSON-able dict gives the same findings (gather/audit split)
    assert findings_from_axe(page.to_dict()) == findings_from_axe(page)


def test_contrast_check_data_is_kept_for_the_report():
    data = {"fgColor": "#999999", "bgColor": "#ffffff", "contrastRatio": 2.84, "fontSize": "12.0pt (16px)",
            "fontWeight": "normal", "messageKey": None, "expectedContrastRatio": "4.5:1", "shadowColor": None}
    node = {"selector": "html > body > p", "html": "<p class=faint>", "impact": "serious",
            "any": [{"id": "color-contrast", "data": data}]}
    page = AxePage(requested_url="http://x/", violations=[_rule("color-contrast", "serious", [node, dict(node, any=[])],
                                                              tags=("wcag2aa", "wcag143"))])
    with_data, without = findings_from_axe(page)
    assert with_data.data["contrast"] == {"fgColor": "#999999", "bgColor": "#ffffff", "contrastRatio": 2.84,
                                          "expectedContrastRatio": "4.5:1", "fontSize": "12.0pt (16px)",
                                          "fontWeight": "normal"}
    assert "contrast" not in without.data


def test_start_tag_key_normalises():
    assert start_tag_key('<img src="a.png" class="x  y" width="10"/>') == start_tag_key(
        "<IMG width=10 class='x y' src=\"a.png\">")
    assert start_tag_key("") is None and start_tag_key("text") is None


def _axe(check_id, selector, snippet, outcome=Outcome.FAIL):
    return Finding(check_id, "http://x/", selector, snippet, "axe says", Severity.CRITICAL, outcome, ("axe",),
                   {"help_url": "u", "axe_impact": "critical"})


def test_merge_keeps_one_finding_per_barrier():
    page = StaticPage("http://x/", (SITE / "table.html").read_text())
    imgs = page.soup.find_all("img")
    static = [page.finding(el, "Image has no alt attribute", severity=Severity.CRITICAL) for el in imgs]
    for f in static:
        f.check_id = "image-alt"
        f.data.pop("_severity_set", None)
    title = Finding("document-title", "http://x/", "html", "", "no title", Severity.SERIOUS)
    # what the browser reports for the table image: axe's own short selector, not our path from <html>
    axe = [
        _axe("image-alt", "table .thumb",
             '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" class="thumb" width="10" height="10">'),
        _axe("image-alt", static[1].selector, "<img class=\"logo\">"),
        _axe("image-alt", "html > body > main > img", "<img src=other.png>"),  # only axe saw this one
        _axe("document-title", "html", "<html lang=\"en\">", Outcome.REVIEW),
    ]
    merged = merge_findings(static + [title], axe)
    assert len(merged) == 4
    by_sel = {f.selector: f for f in merged}
    assert static[0].selector != "table .thumb"
    assert by_sel[static[0].selector].sources == ("static", "axe")  # matched on the start tag
    assert by_sel[static[1].selector].sources == ("static", "axe")  # matched on the selector
    assert by_sel[static[1].selector].message == "Image has no alt attribute"  # our words are kept
    assert by_sel[static[1].selector].data["help_url"] == "u"
    assert by_sel["html > body > main > img"].sources == ("axe",)
    assert by_sel["html"].sources == ("static", "axe") and by_sel["html"].outcome is Outcome.FAIL


@pytest.mark.browser
def test_merge_with_real_axe_results(pool, site):
    page = StaticPage(site.url("table.html"), (SITE / "table.html").read_text())
    static = []
    for el in page.soup.find_all("img"):
        f = page.finding(el, "Image has no alt attribute")
        f.check_id = "image-alt"
        static.append(f)
    result = pool.audit(site.url("table.html"), {"127.0.0.1"})
    assert result.audited, result.error
    axe = [f for f in result.findings if f.check_id == "image-alt"]
    assert len(axe) == 2
    merged = merge_findings(static, result.findings)
    image_alt = [f for f in merged if f.check_id == "image-alt"]
    assert len(image_alt) == 2
    assert all(f.sources == ("static", "axe") for f in image_alt)


def test_merge_folds_axe_container_findings_into_the_static_elements_inside():
    """axe names the <table> for td-headers-attr; the static check names each bad cell: one finding per cell."""
    cells = [
        Finding("td-headers-attr", "http://x/", "html > body > table > tr:nth-of-type(2) > td:nth-of-type(1)",
                "<td headers=\"nope\">", "cell points at a missing header", Severity.SERIOUS),
        Finding("td-headers-attr", "http://x/", "html > body > table > tr:nth-of-type(3) > td:nth-of-type(1)",
                "<td headers=\"gone\">", "cell points at a missing header", Severity.SERIOUS),
    ]
    other_page = Finding("td-headers-attr", "http://y/", "html > body > table > tr > td", "<td headers=x>", "m",
                         Severity.SERIOUS)
    axe = [_axe("td-headers-attr", "html > body > table", "<table>")]
    merged = merge_findings(cells + [other_page], axe)
    assert len(merged) == 3
    assert [f.sources for f in merged[:2]] == [("static", "axe"), ("static", "axe")]
    assert merged[2].sources == ("static",)  # same selector shape on another page is another barrier


def test_rules_our_checks_supersede_are_dropped_only_where_our_data_was_gathered():
    node = {"selector": "html > body > p", "html": "<p style='letter-spacing: 0 !important'>", "impact": "serious"}
    rules = [_rule("avoid-inline-spacing", "serious", [node], tags=("wcag21aa", "wcag1412")),
             _rule("image-alt", "critical", [dict(node, selector="html > body > img")])]
    gathered = AxePage(requested_url="http://x/", violations=rules, probes={"render": {"important": []}})
    assert [f.check_id for f in findings_from_axe(gathered)] == ["image-alt"]
    # the render probe off (--no-render-checks) or its reading step failed: axe's findings stand
    for probes in ({}, {"render": {"error": "timeout"}}, {"render": {"read_error": "x", "reflow": {}}}):
        page = AxePage(requested_url="http://x/", violations=rules, probes=probes)
        assert [f.check_id for f in findings_from_axe(page)] == ["avoid-inline-spacing", "image-alt"]
