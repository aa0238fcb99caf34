"""report.json: the Report as a versioned, deterministic JSON document (documented in docs/report-json.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from reports.aggregate import CheckError, Element, Page, Problem, ProblemLink, Report, RunInfo, Summary

FILENAME = "report.json"
SCHEMA = "empathy-audit/report"
SCHEMA_VERSION = "1.0"
VERSION_KEYS = ("empathy_audit", "scrapy", "python", "axe_core", "chromium")
# Setting or stat names whose values never leave the machine in a report.
_SECRET = re.compile(r"passw(or)?d|secret|token|cookie|credential|auth|api[_-]?key", re.IGNORECASE)


def _sorted(value: Any) -> Any:
    """Free-form dicts (settings, stats, finding data) with their keys sorted, recursively."""
    if isinstance(value, dict):
        return {str(k): _sorted(value[k]) for k in sorted(value, key=str)}
    if isinstance(value, (list, tuple)):
        return [_sorted(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _redacted(d: dict[str, Any]) -> dict[str, Any]:
    return {k: ("[redacted]" if _SECRET.search(str(k)) else v) for k, v in d.items()}


def _run(run: RunInfo) -> dict[str, Any]:
    versions = {k: run.versions.get(k) for k in VERSION_KEYS}
    versions.update({k: run.versions[k] for k in sorted(run.versions) if k not in VERSION_KEYS})
    return {
        "id": run.id,
        "site": run.site,
        "start_url": run.start_url,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "status": run.status,
        "partial": run.partial,
        "versions": versions,
        "settings": _sorted(_redacted(run.settings)),
        "stats": _sorted(_redacted(run.stats)),
    }


def _summary(s: Summary) -> dict[str, Any]:
    return {
        "pages_crawled": s.pages_crawled,
        "html_pages_audited": s.html_pages_audited,
        "browser_pages_audited": s.browser_pages_audited,
        "browser_audits": s.browser_audits,
        "pages_with_problems": s.pages_with_problems,
        "problems": s.problems,
        "problems_by_severity": dict(s.problems_by_severity),
        "elements": s.elements,
        "needs_review": {"checks": s.review_checks, "elements": s.review_elements},
        "could_not_check": s.could_not_check,
    }


def _element(e: Element) -> dict[str, Any]:
    return {
        "selector": e.selector,
        "snippet": e.snippet,
        "message": e.message,
        "severity": str(e.severity),
        "sources": list(e.sources),
        "screenshot": e.screenshot_path,
        "data": _sorted({k: v for k, v in e.data.items() if not str(k).startswith("_") and k != "screenshot"}),
    }


def _problem(p: Problem) -> dict[str, Any]:
    return {
        "check_id": p.check_id,
        "known_check": p.known,
        "title": p.title,
        "failure_title": p.failure_title,
        "severity": str(p.severity),
        "declared_severity": str(p.declared_severity) if p.declared_severity else None,
        "kind": p.kind,
        "best_practice": p.best_practice,
        "wcag": [{"sc": w.sc, "name": w.name, "url": w.url} for w in p.wcag],
        "personas": [{"id": x.id, "label": x.label} for x in p.personas],
        "how_to_fix": p.how_to_fix,
        "sources": list(p.sources),
        "pages_affected": p.pages_affected,
        "elements": p.elements,
        "pages": [{"url": pp.url, "elements": [_element(e) for e in pp.elements]} for pp in p.pages],
    }


def _error(e: CheckError) -> dict[str, Any]:
    return {
        "check_id": e.check_id,
        "title": e.title,
        "url": e.url,
        "selector": e.selector,
        "message": e.message,
        "sources": list(e.sources),
    }


def _link(link: ProblemLink) -> dict[str, Any]:
    return {"check_id": link.check_id, "severity": str(link.severity), "elements": link.elements}


def _page(p: Page) -> dict[str, Any]:
    return {
        "url": p.url,
        "final_url": p.final_url,
        "status": p.status,
        "content_type": p.content_type,
        "depth": p.depth,
        "title": p.title,
        "found_via": p.found_via,
        "inbound_links": p.inbound_links,
        "error": p.error,
        "redirect_chain": list(p.redirect_chain),
        "in_crawl": p.in_crawl,
        "html": p.is_html,
        "audited": p.audited,
        "browser": None if p.browser is None else {"audited": p.browser_audited, "error": p.browser_error},
        "problems": [_link(link) for link in p.problems],
        "needs_review": [_link(link) for link in p.reviews],
        "could_not_check": sorted({e.check_id for e in p.check_errors}),
    }


def to_dict(report: Report) -> dict[str, Any]:
    """The JSON document as a dict, keys in their documented order."""
    cov = report.coverage
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "run": _run(report.run),
        "summary": _summary(report.summary),
        "problems": [_problem(p) for p in report.problems],
        "needs_review": [_problem(p) for p in report.needs_review],
        "could_not_check": [_error(e) for e in report.could_not_check],
        "pages": [_page(p) for p in report.pages],
        "coverage": {
            "non_html": [p.url for p in cov.non_html],
            "broken": [p.url for p in cov.broken],
            "redirects": [p.url for p in cov.redirects],
            "errors": [p.url for p in cov.errors],
            "browser_failures": [p.url for p in cov.browser_failures],
        },
    }


def dumps(report: Report) -> str:
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n"


def write(report: Report, path: str | Path) -> Path:
    """Write report.json to `path` (UTF-8); returns the path."""
    path = Path(path)
    path.write_text(dumps(report), encoding="utf-8")
    return path
