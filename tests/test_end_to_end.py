"""End to end: `empathy-audit demo` on the bundled site finds exactly the defects listed in expected.json."""

from __future__ import annotations

import json
from collections import Counter
from urllib.parse import urlsplit

import pytest

from empathy_audit.crawler.devserver import DEMO_SITE
from tests.helpers import LOOPBACK_BROWSER_ARGS, run_cli

EXPECTED = json.loads((__import__("pathlib").Path(DEMO_SITE) / "expected.json").read_text())


def _path(url: str) -> str:
    p = urlsplit(url)
    return p.path + (f"?{p.query}" if p.query else "")


def _audit_demo(tmp_path, *extra):
    out = tmp_path / "out"
    res = run_cli("demo", "--out", str(out), "--db", str(tmp_path / "h.db"), *extra, timeout=600)
    assert res.code == 0, res.stderr
    report = json.loads((out / "report.json").read_text())
    found: dict[str, Counter] = {}
    for fix in report["fixes"]:  # schema 2.0: failing elements, per page and check, over every fix
        for page in fix["pages"]:
            n = sum(1 for e in page["elements"] if e["outcome"] == "fail")
            if n:
                found.setdefault(_path(page["url"]), Counter())[fix["check_id"]] += n
    pages = {_path(p["url"]): p for p in report["pages"]}
    return res, out, report, {k: dict(v) for k, v in found.items()}, pages


def _expected(with_browser: bool) -> dict[str, dict[str, int]]:
    want = {page: dict(checks) for page, checks in EXPECTED["pages"].items()}
    extra = [EXPECTED["media"]["pages"]] + ([EXPECTED["browser"]] if with_browser else [])
    for section in extra:
        for page, checks in section.items():
            for check_id, n in checks.items():
                want.setdefault(page, {})[check_id] = want.get(page, {}).get(check_id, 0) + n
    return want


def _assert_crawl_coverage(pages):
    html_pages = {p for p, rec in pages.items() if rec["status"] == 200 and rec["content_type"].startswith("text/html")}
    assert html_pages == set(EXPECTED["pages"]) | set(EXPECTED["clean"]) | set(EXPECTED["media"]["pages"])
    for path in EXPECTED["not_crawled"]:
        assert pages.get(path) is None or pages[path]["status"] is None
    for path, mime in EXPECTED["non_html"].items():
        assert pages[path]["content_type"].startswith(mime)
    for path, status in EXPECTED["broken"].items():
        assert pages[path]["status"] == status


def test_static_audit_of_the_demo_site_matches_expected_json_exactly(tmp_path):
    res, out, report, found, pages = _audit_demo(tmp_path, "--no-browser")
    assert found == _expected(with_browser=False)
    for clean in EXPECTED["clean"]:
        assert clean not in found
    _assert_crawl_coverage(pages)
    assert report["summary"]["browser_audits"] == "none"
    assert res.stdout.strip().splitlines()[0] == str(out / "report.html")
    html = (out / "report.html").read_text()
    assert "Static checks only" in html


def test_no_media_skips_the_low_bandwidth_checks(tmp_path):
    res, out, report, found, pages = _audit_demo(tmp_path, "--no-browser", "--no-media")
    want = {page: dict(checks) for page, checks in EXPECTED["pages"].items()}
    assert found == want  # the static findings, and no media finding anywhere
    assert report["bandwidth"] is None


@pytest.mark.browser
def test_browser_audit_of_the_demo_site_matches_expected_json_exactly(tmp_path):
    res, out, report, found, pages = _audit_demo(
        tmp_path, "--browsers", "2", *[f"--browser-arg={a}" for a in LOOPBACK_BROWSER_ARGS]
    )
    assert found == _expected(with_browser=True)
    _assert_crawl_coverage(pages)
    html_pages = [p for p in pages.values() if p["status"] == 200 and p["content_type"].startswith("text/html")]
    assert all(p["browser"] and p["browser"]["audited"] for p in html_pages)
    assert report["run"]["versions"]["axe_core"].startswith("4.10")
    # Static and axe findings on the same element are one finding, confirmed by both engines.
    template_button = next(f for f in report["fixes"]
                           if f["check_id"] == "button-name" and f["component"]["kind"] == "template")
    assert set(template_button["sources"]) == {"static", "axe"}
    contact = [e for f in report["fixes"] if f["check_id"] == "label" for pg in f["pages"]
               if pg["url"].endswith("/contact.html") for e in pg["elements"]]
    assert sorted(tuple(sorted(e["sources"])) for e in contact) == [("axe",), ("axe", "static")]


