"""The example CI files in docs/ci parse, schedule the audit, install Chromium, keep the report, and call the CLI
with options it really has."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from empathy_audit.crawler.cli import build_parser

DOCS = Path(__file__).resolve().parents[2] / "docs" / "ci"


def _commands(script: str) -> list[list[str]]:
    """empathy-audit invocations in a shell script, with shell variables replaced by plausible values."""
    out = []
    for line in re.split(r"\n(?!\s)", script.strip()):
        line = " ".join(line.split())
        if not line.startswith("empathy-audit "):
            continue
        line = re.sub(r'\$\{START_URL:\+"\$START_URL"\}', "https://staging.example.com/", line)
        line = line.replace('"$EMPATHY_AUDIT_DB"', "postgresql://ci@db.example.com/audit")
        out.append(shlex.split(line)[1:])
    return out


def _parses(argv: list[str]) -> None:
    try:
        build_parser().parse_args(argv)
    except SystemExit:  # argparse's way of saying "no such option"
        pytest.fail(f"empathy-audit {' '.join(argv)} is not a valid command line")


def _gates_and_formats(argv: list[str]) -> None:
    """The audit writes SARIF, JUnit and the Markdown summary beside report.html into out/, and gates."""
    args = build_parser().parse_args(argv)
    assert args.out == "out" and {"html", "sarif", "junit", "markdown"} <= set(args.format)
    assert args.fail_on and args.baseline == ".empathy-audit-baseline.json"


def test_github_actions_workflow():
    wf = yaml.safe_load((DOCS / "github-actions.yml").read_text())
    triggers = wf.get("on", wf.get(True))  # YAML 1.1 reads a bare `on` key as true
    assert triggers["schedule"][0]["cron"].count(" ") == 4 and "workflow_dispatch" in triggers
    assert wf["permissions"]["security-events"] == "write"
    steps = wf["jobs"]["audit"]["steps"]
    runs = [s.get("run", "") for s in steps]
    assert any("apt-get install" in r and "chromium" in r for r in runs)
    uses = {s.get("uses", "").split("@")[0]: s for s in steps if "uses" in s}
    assert uses["actions/upload-artifact"]["with"]["path"] == "out/"
    assert uses["actions/upload-artifact"]["if"] == "always()"
    sarif = uses["github/codeql-action/upload-sarif"]
    assert sarif["with"]["sarif_file"] == "out/report.sarif" and "out/report.sarif" in sarif["if"]
    commands = [c for r in runs for c in _commands(r)]
    assert [c[0] for c in commands] == ["crawl", "history"]
    for argv in commands:
        _parses(argv)
    _gates_and_formats(commands[0])
    summary = next(s for s in steps if "GITHUB_STEP_SUMMARY" in s.get("run", ""))
    assert summary["run"].strip() == 'cat out/summary.md >> "$GITHUB_STEP_SUMMARY"' and "always()" in summary["if"]
    audit = next(s for s in steps if "crawl" in s.get("run", ""))
    assert audit["env"]["STAGING_PASSWORD"] == "${{ secrets.STAGING_PASSWORD }}"  # secrets only from the store


def test_gitlab_ci_pipeline():
    ci = yaml.safe_load((DOCS / "gitlab-ci.yml").read_text())
    job = ci["empathy-audit"]
    assert job["stage"] in ci["stages"]
    sources = " ".join(r["if"] for r in job["rules"])
    assert '"schedule"' in sources and '"web"' in sources
    assert any("chromium" in line and "apt-get install" in line for line in job["before_script"])
    assert job["artifacts"]["paths"] == ["out/"] and job["artifacts"]["when"] == "always"
    commands = [c for line in job["script"] for c in _commands(line)]
    assert [c[0] for c in commands] == ["crawl", "history"]
    for argv in commands:
        _parses(argv)
    _gates_and_formats(commands[0])
    assert job["artifacts"]["reports"]["junit"] == "out/report.junit.xml"
