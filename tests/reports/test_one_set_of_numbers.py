"""One set of numbers, failures first: one run of the demo site (static checks) written in every format, and every
output counts the same fixes to make, by severity, elements, pages and things to check by a person, with the same
words (reports/counts.py); things to check never come before a confirmed failure, have no rank and no score, and
never fail anything."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from typing import Any

import pytest
from bs4 import BeautifulSoup

from empathy_audit.reports import counts as cn
from tests.helpers import run_cli

FORMATS = ("html", "json", "sarif", "junit", "markdown")


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("numbers")
    out, db = tmp / "out", tmp / "h.db"
    res = run_cli("demo", "--no-browser", "--port", "0", "--out", str(out), "--db", str(db),
                  *(a for f in FORMATS for a in ("--format", f)), timeout=300)
    assert res.code == 0, res.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    history = run_cli("history", "--db", str(db), "--json")
    assert history.code == 0, history.stderr
    return {"out": out, "db": db, "json": report, "summary": report["summary"], "stderr": res.stderr,
            "history": json.loads(history.stdout),
            "html": BeautifulSoup((out / "report.html").read_text(encoding="utf-8"), "lxml"),
            "md": (out / "summary.md").read_text(encoding="utf-8"),
            "sarif": json.loads((out / "report.sarif").read_text(encoding="utf-8"))["runs"][0],
            "junit": ET.parse(out / "report.junit.xml").getroot()}


def _expected(summary: dict[str, Any]) -> dict[str, Any]:
    """The numbers, as report.json gives them."""
    return {"fixes": summary["fixes"], **summary["fixes_by_severity"], "elements": summary["elements"],
            "pages": summary["pages_with_fixes"], "to_check": summary["to_check"]["fixes"]}


def _text(el) -> str:
    return " ".join(el.get_text(" ").split())


def test_the_run_has_fixes_of_every_kind_to_compare(run):
    s = run["summary"]
    assert s["fixes"] >= 10 and s["to_check"]["fixes"] >= 1 and s["blockers"] >= 1
    assert sum(1 for v in s["fixes_by_severity"].values() if v) >= 3


def test_report_json_counts_its_own_fixes(run):
    fixes = run["json"]["fixes"]
    make = [f for f in fixes if f["outcome"] == "fail"]
    check = [f for f in fixes if f["lane"] == "to-check"]
    got = {"fixes": len(make), **{s: sum(1 for f in make if f["severity"] == s) for s in cn.SEVERITY_NAMES},
           "elements": sum(f["elements"] for f in make), "pages": len({p["url"] for f in make for p in f["pages"]}),
           "to_check": len(check)}
    assert got == _expected(run["summary"])
    assert run["summary"]["to_check"]["elements"] == sum(f["elements"] for f in check)
    assert all(f["outcome"] == "needs-review" for f in check) and len(make) + len(check) == len(fixes)


def test_the_html_report_says_the_same_numbers(run):
    soup, want = run["html"], _expected(run["summary"])
    assert _text(soup.select_one("#summary p.counts")) == run["summary"]["sentence"][:1].upper() + \
        run["summary"]["sentence"][1:] + "."
    nav = _text(soup.select_one("nav.contents"))
    assert f"Fixes to make ({want['fixes']})" in nav and f"To check by a person ({want['to_check']})" in nav
    first, ranked = len(soup.select("#fix-first section.fix")), len(soup.select("#fixes section.fix"))
    assert f"Fix first ({first})" in nav and f"Ranked by customer impact ({ranked})" in nav
    assert first + ranked == want["fixes"] and len(soup.select("#to-check section.fix")) == want["to_check"]
    severities = [s.get_text() for sec in soup.select("#fix-first section.fix, #fixes section.fix")
                  for s in sec.select(".badges .sev")]
    assert {s: severities.count(s.capitalize()) for s in cn.SEVERITY_NAMES} == \
        {s: want[s] for s in cn.SEVERITY_NAMES}


def test_summary_md_says_the_same_numbers(run):
    md, want = run["md"], _expected(run["summary"])
    row = next(line for line in md.splitlines() if line.startswith("| Fixes to make |"))
    cells = [c.strip().strip("*") for c in row.strip("|").split("|")]
    assert cells == ["Fixes to make", *(str(want[s]) for s in cn.SEVERITY_NAMES), str(want["fixes"])]
    sentence = run["summary"]["sentence"]
    assert sentence[:1].upper() + sentence[1:] in md.replace("\\", "")
    assert f"### To check by a person \\({want['to_check']}\\)" in md


def test_sarif_results_are_the_same_fixes(run):
    results, want = run["sarif"]["results"], _expected(run["summary"])
    fail = [r for r in results if r["kind"] == "fail"]
    review = [r for r in results if r["kind"] == "review"]
    assert len(fail) == want["fixes"] and len(review) == want["to_check"] and len(results) == len(fail) + len(review)
    levels = [r["level"] for r in fail]
    assert levels.count("error") == want["critical"] + want["serious"]
    assert levels.count("warning") == want["moderate"] and levels.count("note") == want["minor"]
    assert sum(len(r["locations"]) for r in fail) == want["elements"]
    assert len({loc["properties"]["url"] for r in fail for loc in r["locations"]}) == want["pages"]
    assert run["sarif"]["properties"]["counts"]["sentence"] == run["summary"]["sentence"]


def test_junit_fails_the_fixes_to_make_and_skips_the_things_to_check(run):
    root, want = run["junit"], _expected(run["summary"])
    cases = [c for suite in root.iter("testsuite") if suite.get("name") != "empathy-audit"
             for c in suite.iter("testcase")]
    failed = [c for c in cases if c.find("failure") is not None]
    skipped = [c for c in cases if c.find("skipped") is not None]
    assert len(cases) == want["fixes"] + want["to_check"]
    assert len(failed) == int(root.get("failures")) == want["fixes"]  # no gate: every fix to make is a failed case
    assert len(skipped) == want["to_check"]
    assert all("to check by a person" in c.find("skipped").get("message") for c in skipped)
    assert run["summary"]["sentence"] in root.find("testsuite/testcase/system-out").text


def test_the_history_row_says_the_same_numbers(run):
    [row] = run["history"]  # `empathy-audit history --json` after the crawl: the crawl recorded its counts
    want = _expected(run["summary"])
    assert {k: row[k] for k in ("fixes", *cn.SEVERITY_NAMES, "to_check")} == \
        {k: want[k] for k in ("fixes", *cn.SEVERITY_NAMES, "to_check")}


def test_the_terminal_line_is_the_same_sentence(run):
    summary = run["summary"]
    assert summary["sentence"] + "." in run["stderr"]  # what `crawl`/`demo` printed at the end
    assert "kinds of problem" not in run["stderr"]
    c = cn.Counts(fixes=summary["fixes"], by_severity=summary["fixes_by_severity"], elements=summary["elements"],
                  pages=summary["pages_with_fixes"], to_check=summary["to_check"]["fixes"])
    assert cn.terminal_line(c) == summary["sentence"] + "."
    assert re.fullmatch(r"\d+ fix(es)? to make \(\d+ critical, \d+ serious, \d+ moderate, \d+ minor\), \d+ elements? "
                        r"on \d+ pages?; \d+ things? to check by a person\.", cn.terminal_line(c))


# --- failures first ----------------------------------------------------------------------------------------------


def test_no_thing_to_check_comes_before_a_fix_to_make_in_any_output(run):
    lanes = [f["lane"] for f in run["json"]["fixes"]]
    assert lanes == sorted(lanes, key=("blocker", "ranked", "to-check").index) and "to-check" in lanes
    ranks = [f["rank"] for f in run["json"]["fixes"]]
    assert ranks == [*range(1, run["summary"]["fixes"] + 1), *([None] * run["summary"]["to_check"]["fixes"])]
    assert all(f["score"] is None for f in run["json"]["fixes"] if f["lane"] == "to-check")
    # HTML: every section of a fix to make comes before the first thing to check, which has no number and no score
    sections = run["html"].select("section.fix")
    kinds = ["check" if s.find_parent(id="to-check") else "fix" for s in sections]
    assert kinds == sorted(kinds, key=("fix", "check").index)
    for sec in run["html"].select("#to-check section.fix"):
        assert not re.match(r"\d+\. ", sec.h3.get_text()) and "Impact score" not in sec.get_text()
    # SARIF: the results in the same order; JUnit and the gate never fail on one
    kinds = [r["kind"] for r in run["sarif"]["results"]]
    assert kinds == sorted(kinds, key=("fail", "review").index)
    assert all("rank" not in r and r["level"] == "none" for r in run["sarif"]["results"] if r["kind"] == "review")
    # summary.md: the top fixes are fixes to make only
    top = run["md"].split("### Top ", 1)[1].split("###", 1)[0]
    check_ids = {f["fingerprint"] for f in run["json"]["fixes"] if f["lane"] == "to-check"}
    assert not any(fp.replace("-", "\\-") in top or fp in top for fp in check_ids)


def test_every_output_shows_a_fix_to_make_with_the_same_score(run):
    fix = run["json"]["fixes"][0]
    score = cn.number(fix["score"]["impact"])
    section = run["html"].find(id="fix-" + re.sub(r"[^a-z0-9]+", "-", fix["fingerprint"].lower()).strip("-"))
    assert f"Impact score {score} (blocked-visit equivalents per 1,000 visits)" in _text(section)
    row = next(line for line in run["md"].splitlines() if line.startswith("| 1 |"))
    assert row.strip("| ").split(" | ")[-1] == score
    [result] = [r for r in run["sarif"]["results"] if r["properties"].get("reportRank") == 1]
    assert cn.number(result["properties"]["impactScore"]) == score
