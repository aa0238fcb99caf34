"""Behaviour held across restructuring: report.json of the demo site and of a generated brand site equals the
golden copy recorded before the change (timestamps, ports, paths and versions aside).

A deliberate change of findings or ranking updates the golden files: `EMPATHY_UPDATE_GOLDEN=1 make test
PYTEST_ARGS=tests/test_golden_reports.py`, and the diff of tests/golden/ is reviewed like code.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import LOOPBACK_BROWSER_ARGS, ROOT, run_cli

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("EMPATHY_UPDATE_GOLDEN") == "1"

# Values that differ between two runs of the same code: when it ran, where, how fast, on which versions.
VOLATILE_KEYS = {
    "started_at", "finished_at", "fetched_at", "versions", "elapsed_time_seconds", "seconds", "duration",
    "generated_at", "AUDIT_DB", "AUDIT_OUT_DIR", "audit/browser_seconds", "audit/run_id", "id",
    "browser_seconds", "elapsed", "audit/axe_version", "audit/chromium_version", "axe_version",
    "chromium_version", "screenshot", "ms",
}
_TIMING_STAT = re.compile(r"(seconds|_time|/time|_ms)$")


def normalise(value: Any, base: str) -> Any:
    """The report with its volatile parts replaced: the site's address becomes SITE."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k in VOLATILE_KEYS or _TIMING_STAT.search(k):
                out[k] = "<volatile>" if v is not None else None
            else:
                out[k] = normalise(v, base)
        return out
    if isinstance(value, list):
        return [normalise(v, base) for v in value]
    if isinstance(value, str):
        return value.replace(base, "SITE")
    if isinstance(value, float):
        return round(value, 6)
    return value


def _compare(name: str, report: dict[str, Any], base: str) -> None:
    got = normalise(report, base)
    path = GOLDEN / f"{name}.json"
    if UPDATE or not path.exists():
        if os.environ.get("CI") and not UPDATE:
            pytest.fail(f"{path} is missing: record it with EMPATHY_UPDATE_GOLDEN=1")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(got, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return
    want = json.loads(path.read_text(encoding="utf-8"))
    if got != want:
        # The first differing path makes the failure readable.
        diff = _first_difference(want, got)
        pytest.fail(f"report.json of {name} differs from {path.name} at {diff}")


def _first_difference(a: Any, b: Any, where: str = "$") -> str:
    if type(a) is not type(b):
        return f"{where}: {json.dumps(a)[:200]} != {json.dumps(b)[:200]}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a or k not in b:
                return f"{where}.{k}: only in {'golden' if k in a else 'this run'}"
            if a[k] != b[k]:
                return _first_difference(a[k], b[k], f"{where}.{k}")
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{where}: {len(a)} items != {len(b)} items"
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return _first_difference(x, y, f"{where}[{i}]")
    return f"{where}: {json.dumps(a)[:200]} != {json.dumps(b)[:200]}"


def _crawl(tmp_path: Path, *args: str) -> tuple[dict[str, Any], str]:
    out = tmp_path / "out"
    res = run_cli(*args, "--out", str(out), "--db", str(tmp_path / "h.db"), "--port", "0", "-q", timeout=600) \
        if args[0] == "demo" else \
        run_cli(*args, "--out", str(out), "--db", str(tmp_path / "h.db"), "-q", timeout=600)
    assert res.code == 0, res.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return report, report["run"]["site"]


def test_demo_static_report_is_unchanged(tmp_path):
    report, base = _crawl(tmp_path, "demo", "--no-browser")
    _compare("demo-static", report, base)


@pytest.mark.browser
def test_demo_browser_report_is_unchanged(tmp_path):
    report, base = _crawl(tmp_path, "demo", "--browsers", "1", *(f"--browser-arg={a}" for a in LOOPBACK_BROWSER_ARGS))
    _compare("demo-browser", report, base)


@pytest.fixture(scope="module")
def bench_site(tmp_path_factory):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from sitegen import generate, serve_site
    finally:
        sys.path.pop(0)
    root = tmp_path_factory.mktemp("bench-site")
    generate(root, pages=80, templates=5, seed=7)
    with serve_site(root) as server:
        yield server.base_url


def test_bench_site_static_report_is_unchanged(tmp_path, bench_site):
    report, base = _crawl(tmp_path, "crawl", bench_site + "/index.html", "--no-browser", "--concurrency", "8")
    _compare("bench-static", report, base)


@pytest.mark.browser
def test_bench_site_sampled_browser_report_is_unchanged(tmp_path, bench_site):
    # One request at a time: which pages of a template become its representatives (and so are audited in the
    # browser, with the images they load) depends on the order pages arrive in.
    report, base = _crawl(tmp_path, "crawl", bench_site + "/index.html", "--browsers", "1", "--sample", "2",
                          "--concurrency", "1", *(f"--browser-arg={a}" for a in LOOPBACK_BROWSER_ARGS))
    _compare("bench-sampled-browser", report, base)
