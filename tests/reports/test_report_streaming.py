"""The HTML and JSON writers stream a large report to the file: the bytes must be those render() / dumps() give."""

from __future__ import annotations

import json
from dataclasses import replace

from empathy_audit.crawler.store.records import PageRecord, ResourceRecord
from empathy_audit.reports.aggregate import build_report
from empathy_audit.reports.bandwidth import build_bandwidth
from empathy_audit.reports.writers import html as html_writer
from empathy_audit.reports.writers import json as json_writer

from .report_factories import SITE, make_finding, make_resource


def _resources(pages: list[PageRecord]) -> list[ResourceRecord]:
    rows = []
    for i, p in enumerate(pages):
        if p.status != 200 or not (p.content_type or "").startswith("text/html"):
            continue
        rows.append(make_resource(p.url, p.url, "document", 20_000 + i, found_via="page"))
        rows.append(make_resource(p.url, f"{SITE}/hero-{i}.jpg", "image", 900_000 * (i + 1), found_via="img"))
        rows.append(make_resource(p.url, f"{SITE}/slow-{i}.js", "script", None, found_via="script",
                                  reason="timed out"))
    return rows


def _report(sample, lookup, previous=None):
    run, pages, findings = sample
    findings = findings + [make_finding("image-size", "/a", "main > img", snippet="<img>", message="A big image.",
                                        severity="moderate", sources=["media"],
                                        data={"resource": SITE + "/hero-1.jpg", "bytes_saved": 500_000})]
    report = build_report(run, pages, findings, lookup=lookup, previous=previous)
    report.bandwidth = build_bandwidth(run, pages, _resources(pages), findings)
    return report


def test_json_write_is_dumps_byte_for_byte(tmp_path, sample, lookup, monkeypatch):
    report = _report(sample, lookup)
    assert report.bandwidth is not None and len(report.bandwidth.pages) >= 2
    monkeypatch.setattr(json_writer, "_BATCH", 1)  # several batches of bandwidth pages
    path = json_writer.write(report, tmp_path / "report.json")
    text = path.read_text(encoding="utf-8")
    assert text == json_writer.dumps(report)
    assert json.loads(text) == json_writer.to_dict(report)
    assert not list(tmp_path.glob("*.part"))


def test_json_write_with_a_trend_and_no_bandwidth(tmp_path, sample, lookup):
    run, pages, findings = sample
    report = build_report(run, pages, findings, lookup=lookup, previous=lambda: (replace(run, id=1), pages, []))
    assert report.trend is not None and report.trend.previous_run_id == 1
    assert json_writer.write(report, tmp_path / "r.json").read_text(encoding="utf-8") == json_writer.dumps(report)


def test_previous_run_loader_gives_the_same_trend_as_its_rows(sample, lookup):
    run, pages, findings = sample
    before = (replace(run, id=1), pages[:3], findings[:4])
    eager = json_writer.to_dict(build_report(run, pages, findings, lookup=lookup, previous=before))
    lazy = json_writer.to_dict(build_report(run, pages, findings, lookup=lookup, previous=lambda: before))
    assert eager == lazy and eager["trend"]["counts"]["unchanged"] > 0
    none = build_report(run, pages, findings, lookup=lookup, previous=lambda: None)
    assert none.trend is None


def test_html_write_is_render(tmp_path, sample, lookup):
    report = _report(sample, lookup)
    path = html_writer.write(report, tmp_path / "report.html")
    assert path.read_text(encoding="utf-8") == html_writer.render(report)
    assert not list(tmp_path.glob("*.part"))


def test_a_failed_write_keeps_the_previous_file(tmp_path, sample, lookup, monkeypatch):
    report = _report(sample, lookup)
    path = tmp_path / "report.json"
    path.write_text("old", encoding="utf-8")

    def boom(_: object) -> dict:
        raise RuntimeError("boom")

    monkeypatch.setattr(json_writer, "_page", boom)
    try:
        json_writer.write(report, path)
    except RuntimeError:
        pass
    else:
        raise AssertionError("the write should have failed")
    assert path.read_text(encoding="utf-8") == "old" and not list(tmp_path.glob("*.part"))
