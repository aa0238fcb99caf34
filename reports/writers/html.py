"""report.html: one self-contained, accessible page rendered from Jinja templates (autoescaped, no JavaScript)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from empathy_audit.reports import counts, wording
from empathy_audit.reports.aggregate import http_url
from empathy_audit.reports import counts as cn
from empathy_audit.reports.model import SEVERITIES, Report
from empathy_audit.reports.writers import json as json_writer
from empathy_audit.reports.writers._stream import write_chunks

FILENAME = "report.html"
TEMPLATE = "report.html.j2"
TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
MAX_PAGES_SHOWN = 100  # pages listed per fix; report.json has them all
MAX_SELECTORS_SHOWN = 10  # elements listed per fix and page

_env: Environment | None = None


def environment() -> Environment:
    """The Jinja environment: autoescape on for every template (.html, .j2, strings), undefined names are errors."""
    global _env
    if _env is None:
        env = Environment(
            loader=FileSystemLoader(str(TEMPLATES_DIR)),
            autoescape=select_autoescape(
                enabled_extensions=("html", "htm", "xml", "j2"),
                default_for_string=True,
                default=True,
            ),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        env.globals.update(
            http_url=http_url,
            severities=[str(s) for s in SEVERITIES],
            level_words=wording.LEVEL_WORDS,
            confidence_words=wording.CONFIDENCE_WORDS,
            chart_labels=wording.CHART_LABELS,
            per_visits=wording.per_visits,
            counts=counts,
            schema=json_writer.SCHEMA,
            schema_version=json_writer.SCHEMA_VERSION,
        )
        env.filters.update(when=format_when, plural=plural, duration=duration, pct=wording.percent,
                           num=wording.number, count=lambda n: f"{int(n):,}", source=source_label)
        _env = env
    return _env


def _parse(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def format_when(value: Any) -> str:
    """'2025-11-25 20:38 UTC' from an ISO-8601 string; the string itself when it does not parse; '—' for None."""
    dt = _parse(value)
    if dt is None:
        return str(value) if value else "—"
    if dt.tzinfo is not None and dt.utcoffset() == timezone.utc.utcoffset(None):
        return dt.strftime("%Y-%m-%d %H:%M:%S UTC")
    return dt.strftime("%Y-%m-%d %H:%M:%S") + (dt.strftime(" %z") if dt.tzinfo else "")


def duration(run: Any) -> str:
    """'3 min 12 s' between a run's start and finish, or '' when either is missing."""
    start, end = _parse(run.started_at), _parse(run.finished_at)
    if start is None or end is None or (start.tzinfo is None) != (end.tzinfo is None):
        return ""
    seconds = int((end - start).total_seconds())
    if seconds < 0:
        return ""
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    parts = ([f"{h} h"] if h else []) + ([f"{m} min"] if m else []) + [f"{s} s"]
    return " ".join(parts)


SOURCE_LABELS = {
    "static": "empathy-audit, in the HTML",
    "browser": "empathy-audit, in the browser",
    "media": "empathy-audit, in what the page downloads",
    "crawl": "empathy-audit, in the crawl",
    "axe": "axe-core",
}


def source_label(source: str) -> str:
    """Which engine found a problem, in words: our own checks (and where they looked) or axe-core."""
    return SOURCE_LABELS.get(str(source), str(source))


def plural(n: int, singular: str, plural_form: str | None = None) -> str:
    """'1 page', '1,200 pages': the words and digit grouping of every output (reports/counts.py)."""
    return cn.plural(n, (singular, plural_form or singular + "s"))


def _context(report: Report) -> dict[str, Any]:
    return dict(
        report=report, max_pages=MAX_PAGES_SHOWN, max_selectors=MAX_SELECTORS_SHOWN,
        gate=getattr(report, "gate", None),  # the CI gate the CLI evaluated, shown when one was set
    )


def render(report: Report) -> str:
    return environment().get_template(TEMPLATE).render(**_context(report))


def write(report: Report, path: str | Path) -> Path:
    """Write report.html to `path` (UTF-8); returns the path. Written as Jinja makes it (the same text as
    render()): a 10,000-page report is a million small pieces, which render() holds all at once, then joins."""
    return write_chunks(path, environment().get_template(TEMPLATE).generate(**_context(report)))
