"""report.json: the Report as a versioned, deterministic JSON document (documented in docs/report-json.md)."""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import fields, is_dataclass, replace
from pathlib import Path
from typing import Any, Iterator

from empathy_audit.reports import counts, scoring
from empathy_audit.reports.model import (
    CheckError,
    Element,
    Fix,
    FixLink,
    FixPage,
    GoneFix,
    Model,
    Page,
    PersonaView,
    Report,
    RunInfo,
    Summary,
    Trend,
)
from empathy_audit.reports.writers._stream import write_chunks

FILENAME = "report.json"
SCHEMA = "empathy-audit/report"
SCHEMA_VERSION = "3.0"
VERSION_KEYS = ("empathy_audit", "scrapy", "python", "axe_core", "chromium")
# Setting or stat names whose values never leave the machine in a report.
_SECRET = re.compile(r"passw(or)?d|secret|token|cookie|credential|auth|api[_-]?key", re.IGNORECASE)


def _num(x: float) -> float | int:
    """Six significant digits: readable, and the same bytes for the same run."""
    v = float(f"{x:.6g}")
    return int(v) if v.is_integer() and abs(v) < 1e15 else v


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
        "ignored_checks": run.ignored_checks,  # --ignore-check: not run, not reported
        "excluded_selectors": run.excluded_selectors,  # --exclude-selector: not audited
        "versions": versions,
        "settings": _sorted(_redacted(run.settings)),
        "stats": _sorted(_redacted(run.stats)),
    }


def _model(m: Model) -> dict[str, Any]:
    return {
        "version": m.version,
        "traffic": m.traffic,
        "traffic_source": m.traffic_source,
        "unit": "visits a month" if m.counts_visits else "share of visits",
        "total_visits": _num(m.total_visits),
        "pages_in_traffic": m.pages_in_traffic,
        "pages_estimated": m.pages_estimated,
        "persona_shares": {str(k): _num(v) for k, v in m.shares.items()},
        "constants": _sorted(scoring.constants()),
    }


def _summary(s: Summary) -> dict[str, Any]:
    return {
        "pages_crawled": s.pages_crawled,
        "html_pages_audited": s.html_pages_audited,
        "browser_pages_audited": s.browser_pages_audited,
        "browser_audits": s.browser_audits,
        "browser_pages_inferred": s.browser_pages_inferred,
        "browser_templates": s.browser_templates,
        "fixes": s.counts.fixes,
        "fixes_by_severity": dict(s.counts.by_severity),
        "blockers": s.counts.blockers,
        "template_fixes": s.template_fixes,
        "elements": s.counts.elements,
        "pages_with_fixes": s.counts.pages,
        "to_check": {"fixes": s.counts.to_check, "elements": s.counts.to_check_elements,
                     "pages": s.counts.to_check_pages},
        "sentence": counts.sentence(s.counts),
        "could_not_check": s.could_not_check,
    }


def _gone(g: GoneFix) -> dict[str, Any]:
    return {"fingerprint": g.fingerprint, "check_id": g.check_id, "heading": g.heading, "pages": list(g.pages)}


def _trend(t: Trend | None) -> dict[str, Any] | None:
    if t is None:
        return None
    return {
        "previous_run_id": t.previous_run_id,
        "previous_finished_at": t.previous_finished_at,
        "comparable": t.comparable,
        "note": t.note,
        "counts": {"new": len(t.new), "unchanged": len(t.unchanged), "fixed": len(t.fixed),
                   "not_rechecked": len(t.not_rechecked)},
        "new": [f.id for f in t.new],
        "unchanged": [f.id for f in t.unchanged],
        "fixed": [_gone(g) for g in t.fixed],
        "not_rechecked": [_gone(g) for g in t.not_rechecked],
    }


def _element(e: Element) -> dict[str, Any]:
    return {
        "selector": e.selector,
        "snippet": e.snippet,
        "message": e.message,
        "severity": str(e.severity),
        "outcome": str(e.outcome),
        "sources": list(e.sources),
        "screenshot": e.screenshot_path,
        "data": _sorted({k: v for k, v in e.data.items() if not str(k).startswith("_") and k != "screenshot"}),
    }


def _fix_page(p: FixPage, scored: bool = True) -> dict[str, Any]:
    return {
        "url": p.url,
        "outcome": str(p.outcome),
        "visits": _num(p.visits),
        "journey": p.journey,
        "journey_multiplier": _num(p.journey_multiplier),
        "occurrence_factor": _num(p.occurrence_factor),
        "confidence": _num(p.confidence),
        "confidence_basis": p.confidence_basis,
        "bve": _num(p.bve) if scored else None,
        "elements": [_element(e) for e in p.elements],
    }


