"""Prints the ACT conformance table at the end of the test run (make test shows the numbers it holds)."""

from __future__ import annotations


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    from tests.act.test_act_conformance import ACT_KEY

    result = config.stash.get(ACT_KEY, None)
    if result is None:
        return
    terminalreporter.section("W3C ACT Rules conformance (bench/act_conformance.py)")
    terminalreporter.write_line(result.table.splitlines()[0])
    for line in result.table.splitlines()[2:]:
        if "| consistent |" not in line:
            terminalreporter.write_line(line)
    terminalreporter.write_line(f"{result.summary['cases_run']} case pages audited in {result.seconds:.0f} s")
