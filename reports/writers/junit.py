"""report.junit.xml: JUnit XML for CI test dashboards (GitLab, Jenkins, Azure DevOps, GitHub test reporters).

One <testsuite> per check, one <testcase> per fix (named by its heading and fingerprint, so a dashboard tracks it
across runs). A test case fails exactly when the fix fails the gate (reports.gates); a fix accepted in the baseline,
below `--fail-on`, or a thing to check by a person (reports.counts: never a failure) is <skipped> with the reason.
Without any gate, every fix to make is a failed test case (the exit code stays 0). A first suite `empathy-audit` holds one passing case for
the crawl itself (so an audit without fixes is not "no tests"), and one for `--max-score` when it is set.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

from empathy_audit.reports import counts as cn
from empathy_audit.reports import gates
from empathy_audit.reports import fixes as fx
from empathy_audit.reports.model import Fix, Report

FILENAME = "report.junit.xml"
MAX_LOCATIONS = 50  # page and element lines in a failure's text

# Characters XML 1.0 cannot hold at all (ElementTree would write them and produce a file no parser reads).
_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _x(text: object, limit: int = 10000) -> str:
    s = _NOT_XML.sub("\ufffd", str(text if text is not None else ""))
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _seconds(start: str | None, end: str | None) -> float:
    try:
        return max(0.0, (datetime.fromisoformat(end or "") - datetime.fromisoformat(start or "")).total_seconds())
    except ValueError:
        return 0.0


def _details(fix: Fix, v: gates.Verdict) -> str:
    lines = [fix.reason, "", f"Fingerprint: {fix.id}", f"Severity: {fix.severity}; {cn.score_words(v.score)}",
             f"Why this case failed: {v.why}"]
    if fix.how_to_fix:
        lines += ["", f"How to fix: {fix.how_to_fix}"]
    if fix.wcag:
        lines.append("WCAG: " + ", ".join(f"{w.sc} {w.url}" for w in fix.wcag))
    lines += ["", "Where:"]
    shown = 0
    for page in fix.pages:
        for e in page.elements:
            if shown >= MAX_LOCATIONS:
                lines.append(f"... and {fix.elements - shown} more (report.json has them all)")
                return "\n".join(lines)
            lines.append(f"- {page.url}  {e.selector or 'html'}  {e.snippet[:200]}")
            shown += 1
    return "\n".join(lines)


def _case(suite: ET.Element, fix: Fix, v: gates.Verdict, uses_baseline: bool) -> str:
    case = ET.SubElement(suite, "testcase", {
        "classname": _x(f"empathy-audit.{fix.check_id}", 300),
        "name": _x(f"{fix.heading} [{fix.id}]", 500),
        "time": "0",
    })
    props = ET.SubElement(case, "properties")
    for name, value in (("fingerprint", fix.id), ("severity", str(fix.severity)), ("pages", str(fix.pages_affected)),
                        ("first_page", fx.url_path(fix.pages[0].url) if fix.pages else ""),
                        ("baseline", v.baseline_state if uses_baseline else "no baseline")):
        ET.SubElement(props, "property", {"name": name, "value": _x(value, 1000)})
    if v.failed:
        el = ET.SubElement(case, "failure", {"message": _x(f"{fix.severity}: {fix.failure_title} ({v.why})", 1000),
                                             "type": str(fix.severity)})
        el.text = _x(_details(fix, v))
        return "failed"
    ET.SubElement(case, "skipped", {"message": _x(v.why, 1000)})
    return "skipped"


def to_element(report: Report) -> ET.Element:
    gate = gates.gate_of(report)
    run = report.run
    total_time = _seconds(run.started_at, run.finished_at)
    root = ET.Element("testsuites", {"name": _x(f"empathy-audit {run.site}", 500)})
    counts = {"tests": 0, "failures": 0, "skipped": 0}

    def suite(name: str, cases: list[tuple[Fix, gates.Verdict]] | None = None) -> ET.Element:
        el = ET.SubElement(root, "testsuite", {"name": _x(name, 300), "errors": "0", "time": "0"})
        if run.started_at:
            el.set("timestamp", _x(run.started_at[:19], 40))
        tests = failures = skipped = 0
        for fix, v in cases or []:
            outcome = _case(el, fix, v, gate.uses_baseline)
            tests += 1
            failures += outcome == "failed"
            skipped += outcome == "skipped"
        el.set("tests", str(tests))
        el.set("failures", str(failures))
        el.set("skipped", str(skipped))
        return el

    # The crawl itself, and the run-level gate.
    head = suite("empathy-audit")
    head.set("time", f"{total_time:.3f}")
    crawl = ET.SubElement(head, "testcase", {"classname": "empathy-audit", "name": _x(f"audit {run.start_url}", 500),
                                             "time": f"{total_time:.3f}"})
    out = ET.SubElement(crawl, "system-out")
    verdict = gate.summary()
    out.text = _x(f"Run {run.id}: {run.status}; {report.summary.pages_crawled} URLs fetched, "
                  f"{report.summary.html_pages_audited} HTML pages audited; {cn.sentence(report.summary.counts)}; "
                  f"impact score {cn.number(gate.score)} ({gates.SCORE_UNIT}). {verdict[:1].upper()}{verdict[1:]}"
                  + "".join(f"\nWarning: {w}" for w in gate.warnings)
                  + "".join(f"\nBaseline entry gone (fixed): {e.fingerprint} {e.heading}" for e in gate.gone))
    n_head, f_head = 1, 0
    if gate.policy.max_score is not None:
        case = ET.SubElement(head, "testcase", {"classname": "empathy-audit",
                                                "name": f"impact score at most {gate.policy.max_score:g}",
                                                "time": "0"})
        n_head += 1
        if gate.score_failed:
            el = ET.SubElement(case, "failure", {"message": _x(gate.summary(), 1000), "type": "max-score"})
            el.text = _x("\n".join(f"{v.score:10.4f}  {v.fix.id}  {v.fix.heading}" for v in sorted(
                (v for v in gate.verdicts if not v.fix.to_check and not v.in_baseline),
                key=lambda v: -v.score)))
            f_head += 1
    head.set("tests", str(n_head))
    head.set("failures", str(f_head))
    counts["tests"] += n_head
    counts["failures"] += f_head

    by_check: dict[str, list[tuple[Fix, gates.Verdict]]] = {}
    for v in gate.verdicts:
        by_check.setdefault(v.fix.check_id, []).append((v.fix, v))
    for check_id in sorted(by_check):
        el = suite(check_id, by_check[check_id])
        for key in counts:
            counts[key] += int(el.get(key) or 0)
    root.set("tests", str(counts["tests"]))
    root.set("failures", str(counts["failures"]))
    root.set("errors", "0")
    root.set("skipped", str(counts["skipped"]))
    root.set("time", f"{total_time:.3f}")
    return root


def dumps(report: Report) -> str:
    root = to_element(report)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write(report: Report, path: str | Path) -> Path:
    path = Path(path)
    path.write_text(dumps(report), encoding="utf-8")
    return path
