"""Shared test configuration: browser tests are skipped only off CI when Chromium is missing."""

from __future__ import annotations

import os
import shutil

import pytest


def pytest_collection_modifyitems(config, items):
    """Browser tests are never skipped in CI: a missing Chromium there must fail loudly."""
    if os.environ.get("CI"):
        return
    if shutil.which("chromium") and shutil.which("chromedriver"):
        return
    skip = pytest.mark.skip(reason="Chromium/chromedriver not installed (make test installs them)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)
