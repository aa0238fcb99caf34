"""Fixtures for the report tests (builders live in report_factories.py, importable by the test modules)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from empathy_audit.audits.model import Check
from empathy_audit.crawler.store.records import FindingRecord, PageRecord, RunRecord
from tests.reports.report_factories import CHECKS, sample_inputs


@pytest.fixture
def lookup() -> Callable[[str], Check | None]:
    return CHECKS.get


@pytest.fixture
def sample() -> tuple[RunRecord, list[PageRecord], list[FindingRecord]]:
    return sample_inputs()
