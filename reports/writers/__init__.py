"""Report writers: one module per format, each with FILENAME and write(report, path) -> path; FORMATS names them."""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable, NamedTuple

from empathy_audit.reports.model import Report
from empathy_audit.reports.writers import html as html_writer
from empathy_audit.reports.writers import json as json_writer
from empathy_audit.reports.writers import junit as junit_writer
from empathy_audit.reports.writers import markdown as markdown_writer
from empathy_audit.reports.writers import sarif as sarif_writer


class Writer(NamedTuple):
    filename: str
    write: Callable[[Report, Path], Path]


FORMATS: dict[str, Writer] = {
    "html": Writer(html_writer.FILENAME, html_writer.write),
    "json": Writer(json_writer.FILENAME, json_writer.write),
    "sarif": Writer(sarif_writer.FILENAME, sarif_writer.write),  # SARIF 2.1.0 for code scanning
    "junit": Writer(junit_writer.FILENAME, junit_writer.write),  # JUnit XML, one test case per fix
    "markdown": Writer(markdown_writer.FILENAME, markdown_writer.write),  # summary for a PR or $GITHUB_STEP_SUMMARY
}


def write_all(report: Report, out_dir: str | Path, formats: Iterable[str] = ("html", "json")) -> dict[str, Path]:
    """Write `report` in each format into `out_dir` (created if needed); returns {format: path}."""
    formats = list(formats)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown report format(s) {', '.join(unknown)}; known: {', '.join(sorted(FORMATS))}")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return {name: FORMATS[name].write(report, out / FORMATS[name].filename) for name in formats}
