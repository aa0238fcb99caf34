"""summary.md: a Markdown summary sized for a pull-request comment or $GITHUB_STEP_SUMMARY (GitHub-flavoured).

The gate's verdict first, counts by severity (new and accepted in the baseline), the fixes that failed the gate,
the top fixes, the baseline entries that are gone, and a link to the full report. Always under MAX_BYTES (GitHub
caps a step summary at 1 MiB and a comment at 65,536 characters): tables are cut, never the verdict.

Everything that comes from the crawled site or a file a person edited (headings, component names, URL paths,
fingerprints from the baseline) goes through `md()`, so it cannot open a link, an image, HTML, a table cell or a
heading, nor mention a user or reference an issue.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterable, Mapping
from urllib.parse import quote

from empathy_audit.reports import counts as cn
from empathy_audit.reports import fixes as fx
from empathy_audit.reports import gates
from empathy_audit.reports.aggregate import http_url
from empathy_audit.reports.model import SEVERITIES, Fix, Report

FILENAME = "summary.md"
MAX_BYTES = 60_000
TOP = 10  # top fixes listed
LIMITS = ((50, 30), (20, 15), (10, 5), (5, 3))  # (failing fixes, gone entries) listed, tried in turn until it fits
CELL = 120  # characters of crawled text in a table cell

_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&:^$=\"'])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2066-\u2069]")


def md(text: object, limit: int = CELL) -> str:
    """Crawled text as inert Markdown: one line, cut to `limit`, every ASCII punctuation mark backslash-escaped, and a
    zero-width space after @ and # so GitHub neither mentions anyone nor links an issue."""
    s = " ".join(_CONTROL.sub(" ", str(text if text is not None else "")).split())
    if len(s) > limit:
        s = s[: limit - 1].rstrip() + "…"
    s = _PUNCT.sub(r"\\\1", s)
    return s.replace("@", "@\u200b").replace("#", "#\u200b")


def safe_link(url: str | None) -> str | None:
    """An http(s) URL fit for `[text](<url>)`: no white space, no angle brackets; else None."""
    url = http_url(url)
    if url is None:
        return None
    return quote(url, safe="/?=&%:@!$'()*+,;~-._#")


def ci_report_url(env: Mapping[str, str] = os.environ) -> str | None:
    """Where a CI job keeps its artifacts: the GitHub Actions run page, or the GitLab job's artifact browser."""
    server, repo, run_id = env.get("GITHUB_SERVER_URL"), env.get("GITHUB_REPOSITORY"), env.get("GITHUB_RUN_ID")
    if server and repo and run_id:
        return http_url(f"{server.rstrip('/')}/{repo}/actions/runs/{run_id}")
    job = env.get("CI_JOB_URL")
    if job:
        return http_url(f"{job.rstrip('/')}/artifacts/browse")
    return None


_num = cn.number  # one number format for the gate's words, the summary and the HTML report


def _counts(fixes: Iterable[Fix]) -> dict[str, int]:
    return dict(cn.count(fixes).by_severity)


