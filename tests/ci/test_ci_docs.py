"""The example CI files in docs/ci parse, schedule the audit, install Chromium, keep the report, and call the CLI
with options it really has; their install line names this repository and version and really installs (from a
clone of this repository at HEAD, tagged as the release); the publishing example gates on the tag's version."""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import shlex
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from empathy_audit.crawler.cli import build_parser

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "ci"
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
REPO = PROJECT["urls"]["Repository"]
VERSION = PROJECT["version"]


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
    # Debian's chromium and chromium-driver, at the /usr/bin paths empathy-audit looks at (Ubuntu's are snaps)
    assert wf["jobs"]["audit"]["container"].endswith("-bookworm")
    assert any("apt-get install -y -qq chromium chromium-driver" in r for r in runs)
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
    assert job["image"].endswith("-bookworm")
    assert "apt-get install -y -qq chromium chromium-driver" in job["before_script"]
    assert job["artifacts"]["paths"] == ["out/"] and job["artifacts"]["when"] == "always"
    commands = [c for line in job["script"] for c in _commands(line)]
    assert [c[0] for c in commands] == ["crawl", "history"]
    for argv in commands:
        _parses(argv)
    _gates_and_formats(commands[0])
    assert job["artifacts"]["reports"]["junit"] == "out/report.junit.xml"


def _pip_install(lines: list[str]) -> list[str]:
    """The arguments after `pip install` of the one install line among a job's shell lines."""
    installs = [shlex.split(line) for text in lines for line in text.splitlines() if "pip install" in line]
    assert len(installs) == 1, installs
    argv = installs[0]
    assert argv[:4] == ["python", "-m", "pip", "install"], argv
    return argv[4:]


def _example_installs() -> dict[str, list[str]]:
    gh = yaml.safe_load((DOCS / "github-actions.yml").read_text())["jobs"]["audit"]["steps"]
    gl = yaml.safe_load((DOCS / "gitlab-ci.yml").read_text())["empathy-audit"]
    return {"github-actions.yml": _pip_install([s.get("run", "") for s in gh]),
            "gitlab-ci.yml": _pip_install(gl["before_script"] + gl["script"])}


def test_examples_install_this_repository_at_the_release_tag():
    """No empathy-audit distribution is on PyPI yet: the examples install from project.urls.Repository at the tag
    of pyproject's version, with the postgres extra their --db postgresql:// history needs."""
    extras = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"])
    for name, args in _example_installs().items():
        reqs = [a for a in args if not a.startswith("-")]
        assert len(reqs) == 1, (name, args)
        req = Requirement(reqs[0])
        assert req.name == "empathy-audit" and req.extras == {"postgres"} <= extras, name
        assert req.url == f"git+{REPO}@v{VERSION}", name
    assert len({tuple(args) for args in _example_installs().values()}) == 1  # both examples say the same


def _setuptools_only(into: Path) -> Path:
    """A folder holding (links to) setuptools alone: the build backend, without this venv's other packages."""
    dist = importlib.metadata.distribution("setuptools")
    tops = {Path(str(f)).parts[0] for f in dist.files or ()} - {"..", "bin"}
    into.mkdir()
    for top in tops:
        src = Path(dist.locate_file(top))
        if src.exists():
            (into / top).symlink_to(src)
    return into


def test_the_example_install_line_installs(tmp_path):
    """The GitHub example's pip line, pointed at a clone of this repository at HEAD tagged v<version>, installs
    into a fresh venv and gives a working `empathy-audit` (offline: no dependencies, no build isolation)."""
    args = _example_installs()["github-actions.yml"]
    clone = tmp_path / "empathy-audit"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, capture_output=True)
    subprocess.run(["git", "-C", str(clone), "tag", "-f", f"v{VERSION}"], check=True, capture_output=True)
    swapped = [a.replace(f"git+{REPO}", f"git+file://{clone}") for a in args]
    assert swapped != args

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=120)
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PIP_NO_INPUT": "1",
           "PYTHONPATH": str(_setuptools_only(tmp_path / "build-backend"))}
    proc = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", *swapped, "--no-deps",
                           "--no-build-isolation", "--no-index"], capture_output=True, text=True, timeout=180, env=env)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]

    # Its dependencies come from this test's environment (appended after the venv's own site-packages).
    site = Path(subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()"
                                "['purelib'])"], check=True, capture_output=True, text=True).stdout.strip())
    (site / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    env.pop("PYTHONPATH")
    proc = subprocess.run([str(venv / "bin" / "empathy-audit"), "--version"], capture_output=True, text=True,
                          timeout=60, env=env, cwd=tmp_path)
    assert (proc.returncode, proc.stdout.strip()) == (0, f"empathy-audit {VERSION}"), proc.stderr
    proc = subprocess.run([str(venv / "bin" / "python"), "-c", "import importlib.metadata as md, empathy_audit.crawler"
                           ".cli as cli; print(cli.__file__); print(md.distribution('empathy-audit').read_text("
                           "'direct_url.json'))"], capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path)
    where, direct_url = proc.stdout.split("\n", 1)
    assert Path(where).is_relative_to(site), proc.stderr
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=clone, check=True, capture_output=True, text=True)
    assert json.loads(direct_url)["vcs_info"] == {"vcs": "git", "requested_revision": f"v{VERSION}",
                                                  "commit_id": head.stdout.strip()}


def test_publish_workflow():
    """The PyPI workflow (an example, not active here) builds on a v* tag, refuses a tag that is not pyproject's
    version, checks the distributions and publishes with a trusted publisher (an OIDC token, no secret)."""
    wf = yaml.safe_load((DOCS / "publish.yml").read_text())
    triggers = wf.get("on", wf.get(True))
    assert triggers == {"push": {"tags": ["v*"]}}
    build, publish = wf["jobs"]["build"], wf["jobs"]["publish"]
    runs = "\n".join(s.get("run", "") for s in build["steps"])
    assert "python -m build" in runs and "twine check --strict dist/*" in runs
    assert publish["needs"] == "build" and publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    assert [s["uses"] for s in publish["steps"]] == ["actions/download-artifact@v4",
                                                     "pypa/gh-action-pypi-publish@release/v1"]
    assert not any("password" in s.get("with", {}) for s in publish["steps"])

    gate = next(s["run"] for s in build["steps"] if "GITHUB_REF_NAME" in s.get("run", ""))
    for tag, code in ((f"v{VERSION}", 0), ("v99.0.0", 1)):
        proc = subprocess.run(["bash", "-euc", gate], cwd=ROOT, capture_output=True, text=True, timeout=30,
                              env={**os.environ, "GITHUB_REF_NAME": tag,
                                   "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"})
        assert proc.returncode == code, proc.stderr
    assert proc.stderr.strip() == (f"The tag v99.0.0 is not v{VERSION}, the version in pyproject.toml: bump one of "
                                   f"them.")
