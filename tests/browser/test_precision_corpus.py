"""Precision in the browser: every browser check (all probes, forms too) over the corpus of correct pages.

A FAIL there is a false alarm; the target is none. Needs-review findings are allowed (they are not failures) but
each must carry evidence in its message. The same run backs `bench/precision.py --browser`.
"""

from __future__ import annotations

from empathy_audit.audits.gather.probes import PROBES
from empathy_audit.audits.model import Outcome
from bench.precision import run_browser


def test_no_browser_check_fails_and_no_probe_errs_on_the_corpus():
    run = run_browser(probes=tuple(PROBES))
    assert run.pages >= 15
    assert run.errors == []
    false_alarms = [(page, f.check_id, f.selector, f.message) for page, f in run.findings if f.outcome == Outcome.FAIL]
    assert false_alarms == []
    for _page, f in run.findings:
        assert f.outcome == Outcome.REVIEW and f.message.endswith((".", ")"))
    assert max(max(v) for v in run.probe_seconds.values()) < 5.5  # no probe ran past its budget
