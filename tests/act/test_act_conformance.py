"""W3C ACT Rules conformance, held: the rules' own test cases run through the whole product (bench/act_conformance.py).

One `empathy-audit crawl --urls` audits every test case of every ACT rule a check implements (about 790 pages, a
few minutes); the tests below read that one run. The numbers are held in tests/act/expected.json: a rule that was
consistent must stay consistent, no passed or inapplicable case may ever be failed (a false alarm), and the README's
table says what expected.json says. After a deliberate improvement, record it with EMPATHY_UPDATE_ACT=1.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from tests.helpers import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import act_conformance as act  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]
EXPECTED = Path(__file__).with_name("expected.json")
UPDATE = os.environ.get("EMPATHY_UPDATE_ACT") == "1"
TARGET_APPROVED_CONSISTENT = 35  # issue #15: at least 35 of the 37 approved rules (SortSite/Total Validator: 33)


@pytest.fixture(scope="module")
def conformance(tmp_path_factory, request):
    result = act.run(tmp_path_factory.mktemp("act"))
    request.config.stash[ACT_KEY] = result
    if UPDATE:
        EXPECTED.write_text(json.dumps(_held(result), indent=1, sort_keys=True) + "\n", "utf-8")
    return result


ACT_KEY = pytest.StashKey()


def _held(result: act.Conformance) -> dict:
    s = result.summary
    return {
        "approved_consistent": s["approved"][act.CONSISTENT],
        "approved_rules": s["approved"]["rules"],
        "consistent_rules": sorted(r.rule_id for r in result.scores if r.consistency == act.CONSISTENT),
        "implemented_rules": s["all"]["rules"],
        "false_alarms": s["false_alarms"],
        "headline": result.table.splitlines()[0],
    }


def _expected() -> dict:
    return json.loads(EXPECTED.read_text("utf-8"))


def test_no_false_alarm_on_any_passed_or_inapplicable_case(conformance):
    wrong = {rule: cases for rule, cases in conformance.summary["false_alarm_cases"].items()}
    assert not wrong, f"passed/inapplicable ACT cases reported failed (rule -> case ids): {wrong}"


def test_every_rule_held_consistent_stays_consistent(conformance):
    now = {r.rule_id: r.consistency for r in conformance.scores}
    lost = [rule for rule in _expected()["consistent_rules"] if now.get(rule) != act.CONSISTENT]
    assert not lost, f"ACT rules no longer consistent: {[(r, now.get(r)) for r in lost]}\n{conformance.table}"


def test_approved_rules_consistent_count_is_held(conformance):
    count = conformance.summary["approved"][act.CONSISTENT]
    assert count >= _expected()["approved_consistent"], conformance.table
    assert conformance.summary["approved"]["rules"] >= 32  # the approved rules a check implements, not lost


def test_earl_report_names_every_case_with_an_earl_outcome(conformance, tmp_path):
    earl = json.loads((Path(conformance.proc.args[conformance.proc.args.index("--out") + 1]).parent
                       / "earl.json").read_text("utf-8"))
    assert earl["@context"] == act.EARL_CONTEXT
    subjects = earl["@graph"]
    assert len(subjects) == len(conformance.outcomes)
    outcomes = {a["result"]["outcome"] for s in subjects for a in s["assertions"]}
    assert outcomes <= {"earl:passed", "earl:failed", "earl:cantTell", "earl:inapplicable", "earl:untested"}
    assert "earl:failed" in outcomes and "earl:passed" in outcomes
    first = subjects[0]
    assert first["source"].startswith("https://www.w3.org/WAI/content-assets/wcag-act-rules/testcases/")
    assert first["assertions"][0]["assertedBy"]["name"] == "empathy-audit"
    parts = {p for s in subjects for a in s["assertions"] for p in a["test"]["isPartOf"]}
    assert {"WCAG2:non-text-content", "WCAG2:name-role-value", "WCAG2:contrast-minimum"} <= parts


def test_readme_states_the_held_numbers():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert _expected()["headline"] in readme, "README's ACT section is stale: copy the headline of tests/act/expected.json"


def test_the_target_is_met_or_the_gap_is_recorded():
    """Issue #15 asks 35 of 37 approved rules. expected.json records where we stand; this states the gap honestly."""
    held = _expected()
    gap = TARGET_APPROVED_CONSISTENT - held["approved_consistent"]
    if gap > 0:
        pytest.xfail(f"{held['approved_consistent']} of {held['approved_rules']} implemented approved rules consistent: "
                     f"{gap} short of {TARGET_APPROVED_CONSISTENT}")
