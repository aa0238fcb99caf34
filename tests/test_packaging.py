"""What PyPI and a user get: the sdist and wheel pass `twine check --strict`, the wheel holds every module and data
file of crawler/, audits/ and reports/ under the empathy_audit namespace, and the installed wheel runs from
anywhere (no top-level `crawler`, `audits` or `reports` import). Without psycopg, a postgresql:// history is one
sentence naming the postgres extra and exit code 2. Everything runs offline (no build isolation)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FOLDERS = ("crawler", "audits", "reports")  # installed as empathy_audit.crawler, .audits, .reports
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
VERSION = PYPROJECT["project"]["version"]
REPO = PYPROJECT["project"]["urls"]["Repository"]
EXTRA_MESSAGE = "PostgreSQL histories need the postgres extra: pip install 'empathy-audit[postgres]'."

# Runs the CLI in-process, then records where every module of ours (or one of the bare names) came from.
DRIVER = """
import json, os, sys
from empathy_audit.crawler.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
ours = sorted(n for n in sys.modules if n.split(".")[0] in ("empathy_audit", "crawler", "audits", "reports"))
with open(os.environ["MODULES_OUT"], "w") as f:
    json.dump({n: getattr(sys.modules[n], "__file__", None) for n in ours}, f)
sys.exit(code)
"""


def _source_files() -> list[str]:
    """The files of the three folders a checkout has (tracked, or new and not ignored), relative to the repo."""
    out = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "--", *FOLDERS], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.splitlines()
    return sorted({f for f in out if (ROOT / f).is_file() and "__pycache__" not in f and not f.endswith(".pyc")})


def _dotted(folder: str) -> str:
    return "empathy_audit." + folder.replace("/", ".")


def _run(*cmd: str | Path, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, timeout=120, **kw)


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> dict[str, Path]:
    """sdist and wheel built the way a release is (wheel from the sdist), from a copy of the working tree."""
    base = tmp_path_factory.mktemp("dist")
    src = base / "src"
    tracked = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.splitlines()
    for name in tracked:
        if (ROOT / name).is_file():
            (src / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, src / name)
    proc = _run(sys.executable, "-m", "build", "--no-isolation", "--outdir", base / "out", src)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "absent from the `packages` configuration" not in proc.stdout + proc.stderr
    (sdist,) = (base / "out").glob("*.tar.gz")
    (wheel,) = (base / "out").glob("*.whl")
    assert sdist.name == f"empathy_audit-{VERSION}.tar.gz" and wheel.name == f"empathy_audit-{VERSION}-py3-none-any.whl"
    return {"sdist": sdist, "wheel": wheel, "base": base}


def test_packages_list_is_every_folder():
    """A new subpackage or data folder cannot be forgotten: pyproject lists exactly the folders on disk."""
    listed = PYPROJECT["tool"]["setuptools"]["packages"]
    assert len(listed) == len(set(listed)), "a package is listed twice in pyproject.toml"
    folders = set()
    for f in _source_files():
        parts = f.split("/")[:-1]
        folders |= {"/".join(parts[:i]) for i in range(1, len(parts) + 1)}
    with_init = {_dotted(d) for d in folders if (ROOT / d / "__init__.py").is_file()}
    assert with_init - set(listed) == set(), "packages missing from [tool.setuptools] packages in pyproject.toml"
    assert set(listed) == {_dotted(d) for d in folders}
    assert PYPROJECT["tool"]["setuptools"]["package-dir"] == {_dotted(d): d for d in FOLDERS}


def test_sdist_and_wheel_pass_twine_check(dist):
    proc = _run(sys.executable, "-m", "twine", "check", "--strict", dist["sdist"], dist["wheel"])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.count("PASSED") == 2 and "WARNING" not in proc.stdout + proc.stderr


def test_wheel_holds_every_module_and_data_file(dist):
    with zipfile.ZipFile(dist["wheel"]) as whl:
        names = whl.namelist()
        meta = whl.read(f"empathy_audit-{VERSION}.dist-info/METADATA").decode()
        entry_points = whl.read(f"empathy_audit-{VERSION}.dist-info/entry_points.txt").decode()
    shipped = {n for n in names if not n.startswith(f"empathy_audit-{VERSION}.dist-info/")}
    assert shipped == {"empathy_audit/" + f for f in _source_files()}
    for data in ("reports/templates/report.html.j2", "audits/gather/js/axe_run.js", "crawler/store/migrations/env.py",
                 "crawler/store/migrations/script.py.mako", "crawler/store/migrations/versions/0001_history.py",
                 "crawler/demo_site/index.html", "crawler/demo_site/css/site.css"):
        assert "empathy_audit/" + data in shipped, data
    assert "empathy-audit = empathy_audit.crawler.cli:main" in entry_points
    assert "Requires-Dist: psycopg[binary]>=3.1; extra == \"postgres\"" in meta
    assert not [line for line in meta.splitlines() if line.startswith("Requires-Dist: psycopg") and "extra" not in line]
    assert "Project-URL: Repository, https://github.com/empathy-audit/empathy-audit" in meta
    assert "License-Expression: MIT" in meta and "Description-Content-Type: text/markdown" in meta
    assert "# empathy-audit" in meta  # the README is the long description


def test_readme_installs_this_repository_at_the_release_tag():
    """The README's install lines cannot drift from pyproject: its repository URL, its version, the postgres extra."""
    readme = (ROOT / "README.md").read_text()
    assert set(re.findall(r'"empathy-audit(?:\[postgres\])? @ (git\+\S+)"', readme)) == {f"git+{REPO}@v{VERSION}"}
    assert len(re.findall(r"git\+https?://", readme)) == 2  # no other git URL that the pattern above missed
    once_published = "pip install 'empathy-audit[postgres]'"
    assert once_published in readme and once_published in EXTRA_MESSAGE
    assert PYPROJECT["project"]["urls"] == {"Homepage": REPO, "Repository": REPO, "Issues": f"{REPO}/issues",
                                            "Changelog": f"{REPO}/releases"}


