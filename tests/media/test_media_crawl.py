"""The media audit inside a real crawl: misbehaving resources are marked unmeasured and never stop the crawl."""

from __future__ import annotations

import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from empathy_audit.crawler.devserver import DEMO_SITE, serve
from empathy_audit.crawler.store import Store
from empathy_audit.reports.bandwidth import build_bandwidth
from tests.helpers import run_cli

SITE = Path(__file__).resolve().parent / "site"


def _path(url: str) -> str:
    return urlsplit(url).path


@pytest.fixture
def stop():
    event = threading.Event()
    yield event
    event.set()  # release handlers still hanging, so no thread outlives the test for long


def _routes(stop: threading.Event):
    def never(handler):  # accepts the connection, never answers
        stop.wait(60)

    def endless(handler):  # answers at once, then streams forever with no Content-Length
        handler.send_response(200)
        handler.send_header("Content-Type", "text/javascript")
        handler.send_header("Cache-Control", "public, max-age=86400")
        handler.end_headers()
        if handler.command == "HEAD":
            return
        chunk = b"/* padding */\n" * 4096
        while not stop.is_set():
            handler.wfile.write(chunk)

    def trickle(handler):  # answers, then sends a byte now and then, forever
        handler.send_response(200)
        handler.send_header("Content-Type", "text/css")
        handler.end_headers()
        while not stop.is_set():
            handler.wfile.write(b" ")
            handler.wfile.flush()
            stop.wait(0.2)

    return {"/slow/never.png": never, "/slow/endless.js": endless, "/slow/trickle.css": trickle}


def _load(db: Path):
    store = Store(str(db))
    run_id = store.run_ids()[-1]
    run, pages, findings = store.load_run(run_id)
    resources = store.load_resources(run_id)
    store.close()
    return run, pages, findings, resources


def test_a_resource_that_never_answers_or_never_ends_is_unmeasured_and_the_page_still_reported(tmp_path, stop):
    db = tmp_path / "h.db"
    with serve(str(SITE), routes=_routes(stop)) as server:
        started = time.monotonic()
        res = run_cli("crawl", server.base_url + "/", "--no-browser", "--timeout", "2", "--out", str(tmp_path / "out"),
                      "--db", str(db), timeout=120)
        seconds = time.monotonic() - started
        requests = list(server.requests)
    assert res.code == 0, res.stderr
    assert seconds < 60
    run, pages, findings, resources = _load(db)
    assert run.status == "finished"
    assert {_path(p.url) for p in pages if p.status == 200} == {"/", "/other.html"}
    rows = {(_path(r.page_url), _path(r.url)): r for r in resources}

    never = rows[("/", "/slow/never.png")]
    assert not never.measured and never.bytes is None
    assert "no answer within 2 s" in never.reason
    endless = rows[("/", "/slow/endless.js")]
    assert not endless.measured and "did not end after 16.0 MB" in endless.reason
    trickle = rows[("/", "/slow/trickle.css")]
    assert not trickle.measured and "did not finish within 2 s" in trickle.reason
    ok = rows[("/", "/img/dot.png")]
    assert ok.measured and ok.bytes == (SITE / "img" / "dot.png").stat().st_size
    assert ok.info["format"] == "png" and ok.info["width"] == 10

    bandwidth = build_bandwidth(run, pages, resources, findings)
    home = next(p for p in bandwidth.pages if _path(p.url) == "/")
    assert {_path(u.url) for u in home.unmeasured} == {"/slow/never.png", "/slow/endless.js", "/slow/trickle.css"}
    assert home.size.startswith("at least ")
    assert {_path(u.url) for u in bandwidth.unmeasured} == {"/slow/never.png", "/slow/endless.js", "/slow/trickle.css"}
    # Each resource was tried once, shared ones included: no retries, no second GET after a timeout.
    per_path = Counter(p.split("?")[0] for _, p in requests)
    for path in ("/slow/never.png", "/slow/endless.js", "/slow/trickle.css", "/img/dot.png", "/css/ok.css"):
        assert per_path[path] == 1, (path, per_path[path])
    assert run.stats.get("audit/media_pages") == 2


