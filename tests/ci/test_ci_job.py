"""The CLI exactly as a nightly CI job runs it: a fresh process in the repository folder, empathy-audit.toml read
from there, secrets only in environment variables, against a staging site behind basic auth, a token header and a
login form. Exit 1 while there is no baseline, 0 once it is saved, 1 when a defect appears on staging, 0 again
after the baseline is updated; SARIF valid against the official schema every time; no secret in any file."""

from __future__ import annotations

import base64
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.ci.staging import ENV, LOGIN_EMAIL, SECRETS, USER, StagingSite
from tests.ci.test_formats import sarif_errors
from tests.helpers import run_cli

FORMATS = ["html", "json", "sarif", "junit", "markdown"]
OUTPUTS = ["report.html", "report.json", "report.sarif", "report.junit.xml", "summary.md"]
CI_ENV = {**ENV, "CI": "true", "GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "acme/shop",
          "GITHUB_RUN_ID": "4711"}


@pytest.fixture
def staging():
    site = StagingSite()
    yield site
    site.close()


def _repo(tmp_path: Path, site: StagingSite) -> Path:
    """The repository a CI job checks out: empathy-audit.toml at its root, no secret in it."""
    (tmp_path / "empathy-audit.toml").write_text("\n".join([
        f'url = "{site.url}/"',
        f'basic-auth = "{USER}:${{STAGING_PASSWORD}}"',
        'header = { "X-Staging-Token" = "${STAGING_TOKEN}" }',
        f'login-url = "{site.url}/login"',
        f'login-field = {{ email = "{LOGIN_EMAIL}", password = "${{STAGING_LOGIN_PASSWORD}}" }}',
        'db = "history.db"',
        'out = "out"',
        "ignore-robots = true",
        "no-browser = true",
        f"format = {json.dumps(FORMATS)}",
        'fail-on = "minor"',
        'baseline = ".empathy-audit-baseline.json"',
    ]) + "\n")
    return tmp_path


def _no_secret_anywhere(repo: Path, site: StagingSite, *texts: str) -> None:
    secrets = [s.encode() for s in (*SECRETS, *site.sessions)]
    secrets.append(base64.b64encode(f"{USER}:{SECRETS[0]}".encode()))
    files = [p for p in repo.rglob("*") if p.is_file()]
    assert {"report.sarif", "report.junit.xml", "summary.md", "report.html", "report.json", "history.db"} <= \
        {p.name for p in files}
    for path in files:
        data = path.read_bytes()
        for s in secrets:
            assert s not in data, f"a secret is in {path.name}"
    for text in texts:
        for s in secrets:
            assert s.decode() not in text
    assert site.leaked() == []


def _crawl(repo: Path, site: StagingSite, expect: int):
    res = run_cli("crawl", cwd=repo, env=CI_ENV)
    assert res.code == expect, res.stderr
    out = repo / "out"
    assert res.stdout.splitlines()[:5] == [str(out / name) for name in OUTPUTS]  # the report is always written
    sarif = json.loads((out / "report.sarif").read_text())
    assert sarif_errors(sarif) == []
    ET.parse(out / "report.junit.xml")
    summary = (out / "summary.md").read_text()
    assert len(summary.encode()) < 60_000 and "(<https://github.com/acme/shop/actions/runs/4711>)" in summary
    _no_secret_anywhere(repo, site, res.stdout, res.stderr)
    return res, sarif, summary


def _fails(res) -> list[str]:
    return [line for line in res.stderr.splitlines() if line.startswith("empathy-audit: FAIL ")]


def _junit_failures(repo: Path) -> set[str]:
    root = ET.parse(repo / "out" / "report.junit.xml").getroot()
    return {c.find("properties/property[@name='fingerprint']").get("value") for c in root.iter("testcase")
            if c.find("failure") is not None and c.find("properties") is not None}


def test_ci_job_gates_on_new_barriers_against_staging_behind_a_login(tmp_path, staging):
    repo = _repo(tmp_path, staging)

    # 1. The first nightly run: no baseline yet, so every failing fix is new and the job fails.
    res, sarif, summary = _crawl(repo, staging, expect=1)
    first = [r["partialFingerprints"] for r in sarif["runs"][0]["results"] if r["kind"] == "fail"]
    assert len(_fails(res)) == len(first) >= 1  # one stderr line per failing fix
    assert "there is no baseline file at .empathy-audit-baseline.json" in res.stderr
    assert "image-alt:" in res.stderr and "❌ **Gate failed**" in summary
    report = json.loads((repo / "out" / "report.json").read_text())
    assert any(p["url"].endswith("/account") and p["title"] == "Your account" for p in report["pages"])  # logged in

    # 2. The team reviews the findings and commits the baseline: the next run passes.
    res = run_cli("baseline", "save", cwd=repo, env=CI_ENV)
    assert res.code == 0, res.stderr
    saved = json.loads((repo / ".empathy-audit-baseline.json").read_text())
    assert len(saved["fixes"]) == len(first) and all(e["note"] == "" for e in saved["fixes"])
    res, sarif, summary = _crawl(repo, staging, expect=0)
    assert _fails(res) == [] and "the gate passed" in res.stderr and "✅ **Gate passed**" in summary
    assert {r["baselineState"] for r in sarif["runs"][0]["results"] if r["kind"] == "fail"} == {"unchanged"}
    assert _junit_failures(repo) == set()  # accepted fixes are skipped, not failed

    # 3. A developer adds an unlabelled field to staging and fixes the image: one new barrier, one gone.
    staging.pages["/about"] = ("About us", '<p>About.</p><img src="/team.png" alt="Our team">'
                                           '<input type="text" name="newsletter">')
    res, sarif, summary = _crawl(repo, staging, expect=1)
    fails = _fails(res)
    assert len(fails) == 1 and " label:" in fails[0] and "/about" in fails[0] and fails[0].endswith(
        "critical, at or above --fail-on minor")
    new = [r for r in sarif["runs"][0]["results"] if r.get("baselineState") == "new"]
    assert [r["ruleId"] for r in new] == ["label"] and new[0]["level"] == "error"
    assert _junit_failures(repo) == {new[0]["properties"]["fingerprint"]}
    assert "baseline gone: image-alt:" in res.stdout and "### Baseline entries gone \\(1\\)" in summary
    assert sarif["runs"][0]["properties"]["baseline"]["gone"][0]["check"] == "image-alt"

    # 4. The new field is accepted for now (the baseline is saved again, the fixed image leaves it): exit 0.
    res = run_cli("baseline", "save", cwd=repo, env=CI_ENV)
    assert res.code == 0 and "1 added, 1 removed" in res.stderr, res.stderr
    res, sarif, summary = _crawl(repo, staging, expect=0)
    assert "baseline gone" not in res.stdout

    # The trend with scores, for the team; a typo in the config is one sentence and exit 2.
    res = run_cli("history", cwd=repo, env=CI_ENV)
    assert res.code == 0 and res.stdout.splitlines()[0].split()[-2:] == ["score", "site"]
    assert len(res.stdout.splitlines()) == 5 and " - " not in res.stdout  # 4 runs, each with a score
    cfg = repo / "empathy-audit.toml"
    cfg.write_text(cfg.read_text().replace("fail-on =", "fail-onn ="))
    res = run_cli("crawl", cwd=repo, env=CI_ENV)
    assert res.code == 2
    assert res.stderr.strip() == ("empathy-audit: empathy-audit.toml: unknown key 'fail-onn' (did you mean "
                                  "'fail-on'?).")
    _no_secret_anywhere(repo, staging, res.stdout, res.stderr)
