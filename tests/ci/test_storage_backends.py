"""One Store, two backends: every test here runs against a SQLite file and a real PostgreSQL server (loopback,
started by the test session), and the CLI writes and reads a postgresql:// history like a CI job does."""

from __future__ import annotations

import copy
import json
from dataclasses import FrozenInstanceError, asdict, replace

import pytest

from empathy_audit.audits.model import Finding, Outcome, Severity
from empathy_audit.crawler.cli import main
from empathy_audit.crawler.devserver import serve
from empathy_audit.crawler.secrets import register_secret
from empathy_audit.crawler.store import (
    FindingRecord,
    PageRecord,
    RunRecord,
    Store,
    StoreError,
    open_store,
)
from empathy_audit.crawler.store.migrate import head
from empathy_audit.crawler.store.records import (
    Referrer,
    float_or_none,
    int_or_none,
    outcome_of,
    severity_of,
)
from tests.helpers import FIXTURE_SITES, run_cli

PAGE = {"url": "https://s.example/", "final_url": "https://s.example/", "status": 200, "content_type": "text/html",
        "depth": 0, "found_via": "start", "title": "Home", "redirect_chain": [], "headers": {"etag": "x"},
        "browser": {"audited": True}, "fetched_at": 1700000000.123456, "sitemap_priority": 0.8}


def _finding(url: str, check: str, severity: Severity, outcome: Outcome = Outcome.FAIL) -> Finding:
    return Finding(check_id=check, url=url, selector="img", snippet="<img>", message="no alt", severity=severity,
                   outcome=outcome, sources=("static",), data={"n": 1})


def _fill(store: Store, site: str = "https://s.example") -> int:
    run = store.start_run(site, site + "/", {"AUDIT_MAX_PAGES": 5}, {"scrapy": "2"})
    store.add_page(run, PAGE, [_finding(PAGE["url"], "image-alt", Severity.CRITICAL),
                               _finding(PAGE["url"], "image-alt", Severity.CRITICAL),
                               _finding(PAGE["url"], "link-name", Severity.SERIOUS),
                               _finding(PAGE["url"], "lang", Severity.MINOR, Outcome.REVIEW)],
                   ["https://s.example/a", "https://s.example/a"])
    store.add_page(run, {**PAGE, "url": "https://s.example/a", "final_url": "https://s.example/a", "depth": 1,
                         "found_via": "link", "referrer": PAGE["url"], "browser": None}, [])
    store.add_findings(run, [_finding("https://s.example/a", "color-contrast", Severity.MODERATE)])
    store.finish_run(run, "finished", {"audit/pages_stored": 2}, {"axe_core": "4.10"})
    return run


def test_schema_and_migrations(db_url):
    store = open_store(db_url)
    store.close()
    store = open_store(db_url)  # reopening migrates nothing twice
    assert store.schema_version() == head() == "0004"
    assert store.run_ids() == []
    assert copy.deepcopy({"AUDIT_STORE": store})["AUDIT_STORE"] is store  # Scrapy's settings copies share it
    store.close()


def test_a_run_round_trips_identically(db_url):
    store = Store(db_url)
    run_id = _fill(store)
    run, pages, findings = store.load_run(run_id)
    assert isinstance(run, RunRecord) and all(isinstance(p, PageRecord) for p in pages)
    assert run.status == "finished" and run.settings == {"AUDIT_MAX_PAGES": 5}
    assert run.versions == {"scrapy": "2", "axe_core": "4.10"} and run.stats == {"audit/pages_stored": 2}
    assert [p.url for p in pages] == ["https://s.example/", "https://s.example/a"]
    home, a = pages
    assert home.fetched_at == PAGE["fetched_at"] and home.sitemap_priority == 0.8 and home.redirect_chain == ()
    assert home.headers == {"etag": "x"} and home.browser == {"audited": True} and a.browser is None
    assert a.inbound_links == 1 and home.inbound_links == 0 and a.referrer == PAGE["url"]
    assert [(f.check_id, f.severity, f.outcome) for f in findings] == [
        ("image-alt", Severity.CRITICAL, Outcome.FAIL), ("image-alt", Severity.CRITICAL, Outcome.FAIL),
        ("link-name", Severity.SERIOUS, Outcome.FAIL), ("lang", Severity.MINOR, Outcome.REVIEW),
        ("color-contrast", Severity.MODERATE, Outcome.FAIL)]
    assert findings[0].sources == ("static",) and findings[0].data == {"n": 1}
    assert findings[0].sources is findings[1].sources and findings[0].check_id is findings[1].check_id  # shared
    # Records are read by attribute only: no dict-style bridge.
    assert not hasattr(run, "get") and not hasattr(findings[0], "keys")
    with pytest.raises(TypeError):
        run["status"]
    # A page stored again replaces the first copy (an upsert on both backends).
    store.add_page(run_id, {**PAGE, "title": "Home again"}, [])
    _, pages, _ = store.load_run(run_id)
    assert [p.title for p in pages] == ["Home again", "Home"]
    store.close()


