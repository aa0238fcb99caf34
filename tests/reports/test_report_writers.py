"""empathy_audit.reports.writers: the FORMATS registry and write_all."""

from __future__ import annotations

import json

import pytest

from empathy_audit.reports.aggregate import build_report
from empathy_audit.reports.writers import FORMATS, write_all


def test_formats_registry():
    assert set(FORMATS) == {"html", "json", "sarif", "junit", "markdown"}
    assert FORMATS["html"].filename == "report.html" and FORMATS["json"].filename == "report.json"
    assert FORMATS["sarif"].filename == "report.sarif" and FORMATS["junit"].filename == "report.junit.xml"
    assert FORMATS["markdown"].filename == "summary.md"


def test_write_all_writes_every_format(tmp_path, sample, lookup):
    out = tmp_path / "out" / "nested"
    paths = write_all(build_report(*sample, lookup=lookup), out)
    assert paths == {"html": out / "report.html", "json": out / "report.json"}
    assert paths["html"].read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert json.loads(paths["json"].read_text(encoding="utf-8"))["schema"] == "empathy-audit/report"


def test_write_all_some_formats(tmp_path, sample, lookup):
    assert list(write_all(build_report(*sample, lookup=lookup), tmp_path, formats=["json"])) == ["json"]
    assert not (tmp_path / "report.html").exists()


def test_unknown_format_is_refused_before_writing(tmp_path, sample, lookup):
    with pytest.raises(ValueError, match="unknown report format.*pdf.*known: html, json"):
        write_all(build_report(*sample, lookup=lookup), tmp_path / "x", formats=["json", "pdf"])
    assert not (tmp_path / "x").exists()
