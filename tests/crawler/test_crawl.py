"""The crawl, as a user runs it: what gets fetched, recorded and skipped, and what a bad start URL says."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from empathy_audit.crawler.devserver import serve
from empathy_audit.crawler.store import Store
from empathy_audit.crawler.urls import BadURL, canonicalize, validate_start_url
from tests.helpers import FIXTURE_SITES, ROOT, run_cli

CRAWL_SITE = str(FIXTURE_SITES / "crawl")


def _redirect(to: str):
    def handler(req):
        req.send_response(301)
        req.send_header("Location", to)
        req.send_header("Content-Length", "0")
        req.end_headers()

    return handler


def _crawl(tmp_path, *extra: str, routes=None, site=CRAWL_SITE):
    db = tmp_path / "h.db"
    with serve(site, routes=routes or {"/moved.html": _redirect("/target.html")}) as srv:
        res = run_cli("crawl", srv.base_url + "/", "--db", str(db), "--out", str(tmp_path / "out"), "--no-browser",
                      *extra)
        requests = list(srv.requests)
        base = srv.base_url
    store = Store(str(db))
    run_id = store.run_ids()[-1]
    run, pages, findings = store.load_run(run_id)
    store.close()
    return res, base, run, {p.url.removeprefix(base): p for p in pages}, findings, requests


def test_canonical_urls_drop_fragments_and_tracking_but_keep_real_parameters():
    assert canonicalize("HTTP://Example.COM:80/a?utm_source=x&id=3&gclid=9#top") == "http://example.com/a?id=3"
    assert canonicalize("https://example.com") == "https://example.com/"
    assert canonicalize("https://example.com/p?fbclid=1") == "https://example.com/p"


@pytest.mark.parametrize(
    "bad, says",
    [
        ("ftp://example.com/", "not an http:// or https:// URL"),
        ("http://", "has no host name"),
        ("", "No URL was given"),
        ("http://example.com:99999/", "not a valid URL"),
        ("http://exa mple.com/", "not a valid URL"),
    ],
)
def test_invalid_start_urls_are_refused_in_one_sentence(bad, says):
    with pytest.raises(BadURL, match=says):
        validate_start_url(bad)


def test_crawl_records_every_page_once_with_status_type_and_depth(tmp_path):
    res, base, run, pages, findings, requests = _crawl(tmp_path)
    assert res.code == 0, res.stderr
    assert run.status == "finished"
    # The post is linked with a fragment, with utm_ tags and plainly: one page, fetched once.
    assert "/blog/post.html" in pages
    assert sum(1 for m, p in requests if p.startswith("/blog/post.html") and "page=2" not in p) == 1
    assert "/blog/post.html?page=2" in pages  # a real query parameter is a different page
    # Sitemaps: /sitemap.xml and the robots.txt sitemap index both seed pages no link reaches.
    assert pages["/orphan.html"].found_via == "sitemap"
    assert pages["/nested-orphan.html"].found_via == "sitemap"
    assert pages["/nested-orphan.html"].sitemap_priority == 0.3
    assert pages["/orphan.html"].sitemap_priority == 0.5  # listed with ?utm_campaign=: the same page
    # robots.txt is obeyed; other hosts and mailto: are never fetched.
    assert pages["/private/hidden.html"].error == "blocked by robots.txt"
    assert pages["/private/hidden.html"].status is None
    assert not any(p.startswith("/private/") for _, p in requests)
    assert not any("elsewhere" in u for u in pages)
    # Non-HTML, broken and redirected URLs are recorded as pages.
    assert pages["/report.pdf"].content_type.startswith("application/pdf")
    assert pages["/gone.html"].status == 404
    assert pages["/moved.html"].status == 200
    assert pages["/moved.html"].final_url == base + "/target.html"
    assert pages["/"].depth == 0 and pages["/blog/"].depth == 1
    assert pages["/blog/"].inbound_links == 1
    # The 404 is a finding on each page that links to it, on the link itself.
    broken = sorted((f.url.removeprefix(base), f.selector) for f in findings if f.check_id == "broken-link")
    assert [u for u, _ in broken] == ["/", "/blog/"]
    assert all(s.endswith("a:nth-of-type(6)") or s.endswith("a:nth-of-type(3)") for _, s in broken)
    # The summary tells the user what happened and where the report is.
    assert "HTML pages audited" in res.stderr
    assert res.stdout.strip().splitlines()[0].endswith("report.html")


def test_sitemap_priority_is_kept_whichever_way_a_page_was_found_first(tmp_path):
    """The start page is found as the start URL, before any sitemap is read; /deep/1.html is linked from it and
    listed in a sitemap served only after a delay: both still get the <priority> the sitemaps give them."""
    delayed_sitemap = (
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>{base}/deep/1.html</loc><priority>0.9</priority></url>"
        "<url><loc>http://elsewhere.example/</loc><priority>1.0</priority></url></urlset>"
    )

    def slow_sitemap(req):
        time.sleep(1.5)  # the links of / are followed long before this answers
        body = delayed_sitemap.format(base=f"http://{req.headers['Host']}").encode()
        req.send_response(200)
        req.send_header("Content-Type", "application/xml")
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    res, _, _, pages, _, _ = _crawl(tmp_path, routes={"/sitemap.xml": slow_sitemap})
    assert res.code == 0, res.stderr
    assert pages["/"].found_via == "start" and pages["/"].sitemap_priority == 1.0
    assert pages["/deep/1.html"].found_via == "link" and pages["/deep/1.html"].sitemap_priority == 0.9
    assert pages["/nested-orphan.html"].found_via == "sitemap"
    assert pages["/nested-orphan.html"].sitemap_priority == 0.3
    assert pages["/blog/"].sitemap_priority is None  # in no sitemap
    assert not any("elsewhere" in u for u in pages)


def test_ignore_robots_crawls_disallowed_pages(tmp_path):
    res, _, _, pages, _, _ = _crawl(tmp_path, "--ignore-robots")
    assert res.code == 0, res.stderr
    assert pages["/private/hidden.html"].status == 200


def test_max_pages_max_depth_include_and_exclude(tmp_path):
    res, _, _, pages, _, _ = _crawl(tmp_path, "--max-pages", "3", "--no-sitemaps")
    assert res.code == 0, res.stderr
    assert len(pages) == 3 and "/" in pages

    res, _, _, pages, _, _ = _crawl(tmp_path, "--max-depth", "2", "--no-sitemaps")
    assert "/deep/2.html" in pages and "/deep/3.html" not in pages

    res, _, _, pages, _, _ = _crawl(tmp_path, "--include", r"/deep/", "--no-sitemaps")
    assert set(pages) == {"/", "/deep/1.html", "/deep/2.html", "/deep/3.html", "/deep/4.html", "/deep/5.html",
                          "/deep/6.html"}

    res, _, _, pages, _, _ = _crawl(tmp_path, "--exclude", r"/deep/", "--exclude", r"\.pdf$")
    assert not any(p.startswith("/deep/") for p in pages) and "/report.pdf" not in pages


def test_a_second_run_adds_a_run_and_keeps_the_first(tmp_path):
    _crawl(tmp_path)
    _crawl(tmp_path)
    store = Store(str(tmp_path / "h.db"))
    ids = store.run_ids()
    assert len(ids) == 2
    first = store.load_run(ids[0])
    second = store.load_run(ids[1])
    assert len(first[1]) == len(second[1]) > 5
    assert len(first[2]) == len(second[2]) > 0


def test_unreachable_host_says_so_in_one_sentence(tmp_path):
    res = run_cli("crawl", "http://127.0.0.1:9/", "--db", str(tmp_path / "h.db"), "--no-browser",
                  "--out", str(tmp_path / "o"))
    assert res.code == 2
    assert res.stderr.strip().splitlines()[-1] == (
        "empathy-audit: cannot reach http://127.0.0.1:9/: the server refused the connection."
    )
    assert "Traceback" not in res.stderr


def test_unknown_host_says_so(tmp_path):
    res = run_cli("crawl", "http://no-such-host.invalid/", "--db", str(tmp_path / "h.db"), "--no-browser")
    assert res.code == 2
    assert "does not resolve" in res.stderr and "Traceback" not in res.stderr


def test_bad_url_and_bad_flags_exit_2_without_traceback(tmp_path):
    res = run_cli("crawl", "ftp://example.com/", "--db", str(tmp_path / "h.db"), "--no-browser")
    assert res.code == 2 and "not an http:// or https:// URL" in res.stderr and "Traceback" not in res.stderr
    res = run_cli("crawl", "http://example.com/", "--max-pages", "zero")
    assert res.code == 2 and "is not a whole number" in res.stderr
    res = run_cli("crawl", "http://example.com/", "--include", "(unclosed")
    assert res.code == 2 and "not a valid regular expression" in res.stderr


def test_start_page_that_is_not_html(tmp_path):
    with serve(CRAWL_SITE) as srv:
        res = run_cli("crawl", srv.base_url + "/report.pdf", "--db", str(tmp_path / "h.db"), "--no-browser")
    assert res.code == 2
    assert "is not an HTML page (it is application/pdf)" in res.stderr and "Traceback" not in res.stderr


def test_site_that_blocks_everything_in_robots(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><html lang=en><title>x</title><h1>x</h1></html>")
    (site / "robots.txt").write_text("User-agent: *\nDisallow: /\n")
    with serve(str(site)) as srv:
        res = run_cli("crawl", srv.base_url + "/", "--db", str(tmp_path / "h.db"), "--no-browser")
        blocked_fetches = [p for _, p in srv.requests if p == "/"]
    assert res.code == 2
    assert "forbids crawling it" in res.stderr and "--ignore-robots" in res.stderr
    assert blocked_fetches == []


def test_start_page_404(tmp_path):
    with serve(CRAWL_SITE) as srv:
        res = run_cli("crawl", srv.base_url + "/nothing-here/", "--db", str(tmp_path / "h.db"), "--no-browser")
    assert res.code == 2 and "answered HTTP 404" in res.stderr


def test_a_site_that_never_ends_stops_at_the_page_cap(tmp_path):
    """Every page links to two new pages: the crawl must stop at --max-pages and report."""
    counter = {"n": 0}

    def endless(req):
        n = int(req.path.rsplit("/", 1)[-1] or 0)
        body = (f"<!doctype html><html lang=en><title>Page {n}</title><h1>Page {n}</h1>"
                f"<a href='/p/{2 * n + 1}'>next</a><a href='/p/{2 * n + 2}'>other</a></html>").encode()
        counter["n"] += 1
        req.send_response(200)
        req.send_header("Content-Type", "text/html")
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    class Routes(dict):
        def get(self, path, default=None):
            return endless if path.startswith("/p/") or path == "/" else default

    site = tmp_path / "empty"
    site.mkdir()
    with serve(str(site), routes=Routes()) as srv:
        res = run_cli("crawl", srv.base_url + "/p/0", "--db", str(tmp_path / "h.db"), "--no-browser",
                      "--max-pages", "25", "--no-sitemaps", "--out", str(tmp_path / "o"))
    assert res.code == 0, res.stderr
    assert counter["n"] == 25
    assert (tmp_path / "o" / "report.html").exists()


def test_ctrl_c_keeps_what_was_audited(tmp_path):
    """A slow site interrupted with Ctrl-C: exit 130, run marked interrupted, audited pages kept and reported."""

    def slow(req):
        time.sleep(0.4)
        n = int(req.path.rsplit("/", 1)[-1] or 0)
        body = (f"<!doctype html><html><title>Slow {n}</title><h1>Slow</h1>"
                f"<a href='/s/{n + 1}'>next</a></html>").encode()
        req.send_response(200)
        req.send_header("Content-Type", "text/html")
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    class Routes(dict):
        def get(self, path, default=None):
            return slow if path.startswith("/s/") else default

    site = tmp_path / "empty"
    site.mkdir()
    db = tmp_path / "h.db"
    with serve(str(site), routes=Routes()) as srv:
        proc = subprocess.Popen(
            [sys.executable, "-m", "empathy_audit.crawler.cli", "crawl", srv.base_url + "/s/0", "--db", str(db), "--no-browser",
             "--no-sitemaps", "--out", str(tmp_path / "o")],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        deadline = time.time() + 60
        while time.time() < deadline and len([r for r in srv.requests if r[1].startswith("/s/")]) < 5:
            time.sleep(0.1)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    store = Store(str(db))
    run, pages, findings = store.load_run(store.run_ids()[-1])
    assert run.status == "interrupted"
    assert len(pages) >= 3
    assert (tmp_path / "o" / "report.html").exists()
    # html-has-lang fires on every slow page: findings of the audited pages were kept
    assert {f.url for f in findings if f.check_id == "html-has-lang"} == {p.url for p in pages}


def test_grid_credentials_never_reach_the_history():
    from scrapy.settings import Settings

    from empathy_audit.crawler.storage_pipeline import audit_settings

    stored = audit_settings(Settings({"AUDIT_WEBDRIVER_URL": "https://user:s3cret@grid.example:4444/wd/hub"}))
    assert stored["AUDIT_WEBDRIVER_URL"] == "https://********@grid.example:4444/wd/hub"
    assert "s3cret" not in str(stored)


def test_checks_command_lists_and_explains_as_the_readme_says():
    listed = run_cli("checks")
    assert listed.code == 0 and "link-name" in listed.stdout and "document-title" in listed.stdout
    explained = run_cli("checks", "explain", "link-name")
    assert explained.code == 0
    assert explained.stdout.startswith("link-name: ") and "How to fix" in explained.stdout
    unknown = run_cli("checks", "explain", "no-such-check")
    assert unknown.code == 2
    assert unknown.stderr.strip() == "empathy-audit: there is no check 'no-such-check': 'empathy-audit checks' lists them."
