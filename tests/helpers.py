"""Helpers for tests: paths, the CLI run as a user runs it, loopback-only browser arguments."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_SITES = ROOT / "tests" / "fixture_sites"

# Chromium must never leave loopback in tests: a dead local proxy and every host name mapped to 127.0.0.1.
LOOPBACK_BROWSER_ARGS = ["--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * 127.0.0.1"]


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


def run_cli(*args: str, cwd: str | os.PathLike | None = None, timeout: float = 300, env: dict | None = None) -> CliResult:
    """Run `empathy-audit ARGS` in a fresh process (Scrapy's reactor starts once per process)."""
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.run(
        [sys.executable, "-m", "empathy_audit.crawler.cli", *args],
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=full_env,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)