def _score(f: Fix) -> dict[str, Any] | None:
    """A fix to make's score; None for a thing to check by a person (not ranked, not scored: reports.counts)."""
    if f.to_check:
        return None
    return {
        "impact": _num(f.score.impact or 0.0),
        "priority": _num(f.score.priority),
        "bve": _num(f.score.bve),
        "affected": _num(f.score.affected),
        "visit_share": _num(f.score.visit_share),
        "effort": _num(f.score.effort),
        "confidence": _num(f.score.confidence),
        "bar": f.score.bar,
    }


def _fix(f: Fix, stream: bool = False) -> dict[str, Any]:
    fp = f.fingerprint
    scored = not f.to_check
    return {
        "rank": f.rank if scored else None,
        "lane": f.lane,
        "fingerprint": f.id,
        "fingerprint_basis": {"kind": fp.kind, "selector": fp.selector, "markup": fp.markup, "url_pattern": fp.pattern},
        "check_id": f.check_id,
        "known_check": f.known,
        "title": f.title,
        "failure_title": f.failure_title,
        "heading": f.heading,
        "outcome": str(f.outcome),
        "severity": str(f.severity),
        "declared_severity": str(f.declared_severity) if f.declared_severity else None,
        "kind": f.kind,
        "best_practice": f.best_practice,
        "component": {"kind": f.component.kind, "name": f.component.name, "template": f.component.template},
        "task": f.task,
        "journey": f.journey,
        "reason": f.reason,
        "trend": f.trend,
        "pages_before": f.pages_before,
        "score": _score(f),
        "personas": [
            {"id": h.id, "label": h.label, "role": h.role, "harm": _num(h.harm), "share": _num(h.share),
             "bve": _num(h.bve) if scored else None, "how": h.how}
            for h in f.personas
        ],
        "wcag": [{"sc": x.sc, "name": x.name, "url": x.url} for x in f.wcag],
        "how_to_fix": f.how_to_fix,
        "sources": list(f.sources),
        "pages_affected": f.pages_affected,
        "elements": f.elements,
        "pages": (_Stream(f.pages, lambda p: _fix_page(p, scored)) if stream
                  else [_fix_page(p, scored) for p in f.pages]),
        "bandwidth": _sorted(f.bandwidth) if f.bandwidth is not None else None,
    }


def _persona(v: PersonaView) -> dict[str, Any]:
    return {
        "id": v.id,
        "label": v.label,
        "share": _num(v.share),
        "fixes": [f.id for f, _ in v.fixes],
        "pages_hit": v.pages_hit,
        "visit_share_hit": _num(v.visit_share_hit),
        "blocker_pages": v.blocker_pages,
        "bve": _num(v.bve),
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


def _link(link: FixLink) -> dict[str, Any]:
    return {"fingerprint": link.fix_id, "rank": None if link.to_check else link.rank, "outcome": str(link.outcome),
            "severity": str(link.severity), "elements": link.elements}


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
        "sitemap_priority": p.sitemap_priority,
        "error": p.error,
        "redirect_chain": list(p.redirect_chain),
        "in_crawl": p.in_crawl,
        "html": p.is_html,
        "audited": p.audited,
        "browser": None if p.browser is None else {"audited": p.browser_audited, "error": p.browser_error,
                                                   "inferred": p.browser_inferred, "inferred_from": p.inferred_from,
                                                   "representative": p.browser_representative,
                                                   "template": p.template},
        "importance": _num(p.importance),
        "visits": _num(p.visits),
        "visit_share": _num(p.visit_share),
        "in_traffic": p.in_traffic,
        "journey": p.journey,
        "fixes": [_link(link) for link in p.fixes],
        "could_not_check": sorted({e.check_id for e in p.check_errors}),
    }


def _bandwidth(value: Any) -> Any:
    """HOOK for the low-bandwidth section (reports/bandwidth.py): its to_dict(), or null when the run has none."""
    if value is None:
        return None
    if hasattr(value, "to_dict"):
        return _sorted(value.to_dict())
    return _sorted(value) if isinstance(value, dict) else None


