"""What the operator gives is checked before anything is fetched (issue #21 item 5): --db and --out (no folder made
but what was named), every problem of a config file at once, and the limits that cut a crawl short are said in the
terminal and kept in the run's stats."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from empathy_audit.crawler.devserver import serve
from tests.ci.staging import Recorder, send
from tests.helpers import run_cli

WIDE = 8  # the home page links to /p1 ... /p8; each /pN links to /pN/deeper


def _page(req: Any) -> None:
    """/ links to /p1 ... /p8 and /slow; /pN links to /pN/deeper; /slow (1.5 s) to /slow?n=2, then ?n=3, the end."""
    path, _, query = req.path.partition("?")
    if path == "/":
        links = "".join(f'<a href="/p{n}">Page {n}</a> ' for n in range(1, WIDE + 1)) + '<a href="/slow">Slow</a>'
    elif path == "/slow":
        time.sleep(1.5)
        n = int(query.partition("=")[2] or 1)
        links = f'<a href="/slow?n={n + 1}">Slower</a>' if n < 3 else ""
    elif path.count("/") == 1:
        links = f'<a href="{path}/deeper">Deeper</a>'
    else:
        links = ""
    send(req, 200, f"<!doctype html><html lang=en><title>{path}</title><main><h1>{path}</h1>{links}</main>"
                   f"</html>".encode())


@pytest.fixture
def site() -> Iterator[tuple[str, Recorder]]:
    log = Recorder()
    with serve(None, routes={"*": _page}, on_request=log) as server:
        yield server.base_url + "/", log


def _crawl(tmp_path: Path, url: str, *extra: str, **kw: Any):
    args = ["crawl", url, "--no-browser", "--no-sitemaps", "--ignore-robots", *extra]
    if "--db" not in extra:
        args += ["--db", str(tmp_path / "h.db")]
    if "--out" not in extra:
        args += ["--out", str(tmp_path / "out")]
    return run_cli(*args, **kw)


def _last_line(res) -> str:
    return res.stderr.strip().splitlines()[-1]


# --- --db and --out ------------------------------------------------------------------------------------------------


def test_db_in_a_missing_folder_is_one_sentence_and_makes_no_folder(tmp_path, site):
    url, log = site
    db = tmp_path / "nonexistent" / "dir" / "h.db"
    for command in (["crawl", url], ["demo", "--port", "0"]):
        res = run_cli(*command, "--db", str(db), "--out", str(tmp_path / "out"), "--no-browser")
        assert res.code == 2, res.stderr
        assert _last_line(res) == (f"empathy-audit: --db {db}: the folder {db.parent} does not exist (create it, or "
                                   f"give a database path in an existing folder).")
        assert not (tmp_path / "nonexistent").exists() and not (tmp_path / "out").exists()
    assert log.all() == []  # nothing was fetched
    res = run_cli("report", "latest", "--db", str(db), "--out", str(tmp_path / "out"))
    assert res.code == 2 and _last_line(res) == (f"empathy-audit: there is no history database at {db}: run "
                                                 f"'empathy-audit crawl URL' first.")
    assert not (tmp_path / "nonexistent").exists()


def test_db_that_is_a_folder_or_under_a_file_is_one_sentence(tmp_path, site):
    url, log = site
    res = _crawl(tmp_path, url, "--db", str(tmp_path))
    assert res.code == 2 and _last_line(res) == (f"empathy-audit: --db {tmp_path} is a folder: give the path of a "
                                                 f"database file, e.g. {tmp_path / 'history.db'}.")
    (tmp_path / "notes.txt").write_text("x")
    res = _crawl(tmp_path, url, "--db", str(tmp_path / "notes.txt" / "h.db"))
    assert res.code == 2
    assert _last_line(res) == f"empathy-audit: --db {tmp_path / 'notes.txt' / 'h.db'}: {tmp_path / 'notes.txt'} is a file, not a folder."
    assert log.all() == []


def test_out_is_checked_before_the_crawl(tmp_path, site):
    url, log = site
    (tmp_path / "report.txt").write_text("x")
    res = _crawl(tmp_path, url, "--out", str(tmp_path / "report.txt"))
    assert res.code == 2 and _last_line(res) == (f"empathy-audit: --out {tmp_path / 'report.txt'} is a file: give "
                                                 f"a folder for the reports (it is made if its parent folder exists).")
    missing = tmp_path / "no" / "such" / "out"
    res = _crawl(tmp_path, url, "--out", str(missing))
    assert res.code == 2 and _last_line(res) == (f"empathy-audit: --out {missing}: the folder {missing.parent} "
                                                 f"does not exist, so the report folder cannot be made in it "
                                                 f"(create it first).")
    assert log.all() == [] and not (tmp_path / "no").exists() and not (tmp_path / "h.db").exists()
    # The report folder itself is made when its parent exists; then `report` checks --out the same way.
    res = _crawl(tmp_path, url, "--out", str(tmp_path / "fresh"), "--max-pages", "1")
    assert res.code == 0, res.stderr and (tmp_path / "fresh" / "report.html").is_file()
    res = run_cli("report", "latest", "--db", str(tmp_path / "h.db"), "--out", str(tmp_path / "report.txt"))
    assert res.code == 2 and "is a file: give a folder for the reports" in _last_line(res)


# --- the config file -----------------------------------------------------------------------------------------------


def test_a_config_file_with_several_problems_names_every_one(tmp_path):
    cfg = tmp_path / "empathy-audit.toml"
    cfg.write_text('max-pages = "many"\nmax_dpeth = 3\nignore-robots = "yes"\nurl = "https://example.com/"\n')
    res = run_cli("crawl", "--config", str(cfg))
    assert res.code == 2
    assert res.stderr.strip().splitlines() == [
        "empathy-audit: empathy-audit.toml: key 'max-pages': 'many' is not a whole number.",
        "empathy-audit: empathy-audit.toml: unknown key 'max_dpeth' (did you mean 'max-depth'?).",
        "empathy-audit: empathy-audit.toml: key 'ignore-robots' must be true or false, not \"yes\".",
    ]


# --- limits that cut the crawl short ------------------------------------------------------------------------------


def _limits(tmp_path: Path) -> dict:
    db = sqlite3.connect(tmp_path / "h.db")
    stats = json.loads(db.execute("SELECT stats FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0])
    db.close()
    return stats.get("limits_hit", {})


def test_max_pages_and_max_depth_are_named_when_they_cut_the_crawl(tmp_path, site):
    url, _ = site
    res = _crawl(tmp_path, url, "--max-pages", "3")
    assert res.code == 0, res.stderr
    # The home page and its first two links were crawled; its other links (/p3.../p8, /slow) and the two pages
    # those two link to were found and not crawled.
    left = WIDE + 1 - 2 + 2
    assert (f"empathy-audit: warning: the crawl stopped at --max-pages 3: {left} more pages of the site were "
            f"found but not audited; raise --max-pages to include them.") in res.stderr.splitlines()
    assert _limits(tmp_path)["max_pages"] == {"limit": 3, "frontier_left": left}
    # The report's reader is told too, in the same words.
    html = " ".join((tmp_path / "out" / "report.html").read_text("utf-8").split())
    assert (f"The crawl was cut short: the crawl stopped at --max-pages 3: {left} more pages of the site were found "
            f"but not audited; raise --max-pages to include them.") in html

    res = _crawl(tmp_path, url, "--max-depth", "1")
    assert res.code == 0, res.stderr
    assert (f"empathy-audit: warning: --max-depth 1 kept {WIDE + 1} pages of the site out (linked more than 1 "
            f"clicks from the start page); raise --max-depth to include them.") in res.stderr.splitlines()
    assert _limits(tmp_path) == {"max_depth": {"limit": 1, "links_not_followed": WIDE + 1}}

    res = _crawl(tmp_path, url)  # nothing cut: no warning, no stat
    assert res.code == 0 and "warning" not in res.stderr and _limits(tmp_path) == {}


def test_max_time_is_named_when_it_stops_the_crawl(tmp_path, site):
    url, _ = site
    res = _crawl(tmp_path, url, "--max-time", "2", "--concurrency", "1", "--max-pages", "40")
    assert (tmp_path / "out" / "report.html").is_file(), res.stderr  # (the run is kept as 'interrupted')
    limits = _limits(tmp_path)
    assert limits["max_time"]["limit"] == 2
    assert any(line.startswith("empathy-audit: warning: the crawl stopped at --max-time 2 s with ")
               for line in res.stderr.splitlines()), res.stderr
