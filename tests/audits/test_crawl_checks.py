"""The crawl family's checks on their fixture pages, crawled as a user crawls (crawler.devserver.serve, the CLI)."""

from __future__ import annotations

import json

import pytest

from empathy_audit.audits.registry import family, select
from empathy_audit.crawler.devserver import serve
from tests.helpers import run_cli

CRAWL = family("crawl")


@pytest.mark.parametrize("chk", select("crawl"), ids=lambda c: c.id)
def test_crawl_check_fails_its_fail_page_and_passes_its_pass_page(chk, tmp_path):
    found = {}
    with serve(str(CRAWL.fixture_root / chk.id)) as server:
        for side in ("fail", "pass"):
            out = tmp_path / side
            res = run_cli("crawl", f"{server.base_url}/{side}.html", "--out", str(out), "--db",
                          str(tmp_path / "h.db"), "--no-browser", "--no-media", "--max-depth", "1",
                          "--format", "json", "-q")
            assert res.code in (0, 1), res.stderr
            report = json.loads((out / "report.json").read_text())
            found[side] = [f for f in report["fixes"] if f["check_id"] == chk.id]
    assert found["fail"] and found["fail"][0]["sources"] == [CRAWL.source]
    assert found["pass"] == []