def _modules(target: Path, out: Path) -> dict[str, str]:
    modules = json.loads(out.read_text())
    bare = [n for n in modules if n.split(".")[0] in FOLDERS]
    assert bare == [], f"top-level modules imported: {bare}"
    outside = {n: f for n, f in modules.items() if f and not Path(f).is_relative_to(target)}
    assert outside == {}, "modules loaded from outside the installed wheel"
    return modules


def test_installed_wheel_runs_from_anywhere(dist, tmp_path):
    target, work = tmp_path / "site", tmp_path / "elsewhere"
    work.mkdir()
    proc = _run(sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--target", target,
                dist["wheel"])
    assert proc.returncode == 0, proc.stderr
    env = {**os.environ, "PYTHONPATH": str(target), "MODULES_OUT": str(tmp_path / "modules.json")}

    proc = _run(sys.executable, "-m", "empathy_audit.crawler.cli", "--version", cwd=work, env=env)
    assert (proc.returncode, proc.stdout.strip()) == (0, f"empathy-audit {VERSION}"), proc.stderr
    proc = _run(target / "bin" / "empathy-audit", "--version", cwd=work, env=env)  # the console script
    assert (proc.returncode, proc.stdout.strip()) == (0, f"empathy-audit {VERSION}"), proc.stderr

    proc = _run(sys.executable, "-c", DRIVER, "checks", cwd=work, env=env)
    assert proc.returncode == 0 and "image-alt" in proc.stdout, proc.stderr
    assert "empathy_audit.audits.registry" in _modules(target, tmp_path / "modules.json")

    # The demo serves its site from package data, renders the templates, runs the packaged migrations.
    proc = _run(sys.executable, "-c", DRIVER, "demo", "--no-browser", "--quiet", "--out", work / "demo", cwd=work,
                env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert (work / "demo" / "report.html").stat().st_size > 10_000
    assert "empathy_audit.crawler.spiders.site" in _modules(target, tmp_path / "modules.json")
    assert (work / ".empathy-audit" / "history.db").is_file()


def test_postgres_history_without_psycopg_names_the_extra(tmp_path):
    """A plain install has no psycopg: SQLite works, a postgresql:// --db is one sentence and exit 2."""
    fake = tmp_path / "blocked" / "psycopg"
    fake.mkdir(parents=True)
    (fake / "__init__.py").write_text("raise ImportError('psycopg is not installed (blocked by the test)')\n")
    env = {**os.environ, "PYTHONPATH": str(fake.parent)}
    cli = (sys.executable, "-m", "empathy_audit.crawler.cli")
    for args in (("history", "--db", "postgresql://ci:s3cret@127.0.0.1:1/audit"),
                 ("crawl", "http://127.0.0.1:1/", "--no-browser", "--out", str(tmp_path / "out"),
                  "--db", "postgres://ci@127.0.0.1:1/audit")):
        proc = _run(*cli, *args, cwd=tmp_path, env=env)
        assert (proc.returncode, proc.stderr) == (2, f"empathy-audit: {EXTRA_MESSAGE}\n"), args
    proc = _run(*cli, "checks", cwd=tmp_path, env=env)  # nothing else needs it
    assert proc.returncode == 0 and "image-alt" in proc.stdout, proc.stderr
