"""How bench/act_conformance.py scores a rule and reads the implementation: W3C's act-tools rules, in small cases."""

from __future__ import annotations

import sys

from tests.helpers import ROOT

sys.path.insert(0, str(ROOT / "bench"))
import act_conformance as act  # noqa: E402

P, F, I, C, U = act.PASSED, act.FAILED, act.INAPPLICABLE, act.CANT_TELL, act.UNTESTED


def test_a_failed_passed_case_is_a_false_alarm_whatever_else():
    assert act.consistency([(F, F), (P, F)]) == act.INCONSISTENT
    assert act.consistency([(F, F), (I, F)]) == act.INCONSISTENT


def test_every_failed_case_failed_or_prompted_with_one_failure_is_consistent():
    assert act.consistency([(F, F), (F, C), (P, P), (P, C), (I, P)]) == act.CONSISTENT


def test_prompts_alone_catch_nothing():
    assert act.consistency([(F, C), (F, C), (P, P)]) == act.INCONSISTENT


def test_a_missed_or_untested_failed_case_leaves_it_partial():
    assert act.consistency([(F, F), (F, P), (P, P)]) == act.PARTIAL
    assert act.consistency([(F, F), (P, U)]) == act.PARTIAL


def test_outcome_reads_only_the_implementing_checks():
    page = act.PageResult(True, (("image-alt", "fail"), ("link-name", "needs-review")))
    assert act.outcome(page, {"image-alt"}) == F
    assert act.outcome(page, {"link-name"}) == C
    assert act.outcome(page, {"button-name"}) == P
    assert act.outcome(act.PageResult(False, ()), {"image-alt"}) == U
    assert act.outcome(act.PageResult(True, (("image-alt", "error"),)), {"image-alt"}) == U


def test_axe_rules_declare_their_act_rules_in_the_bundled_script():
    from empathy_audit.audits.gather.axe import BUNDLED

    ids = act.axe_act_ids(BUNDLED.path)
    assert ids["image-alt"] == ("23a2a8",)
    assert "c487ae" in ids["link-name"]
    assert len(ids) >= 50


def test_our_checks_join_the_implementation_by_their_metadata():
    impl = act.implementation({"image-alt": ("23a2a8",)}, act.our_act_ids())
    assert "summary-name" in impl["2t702h"]
    assert impl["23a2a8"] >= {"image-alt"}


def test_a_page_the_browser_could_not_audit_is_tested_by_the_checks_of_the_served_html():
    left = act.PageResult(False, (), served=True)  # refreshed at once to another site: no browser audit
    assert act.outcome(left, {"meta-refresh"}, static={"meta-refresh"}) == P
    assert act.outcome(left, {"color-contrast"}, static={"meta-refresh"}) == U
    assert act.outcome(act.PageResult(False, (), served=False), {"meta-refresh"}, static={"meta-refresh"}) == U


def test_each_check_in_the_earl_report_gets_its_own_outcome():
    """act-tools score each procedure: a failure only our check found is not put on axe's rule of the same rule."""
    case = act.Case("23a2a8", "c1", "Failed Example 1", F, "/testcases/23a2a8/c1.html", True, "https://w3.org/c1.html")
    suite = act.Suite({"23a2a8": {"rule_name": "Image has non-empty accessible name", "approved": True}}, [case])
    impl = {"23a2a8": {"image-alt", "role-img-alt"}}
    results = {"http://x/testcases/23a2a8/c1.html": act.PageResult(True, (("image-alt", "fail"),))}
    report = act.earl(suite, impl, {("23a2a8", "c1"): F}, "0.1", "4.10", {}, results, "http://x")
    got = {a["test"]["title"]: a["result"]["outcome"] for a in report["@graph"][0]["assertions"]}
    assert got == {"image-alt": "earl:failed", "role-img-alt": "earl:passed"}
