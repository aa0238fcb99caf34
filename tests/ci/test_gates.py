"""Gates and baselines: --fail-on, --max-score, --fail-on-budget, --baseline; `baseline save|prune`; exit codes
0 passed, 1 gate failed (one stderr line per failing fix, report still written), 2 usage error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from empathy_audit.audits.model import Finding, Outcome, Severity
from empathy_audit.crawler.cli import SCORE_STAT, build_parser, main
from empathy_audit.crawler.store import Store
from empathy_audit.reports import baseline as bl
from empathy_audit.reports import gates
from empathy_audit.reports.aggregate import build_report
from tests.reports.report_factories import CHECKS, make_finding, make_page, make_run


def _lookup(check_id):
    from empathy_audit.audits.registry import get

    return CHECKS.get(check_id) or get(check_id)


def _report(findings=None, pages=None, **run):
    pages = pages or [make_page("/", depth=0, found_via="start"), make_page("/a"), make_page("/b")]
    findings = findings if findings is not None else [
        make_finding("image-alt", "/", "main > img", snippet="<img src=a.png>", severity="critical"),
        make_finding("link-name", "/a", "nav > a", snippet="<a href=/x>", severity="serious"),
        make_finding("heading-order", "/b", "main > h4", snippet="<h4>", severity="moderate"),
        make_finding("heading-order", "/a", "main > h5", snippet="<h5>", severity="moderate", outcome="needs-review"),
        make_finding("page-weight", "/b", "html", severity="serious", sources=["media"], data={"bytes_saved": 10**6}),
    ]
    return build_report(make_run(**run), pages, findings, lookup=_lookup)


def _fix(report, check_id, outcome="fail"):
    return next(f for f in report.fixes if f.check_id == check_id and str(f.outcome) == outcome)


# --- the gate ------------------------------------------------------------------------------------------------------


def test_fail_on_fails_that_severity_or_worse_and_never_a_review():
    report = _report()
    r = gates.evaluate(report, gates.Policy(fail_on=Severity.SERIOUS))
    assert {v.fix.check_id for v in r.failing} == {"image-alt", "link-name", "page-weight"}
    assert not r.passed and r.active
    r = gates.evaluate(report, gates.Policy(fail_on=Severity.MINOR))
    assert {v.fix.check_id for v in r.failing} == {"image-alt", "link-name", "page-weight", "heading-order"}
    assert all(str(v.fix.outcome) == "fail" for v in r.failing)  # the needs-review fix never fails
    assert gates.evaluate(report, gates.Policy(fail_on=Severity.CRITICAL)).failing[0].fix.check_id == "image-alt"
    none = gates.evaluate(report, gates.Policy())
    assert none.passed and not none.active and len(none.failing) == 4  # no gate: passes; JUnit shows failures


def test_max_score_is_the_total_in_blocked_visits_per_1000_visits():
    report = _report()
    failing = [f for f in report.fixes if f.outcome is Outcome.FAIL]
    expected = sum(1000 * f.score.bve / report.model.total_visits for f in failing)
    r = gates.evaluate(report, gates.Policy(max_score=expected * 0.99))
    assert r.score == pytest.approx(expected) and r.gated_score == pytest.approx(expected)
    assert r.score_failed and not r.passed and r.failing == []  # a run-level failure: no fix to blame
    assert "above --max-score" in r.summary()
    assert gates.evaluate(report, gates.Policy(max_score=expected * 1.01)).passed


def test_budget_gate_fails_page_weight_whatever_fail_on_says():
    report = _report()
    r = gates.evaluate(report, gates.Policy(fail_on_budget=True))
    assert [v.fix.check_id for v in r.failing] == ["page-weight"]
    assert "page-weight budget" in r.failing[0].why
    r = gates.evaluate(report, gates.Policy(fail_on=Severity.CRITICAL, fail_on_budget=True))
    assert {v.fix.check_id for v in r.failing} == {"image-alt", "page-weight"}


def test_baseline_gates_only_new_fixes_and_lists_gone_entries():
    report = _report()
    base = bl.from_report(report).baseline
    assert all(e.fingerprint in base for e in base.entries.values()) and len(base.entries) == 4
    r = gates.evaluate(report, gates.Policy(fail_on=Severity.MINOR, baseline=base))
    assert r.passed and len(r.accepted) == 4 and r.new == [] and r.gated_score == 0 and r.score > 0
    alone = gates.evaluate(report, gates.Policy(baseline=bl.Baseline("b.json")))  # a baseline alone: fail-on minor
    assert alone.policy.threshold is Severity.MINOR and len(alone.failing) == 4
    # The image is fixed, a new link defect appears, /gone's entry could not be rechecked.
    base.entries["old:000000000000"] = bl.Entry("old:000000000000", "old", "minor", "x", "Gone on /gone",
                                                ["/gone"], 1)
    now = _report([
        make_finding("link-name", "/a", "nav > a", snippet="<a href=/x>", severity="serious"),
        make_finding("link-name", "/b", "main > p > a", snippet="<a href=/y>", severity="serious"),
        make_finding("heading-order", "/b", "main > h4", snippet="<h4>", severity="moderate"),
        make_finding("page-weight", "/b", "html", severity="serious", sources=["media"], data={"bytes_saved": 10**6}),
    ])
    r = gates.evaluate(now, gates.Policy(fail_on=Severity.SERIOUS, baseline=base))
    assert [v.fix.fingerprint.selector for v in r.failing] == ["main > p > a"]
    assert [e.check for e in r.gone] == ["image-alt"] and [e.check for e in r.not_rechecked] == ["old"]
    assert r.fix_line(r.failing[0]).startswith(f"serious {r.failing[0].fix.id} Links have no name")
    assert ", new)" in r.fix_line(r.failing[0])


def test_partial_runs_and_missing_or_old_baselines_warn():
    report = _report(status="interrupted")
    r = gates.evaluate(report, gates.Policy(baseline=bl.load("/nonexistent/b.json")))
    assert any("no baseline file" in w for w in r.warnings) and any("interrupted" in w for w in r.warnings)
    old = bl.Baseline("b.json", fingerprint_version="0")
    assert any("fingerprint version" in w for w in gates.evaluate(report, gates.Policy(baseline=old)).warnings)
    assert not gates.evaluate(report, gates.Policy()).warnings  # no gate set: no verdict to warn about
    assert any("interrupted" in w for w in gates.evaluate(report, gates.Policy(fail_on=Severity.SERIOUS)).warnings)


# --- the baseline file ------------------------------------------------------------------------------------------


def test_baseline_file_is_sorted_diff_friendly_and_keeps_notes(tmp_path):
    report = _report()
    path = tmp_path / ".empathy-audit-baseline.json"
    bl.from_report(report).baseline.save(str(path))
    doc = json.loads(path.read_text())
    assert doc["schema"] == bl.SCHEMA and doc["version"] == 1
    fps = [e["fingerprint"] for e in doc["fixes"]]
    assert fps == sorted(fps)
    entry = doc["fixes"][0]
    assert list(entry)[:6] == ["fingerprint", "check", "severity", "component", "heading", "note"]
    assert entry["pages"] == sorted(entry["pages"]) and entry["note"] == ""
    # A reviewer writes a note; saving again from a later run keeps it, and the bytes do not churn.
    doc["fixes"][0]["note"] = "Accepted until the redesign (A11Y-12)"
    path.write_text(json.dumps(doc, indent=2) + "\n")
    first = path.read_text()
    change = bl.from_report(_report(), bl.load(str(path)))
    assert change.added == [] and change.removed == []
    change.baseline.save(str(path))
    assert path.read_text() == first
    # Prune drops only entries that are gone.
    fewer = _report([make_finding("link-name", "/a", "nav > a", snippet="<a href=/x>", severity="serious")])
    pruned = bl.prune(fewer, bl.load(str(path)))
    assert len(pruned.removed) == 3 and list(pruned.baseline.entries) == [_fix(fewer, "link-name").id]


@pytest.mark.parametrize("text, says", [
    ("{", "is not valid JSON"),
    ('{"schema": "other"}', "is not an empathy-audit baseline file"),
    ('{"schema": "empathy-audit/baseline", "version": 99, "fixes": []}', "upgrade empathy-audit"),
    ('{"schema": "empathy-audit/baseline", "version": 1, "fixes": [{"note": "x"}]}', "entry 1"),
])
def test_a_bad_baseline_file_is_one_sentence(tmp_path, text, says):
    path = tmp_path / "b.json"
    path.write_text(text)
    with pytest.raises(bl.BaselineError, match=says):
        bl.load(str(path))
    with pytest.raises(bl.BaselineError, match="there is no baseline file"):
        bl.load(str(tmp_path / "missing.json"), missing_ok=False)


# --- the CLI, on a stored run (no crawl) ----------------------------------------------------------------------------

PAGE = {"url": "https://s.example/", "final_url": "https://s.example/", "status": 200, "content_type": "text/html",
        "depth": 0, "found_via": "start", "title": "Home", "redirect_chain": [], "browser": None}


def _store_run(db: str, defects: list[tuple[str, Severity]], status: str = "finished") -> int:
    store = Store(db)
    run = store.start_run("https://s.example", "https://s.example/", {}, {"empathy_audit": "0.1.0"})
    store.add_page(run, PAGE, [Finding(check_id=c, url=PAGE["url"], selector=f"main > {c}", snippet=f"<{c}>",
                                       message="bad", severity=s) for c, s in defects])
    store.finish_run(run, status, {})
    store.close()
    return run


def test_report_and_baseline_commands_gate_with_exit_codes(tmp_path, capsys):
    db, out, base = str(tmp_path / "h.db"), str(tmp_path / "out"), str(tmp_path / "base.json")
    _store_run(db, [("image-alt", Severity.CRITICAL), ("link-name", Severity.SERIOUS)])
    common = ["--db", db, "--out", out, "--format", "json", "--format", "markdown"]
    assert main(["report", "latest", *common]) == 0  # no gate
    assert main(["report", "latest", *common, "--fail-on", "critical"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert [line.split()[1:3] for line in err if line.startswith("empathy-audit: FAIL")] == [["FAIL", "critical"]]
    assert "the gate failed (--fail-on critical)" in err[-1] and (tmp_path / "out" / "summary.md").exists()
    assert main(["baseline", "save", "--db", db, "--file", base]) == 0
    captured = capsys.readouterr()
    assert captured.out.count("added ") == 2 and "2 accepted fixes from run 1" in captured.err
    assert main(["report", "latest", *common, "--fail-on", "minor", "--baseline", base]) == 0
    _store_run(db, [("link-name", Severity.SERIOUS), ("label", Severity.CRITICAL)])
    capsys.readouterr()
    assert main(["report", "latest", *common, "--baseline", base]) == 1  # the baseline alone gates new fixes
    captured = capsys.readouterr()
    assert sum(line.startswith("empathy-audit: FAIL critical label:") for line in captured.err.splitlines()) == 1
    assert "baseline gone: image-alt:" in captured.out  # the fixed entry is listed on stdout
    assert main(["baseline", "prune", "--db", db, "--file", base]) == 0
    assert capsys.readouterr().out.startswith("removed image-alt:")
    assert [e["check"] for e in json.loads(Path(base).read_text())["fixes"]] == ["link-name"]
    assert main(["history", "--db", db, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert all(isinstance(r["score"], float) and r["score"] > 0 for r in rows)  # recorded by `report`
    store = Store(db)
    assert SCORE_STAT in store.get_run(2).stats
    store.close()


def test_usage_errors_exit_2(tmp_path, capsys):
    db = str(tmp_path / "h.db")
    _store_run(db, [("image-alt", Severity.CRITICAL)], status="interrupted")
    assert main(["baseline", "save", "--db", db, "--file", str(tmp_path / "b.json")]) == 2
    assert "there is no finished run" in capsys.readouterr().err
    assert main(["baseline", "prune", "--db", db, "--run", "1", "--file", str(tmp_path / "none.json")]) == 2
    assert "there is no baseline file" in capsys.readouterr().err
    (tmp_path / "bad.json").write_text("[]")
    bad = str(tmp_path / "bad.json")
    assert main(["report", "1", "--db", db, "--out", str(tmp_path / "o"), "--baseline", bad]) == 2
    assert "is not an empathy-audit baseline file" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        build_parser().parse_args(["crawl", "https://x.example/", "--fail-on", "severe"])
    assert exc.value.code == 2


def test_gate_keys_in_the_config_file_are_checked_like_flags(tmp_path):
    from tests.helpers import run_cli

    cfg = tmp_path / "empathy-audit.toml"
    cfg.write_text('url = "https://x.example/"\nfail-on = "severe"\n')
    res = run_cli("crawl", "--config", str(cfg))
    assert res.code == 2
    assert res.stderr.strip() == ("empathy-audit: empathy-audit.toml: key 'fail-on' must be one of critical, serious, "
                                  "moderate, minor, not \"severe\".")
    cfg.write_text('url = "https://x.example/"\nmax-score = -1\n')
    res = run_cli("crawl", "--config", str(cfg))
    assert res.code == 2 and "key 'max-score'" in res.stderr and len(res.stderr.strip().splitlines()) == 1


def test_html_and_json_reports_show_the_gate_verdict(tmp_path, capsys):
    db, out = str(tmp_path / "h.db"), tmp_path / "out"
    _store_run(db, [("image-alt", Severity.CRITICAL), ("link-name", Severity.SERIOUS)])
    common = ["--db", db, "--out", str(out), "--format", "json", "--format", "html"]
    assert main(["report", "latest", *common]) == 0
    gate = json.loads((out / "report.json").read_text())["gate"]
    assert gate["active"] is False and gate["passed"] is True and gate["failing"] == []
    assert "CI gate:" not in (out / "report.html").read_text()
    assert main(["report", "latest", *common, "--fail-on", "critical"]) == 1
    gate = json.loads((out / "report.json").read_text())["gate"]
    assert (gate["active"], gate["passed"], gate["gates"]) == (True, False, ["--fail-on critical"])
    assert [f.split(":")[0] for f in gate["failing"]] == ["image-alt"]
    assert gate["summary"].startswith("the gate failed (--fail-on critical): 1 fix failed it")
    text = " ".join(BeautifulSoup((out / "report.html").read_text(), "html.parser").get_text(" ").split())
    assert "CI gate: failed (--fail-on critical): 1 fix failed it." in text
