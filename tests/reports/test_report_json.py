"""report.json: schema fields, key order, redaction, determinism and agreement with docs/report-json.md."""

from __future__ import annotations

import json
import re
from pathlib import Path

from empathy_audit.reports.aggregate import build_report
from empathy_audit.reports.writers import json as json_writer
from tests.reports.report_factories import make_finding, make_page, make_run

DOC = Path(__file__).resolve().parents[2] / "docs" / "report-json.md"


def _doc(sample, lookup) -> dict:
    return json.loads(json_writer.dumps(build_report(*sample, lookup=lookup)))


def test_top_level_schema_and_key_order(sample, lookup):
    d = _doc(sample, lookup)
    assert list(d) == [
        "schema", "schema_version", "run", "model", "summary", "trend", "fixes", "personas", "could_not_check",
        "pages", "coverage", "bandwidth", "gate",
    ]  # fmt: skip
    assert d["schema"] == "empathy-audit/report" and d["schema_version"] == "3.0"
    assert d["trend"] is None and d["bandwidth"] is None


def test_run_model_and_summary_fields(sample, lookup):
    d = _doc(sample, lookup)
    assert list(d["run"]) == [
        "id", "site", "start_url", "started_at", "finished_at", "status", "partial", "ignored_checks", "excluded_selectors", "versions", "settings", "stats"
    ]  # fmt: skip
    assert list(d["run"]["versions"]) == ["empathy_audit", "scrapy", "python", "axe_core", "chromium"]
    m = d["model"]
    assert (m["traffic"], m["unit"], m["total_visits"], m["traffic_source"]) == ("proxy", "share of visits", 1, None)
    assert m["persona_shares"]["screen-reader"] == 0.006 and m["constants"]["journey_multiplier"] == 1.5
    assert d["summary"] == {
        "pages_crawled": 6,
        "html_pages_audited": 3,
        "browser_pages_audited": 2,
        "browser_audits": "some",
        "browser_pages_inferred": 0,
        "browser_templates": 0,
        "fixes": 5,
        "fixes_by_severity": {"critical": 2, "serious": 2, "moderate": 1, "minor": 0},
        "blockers": 0,
        "template_fixes": 1,
        "elements": 7,
        "pages_with_fixes": 3,
        "to_check": {"fixes": 1, "elements": 1, "pages": 1},
        "sentence": "5 fixes to make (2 critical, 2 serious, 1 moderate, 0 minor), 7 elements on 3 pages; "
                    "1 thing to check by a person",
        "could_not_check": 1,
    }


def test_fixes_with_scores_reasons_fingerprints_pages_and_elements(sample, lookup):
    d = _doc(sample, lookup)
    fix = next(f for f in d["fixes"] if f["check_id"] == "link-name" and f["pages_affected"] == 2)
    assert list(fix) == [
        "rank", "lane", "fingerprint", "fingerprint_basis", "check_id", "known_check", "title", "failure_title",
        "heading", "outcome", "severity", "declared_severity", "kind", "best_practice", "component", "task", "journey",
        "reason", "trend", "pages_before", "score", "personas", "wcag", "how_to_fix", "sources", "pages_affected",
        "elements", "pages", "bandwidth",
    ]  # fmt: skip
    assert fix["fingerprint"].startswith("link-name:") and fix["fingerprint_basis"]["selector"] == "nav > a"
    assert fix["component"] == {"kind": "navigation", "name": "navigation", "template": True}
    assert list(fix["score"]) == ["impact", "priority", "bve", "affected", "visit_share", "effort", "confidence",
                                  "bar"]
    assert fix["score"]["effort"] == 1 and 0 < fix["score"]["bar"] <= 100
    assert fix["reason"].startswith("Seriously hinders choosing links for screen-reader users")
    assert fix["personas"][0] == {"id": "screen-reader", "label": "Blind and screen-reader users", "role": "P",
                                  "harm": 0.7, "share": 0.006, "bve": fix["personas"][0]["bve"],
                                  "how": fix["personas"][0]["how"]}
    page = fix["pages"][0]
    assert list(page) == ["url", "outcome", "visits", "journey", "journey_multiplier", "occurrence_factor",
                          "confidence", "confidence_basis", "bve", "elements"]
    assert page["confidence_basis"] == "static" and page["confidence"] == 0.5
    element = page["elements"][0]
    assert list(element) == ["selector", "snippet", "message", "severity", "outcome", "sources", "screenshot", "data"]
    assert [f["rank"] for f in d["fixes"]] == [1, 2, 3, 4, 5, None]  # the thing to check is not ranked, and last
    [check] = [f for f in d["fixes"] if f["outcome"] == "needs-review"]
    assert check["check_id"] == "color-contrast" and check["lane"] == "to-check" and check["score"] is None
    assert check["pages"][0]["bve"] is None and all(h["bve"] is None for h in check["personas"])
    assert d["could_not_check"][0]["check_id"] == "link-name"
    assert d["personas"][0]["id"] == "screen-reader" and fix["fingerprint"] in d["personas"][0]["fixes"]


