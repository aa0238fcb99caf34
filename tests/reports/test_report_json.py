"""report.json: schema fields, key order, redaction, determinism and agreement with docs/report-json.md."""

from __future__ import annotations

import json
import re
from pathlib import Path

from reports.aggregate import build_report
from reports.writers import json as json_writer
from tests.reports.report_factories import make_finding, make_page, make_run

DOC = Path(__file__).resolve().parents[2] / "docs" / "report-json.md"


def _doc(sample, lookup) -> dict:
    return json.loads(json_writer.dumps(build_report(*sample, lookup=lookup)))


def test_top_level_schema_and_key_order(sample, lookup):
    d = _doc(sample, lookup)
    assert list(d) == [
        "schema",
        "schema_version",
        "run",
        "summary",
        "problems",
        "needs_review",
        "could_not_check",
        "pages",
        "coverage",
    ]
    assert d["schema"] == "empathy-audit/report" and d["schema_version"] == "1.0"


def test_run_and_summary_fields(sample, lookup):
    d = _doc(sample, lookup)
    assert list(d["run"]) == [
        "id", "site", "start_url", "started_at", "finished_at", "status", "partial", "versions", "settings", "stats"
    ]  # fmt: skip
    assert list(d["run"]["versions"]) == ["empathy_audit", "scrapy", "python", "axe_core", "chromium"]
    assert d["run"]["partial"] is False
    assert d["summary"] == {
        "pages_crawled": 6,
        "html_pages_audited": 3,
        "browser_pages_audited": 2,
        "browser_audits": "some",
        "pages_with_problems": 3,
        "problems": 3,
        "problems_by_severity": {"critical": 1, "serious": 1, "moderate": 1, "minor": 0},
        "elements": 7,
        "needs_review": {"checks": 1, "elements": 1},
        "could_not_check": 1,
    }


def test_problems_with_pages_and_elements(sample, lookup):
    d = _doc(sample, lookup)
    img = d["problems"][0]
    assert list(img) == [
        "check_id", "known_check", "title", "failure_title", "severity", "declared_severity", "kind", "best_practice",
        "wcag", "personas", "how_to_fix", "sources", "pages_affected", "elements", "pages",
    ]  # fmt: skip
    assert img["check_id"] == "image-alt" and img["pages_affected"] == 2 and img["elements"] == 3
    assert img["wcag"][0]["sc"] == "1.1.1"
    assert img["personas"][0] == {"id": "screen-reader", "label": "Blind and screen-reader users"}
    element = img["pages"][0]["elements"][0]
    assert list(element) == ["selector", "snippet", "message", "severity", "sources", "screenshot", "data"]
    assert element["sources"] == ["static", "axe"]
    assert [p["check_id"] for p in d["problems"]] == ["image-alt", "link-name", "heading-order"]
    assert [p["check_id"] for p in d["needs_review"]] == ["color-contrast"]
    assert d["could_not_check"][0]["check_id"] == "link-name"


def test_pages_and_coverage(sample, lookup):
    d = _doc(sample, lookup)
    home = d["pages"][0]
    assert home["url"].endswith("/") and home["depth"] == 0 and home["audited"] is True
    assert home["problems"] == [
        {"check_id": "image-alt", "severity": "critical", "elements": 2},
        {"check_id": "link-name", "severity": "serious", "elements": 1},
    ]
    assert d["coverage"] == {
        "non_html": ["http://127.0.0.1:8000/doc.pdf"],
        "broken": ["http://127.0.0.1:8000/gone"],
        "redirects": ["http://127.0.0.1:8000/b"],
        "errors": ["http://127.0.0.1:8000/private"],
        "browser_failures": ["http://127.0.0.1:8000/b"],
    }
    urls = {p["url"] for p in d["pages"]}
    assert all(u in urls for lst in d["coverage"].values() for u in lst)


def test_secrets_are_redacted_and_free_form_keys_sorted(lookup):
    run = make_run(settings={"Z": 1, "HTTP_PASSWORD": "hunter2", "AUDIT_AUTH_TOKEN": "t", "A": {"b": 1, "a": 2}})
    finding = make_finding("link-name", "/", data={"z": 1, "a": 2, "_internal": True, "screenshot": "/x.png"})
    d = json.loads(json_writer.dumps(build_report(run, [make_page("/")], [finding], lookup=lookup)))
    assert d["run"]["settings"] == {"A": {"a": 2, "b": 1}, "AUDIT_AUTH_TOKEN": "[redacted]", "HTTP_PASSWORD": "[redacted]", "Z": 1}
    assert list(d["run"]["settings"]) == ["A", "AUDIT_AUTH_TOKEN", "HTTP_PASSWORD", "Z"]
    element = d["problems"][0]["pages"][0]["elements"][0]
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
    """Every key in the document, except inside the free-form objects."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield k
            if k not in ("settings", "stats", "data"):
                yield from _keys(v, f"{path}.{k}")
    elif isinstance(value, list):
        for v in value:
            yield from _keys(v, path)


def test_every_field_is_documented(sample, lookup):
    doc = DOC.read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_]+)`", doc))
    d = _doc(sample, lookup)
    missing = sorted({k for k in _keys(d) if k not in documented} - {"critical", "serious", "moderate", "minor"})
    assert missing == []
