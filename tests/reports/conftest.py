"""Fixtures for the report tests (builders live in report_factories.py, importable by the test modules)."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from audits.model import Check
from tests.reports.report_factories import CHECKS, sample_inputs


@pytest.fixture
def lookup() -> Callable[[str], Check | None]:
    return CHECKS.get


@pytest.fixture
def sample() -> tuple[dict[str, Any], list[dict[str, Any]], list[dict[str, Any]]]:
    return sample_inputs()