def _row(cells: Iterable[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _where(f: Fix) -> str:
    first = fx.url_path(f.pages[0].url) if f.pages else ""
    more = f" \\+{f.pages_affected - 1}" if f.pages_affected > 1 else ""
    return f"{md(first, 60)}{more}"


def _fix_table(verdicts: list[gates.Verdict], uses_baseline: bool) -> list[str]:
    head = ["#", "Severity", "Fix", "Pages", cn.SCORE_NAME.capitalize()] + (["Baseline"] if uses_baseline else [])
    lines = [_row(head), _row(["---:", "---", "---", "---", "---:"] + (["---"] if uses_baseline else []))]
    for v in verdicts:
        f = v.fix
        cells = [str(f.rank), str(f.severity), f"{md(f.heading)} \\({md(f.id, 60)}\\)",
                 f"{f.pages_affected}: {_where(f)}", _num(v.score)]
        if uses_baseline:
            cells.append("accepted" if v.in_baseline else "**new**")
        lines.append(_row(cells))
    return lines


def render(report: Report, limits: tuple[int, int] = LIMITS[0]) -> str:
    gate = gates.gate_of(report)
    max_failing, max_gone = limits
    run, s = report.run, report.summary
    out: list[str] = [f"## Accessibility audit: {md(run.site or run.start_url, 200)}", ""]

    if not gate.active:
        out += [f"ℹ️ No gate is set: {gate.detail()}.", ""]
    else:
        mark = "✅ **Gate passed**" if gate.passed else "❌ **Gate failed**"
        policy = gate.policy
        used = [f"`--fail-on {policy.threshold}`"] if policy.threshold else []
        used += [f"`--max-score {_num(policy.max_score)}`"] if policy.max_score is not None else []
        used += ["`--fail-on-budget`"] if policy.fail_on_budget else []
        if policy.baseline is not None:
            used.append(f"baseline {md(os.path.basename(policy.baseline.path or ''), 80)}")
        out += [f"{mark}: {gate.detail()}. Gates: {', '.join(used)}.", ""]

    link = safe_link(gate.report_url)
    report_link = f"[the full report](<{link}>)" if link else "`report.html` beside this file"
    state = "" if run.status == "finished" else f" \\(**{md(run.status, 30)}**: pages are missing\\)"
    out += [f"Run {run.id}{state}: {s.pages_crawled} URLs fetched, {s.html_pages_audited} HTML pages audited; "
            f"impact score **{_num(gate.score)}** \\({gates.SCORE_UNIT}\\). See {report_link}.", ""]

    c = s.counts
    rows = [(cn.FIX_TO_MAKE[1].capitalize(), dict(c.by_severity))]
    if gate.uses_baseline:
        rows += [("New", _counts(v.fix for v in gate.new)), ("Accepted in the baseline",
                                                              _counts(v.fix for v in gate.accepted))]
    out += [_row(["", *(str(x) for x in SEVERITIES), "total"]), _row(["---", *("---:" for _ in SEVERITIES), "---:"])]
    for label, counts in rows:
        out.append(_row([label, *(str(counts[str(x)]) for x in SEVERITIES), f"**{sum(counts.values())}**"]))
    out += ["", f"{cn.sentence(c)[:1].upper()}{cn.sentence(c)[1:]}\\. {cn.LANE_TO_CHECK}: not ranked, not scored, "
                f"never gated\\.", ""]

    if gate.failing:
        shown = gate.failing[:max_failing]
        out += [f"### Fixes that failed the gate \\({len(gate.failing)}\\)", ""]
        out += _fix_table(shown, gate.uses_baseline)
        if len(gate.failing) > len(shown):
            out.append(f"\n… and {len(gate.failing) - len(shown)} more in the full report.")
        out.append("")

    top = [gate.verdict(f) for f in report.failing[:TOP]]
    top_v = [v for v in top if v is not None]
    if top_v:
        out += [f"### Top {len(top_v)} {cn.FIX_TO_MAKE[1]} by impact", ""] + _fix_table(top_v, gate.uses_baseline) + [""]
    elif not report.failing:
        out += ["No barriers found on the audited pages.", ""]
    if report.to_check:
        shown_check = report.to_check[:max_failing]
        out += [f"### {cn.LANE_TO_CHECK} \\({len(report.to_check)}\\)", ""]
        out += [f"- {md(f.heading)} \\({md(f.id, 60)}\\): {f.pages_affected}: {_where(f)}" for f in shown_check]
        if len(report.to_check) > len(shown_check):
            out.append(f"- … and {len(report.to_check) - len(shown_check)} more in the full report")
        out.append("")

    if gate.gone:
        shown_gone = gate.gone[:max_gone]
        out += [f"### Baseline entries gone \\({len(gate.gone)}\\)", "",
                "Fixed since the baseline was saved: `empathy-audit baseline prune` removes them from the file.", ""]
        out += [f"- {md(e.fingerprint, 80)}: {md(e.heading or e.check)}" for e in shown_gone]
        if len(gate.gone) > len(shown_gone):
            out.append(f"- … and {len(gate.gone) - len(shown_gone)} more")
        out.append("")
    if gate.not_rechecked:
        out += [f"{len(gate.not_rechecked)} baseline "
                f"entr{'ies were' if len(gate.not_rechecked) != 1 else 'y was'} not rechecked \\(none of "
                f"{'their' if len(gate.not_rechecked) != 1 else 'its'} pages was audited\\).", ""]
    for w in gate.warnings:
        out += [f"> ⚠️ {md(w, 400)}", ""]
    version = md(run.versions.get("empathy_audit") or "", 40)
    out.append(f"<sub>empathy-audit {version}: fixes ranked by customer impact; the score is "
               f"{gates.SCORE_UNIT}.</sub>")
    return "\n".join(out) + "\n"


def dumps(report: Report) -> str:
    for limits in LIMITS:
        text = render(report, limits)
        if len(text.encode("utf-8")) <= MAX_BYTES:
            return text
    raw = text.encode("utf-8")[: MAX_BYTES - 100].decode("utf-8", "ignore")
    return raw[: raw.rfind("\n") + 1] + "\n… (cut to fit a comment: see the full report)\n"


def write(report: Report, path: str | Path) -> Path:
    path = Path(path)
    path.write_text(dumps(report), encoding="utf-8")
    return path
