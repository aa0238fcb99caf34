"""Shared test fixtures: sites served on 127.0.0.1 by the test itself, and the CLI run as a user runs it."""

from __future__ import annotations

import os

import pytest

from tests.helpers import ROOT, run_cli  # noqa: F401


@pytest.fixture
def cli():
    return run_cli


def pytest_collection_modifyitems(config, items):
    """Browser tests are never skipped in CI: a missing Chromium there must fail loudly."""
    if os.environ.get("CI"):
        return
    import shutil

    if shutil.which("chromium") and shutil.which("chromedriver"):
        return
    skip = pytest.mark.skip(reason="Chromium/chromedriver not installed (make test installs them)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