def _bandwidth_stream(value: Any) -> Any:
    """_bandwidth(value), its page list as a _Stream (a page of the section per crawled page: ~10 MB of JSON at
    10,000 pages), made a batch of pages at a time with Bandwidth.to_dict() itself, so the text stays the same."""
    if not (is_dataclass(value) and not isinstance(value, type) and isinstance(getattr(value, "pages", None), list)
            and hasattr(value, "to_dict")):
        return _bandwidth(value)
    head = _bandwidth(replace(value, pages=[]))
    if not isinstance(head, dict) or head.get("pages") != []:
        return _bandwidth(value)
    # Every other list emptied: the batches' to_dict() then only costs its pages.
    others = {f.name: [] for f in fields(value)
              if f.init and f.name != "pages" and isinstance(getattr(value, f.name), list)}
    pages = value.pages

    def batches() -> Iterator[list[Any]]:
        for i in range(0, len(pages), _BATCH):
            yield _sorted(replace(value, pages=pages[i:i + _BATCH], **others).to_dict()["pages"])

    head["pages"] = _Stream(batches(), None)
    return head


_BATCH = 200


def _sections(report: Report, stream: bool) -> dict[str, Any]:
    """The top-level keys in their documented order; with `stream`, the long lists (fixes, their pages, pages) are
    _Stream placeholders turned into dicts one item at a time while writing."""
    cov = report.coverage
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "run": _run(report.run),
        "model": _model(report.model),
        "summary": _summary(report.summary),
        "trend": _trend(report.trend),
        "fixes": (_Stream(report.fixes, lambda f: _fix(f, stream=True)) if stream
                  else [_fix(f) for f in report.fixes]),
        "personas": [_persona(v) for v in report.personas],
        "could_not_check": [_error(e) for e in report.could_not_check],
        "pages": _Stream(report.pages, _page) if stream else [_page(p) for p in report.pages],
        "coverage": {
            "non_html": [p.url for p in cov.non_html],
            "broken": [p.url for p in cov.broken],
            "redirects": [p.url for p in cov.redirects],
            "errors": [p.url for p in cov.errors],
            "browser_failures": [p.url for p in cov.browser_failures],
        },
        "bandwidth": _bandwidth_stream(report.bandwidth) if stream else _bandwidth(report.bandwidth),
        "gate": _gate(report),
    }


def to_dict(report: Report) -> dict[str, Any]:
    """The JSON document as a dict, keys in their documented order."""
    return _sections(report, stream=False)


def _gate(report: Report) -> dict[str, Any]:
    """The CI gate's verdict (--fail-on, --max-score, --fail-on-budget, --baseline), as the exit code reflects it."""
    from empathy_audit.reports.gates import gate_of

    g = gate_of(report)
    return {
        "active": g.active,
        "passed": g.passed,
        "gates": g.policy.describe(),
        "summary": g.summary(),
        "failing": [v.fix.id for v in g.failing] if g.active else [],
        "impact_score": round(g.score, 6),
        "gated_score": round(g.gated_score, 6),
    }


class _Stream:
    """A list written item by item: `fn(item)` for each item, each dict dropped once it is written (fn None: the
    items are lists of the list's values, made a batch at a time)."""

    __slots__ = ("items", "fn")

    def __init__(self, items: Any, fn: Any) -> None:
        self.items, self.fn = items, fn


def _chunks(value: Any, level: int = 0) -> Iterator[str]:
    """The text json.dumps(value, indent=2, ensure_ascii=False) gives, in pieces, for a value that may hold
    _Stream lists (in dicts and in other _Stream lists): byte for byte the same document, without ever holding the
    whole document (or all its dicts) in memory."""
    pad = "\n" + "  " * level
    inner = pad + "  "
    if isinstance(value, _Stream):
        first = True
        for item in value.items:
            for made in (item if value.fn is None else (value.fn(item),)):  # fn None: the items are batches
                yield ("[" if first else ",") + inner
                first = False
                yield from _chunks(made, level + 1)
        yield "[]" if first else pad + "]"
    elif isinstance(value, dict) and value and any(isinstance(v, _Stream) for v in value.values()):
        first = True
        for k, v in value.items():
            yield ("{" if first else ",") + inner + json.dumps(str(k), ensure_ascii=False) + ": "
            first = False
            yield from _chunks(v, level + 1)
        yield pad + "}"
    else:
        text = json.dumps(value, indent=2, ensure_ascii=False)
        yield text.replace("\n", pad) if level else text  # JSON strings hold no raw newline: only the layout moves


def dumps(report: Report) -> str:
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n"


def write(report: Report, path: str | Path) -> Path:
    """Write report.json to `path` (UTF-8); returns the path. Written as it is made (the same bytes as dumps()):
    a 10,000-page run's document is tens of MB, and its dicts several times that."""
    return write_chunks(path, itertools.chain(_chunks(_sections(report, stream=True)), ("\n",)))