def test_run_summaries_for_history(db_url):
    store = Store(db_url)
    first = _fill(store)
    other = store.start_run("https://other.example", "https://other.example/", {}, {})
    second = _fill(store)
    rows = store.run_summaries()
    assert [r["id"] for r in rows] == [second, other, first]
    row = rows[0]
    assert (row["pages"], row["audited"], row["problems"]) == (2, 2, 3)  # distinct failing checks
    assert (row["critical"], row["serious"], row["moderate"], row["minor"]) == (2, 1, 1, 0)
    assert rows[1]["status"] == "running" and rows[1]["pages"] == 0
    assert [r["id"] for r in store.run_summaries(site="https://s.example")] == [second, first]
    assert [r["id"] for r in store.run_summaries(limit=1)] == [second]
    store.close()


def test_media_resources_use_the_same_sql_on_both(db_url):
    store = Store(db_url)
    run = store.start_run("https://s.example", "https://s.example/", {}, {})
    res = {"url": "https://s.example/a.png", "status": 200, "content_type": "image/png", "bytes": 10, "measured": True}
    link = {"resource_url": "https://s.example/a.png", "type": "image", "found_via": "html", "in_weight": True}
    store.add_page_resources(run, "https://s.example/", [res], [link, link])
    store.add_page_resources(run, "https://s.example/", [{**res, "bytes": 20}], [link])
    rows = store.load_resources(run)
    assert [(r.url, r.bytes, r.measured, r.type) for r in rows] == [("https://s.example/a.png", 20, True, "image")]
    store.close()


def test_sitemap_priorities_apply_to_the_runs_stored_pages_on_both(db_url):
    store = Store(db_url)
    first = _fill(store)
    run = _fill(store)
    store.set_sitemap_priorities(run, {"https://s.example/a": 0.9, "https://s.example/": 0.2,
                                       "https://s.example/never-crawled": 1.0})
    store.set_sitemap_priorities(run, {})
    assert {p.url: p.sitemap_priority for p in store.load_run(run).pages} == {
        "https://s.example/": 0.2, "https://s.example/a": 0.9}
    assert {p.url: p.sitemap_priority for p in store.load_run(first).pages} == {
        "https://s.example/": 0.8, "https://s.example/a": 0.8}  # another run is untouched
    store.close()


def test_secrets_never_reach_the_database(db_url):
    register_secret("db-S3cret-value")
    store = Store(db_url)
    run = store.start_run("https://s.example", "https://s.example/", {"AUDIT_X": "db-S3cret-value"}, {})
    store.add_page(run, {**PAGE, "title": "hello db-S3cret-value"}, [])
    store.set_run_settings(run, {"AUDIT_DB": "postgresql://u:db-S3cret-value@h/d"})
    store.set_run_stat(run, "note", "db-S3cret-value")
    store.add_findings(run, [_finding(PAGE["url"] + "?t=db-S3cret-value", "image-alt", Severity.CRITICAL)])
    run_row, pages, found = store.load_run(run)
    assert "db-S3cret-value" not in json.dumps(asdict(run_row)) and pages[0].title == "hello ********"
    assert found[0].url == PAGE["url"] + "?t=********" and run_row.stats == {"note": "********"}
    store.close()