MEDIA = EXPECTED["media"]


def _true_size(server, path: str) -> int:
    """The body the demo server really sends for `path` to a client that accepts gzip, as that client gets it."""
    from urllib.request import Request, urlopen

    with urlopen(Request(server.base_url + path, headers={"Accept-Encoding": "gzip"}), timeout=30) as resp:
        return len(resp.read())


def test_media_audit_of_the_demo_site_finds_the_seeded_heavy_media_and_weighs_pages_exactly(tmp_path):
    """Findings and page weights as stored for the report (independent of the report's own layout), the true sizes
    of the files as served, and the server's request log: a file shared by many pages is fetched once per crawl."""
    import zlib

    from empathy_audit.crawler.devserver import serve
    from empathy_audit.crawler.store import Store
    from empathy_audit.reports.bandwidth import build_bandwidth

    db = tmp_path / "h.db"
    with serve(DEMO_SITE) as server:
        res = run_cli("crawl", server.base_url + "/", "--no-browser", "--out", str(tmp_path / "out"), "--db", str(db),
                      timeout=600)
        assert res.code == 0, res.stderr
        requests = list(server.requests)
        store = Store(str(db))
        run_id = store.run_ids()[-1]
        run, pages, findings = store.load_run(run_id)
        resources = store.load_resources(run_id)
        store.close()

        media_ids = set(c for checks in MEDIA["pages"].values() for c in checks) | {
            "offscreen-images", "video-preload", "large-script"}
        found: dict[str, Counter] = {}
        for f in findings:
            if f.check_id in media_ids and f.outcome == "fail":
                found.setdefault(_path(f.url), Counter())[f.check_id] += 1
        assert {p: dict(c) for p, c in found.items()} == MEDIA["pages"]
        for clean in EXPECTED["clean"]:
            assert clean not in found

        # The generated heavy files are exactly as large as expected.json says, and so is every page listed.
        for path, size in MEDIA["files"].items():
            assert _true_size(server, path) == size, path
        bandwidth = build_bandwidth(run, pages, resources, findings)
        assert bandwidth is not None
        weights = {_path(p.url): p for p in bandwidth.pages}
        loads = {}
        for row in resources:
            if row.in_weight:
                loads.setdefault(_path(row.page_url), set()).add(_path(row.url))
        for page, want in MEDIA["weights"].items():
            assert loads[page] == set(want["resources"]), page
            truth = sum(_true_size(server, path) for path in want["resources"])
            assert weights[page].bytes == truth, page
            assert not weights[page].unmeasured
            if zlib.ZLIB_RUNTIME_VERSION == MEDIA["zlib"]:
                assert truth == want["bytes"], page
        for page, on_demand in MEDIA["not_in_weight"].items():
            for path in on_demand:
                assert path not in loads[page]
                assert any(_path(r.url) == path and not r.in_weight for r in resources
                           if _path(r.page_url) == page)
        launch = weights["/launch.html"]
        assert launch.over_budget and launch.bytes > 2 * 1024 * 1024 and launch.load_seconds > 25
        assert [f.check_id for f in bandwidth.fixes][:3] == ["legacy-image-format", "oversized-image",
                                                              "media-autoplay"]

    # Every file a page loads (pages themselves aside) is fetched once per crawl, however many pages share it.
    page_paths = {_path(p.url) for p in pages} | {_path(p.final_url) for p in pages if p.final_url}
    per_path = Counter(path.split("?")[0] for _method, path in requests)
    assets = {_path(r.url) for r in resources if r.found_via != "page"}
    for path in assets - page_paths:
        assert per_path[path] == 1, (path, [r for r in requests if r[1].split("?")[0] == path])
    for path in MEDIA["shared"]:
        users = {_path(r.page_url) for r in resources if _path(r.url) == path}
        assert len(users) >= 2, path
        assert per_path[path] == 1, path
    # The report, when it shows the low-bandwidth section, shows these same weights.
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    if report.get("bandwidth"):
        reported = {_path(p["url"]): p["bytes"] for p in report["bandwidth"]["pages"]}
        assert reported == {page: w.bytes for page, w in weights.items()}
