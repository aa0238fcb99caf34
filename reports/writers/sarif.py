"""report.sarif: SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning, Azure DevOps, VS Code viewers).

- `tool.driver.rules`: every check of the registry (audits.registry.select), plus the outside-engine rules (axe-core)
  the run reported, from their finding data; each with its WCAG links, how to fix it and a default level.
- One result per fix (never per finding), fixes to make first, then things to check by a person: `ruleId` the
  check, `level` from `level()` (the one severity mapping), `partialFingerprints` with our fingerprint (stable
  across runs and hosts), `rank` the fix's 0-100 bar, and with a baseline `baselineState` `new` or `unchanged`. A
  thing to check by a person (reports.counts) is `kind` `review`, and so `level` `none` (SARIF 2.1.0 3.27.10: a
  result whose kind is not `fail` has level `none`), with no rank and no impact score. Its `locations` are every
  element on every page of the fix.
- A location: `physicalLocation.artifactLocation` is the page, as a URI relative to the site
  (`{"uri": "about", "uriBaseId": "SITE"}`, with `originalUriBaseIds.SITE` the site's origin), because code scanning
  rejects a SARIF file whose artifact URIs are http(s) while the checkout is a file:// folder; the absolute page URL
  is in the location's `properties.url`. The element is a `logicalLocations` entry (kind `element`, the CSS
  selector as its fully qualified name); its selector, HTML snippet and page title are in `properties`. There is no
  `region`: a crawled page has no line numbers, and SARIF requires a region to start somewhere.
- `invocations[0]` says whether the crawl finished and lists the checks that could not run as notifications;
  `run.properties` holds the impact score, the gate and the baseline entries that are gone.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from empathy_audit.audits.model import Severity
from empathy_audit.reports import counts, gates
from empathy_audit.reports import fixes as fx
from empathy_audit.reports.model import Element, Fix, FixPage, Report

FILENAME = "report.sarif"
SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT_KEY = "empathyAuditFix/v" + fx.FINGERPRINT_VERSION
SITE_BASE = "SITE"

_LEVELS = {Severity.CRITICAL: "error", Severity.SERIOUS: "error", Severity.MODERATE: "warning", Severity.MINOR: "note"}


def level(severity: Severity) -> str:
    """THE severity -> SARIF level mapping: critical and serious are errors, moderate warnings, minor notes."""
    return _LEVELS[severity]


def _text(value: Any, limit: int = 4000) -> str:
    text = str(value or "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pascal(check_id: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[^A-Za-z0-9]+", check_id) if part) or "Check"


def _utc(ts: str | None) -> str | None:
    if not ts or not re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", ts):
        return None
    return ts[:-6] + "Z" if ts.endswith("+00:00") else ts


# --- rules ----------------------------------------------------------------------------------------------------------


def _rule(check_id: str, title: str, failure_title: str, severity: Severity, wcag: list[tuple[str, str]],
          how_to_fix: str, doc: str, kind: str | None, best_practice: bool, personas: list[str],
          help_uri: str | None) -> dict[str, Any]:
    tags = ["accessibility"] + [f"wcag{sc}" for sc, _ in wcag] + (["best-practice"] if best_practice else [])
    if kind:
        tags.append(kind)
    uri = help_uri or (wcag[0][1] if wcag else None)
    rule: dict[str, Any] = {
        "id": check_id,
        "name": _pascal(check_id),
        "shortDescription": {"text": _text(title or check_id, 1000)},
        "fullDescription": {"text": _text(doc or failure_title or title or check_id)},
        "help": {"text": _text(how_to_fix or failure_title or title or check_id)},
        "defaultConfiguration": {"level": level(severity)},
        "properties": {
            "tags": tags,
            "severity": str(severity),
            "failureTitle": failure_title,
            "wcag": [{"sc": sc, "url": url} for sc, url in wcag],
            "personas": personas,
        },
    }
    if uri:
        rule["helpUri"] = uri
    return rule


def _registry_rules() -> dict[str, dict[str, Any]]:
    from empathy_audit.audits.registry import select

    return {
        c.id: _rule(c.id, c.title, c.failure_title, c.severity, list(c.wcag_links), c.how_to_fix, c.doc,
                    str(c.kind), c.best_practice, [str(p) for p in c.personas], None)
        for c in select()
    }


def _engine_help_url(fix: Fix) -> str | None:
    for page in fix.pages:
        for e in page.elements:
            url = e.data.get("help_url")
            if isinstance(url, str) and url.startswith("https://"):
                return url
    return None


def _rules(report: Report) -> list[dict[str, Any]]:
    rules = _registry_rules()
    for f in report.fixes:  # axe-core rules (and any other engine's) seen in this run
        if f.check_id in rules:
            continue
        rules[f.check_id] = _rule(f.check_id, f.title, f.failure_title, f.declared_severity or f.severity,
                                  [(w.sc, w.url) for w in f.wcag], f.how_to_fix, "", f.kind, f.best_practice,
                                  [h.id for h in f.personas], _engine_help_url(f))
    return [rules[k] for k in sorted(rules)]


# --- results ----------------------------------------------------------------------------------------------------------


class _Bases:
    """uriBaseIds for the origins of the pages: SITE for the audited site, SITE_2... for its www twin or others."""

    def __init__(self, site: str) -> None:
        self.ids: dict[str, str] = {}
        if site:
            self.origin(site)

    def origin(self, url: str) -> str:
        p = urlsplit(url)
        origin = f"{p.scheme}://{p.netloc}/"
        if origin not in self.ids:
            self.ids[origin] = SITE_BASE if not self.ids else f"{SITE_BASE}_{len(self.ids) + 1}"
        return self.ids[origin]

    def location(self, url: str) -> dict[str, str]:
        p = urlsplit(url)
        if p.scheme not in ("http", "https") or not p.netloc:
            return {"uri": quote(url, safe="/?=&%:@!$'()*+,;~-._#")}
        rel = (p.path or "/")[1:] + (f"?{p.query}" if p.query else "")
        if not rel or rel.startswith("/") or ":" in rel.split("/", 1)[0].split("?", 1)[0]:
            rel = "./" + rel
        return {"uri": quote(rel, safe="/?=&%:@!$'()*+,;~-._"), "uriBaseId": self.origin(url)}

    def to_json(self) -> dict[str, Any]:
        return {bid: {"uri": origin, "description": {"text": "The audited site" if bid == SITE_BASE else
                                                            "Another host of the audited site"}}
                for origin, bid in self.ids.items()}


def _element_location(idx: int, page: FixPage, e: Element, bases: _Bases) -> dict[str, Any]:
    selector = e.selector or "html"
    return {
        "id": idx,
        "physicalLocation": {"artifactLocation": bases.location(page.url)},
        "logicalLocations": [{
            "name": _text(selector.split(">")[-1].strip() or selector, 200),
            "fullyQualifiedName": _text(selector, 1000),
            "kind": "element",
        }],
        "message": {"text": _text(e.message or page.url, 1000)},
        "properties": {
            "url": page.url,
            "pageTitle": page.page_title,
            "selector": selector,
            "snippet": _text(e.snippet, 2000),
            "outcome": str(e.outcome),
            "severity": str(e.severity),
            "sources": list(e.sources),
        },
    }


def _result(fix: Fix, rule_index: dict[str, int], verdict: gates.Verdict | None, gate: gates.GateResult,
            bases: _Bases) -> dict[str, Any]:
    locations = []
    for page in fix.pages:
        for e in page.elements:
            locations.append(_element_location(len(locations), page, e, bases))
    review = fix.to_check
    result: dict[str, Any] = {
        "ruleId": fix.check_id,
        "ruleIndex": rule_index[fix.check_id],
        "kind": "review" if review else "fail",
        "level": "none" if review else level(fix.severity),
        "message": {"text": _text(f"{fix.heading}. {fix.reason}")},
        "locations": locations,
        "partialFingerprints": {FINGERPRINT_KEY: fix.id},
        "properties": {
            "fingerprint": fix.id,
            "lane": fix.lane,
            "severity": str(fix.severity),
            "component": fix.component.name,
            "blocker": fix.blocker,
            "pages": fix.pages_affected,
            "elements": fix.elements,
            "howToFix": fix.how_to_fix,
            "gate": ("failed" if verdict and verdict.failed else "passed") if gate.active else "none",
            "gateReason": verdict.why if verdict else "",
        },
    }
    if not review:
        result["rank"] = float(max(0, min(100, fix.score.bar)))
        result["properties"].update(reportRank=fix.rank, impactScore=round(verdict.score, 6) if verdict else 0,
                                    bve=fix.score.bve, priority=fix.score.priority)
    if gate.uses_baseline and verdict is not None and not review:
        result["baselineState"] = verdict.baseline_state
    return result


def _entry(e: Any) -> dict[str, Any]:
    return {"fingerprint": e.fingerprint, "check": e.check, "heading": e.heading, "pages": list(e.pages)}


def to_dict(report: Report) -> dict[str, Any]:
    gate = gates.gate_of(report)
    c = report.summary.counts
    rules = _rules(report)
    rule_index = {r["id"]: i for i, r in enumerate(rules)}
    bases = _Bases(report.run.site or report.run.start_url)
    results = [_result(f, rule_index, gate.verdict(f), gate, bases) for f in report.fixes]
    notifications = [{
        "level": "warning",
        "message": {"text": _text(f"{e.title}: could not check {e.url}: {e.message}", 1000)},
        "descriptor": {"id": e.check_id},
        "locations": [{"physicalLocation": {"artifactLocation": bases.location(e.url)},
                       "properties": {"url": e.url, "selector": e.selector}}],
    } for e in report.could_not_check]
    invocation: dict[str, Any] = {
        "executionSuccessful": report.run.status == "finished",
        "toolExecutionNotifications": notifications,
        "properties": {"status": report.run.status, "runId": report.run.id},
    }
    for key, ts in (("startTimeUtc", report.run.started_at), ("endTimeUtc", report.run.finished_at)):
        if _utc(ts):
            invocation[key] = _utc(ts)
    driver: dict[str, Any] = {
        "name": "empathy-audit",
        "fullName": "empathy-audit accessibility and low-bandwidth audit",
        "version": str(report.run.versions.get("empathy_audit") or "0"),
        "rules": rules,
        "properties": {"engines": {k: v for k, v in sorted(report.run.versions.items()) if v}},
    }
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [invocation],
        "originalUriBaseIds": {},
        "results": results,
        "columnKind": "unicodeCodePoints",
        "properties": {
            "site": report.run.site,
            "startUrl": report.run.start_url,
            "runId": report.run.id,
            "partial": report.run.partial,
            "impactScore": round(gate.score, 6),
            "impactScoreUnit": gates.SCORE_UNIT,
            "counts": {"fixes": c.fixes, "bySeverity": dict(c.by_severity), "elements": c.elements,
                       "pages": c.pages, "toCheck": c.to_check, "sentence": counts.sentence(c)},
            "gate": {
                "active": gate.active,
                "passed": gate.passed,
                "gates": gate.policy.describe(),
                "gatedImpactScore": round(gate.gated_score, 6),
                "failing": [v.fix.id for v in gate.failing],
                "summary": gate.summary(),
            },
            "baseline": None if not gate.uses_baseline else {
                "file": gate.policy.baseline.path if gate.policy.baseline is not None else None,
                "new": len(gate.new),
                "unchanged": len(gate.accepted),
                "gone": [_entry(e) for e in gate.gone],
                "notRechecked": [_entry(e) for e in gate.not_rechecked],
            },
        },
    }
    run["originalUriBaseIds"] = bases.to_json()  # after the results: every origin they use is known
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def dumps(report: Report) -> str:
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n"


def write(report: Report, path: str | Path) -> Path:
    path = Path(path)
    path.write_text(dumps(report), encoding="utf-8")
    return path
