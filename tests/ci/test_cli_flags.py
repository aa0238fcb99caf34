"""The crawl's input flags as a user runs them: --urls, --ignore-check, --exclude-selector, --db, --format, -q, and a
closed stdout. Static crawls (--no-browser) on fixture sites served on 127.0.0.1; the browser side of these flags is
in tests/browser/test_browser_flags.py."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from empathy_audit.crawler.devserver import serve
from tests.helpers import FIXTURE_SITES, ROOT, run_cli

CRAWL_SITE = FIXTURE_SITES / "crawl"


def _report(out: Path) -> dict:
    return json.loads((out / "report.json").read_text(encoding="utf-8"))


def _paths(report: dict) -> set[str]:
    return {p["url"].split("/", 3)[3] for p in report["pages"]}


def _static(tmp_path: Path, *args: str, **kw) -> tuple:
    tmp_path.mkdir(parents=True, exist_ok=True)  # --db's folder must exist (empathy-audit makes none but --out)
    out = tmp_path / "out"
    res = run_cli("crawl", *args, "--db", str(tmp_path / "h.db"), "--out", str(out), "--no-browser", **kw)
    return res, out


# --- --urls ---------------------------------------------------------------------------------------------------------


def test_urls_audits_exactly_the_listed_pages(tmp_path):
    with serve(str(CRAWL_SITE)) as srv:
        b = srv.base_url
        listing = tmp_path / "pages.txt"
        listing.write_text(f"# the pages to audit\n\n{b}/orphan.html\n  {b}/blog/\n{b}/orphan.html#again\n"
                           f"{b}/report.pdf\n", encoding="utf-8")
        res, out = _static(tmp_path, "--urls", str(listing))
        requested = [path for _method, path in srv.requests]
    assert res.code == 0, res.stderr
    assert "Traceback" not in res.stderr
    assert f"Auditing 3 URLs from {listing}" in res.stderr
    report = _report(out)
    assert _paths(report) == {"orphan.html", "blog/", "report.pdf"}  # the same page listed twice is audited once
    # No link followed (index.html and the blog's posts are linked), no sitemap read, robots.txt asked once.
    assert sorted(requested) == sorted(["/robots.txt", "/orphan.html", "/blog/", "/report.pdf"])
    assert all(p["found_via"] == "list" for p in report["pages"])


def test_urls_from_standard_input_and_without_a_start_url(tmp_path):
    with serve(str(CRAWL_SITE)) as srv:
        proc = subprocess.run(
            [sys.executable, "-m", "empathy_audit.crawler.cli", "crawl", "--urls", "-", "--db", str(tmp_path / "h.db"),
             "--out", str(tmp_path / "out"), "--no-browser", "-q"],
            input=f"{srv.base_url}/target.html\n", cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert _paths(_report(tmp_path / "out")) == {"target.html"}


def test_a_long_list_is_not_cut_short_by_the_default_page_cap(tmp_path):
    """With --urls the default --max-pages is the list's length (the crawl's default is 500)."""
    def page(req):
        body = f"<!doctype html><html lang=en><title>{req.path}</title><h1>{req.path}</h1></html>".encode()
        req.send_response(200)
        req.send_header("Content-Type", "text/html")
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    n = 520
    with serve(None, routes={"*": page}) as srv:
        listing = tmp_path / "many.txt"
        listing.write_text("\n".join(f"{srv.base_url}/case/{i}.html" for i in range(n)), encoding="utf-8")
        res, out = _static(tmp_path, "--urls", str(listing), "--no-media", "--concurrency", "8", "-q")
        capped, capped_out = _static(tmp_path / "capped", "--urls", str(listing), "--no-media", "--max-pages", "3",
                                     "-q")
    assert res.code == 0, res.stderr
    assert _report(out)["summary"]["html_pages_audited"] == n
    assert capped.code == 0, capped.stderr
    assert _paths(_report(capped_out)) == {"case/0.html", "case/1.html", "case/2.html"}  # the first N, in order


def test_urls_in_the_config_file(tmp_path):
    with serve(str(CRAWL_SITE)) as srv:
        (tmp_path / "empathy-audit.toml").write_text(f'urls = ["{srv.base_url}/target.html"]\n', encoding="utf-8")
        res = run_cli("crawl", "--db", str(tmp_path / "h.db"), "--out", str(tmp_path / "out"), "--no-browser", "-q",
                      cwd=tmp_path)
    assert res.code == 0, res.stderr
    assert _paths(_report(tmp_path / "out")) == {"target.html"}


def test_bad_url_lists_are_one_sentence_naming_the_file_and_line(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing yet\n\n", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text("https://example.com/ok\n# fine\nftp://example.com/file\n", encoding="utf-8")
    cases = {
        str(tmp_path / "missing.txt"): f"--urls {tmp_path / 'missing.txt'}: there is no such file.",
        str(empty): f"{empty} lists no URL (one a line; blank lines and # comments are skipped).",
        str(bad): f"{bad} line 3: 'ftp://example.com/file' is not an http:// or https:// URL",
    }
    for path, sentence in cases.items():
        res, _ = _static(tmp_path, "--urls", path)
        assert res.code == 2, res.stderr
        assert res.stderr.startswith("empathy-audit: " + sentence), res.stderr
        assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.stderr
    assert not (tmp_path / "h.db").exists()  # nothing was started
    both, _ = _static(tmp_path, "https://example.com/", "--urls", str(bad))
    assert both.code == 2 and "not both" in both.stderr


# --- --ignore-check and --exclude-selector on the static, crawl and media audits -------------------------------------

_SCOPE_PAGE = """<!doctype html>
<html lang="en"><head><title>Scope</title></head>
<body><main>
<h1>Our shop</h1>
<img src="/photo.png" id="outside-img" width="10" height="10">
<p><a href="/more.html">click here</a> and <a href="/gone-outside.html">our old catalogue</a>.</p>
<div id="widget">
  <p>Chat with us</p>
  <img src="/widget.png" id="inside-img" width="10" height="10">
  <a href="/gone-inside.html">The widget's help page</a>