def test_postgres_errors_are_one_sentence_without_the_password(pg_server):
    with pytest.raises(StoreError) as exc:
        Store(f"postgresql://postgres:pg-S3cret@127.0.0.1:{pg_server.port}/no_such_db")
    assert "pg-S3cret" not in str(exc.value) and "********" in str(exc.value)
    assert str(exc.value).startswith("Cannot open the history database postgresql://postgres:********@127.0.0.1")


def test_crawl_and_history_on_postgresql_like_a_ci_job(pg_server, tmp_path):
    db = pg_server.url(pg_server.new_database(), password="pg-S3cret")  # trust auth: any password works
    with serve(str(FIXTURE_SITES / "crawl")) as srv:
        res = run_cli("crawl", srv.base_url + "/", "--db", db, "--out", str(tmp_path / "out"), "--no-browser",
                      "--max-pages", "5")
    assert res.code == 0, res.stderr
    assert "pg-S3cret" not in res.stderr + res.stdout
    res = run_cli("history", "--db", db)
    assert res.code == 0, res.stderr
    lines = res.stdout.splitlines()
    assert lines[0].split()[:5] == ["run", "date", "(UTC)", "status", "pages"]
    assert lines[1].split()[0] == "1" and " finished " in lines[1] and srv.base_url in lines[1]
    store = Store(db)
    run, pages, _ = store.load_run(1)
    store.close()
    assert len(pages) == 5 and "pg-S3cret" not in json.dumps(run.settings)
    assert run.settings["AUDIT_DB"].startswith("postgresql://postgres:********@")
    for path in (tmp_path / "out").rglob("*"):
        if path.is_file():
            assert b"pg-S3cret" not in path.read_bytes()
    res = run_cli("report", "latest", "--db", db, "--out", str(tmp_path / "again"))
    assert res.code == 0 and res.stdout.strip().endswith("report.json")