def test_page_weight_budget_flag_sets_the_budget(tmp_path):
    db = tmp_path / "h.db"
    res = run_cli("demo", "--no-browser", "--page-weight-budget", "6", "--out", str(tmp_path / "out"), "--db", str(db),
                  timeout=300)
    assert res.code == 0, res.stderr
    run, pages, findings, resources = _load(db)
    assert run.settings["AUDIT_PAGE_WEIGHT_BUDGET"] == 6
    bandwidth = build_bandwidth(run, pages, resources, findings)
    assert bandwidth.budget_bytes == 6 * 1024
    heavy = {_path(p.url) for p in bandwidth.pages if p.bytes > 6 * 1024}
    flagged = {_path(f.url) for f in findings if f.check_id == "page-weight"}
    assert flagged == heavy and "/launch.html" in flagged and len(flagged) < len(bandwidth.pages)


def test_the_demo_server_serves_like_a_real_server_so_clean_pages_stay_clean():
    from urllib.request import Request, urlopen

    def get(server, path, method="GET", gzip=True):
        headers = {"Accept-Encoding": "gzip"} if gzip else {}
        with urlopen(Request(server.base_url + path, method=method, headers=headers), timeout=30) as resp:
            return resp.status, {k.lower(): v for k, v in resp.headers.items()}, resp.read()

    with serve(DEMO_SITE) as server:
        _, h, body = get(server, "/css/site.css")
        assert h["content-encoding"] == "gzip" and h["cache-control"].startswith("public, max-age=")
        assert int(h["content-length"]) == len(body)
        _, h2, body2 = get(server, "/css/site.css", gzip=False)
        assert "content-encoding" not in h2 and len(body2) > len(body)
        _, head, empty = get(server, "/css/site.css", method="HEAD")
        assert empty == b"" and head["content-length"] == h["content-length"]
        _, h, _ = get(server, "/")
        assert h["content-encoding"] == "gzip" and h["cache-control"] == "no-cache"
        _, h, _ = get(server, "/img/hero.svg")
        assert h["content-encoding"] == "gzip" and h["content-type"] == "image/svg+xml"
        # The seeded exceptions of _server.json.
        _, h, body = get(server, "/js/launch-carousel.js")
        assert "content-encoding" not in h and h["cache-control"].startswith("public")
        _, h, body = get(server, "/media/launch-hero.png", method="HEAD")
        assert "cache-control" not in h and h["content-type"] == "image/png"
        assert server.count("/css/site.css") == 3 and server.count("/css/site.css", "HEAD") == 1


@pytest.mark.browser
def test_with_the_browser_script_loaded_files_count_and_displayed_sizes_are_used(tmp_path):
    """Resource Timing adds what a script loaded; the browser's layout shows an image displayed far smaller."""
    from empathy_audit.crawler.devserver import noise_png
    from tests.helpers import LOOPBACK_BROWSER_ARGS

    site = tmp_path / "site"
    (site / "img").mkdir(parents=True)
    (site / "img" / "wide.png").write_bytes(noise_png(800, 60, 1))
    (site / "img" / "by-script.png").write_bytes(noise_png(40, 40, 2))
    (site / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Scripted</title></head><body><main>'
        '<h1>Scripted</h1><img src="/img/wide.png" alt="A wide banner" style="width: 100px; height: auto">'
        '<p id="slot">Text.</p></main><script>var i = new Image(); i.alt = ""; i.src = "/img/by-script.png";'
        ' document.getElementById("slot").appendChild(i);</script></body></html>'
    )
    db = tmp_path / "h.db"
    with serve(str(site)) as server:
        res = run_cli("crawl", server.base_url + "/", "--browsers", "1", "--no-screenshots",
                      *[f"--browser-arg={a}" for a in LOOPBACK_BROWSER_ARGS], "--out", str(tmp_path / "out"),
                      "--db", str(db), timeout=300)
    assert res.code == 0, res.stderr
    run, pages, findings, resources = _load(db)
    (page,) = [p for p in pages if _path(p.url) == "/"]
    assert page.browser["audited"] and "resources" not in page.browser
    rows = {_path(r.url): r for r in resources}
    scripted = rows["/img/by-script.png"]
    assert scripted.found_via == "browser" and scripted.in_weight and scripted.type == "image"
    assert scripted.bytes == (site / "img" / "by-script.png").stat().st_size
    bandwidth = build_bandwidth(run, pages, resources, findings)
    assert bandwidth.pages[0].type_bytes("image") == sum(
        (site / "img" / n).stat().st_size for n in ("wide.png", "by-script.png"))
    (oversized,) = [f for f in findings if f.check_id == "oversized-image"]
    assert oversized.data["needed_width"] == 175  # shown 100 CSS px wide, at the phone's 1.75 pixel ratio