</div>
</main></body></html>
"""
_MORE_PAGE = '<!doctype html><html lang="en"><head><title>More</title></head><body><main><h1>More</h1></main></body></html>'


def _found(report: dict) -> set[tuple[str, str]]:
    """(check id, selector) of every element of every fix."""
    return {(fix["check_id"], el["selector"]) for fix in report["fixes"] for page in fix["pages"]
            for el in page["elements"]}


def _scope_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(_SCOPE_PAGE, encoding="utf-8")
    (site / "more.html").write_text(_MORE_PAGE, encoding="utf-8")
    return site


def test_ignored_checks_and_excluded_elements_are_not_reported(tmp_path):
    site = _scope_site(tmp_path)
    with serve(str(site)) as srv:
        plain, plain_out = _static(tmp_path / "plain", srv.base_url + "/", "-q")
        scoped, scoped_out = _static(tmp_path / "scoped", srv.base_url + "/", "-q", "--exclude-selector", "#widget",
                                     "--ignore-check", "link-text-generic,page-has-heading-one")
    assert plain.code == 0 and scoped.code == 0, plain.stderr + scoped.stderr
    before, after = _found(_report(plain_out)), _found(_report(scoped_out))
    checks_before = {c for c, _ in before}
    assert {"image-alt", "link-text-generic", "broken-link"} <= checks_before  # what the flags take away is there
    assert "link-text-generic" not in {c for c, _ in after}
    assert {s for c, s in before if c == "image-alt"} == {"#outside-img", "#inside-img"}
    assert {s for c, s in after if c == "image-alt"} == {"#outside-img"}
    # broken links: the one inside the widget (its finding arrives with the 404 page, after index.html was stored)
    assert len([s for c, s in before if c == "broken-link"]) == 2
    assert [s for c, s in after if c == "broken-link"] == [s for c, s in before if c == "broken-link"
                                                           and "widget" not in s and s.endswith("a:nth-of-type(2)")]
    run = _report(scoped_out)["run"]
    assert run["ignored_checks"] == ["link-text-generic", "page-has-heading-one"]
    assert run["excluded_selectors"] == ["#widget"]
    assert _report(plain_out)["run"]["ignored_checks"] == []
    # The reader of the HTML report is told what was left out on request.
    coverage = " ".join((scoped_out / "report.html").read_text("utf-8").split())
    assert ("Not checked, on request (<code>--ignore-check</code>): <code>link-text-generic</code>, "
            "<code>page-has-heading-one</code>.") in coverage
    assert "elements matching <code>#widget</code>, and everything inside them" in coverage
    assert "on request" not in (plain_out / "report.html").read_text("utf-8")


def test_ignore_check_and_exclude_selector_in_the_config_file(tmp_path):
    site = _scope_site(tmp_path)
    (tmp_path / "empathy-audit.toml").write_text('ignore-check = ["link-text-generic"]\n'
                                                 'exclude-selector = ["#widget"]\n', encoding="utf-8")
    with serve(str(site)) as srv:
        res = run_cli("crawl", srv.base_url + "/", "--db", str(tmp_path / "h.db"), "--out", str(tmp_path / "out"),
                      "--no-browser", "-q", cwd=tmp_path)
    assert res.code == 0, res.stderr
    found = _found(_report(tmp_path / "out"))
    assert "link-text-generic" not in {c for c, _ in found} and ("image-alt", "#inside-img") not in found
    assert ("image-alt", "#outside-img") in found


def test_unknown_checks_and_bad_selectors_are_one_sentence(tmp_path):
    cases = [
        (("--ignore-check", "image-alts"), "--ignore-check: there is no check or axe-core rule 'image-alts' (did you "
                                           "mean 'image-alt'"),
        (("--ignore-check", "link-name,colour-contrast"), "--ignore-check: there is no check or axe-core rule "
                                                           "'colour-contrast' (did you mean 'color-contrast'"),
        (("--exclude-selector", "#widget["), "--exclude-selector '#widget[' is not a valid CSS selector"),
        (("--exclude-selector", ""), "--exclude-selector is empty"),
        (("--axe-script", str(tmp_path / "nope.js")), f"--axe-script {tmp_path / 'nope.js'}: there is no such file."),
        (("--chromium", str(tmp_path / "nope")), f"--chromium {tmp_path / 'nope'}: there is no such file"),
        (("--chromedriver", str(ROOT / "README.md")), f"--chromedriver {ROOT / 'README.md'}: this is not an "
                                                      "executable file"),
    ]
    not_axe = tmp_path / "not-axe.js"
    not_axe.write_text("console.log('hello');\n", encoding="utf-8")
    cases.append((("--axe-script", str(not_axe)), f"--axe-script {not_axe}: this does not look like axe-core"))
    for args, sentence in cases:
        browser = () if args[0] in ("--chromium", "--chromedriver") else ("--no-browser",)
        res = run_cli("crawl", "http://127.0.0.1:9/", *args, *browser, "--db", str(tmp_path / "h.db"),
                      "--out", str(tmp_path / "out"))
        assert res.code == 2, (args, res.stderr)
        assert res.stderr.startswith("empathy-audit: " + sentence), (args, res.stderr)
        assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.stderr
    assert not (tmp_path / "h.db").exists()  # refused before the run started
    bad_env = run_cli("crawl", "http://127.0.0.1:9/", "--db", str(tmp_path / "h.db"),
                      env={"EMPATHY_CHROMEDRIVER": str(tmp_path / "gone")})
    assert bad_env.code == 2 and f"$EMPATHY_CHROMEDRIVER {tmp_path / 'gone'}: there is no such file" in bad_env.stderr


# --- report formats, -q, --db "", a closed stdout ----------------------------------------------------------------


def test_format_adds_to_html_and_json_and_quiet_prints_only_the_paths(tmp_path):
    with serve(str(CRAWL_SITE)) as srv:
        res, out = _static(tmp_path, srv.base_url + "/target.html", "--no-sitemaps", "--max-pages", "1", "-q",
                           "--format", "sarif", "--format", "junit", "--format", "markdown")
    assert res.code == 0, res.stderr
    written = {Path(line).name for line in res.stdout.splitlines()}
    assert written == {"report.html", "report.json", "report.sarif", "report.junit.xml", "summary.md"}
    assert (out / "report.html").is_file() and "report.html" in (out / "summary.md").read_text(encoding="utf-8")
    assert res.stderr == ""  # -q: no progress, no "Crawling ...", no Scrapy log line (such as "Disabled ...")


def test_switching_engines_off_is_not_reported_as_something_disabled(tmp_path):
    with serve(str(CRAWL_SITE)) as srv:
        res, _ = _static(tmp_path, srv.base_url + "/target.html", "--no-sitemaps", "--max-pages", "1", "--no-media")
    assert res.code == 0, res.stderr
    assert "Disabled" not in res.stderr and "AUDIT_" not in res.stderr  # the user asked: nothing internal to say
    assert "fixes to make" in res.stderr  # the summary line is still there


def test_an_empty_db_is_one_sentence_for_every_command(tmp_path):
    sentence = ("empathy-audit: --db is empty (an unset variable?): give a file path or a postgresql:// URL, or leave "
                "--db out to use .empathy-audit/history.db.\n")
    for args in (("crawl", "http://127.0.0.1:9/", "--no-browser"), ("report", "latest"), ("history",),
                 ("baseline", "save", "--file", str(tmp_path / "b.json"))):
        res = run_cli(*args, "--db", "", cwd=tmp_path)
        assert (res.code, res.stderr, res.stdout) == (2, sentence, ""), args
    assert list(tmp_path.iterdir()) == []  # no database, no report, no baseline file


def _closed_stdout(*args: str) -> tuple[int, str]:
    """Run the CLI with a stdout whose reader has already gone (as `| head -1` leaves it), returning (code, stderr)."""
    proc = subprocess.Popen([sys.executable, "-m", "empathy_audit.crawler.cli", *args], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.stdout.close()
    err = proc.stderr.read()
    return proc.wait(timeout=120), err


def test_a_closed_stdout_is_not_an_error(tmp_path):
    from empathy_audit.crawler.store import open_store

    db = str(tmp_path / "h.db")
    store = open_store(db)
    for _ in range(3):
        store.finish_run(store.start_run("http://example.com", "http://example.com/", {}, {}), "finished")
    store.close()
    for args in (("checks",), ("checks", "explain", "image-alt"), ("history", "--db", db),
                 ("history", "--db", db, "--json"), ("--help",)):
        code, err = _closed_stdout(*args)
        assert (code, err) == (0, ""), (args, err)
    head = subprocess.run(f"'{sys.executable}' -m empathy_audit.crawler.cli checks | head -1; "
                          "echo \"exit ${PIPESTATUS[0]}\"", shell=True, executable="/bin/bash", cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert head.stdout.splitlines()[-1] == "exit 0" and len(head.stdout.splitlines()) == 2 and head.stderr == ""