def test_history_command_on_sqlite(tmp_path, capsys):
    db = str(tmp_path / "h.db")
    store = Store(db)
    _fill(store)
    _fill(store, "https://other.example")
    store.close()
    assert main(["history", "--db", db]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["run", "date", "(UTC)", "status", "pages", "fixes", "critical", "serious",
                              "moderate", "minor", "to", "check", "score", "site"]
    # No report was written for these runs: nothing counted as the reports count, no impact score recorded.
    assert out[1].split()[-1] == "https://other.example"
    assert out[1].split()[3:12] == ["finished", "2", "-", "-", "-", "-", "-", "-", "-"]
    assert main(["history", "--db", db, "--site", "https://s.example/", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["site"] for r in rows] == ["https://s.example"] and rows[0]["fixes"] is None
    assert main(["history", "--db", str(tmp_path / "none.db")]) == 2
    assert "there is no history database" in capsys.readouterr().err


def test_set_run_stat_keeps_the_other_stats(db_url):
    store = open_store(db_url)
    run = _fill(store)
    store.set_run_stat(run, "report/impact_score", 12.5)
    assert store.get_run(run).stats == {"audit/pages_stored": 2, "report/impact_score": 12.5}
    with pytest.raises(StoreError, match="There is no run 99"):
        store.set_run_stat(99, "x", 1)
    store.close()


def test_link_state_is_shared_by_two_stores_on_one_run(db_url):
    """Two processes crawling one run: a link stored by one is settled by the other when it fetches the target."""
    first, second = open_store(db_url), open_store(db_url)
    run = first.start_run("https://s.example", "https://s.example/", {}, {})
    gone, ok = "https://s.example/gone", "https://s.example/ok"
    facts = first.settle_links(run, "https://s.example/", 200, False,
                               [(gone, "a:nth-of-type(1)", "<a>gone</a>"), (gone, "a:nth-of-type(2)", "<a>2</a>"),
                                (ok, "a.ok", "<a>ok</a>")], max_waiting=200)
    assert facts.broken == {} and facts.fine == frozenset() and facts.waiting == []
    assert second.settle_links(run, ok, 200, False, [], 200).waiting == []
    facts = second.settle_links(run, gone, 404, True, [], 200)
    assert [(r.page_url, r.selector) for r in facts.waiting] == [
        ("https://s.example/", "a:nth-of-type(1)"), ("https://s.example/", "a:nth-of-type(2)")]
    assert second.settle_links(run, gone, 404, True, [], 200).waiting == []  # handed over once
    facts = first.settle_links(run, "https://s.example/b", 200, False,
                               [(gone, "a", "<a>"), (ok, "a", "<a>"), ("https://s.example/c", "a", "<a>")], 1)
    assert facts.broken == {gone: 404} and facts.fine == frozenset({ok})
    first.settle_links(run, "https://s.example/d", 200, False, [("https://s.example/c", "b", "<b>")], 1)
    assert second.settle_links(run, "https://s.example/c", 500, True, [], 1).waiting == [
        Referrer("https://s.example/b", "a", "<a>")]  # at most max_waiting links wait for one target
    first.close()
    second.close()


def test_a_measurement_is_kept_once_per_run(db_url):
    store = open_store(db_url)
    run = store.start_run("https://s.example", "https://s.example/", {}, {})
    url = "https://s.example/a.png"
    other = "https://s.example/b.png"
    assert store.measurements(run, [url, other]) == {}
    store.add_measurements(run, {url: {"url": url, "bytes": 10, "info": {"format": "png"}}})
    store.add_measurements(run, {url: {"url": url, "bytes": 99}})  # the first one stays
    # Written with a page's resources, in the same transaction.
    store.add_page_resources(run, "https://s.example/", [], [], {other: {"url": other, "bytes": 5}})
    assert store.measurements(run, [url, other]) == {url: {"url": url, "bytes": 10, "info": {"format": "png"}},
                                                     other: {"url": other, "bytes": 5}}
    assert store.measurements(run + 1, [url]) == {}
    store.close()


def test_unusable_databases_are_one_sentence(tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database, just some text" * 100)
    with pytest.raises(StoreError) as exc:
        open_store(str(junk))
    assert str(exc.value) == f"Cannot open the history database {junk}: file is not a database."
    with pytest.raises(StoreError) as exc:
        open_store("mysql://u:pw-S3cret@h/db")
    assert str(exc.value) == ("The history database mysql://u:********@h/db has an unknown scheme (mysql://): give a "
                              "file path, a sqlite:/// URL or a postgresql:// URL.")
    store = open_store(f"sqlite:///{tmp_path}/by-url.db")  # sqlite:/// + an absolute path
    store.close()
    assert (tmp_path / "by-url.db").exists()


def test_stored_values_are_read_the_way_records_hold_them():
    assert (severity_of("bogus"), severity_of("critical")) == (Severity.MODERATE, Severity.CRITICAL)
    assert (outcome_of(None), outcome_of("needs-review"), outcome_of("?")) == (Outcome.FAIL, Outcome.REVIEW,
                                                                                Outcome.ERROR)
    assert (int_or_none("200"), int_or_none("x"), float_or_none("nan"), float_or_none("0.5")) == (200, None, None, 0.5)
    f = FindingRecord(check_id="x", url="u", selector="", snippet="", message="", severity=Severity.MODERATE,
                      outcome=Outcome.FAIL, sources=("a",), data={})
    g = replace(f, url="v")  # a changed copy: records are frozen
    assert (f.url, g.url, g.check_id) == ("u", "v", "x")
    with pytest.raises(FrozenInstanceError):
        f.url = "w"  # type: ignore[misc]


def test_report_latest_is_the_newest_run_that_is_not_still_running(tmp_path):
    db = str(tmp_path / "h.db")
    store = Store(db)
    finished = _fill(store)
    store.start_run("https://s.example", "https://s.example/", {}, {})  # a crawl still going (this process owns it)
    store.close()
    res = run_cli("report", "latest", "--db", db, "--out", str(tmp_path / "out"))
    assert res.code == 0, res.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text("utf-8"))
    assert report["run"]["id"] == finished and report["run"]["status"] == "finished"
