"""bench/sitegen.py: N pages from T templates, deterministic, every page reachable, defects where declared."""

from __future__ import annotations

import gzip
import hashlib
import re
import sys
import urllib.request
from collections import Counter, deque
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import sitegen  # noqa: E402

from empathy_audit.audits.artifacts import StaticPage  # noqa: E402
from empathy_audit.audits.model import Outcome  # noqa: E402
from empathy_audit.audits.registry import select  # noqa: E402
from empathy_audit.audits.runner import run_checks  # noqa: E402

_HREF = re.compile(r'href="(/[^"#]*\.html)(?:#[^"]*)?"')


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for f in sorted(root.rglob("*")):
        if f.is_file():
            h.update(str(f.relative_to(root)).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    return root, sitegen.generate(root, pages=240, templates=5, seed=3)


def test_n_pages_from_t_templates(site):
    root, m = site
    assert len(m.pages) == 240
    assert len({p.path for p in m.pages}) == 240
    counts = Counter(p.template for p in m.pages)
    assert set(counts) == {"home", "category", "product", "article", "store-locator"}
    assert counts["home"] == 1 and counts["product"] > counts["article"] > counts["store-locator"]
    for p in m.pages:
        html = (root / p.path.lstrip("/")).read_bytes()
        assert len(html) == p.bytes
        lo, hi = sitegen.WEIGHTS[p.template]
        assert lo * 1024 <= len(html) <= hi * 1024 + 4096, (p.path, len(html))
    assert (root / "static" / "brand.css").is_file() and (root / "robots.txt").is_file()


@pytest.mark.parametrize("templates", [1, 2, 3, 10])
def test_fewer_or_more_templates(tmp_path, templates):
    m = sitegen.generate(tmp_path, pages=40, templates=templates, seed=1)
    assert len(m.pages) == 40
    assert {p.template for p in m.pages} == set(sitegen.TEMPLATES[:templates])
    assert {d.template for d in m.defects} <= set(sitegen.TEMPLATES[:templates])


def test_deterministic_by_seed(tmp_path):
    a = sitegen.generate(tmp_path / "a", pages=60, templates=5, seed=9)
    b = sitegen.generate(tmp_path / "b", pages=60, templates=5, seed=9)
    sitegen.generate(tmp_path / "c", pages=60, templates=5, seed=10)
    assert _digest(tmp_path / "a") == _digest(tmp_path / "b")
    assert _digest(tmp_path / "a") != _digest(tmp_path / "c")
    assert [p.path for p in a.pages] == [p.path for p in b.pages]


def test_every_page_reachable_by_links_within_a_few_clicks(site):
    root, m = site
    depth = {"/index.html": 0}
    todo = deque(["/index.html"])
    while todo:
        path = todo.popleft()
        html = (root / path.lstrip("/")).read_text(encoding="utf-8")
        for target in _HREF.findall(html):
            if target not in depth and (root / target.lstrip("/")).is_file():
                depth[target] = depth[path] + 1
                todo.append(target)
    assert set(depth) == {p.path for p in m.pages}
    assert max(depth.values()) <= 3


def test_link_tree_reaches_10000_pages_within_the_default_depth():
    plan = sitegen.plan_pages(10_000, list(sitegen.TEMPLATES[:5]))
    assert len(plan) == 10_000
    deepest, i = 0, len(plan) - 1
    while i > 0:
        i = (i - 1) // sitegen.FANOUT
        deepest += 1
    assert deepest <= 5  # the crawl's default --max-depth is 10


def _findings(root: Path, path: str) -> list:
    html = (root / path.lstrip("/")).read_text(encoding="utf-8")
    page = StaticPage(url="http://127.0.0.1:1" + path, html=html)
    return run_checks("static", page, page.url, select("static"))


def test_static_defects_are_found_where_declared(site):
    root, m = site
    static = [d for d in m.defects if d.engine == "static"]
    assert {d.scope for d in static} == {"template", "page"}
    for d in static:
        for path in d.pages[:2]:
            failing = {f.check_id for f in _findings(root, path) if f.outcome == Outcome.FAIL}
            assert set(d.checks) <= failing, (d.id, path, failing)


def test_one_off_defects_are_only_on_their_page(site):
    root, m = site
    by_t = m.by_template()
    for d in (d for d in m.defects if d.scope == "page" and d.engine == "static"):
        other = next(p.path for p in by_t[d.template] if p.path not in d.pages)
        declared = {c for x in m.defects if other in x.pages for c in x.checks}
        failing = {f.check_id for f in _findings(root, other) if f.outcome == Outcome.FAIL}
        assert not (set(d.checks) - declared) & failing, (d.id, other)


def test_no_undeclared_static_failures(site):
    """The generated markup is otherwise correct: static checks fail only where a defect is declared."""
    root, m = site
    declared: dict[str, set[str]] = {}
    for d in m.defects:
        for path in d.pages:
            declared.setdefault(path, set()).update(d.checks)
    sample = [p.path for p in m.pages[:40]] + [p for d in m.defects if d.scope == "page" for p in d.pages]
    for path in sample:
        failing = {f.check_id for f in _findings(root, path) if f.outcome == Outcome.FAIL}
        assert failing <= declared.get(path, set()), (path, failing - declared.get(path, set()))


def test_browser_only_defects_are_in_the_markup(site):
    root, m = site
    marks = {"promo-low-contrast": 'class="promo"', "card-meta-low-contrast": 'class="meta-pale"',
             "price-note-low-contrast": 'class="vat"', "one-off-low-contrast": 'class="callout-pale"'}
    browser = [d for d in m.defects if d.engine == "browser"]
    assert browser
    for d in browser:
        mark = marks[d.id.split("/", 1)[1]]
        for path in d.pages[:3]:
            assert mark in (root / path.lstrip("/")).read_text(encoding="utf-8"), (d.id, path)


def test_served_on_loopback_with_gzip_and_generated_images(site):
    root, m = site
    with sitegen.serve_site(root) as server:
        assert server.base_url.startswith("http://127.0.0.1:")
        req = urllib.request.Request(server.base_url + m.pages[5].path, headers={"Accept-Encoding": "gzip"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            assert resp.headers["Content-Encoding"] == "gzip"
            assert resp.headers["Content-Type"].startswith("text/html")
            body = gzip.decompress(resp.read())
        assert body == (root / m.pages[5].path.lstrip("/")).read_bytes()
        with urllib.request.urlopen(server.base_url + "/img/p-0001-640.png", timeout=10) as resp:
            assert resp.headers["Content-Type"] == "image/png" and resp.read().startswith(b"\x89PNG")
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(server.base_url + "/nope.html", timeout=10)
        assert err.value.code == 404