def test_pages_and_coverage(sample, lookup):
    d = _doc(sample, lookup)
    home = d["pages"][0]
    assert home["url"].endswith("/") and home["depth"] == 0 and home["audited"] is True
    assert [(x["rank"], x["severity"], x["elements"]) for x in home["fixes"]] == [
        (1, "critical", 2), (2, "serious", 1)]
    assert home["visit_share"] > 0 and home["in_traffic"] is False and home["journey"] is None
    assert d["pages"][3]["visits"] == 0  # the PDF is not a visited page in the model
    assert d["coverage"] == {
        "non_html": ["http://127.0.0.1:8000/doc.pdf"],
        "broken": ["http://127.0.0.1:8000/gone"],
        "redirects": ["http://127.0.0.1:8000/b"],
        "errors": ["http://127.0.0.1:8000/private"],
        "browser_failures": ["http://127.0.0.1:8000/b"],
    }


def test_trend_in_json(lookup):
    pages = [make_page("/")]
    previous = (make_run(id=1), pages, [make_finding("link-name", "/", "main > a", snippet="<a>")])
    now = [make_finding("image-alt", "/", "main > img", snippet="<img>", severity="critical")]
    d = json.loads(json_writer.dumps(build_report(make_run(id=2), pages, now, lookup=lookup, previous=previous)))
    t = d["trend"]
    assert t["counts"] == {"new": 1, "unchanged": 0, "fixed": 1, "not_rechecked": 0}
    assert t["new"] == [d["fixes"][0]["fingerprint"]] and d["fixes"][0]["trend"] == "new"
    assert t["fixed"][0]["check_id"] == "link-name" and t["fixed"][0]["pages"] == ["/"]


def test_secrets_are_redacted_and_free_form_keys_sorted(lookup):
    run = make_run(settings={"Z": 1, "HTTP_PASSWORD": "hunter2", "AUDIT_AUTH_TOKEN": "t", "A": {"b": 1, "a": 2}})
    finding = make_finding("link-name", "/", data={"z": 1, "a": 2, "_internal": True, "screenshot": "/x.png"})
    d = json.loads(json_writer.dumps(build_report(run, [make_page("/")], [finding], lookup=lookup)))
    assert d["run"]["settings"] == {"A": {"a": 2, "b": 1}, "AUDIT_AUTH_TOKEN": "[redacted]", "HTTP_PASSWORD": "[redacted]", "Z": 1}
    assert list(d["run"]["settings"]) == ["A", "AUDIT_AUTH_TOKEN", "HTTP_PASSWORD", "Z"]
    element = d["fixes"][0]["pages"][0]["elements"][0]
    assert element["data"] == {"a": 2, "z": 1} and list(element["data"]) == ["a", "z"]
    assert element["screenshot"] == "/x.png"
    assert "hunter2" not in json_writer.dumps(build_report(run, [], []))


def test_write_is_deterministic_utf8(tmp_path, sample, lookup):
    report = build_report(*sample, lookup=lookup)
    a = json_writer.write(report, tmp_path / "a.json").read_bytes()
    b = json_writer.write(build_report(*sample, lookup=lookup), tmp_path / "b.json").read_bytes()
    assert a == b
    run = make_run(site="http://127.0.0.1:8000")
    text = json_writer.dumps(build_report(run, [make_page("/", title="Café – ünïcode")], []))
    assert "Café – ünïcode" in text


def _keys(value, path=""):
    """Every key in the document, except inside the free-form objects (and the id-keyed persona shares)."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            if k not in ("settings", "stats", "data", "persona_shares", "constants"):
                yield from _keys(v, f"{path}.{k}")
    elif isinstance(value, list):
        for v in value:
            yield from _keys(v, path)


def test_every_field_is_documented(sample, lookup):
    doc = DOC.read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_]+)`", doc))
    run, pages, findings = sample
    d = json.loads(json_writer.dumps(build_report(run, pages, findings, lookup=lookup, previous=sample)))
    assert d["trend"] is not None
    missing = sorted({k for k in _keys(d) if k not in documented} - {"critical", "serious", "moderate", "minor"})
    assert missing == []
    for key in d["model"]["constants"]:
        assert f"`{key}`" in doc, key
    assert '`"3.0"`' in doc
