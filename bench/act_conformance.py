"""W3C ACT Rules conformance: run the rules' own test cases through empathy-audit and score it as W3C scores tools.

    python bench/act_conformance.py [--out out/act] [--axe-script FILE] [--rules ID,ID] [--browsers N]

What it does, in the order a W3C implementation report is made (https://act-rules.github.io/pages/implementations/
mapping/):
1. The implementation: which of our checks implement which ACT rule. axe-core's rules declare theirs (`actIds`
   in the axe script the run uses, so a newer `--axe-script` brings its own); ours declare `act=` in `@check`. A
   finding's check id names the check (our static ids equal axe's where the meaning is the same: one finding).
2. Every test case of every implemented rule (tests/act/suite, a copy of the W3C test cases) is served on
   127.0.0.1 and audited by one `empathy-audit crawl --urls` run, the product exactly as a user runs it.
3. Each case gets an outcome per rule from the findings on its page: a confirmed failure of an implementing check
   is `failed`, a prompt ("to check by a person") is `cantTell`, nothing is `passed`; a page the tool could not
   audit is `untested`.
4. Each rule is scored as W3C's act-tools do: *consistent* when no passed/inapplicable case failed, every failed
   case is failed or cantTell, at least one failed case is failed, and nothing is untested; *partially consistent*
   when nothing passed was failed and some failed case was failed; otherwise *inconsistent* (a false alarm, or no
   failure caught at all).
5. It writes earl.json (EARL + JSON-LD, the format W3C's implementation reports read), summary.json and a
   Markdown table, and prints the table.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

ROOT = Path(__file__).resolve().parent.parent
SUITE = ROOT / "tests" / "act" / "suite"
LOOPBACK_BROWSER_ARGS = ["--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * 127.0.0.1"]
# How the product runs on the cases: every axe rule tagged for WCAG 2.2 AAA and best practices (the ACT rules cover
# AAA criteria such as enhanced contrast), no media weighing or screenshots (no ACT rule reads them).
PRODUCT_ARGS = ["--standard", "wcag22aaa", "--best-practices", "--no-media", "--no-screenshots"]

PASSED, FAILED, INAPPLICABLE, CANT_TELL, UNTESTED = "passed", "failed", "inapplicable", "cantTell", "untested"
CONSISTENT, PARTIAL, INCONSISTENT = "consistent", "partially consistent", "inconsistent"


# ---------------------------------------------------------------------------------------------------------------
# 1. The implementation
# ---------------------------------------------------------------------------------------------------------------

_AXE_RULE = re.compile(r'\{id:"([a-z0-9-]+)"')
_ACT_IDS = re.compile(r'actIds:\[([^\]]*)\]')
_TAGS = re.compile(r'tags:\[([^\]]*)\]')
_SC_TAG = re.compile(r'"wcag(\d)(\d)(\d\d?)"')


@dataclass(frozen=True)
class AxeRule:
    act_ids: tuple[str, ...]
    wcag: tuple[str, ...]


def axe_rules(axe_script: str | os.PathLike) -> dict[str, AxeRule]:
    """axe rule id -> the ACT rules it declares (`actIds`) and its WCAG criteria (`wcag111` tags), read from the
    rule metadata inside axe.min.js (so a newer --axe-script brings its own)."""
    text = Path(axe_script).read_text("utf-8", errors="replace")
    starts = [(m.start(), m.group(1)) for m in _AXE_RULE.finditer(text)]
    out: dict[str, AxeRule] = {}
    for i, (start, rule) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        m = _ACT_IDS.search(text, start, end)
        if not m:
            continue
        ids = tuple(re.findall(r'"([0-9a-z]{6})"', m.group(1)))
        tags = _TAGS.search(text, start, end)
        wcag = tuple(".".join(t) for t in _SC_TAG.findall(tags.group(1))) if tags else ()
        if ids:
            out[rule] = AxeRule(ids, wcag)
    return out


def axe_act_ids(axe_script: str | os.PathLike) -> dict[str, tuple[str, ...]]:
    """axe rule id -> the ACT rules it declares."""
    return {rule: r.act_ids for rule, r in axe_rules(axe_script).items()}


def requirements(check_id: str, axe: Mapping[str, AxeRule]) -> list[str]:
    """The WCAG criteria a check declares, as EARL names them (ours from @check, axe's from its tags)."""
    from empathy_audit.audits import registry
    from empathy_audit.audits.model import WCAG_SLUGS

    ours = registry.load_checks().get(check_id)
    scs = ours.wcag if ours else (axe[check_id].wcag if check_id in axe else ())
    # EARL's isPartOf names a criterion WCAG2:<the id of its Understanding document>
    return [f"WCAG2:{WCAG_SLUGS[sc]}" for sc in scs if sc in WCAG_SLUGS]


def our_act_ids() -> dict[str, tuple[str, ...]]:
    """Our check id -> the ACT rules it declares (`@check(act=...)`)."""
    from empathy_audit.audits import registry

    return {c.id: c.act for c in registry.load_checks().values() if c.act}


def implementation(axe: Mapping[str, Iterable[str]], ours: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    """ACT rule id -> the check ids (ours and axe's, which share ids where they mean the same) implementing it."""
    out: dict[str, set[str]] = {}
    for table in (axe, ours):
        for check_id, rules in table.items():
            for rule in rules:
                out.setdefault(rule, set()).add(check_id)
    return out


# ---------------------------------------------------------------------------------------------------------------
# 2. The cases, run through the product
# ---------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    rule_id: str
    case_id: str
    title: str
    expected: str
    url_path: str
    approved: bool
    published_url: str


@dataclass
class Suite:
    rules: dict[str, dict[str, Any]]  # rule id -> its manifest entry (name, approved, wcag_sc, ...)
    cases: list[Case]
    source: dict[str, Any] = field(default_factory=dict)


def load_suite(root: Path = SUITE) -> Suite:
    manifest = json.loads((root / "manifest.json").read_text("utf-8"))
    cases = [Case(c["rule_id"], c["case_id"], c["title"], c["expected"], c["url_path"], bool(c["case_approved"]),
                  c["published_url"]) for c in manifest["cases"] if c.get("html", True)]
    return Suite({r["rule_id"]: r for r in manifest["rules"]}, cases, manifest.get("source", {}))


def run_product(urls: list[str], workdir: Path, extra_args: Iterable[str] = (), browsers: int = 2,
                timeout: float = 3600) -> tuple[Path, subprocess.CompletedProcess]:
    """One `empathy-audit crawl --urls` over every case page; returns the history it wrote and the process."""
    workdir.mkdir(parents=True, exist_ok=True)
    listing = workdir / "urls.txt"
    listing.write_text("\n".join(urls) + "\n", "utf-8")
    db = workdir / "history.db"
    if db.exists():
        db.unlink()
    args = [sys.executable, "-m", "empathy_audit.crawler.cli", "crawl", "--urls", str(listing), "--db", str(db),
            "--out", str(workdir / "report"), "--browsers", str(browsers), "-q", *PRODUCT_ARGS, *extra_args]
    for arg in LOOPBACK_BROWSER_ARGS:
        args.append(f"--browser-arg={arg}")
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    return db, proc


@dataclass(frozen=True)
class PageResult:
    audited: bool  # the browser audit ran (axe and our probes read the rendered page)
    findings: tuple[tuple[str, str], ...]  # (check id, outcome)
    served: bool = True  # the HTML was fetched and our checks of the served HTML ran on it


def read_results(db: Path) -> dict[str, PageResult]:
    """Page URL -> what the product found there, from the run's history."""
    from empathy_audit.crawler.store import open_store

    store = open_store(str(db))
    try:
        run_id = store.run_ids()[-1]
        data = store.load_run(run_id)
    finally:
        store.close()
    found: dict[str, list[tuple[str, str]]] = {}
    for f in data.findings:
        found.setdefault(f.url, []).append((f.check_id, str(f.outcome)))
    out: dict[str, PageResult] = {}
    for page in data.pages:
        browser = page.browser or {}
        served = page.error is None and page.status == 200 and "html" in (page.content_type or "")
        audited = served and bool(browser) and not browser.get("error")
        out[page.url] = PageResult(audited, tuple(found.get(page.url, ())), served)
    return out


# ---------------------------------------------------------------------------------------------------------------
# 3. Outcomes and 4. consistency
# ---------------------------------------------------------------------------------------------------------------

def outcome(page: PageResult | None, checks: set[str], static: Iterable[str] = ()) -> str:
    """The outcome one ACT rule gets on one case page from the findings of the checks implementing it. A page the
    browser could not audit (one that refreshes at once to another site) was still tested by the implementing
    checks that read the served HTML (`static`), if there are any."""
    if page is None or not (page.audited or (page.served and checks & set(static))):
        return UNTESTED
    mine = [o for check_id, o in page.findings if check_id in checks]
    if "fail" in mine:
        return FAILED
    if "needs-review" in mine:
        return CANT_TELL
    if "error" in mine:
        return UNTESTED  # a check that crashed said nothing: never read as a pass
    return PASSED


def consistency(results: Iterable[tuple[str, str]]) -> str:
    """(expected, actual) pairs of one rule -> consistent / partially consistent / inconsistent (act-tools)."""
    results = list(results)
    false_alarm = any(e in (PASSED, INAPPLICABLE) and a == FAILED for e, a in results)
    caught = any(e == FAILED and a == FAILED for e, a in results)
    missed = any(e == FAILED and a in (PASSED, INAPPLICABLE, UNTESTED) for e, a in results)
    untested = any(a == UNTESTED for _, a in results)
    if false_alarm:
        return INCONSISTENT
    if caught and not missed and not untested:
        return CONSISTENT
    if caught:
        return PARTIAL
    return INCONSISTENT


@dataclass
class RuleScore:
    rule_id: str
    name: str
    approved: bool
    checks: tuple[str, ...]
    consistency: str
    counts: dict[str, int]  # "failed->failed", "passed->failed", ...
    false_alarms: list[str]  # case ids: passed/inapplicable cases reported failed
    missed: list[str]  # failed cases reported passed/untested


def served_html_checks() -> set[str]:
    """Our checks that read the HTML as served (they run on every fetched page, browser or not)."""
    from empathy_audit.audits import registry
    from empathy_audit.audits.families import Need

    return {c.id for _, checks in registry.by_need(Need.HTML) for c in checks}


def score(suite: Suite, impl: Mapping[str, set[str]], results: Mapping[str, PageResult],
          base_url: str) -> tuple[list[RuleScore], dict[tuple[str, str], str]]:
    static = served_html_checks()
    outcomes: dict[tuple[str, str], str] = {}
    by_rule: dict[str, list[Case]] = {}
    for case in suite.cases:
        if case.rule_id in impl:
            by_rule.setdefault(case.rule_id, []).append(case)
    scores = []
    for rule_id, cases in sorted(by_rule.items()):
        pairs = []
        for case in cases:
            actual = outcome(results.get(base_url + case.url_path), impl[rule_id], static)
            outcomes[(rule_id, case.case_id)] = actual
            pairs.append((case.expected, actual))
        rule = suite.rules.get(rule_id, {})
        scores.append(RuleScore(
            rule_id, rule.get("rule_name", rule_id), bool(rule.get("approved")), tuple(sorted(impl[rule_id])),
            consistency(pairs), dict(Counter(f"{e}->{a}" for e, a in pairs)),
            [c.case_id for c, (e, a) in zip(cases, pairs) if e in (PASSED, INAPPLICABLE) and a == FAILED],
            [c.case_id for c, (e, a) in zip(cases, pairs) if e == FAILED and a in (PASSED, INAPPLICABLE, UNTESTED)],
        ))
    return scores, outcomes


# ---------------------------------------------------------------------------------------------------------------
# 5. EARL report, summary and table
# ---------------------------------------------------------------------------------------------------------------

EARL_CONTEXT = "https://act-rules.github.io/earl-context.json"


def earl(suite: Suite, impl: Mapping[str, set[str]], outcomes: Mapping[tuple[str, str], str],
         version: str, axe_version: str, axe: Mapping[str, AxeRule] | None = None,
         results: Mapping[str, PageResult] | None = None, base_url: str = "") -> dict[str, Any]:
    """An EARL report in JSON-LD, as W3C's ACT implementation reports read them (act-tools' earl-to-act-assertions):
    one test subject per case page (`source`: the case's published URL, from which the rule id is read), one
    assertion per implementing check (`test.title`: the procedure, i.e. the check id; `isPartOf`: its WCAG
    criteria). Each check's outcome is its own (act-tools score each procedure, and sets of them); without
    `results`, every check gets the rule's combined outcome."""
    static = served_html_checks() if results is not None else set()
    assertor = {"@type": "earl:Assertor", "name": "empathy-audit", "release": {"revision": version},
                "homepage": "https://github.com/empathy-audit/empathy-audit",
                "description": f"empathy-audit {version} with axe-core {axe_version}"}
    graph = []
    cases = {(c.rule_id, c.case_id): c for c in suite.cases}
    for (rule_id, case_id), actual in sorted(outcomes.items()):
        case = cases[(rule_id, case_id)]
        assertions = []
        for check_id in sorted(impl[rule_id]):
            own = actual if results is None else outcome(results.get(base_url + case.url_path), {check_id}, static)
            assertions.append({
                "@type": "earl:Assertion",
                "assertedBy": assertor,
                "mode": "earl:automatic",
                "test": {"@type": "earl:TestCase", "title": check_id, "isPartOf": requirements(check_id, axe or {})},
                "result": {"@type": "earl:TestResult", "outcome": f"earl:{own}"},
            })
        graph.append({"@type": "earl:TestSubject", "source": case.published_url, "assertions": assertions})
    return {"@context": EARL_CONTEXT, "@graph": graph}


def summary(scores: list[RuleScore]) -> dict[str, Any]:
    approved = [s for s in scores if s.approved]

    def tally(rows: list[RuleScore]) -> dict[str, int]:
        c = Counter(s.consistency for s in rows)
        return {CONSISTENT: c[CONSISTENT], PARTIAL: c[PARTIAL], INCONSISTENT: c[INCONSISTENT], "rules": len(rows)}

    return {
        "approved": tally(approved),
        "all": tally(scores),
        "false_alarms": sum(len(s.false_alarms) for s in scores),
        "false_alarm_cases": {s.rule_id: s.false_alarms for s in scores if s.false_alarms},
        "failed_cases_caught": sum(s.counts.get("failed->failed", 0) for s in scores),
        "failed_cases_prompted": sum(s.counts.get("failed->cantTell", 0) for s in scores),
        "failed_cases": sum(v for s in scores for k, v in s.counts.items() if k.startswith("failed->")),
        "rules": [s.__dict__ for s in scores],
    }


def table(scores: list[RuleScore], approved_total: int) -> str:
    rows = ["| ACT rule | Approved | Checks | Result | Failed cases caught / prompted / missed | False alarms |",
            "|---|---|---|---|---|---|"]
    for s in sorted(scores, key=lambda s: (not s.approved, s.consistency != CONSISTENT, s.rule_id)):
        failed = sum(v for k, v in s.counts.items() if k.startswith("failed->"))
        rows.append(
            f"| {s.rule_id} {s.name} | {'yes' if s.approved else 'no'} | {', '.join(s.checks)} | {s.consistency} | "
            f"{s.counts.get('failed->failed', 0)} / {s.counts.get('failed->cantTell', 0)} / "
            f"{failed - s.counts.get('failed->failed', 0) - s.counts.get('failed->cantTell', 0)} of {failed} | "
            f"{len(s.false_alarms)} |")
    approved = [s for s in scores if s.approved]
    head = (f"Approved rules consistent: {sum(s.consistency == CONSISTENT for s in approved)} of {approved_total} "
            f"({sum(s.consistency == PARTIAL for s in approved)} partially); all implemented rules consistent: "
            f"{sum(s.consistency == CONSISTENT for s in scores)} of {len(scores)}; false alarms: "
            f"{sum(len(s.false_alarms) for s in scores)}.")
    return head + "\n\n" + "\n".join(rows) + "\n"


# ---------------------------------------------------------------------------------------------------------------

@dataclass
class Conformance:
    scores: list[RuleScore]
    outcomes: dict[tuple[str, str], str]
    summary: dict[str, Any]
    table: str
    seconds: float
    proc: subprocess.CompletedProcess


def run(out: Path, axe_script: str | None = None, rules: set[str] | None = None, browsers: int = 2,
        suite_root: Path = SUITE) -> Conformance:
    from empathy_audit.audits.gather.axe import BUNDLED, load_axe_script
    from empathy_audit.crawler.devserver import serve

    suite = load_suite(suite_root)
    loaded = load_axe_script(axe_script) if axe_script else BUNDLED  # what the product injects, read once
    script = str(loaded.path)
    axe = axe_rules(script)
    impl = implementation({rule: r.act_ids for rule, r in axe.items()}, our_act_ids())
    if rules:
        impl = {r: c for r, c in impl.items() if r in rules}
    cases = [c for c in suite.cases if c.rule_id in impl]
    extra = ["--axe-script", axe_script] if axe_script else []
    started = time.monotonic()
    with serve(str(suite_root)) as server:
        base = server.base_url
        urls = list(dict.fromkeys(base + c.url_path for c in cases))
        db, proc = run_product(urls, out, extra, browsers)
        if proc.returncode not in (0, 1):
            raise RuntimeError(f"empathy-audit exited {proc.returncode}: {proc.stderr.strip()[-2000:]}")
        results = read_results(db)
    seconds = time.monotonic() - started
    scores, outcomes = score(suite, impl, results, base)
    approved_total = sum(1 for r in suite.rules.values() if r.get("approved"))
    summ = summary(scores)
    summ["seconds"] = round(seconds, 1)
    summ["cases_run"] = len(urls)
    text = table(scores, approved_total)
    from importlib.metadata import version as dist_version

    version, axe_version = dist_version("empathy-audit"), loaded.version
    out.mkdir(parents=True, exist_ok=True)
    (out / "earl.json").write_text(json.dumps(earl(suite, impl, outcomes, version, axe_version, axe, results, base), indent=1), "utf-8")
    (out / "summary.json").write_text(json.dumps(summ, indent=1), "utf-8")
    (out / "table.md").write_text(text, "utf-8")
    return Conformance(scores, outcomes, summ, text, seconds, proc)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/act_conformance.py", description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "out" / "act"), help="where earl.json, summary.json, table.md go")
    parser.add_argument("--axe-script", default=None, help="run with this axe.min.js instead of the bundled one")
    parser.add_argument("--rules", default=None, help="only these ACT rule ids (comma-separated)")
    parser.add_argument("--browsers", type=int, default=2)
    args = parser.parse_args(argv)
    rules = set(args.rules.split(",")) if args.rules else None
    result = run(Path(args.out), args.axe_script, rules, args.browsers)
    print(result.table)
    print(f"{result.summary['cases_run']} case pages in {result.seconds:.0f} s; "
          f"reports in {args.out} (earl.json, summary.json, table.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
