"""Template-aware browser sampling (crawler/sampling.py): layouts, the sampler, projection, the pipeline with a stub
browser, and a real crawl through the CLI (Chromium on loopback) of a generated 40-page, two-template site."""

from __future__ import annotations

import asyncio
import json
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import SimpleNamespace

import pytest
from scrapy.settings import Settings

from empathy_audit.audits.artifacts import css_path, parse_html, snippet
from empathy_audit.audits.model import Finding, Severity
from empathy_audit.crawler.browser import BrowserResult
from empathy_audit.crawler.browser_pipeline import BrowserAuditPipeline
from empathy_audit.crawler.devserver import serve
from empathy_audit.crawler.items import PageItem
from empathy_audit.crawler.sampling import Sampler, anchor_of, layout_of, project, skeleton
from tests.helpers import LOOPBACK_BROWSER_ARGS, run_cli

# --- a generated site: one home page, 20 product pages and 19 article pages --------------------------------------

CSS = """
body { font: 16px/1.5 sans-serif; color: #222; background: #fff; }
.muted { color: #999; }
.stock--faint { color: #c4c4c4; }
"""


def product(i: int, reviews: int = 3, stock: str = '<p class="stock">In stock</p>') -> str:
    items = "".join(f'<li class="review"><p class="muted">Review {r} of product {i}: lovely.</p></li>'
                    for r in range(1, reviews + 1))
    feats = "".join(f"<li>Feature {f} of product {i}</li>" for f in range(1, 2 + i % 5))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Product {i}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/site.css"></head>
<body><header><nav aria-label="Main"><ul><li><a href="/">Home</a></li></ul></nav></header>
<main id="main"><h1>Product number {i}</h1>
<img src="/img/p{i}.png" alt="Photo of product {i}" width="10" height="10">
<p class="price">Price: {i}.99 euros</p>{stock}
<ul class="features">{feats}</ul>
<h2>Reviews</h2><ul class="reviews">{items}</ul></main>
<footer><p>Shop footer</p></footer></body></html>"""


def article(i: int) -> str:
    paras = "".join(f"<p>Paragraph {k} of article {i}.</p>" for k in range(1, 3 + i % 4))
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Article {i}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><link rel="stylesheet" href="/site.css"></head>
<body><header><nav aria-label="Main"><ul><li><a href="/">Home</a></li></ul></nav></header>
<main id="main"><article><h1>Article {i}</h1><p class="byline muted">Written by someone</p>{paras}</article>
<aside aria-label="Related"><h2>Related</h2><p>See the <a href="/">home page</a>.</p></aside></main>
<footer><p>Shop footer</p></footer></body></html>"""


PRODUCTS, ARTICLES = 20, 19
ONE_REVIEW, INLINE_DEFECT, CLASS_DEFECT = 5, 7, 12


def build_site(root: Path) -> dict[str, str]:
    pages: dict[str, str] = {}
    links = []
    for i in range(1, PRODUCTS + 1):
        stock = '<p class="stock">In stock</p>'
        if i == INLINE_DEFECT:  # a browser-only defect on one page of the template: light grey inline style
            stock = '<p class="stock" style="color: #c8c8c8">In stock</p>'
        if i == CLASS_DEFECT:  # another: a class whose colour is too light
            stock = '<p class="stock stock--faint">In stock</p>'
        pages[f"products/p{i:02d}.html"] = product(i, reviews=1 if i == ONE_REVIEW else 3, stock=stock)
        links.append(f'<li><a href="/products/p{i:02d}.html">Product {i}</a></li>')
    for i in range(1, ARTICLES + 1):
        pages[f"articles/a{i:02d}.html"] = article(i)
        links.append(f'<li><a href="/articles/a{i:02d}.html">Article {i}</a></li>')
    pages["index.html"] = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Shop</title><link rel="stylesheet" href="/site.css"></head>
<body><main id="main"><h1>Shop</h1><ul class="all">{''.join(links)}</ul></main></body></html>"""
    for path, html in pages.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(html, encoding="utf-8")
    (root / "site.css").write_text(CSS, encoding="utf-8")
    (root / "img").mkdir(exist_ok=True)
    for i in range(1, PRODUCTS + 1):  # a 1x1 PNG
        (root / "img" / f"p{i}.png").write_bytes(bytes.fromhex(
            "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
            "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"))
    return pages


# --- layouts ----------------------------------------------------------------------------------------------------


def _layout(html: str, findings=()):
    return layout_of(parse_html(html), list(findings), "http://127.0.0.1/x.html")


def test_pages_of_one_template_share_a_layout_whatever_their_text_and_list_lengths():
    a, b = _layout(product(1)), _layout(product(9, reviews=1))
    assert a.template == b.template and a.variant == b.variant  # text, URLs, 1 vs 3 reviews, 2 vs 5 features
    assert _layout(article(1)).template != a.template
    assert skeleton(parse_html(product(1))) == skeleton(parse_html(product(2)))


def test_what_changes_browser_results_makes_a_page_a_new_variant():
    base = _layout(product(1))
    inline = _layout(product(2, stock='<p class="stock" style="color: #c8c8c8">In stock</p>'))
    klass = _layout(product(2, stock='<p class="stock stock--faint">In stock</p>'))
    aria = _layout(product(2, stock='<p class="stock" aria-hidden="true">In stock</p>'))
    width = _layout(product(2, stock='<p class="stock" style="width: 37%">In stock</p>'))
    width2 = _layout(product(3, stock='<p class="stock" style="width: 80%">In stock</p>'))
    for other in (inline, aria, width):
        assert other.template == base.template and other.variant != base.variant
    assert klass.variant != base.variant  # (class tokens are part of the skeleton too)
    assert width.variant == width2.variant  # lengths vary with content: numbers in geometry do not count
    wide = _layout(product(3, stock='<p class="stock" style="width: 800px">In stock</p>'))
    assert wide.variant != width.variant  # ...unless wider than a 320 px viewport
    # content defects only a browser names: an empty heading, a label for a field that is not there
    empty = _layout(product(2).replace("<h2>Reviews</h2>", "<h2></h2>"))
    label = '<label for="qty">Quantity</label><input id="qty" type="number">'
    ok, broken = _layout(product(2, stock=label)), _layout(product(2, stock=label.replace('id="qty"', 'id="q"')))
    assert empty.variant != base.variant and ok.variant != broken.variant


def test_static_findings_make_a_page_a_new_variant_but_not_their_list_position():
    def f(sel):
        return Finding("image-alt", "u", sel, "<img>", "No alt.", Severity.CRITICAL)

    html = product(1)
    none = _layout(html)
    one = _layout(html, [f("#main > ul:nth-of-type(2) > li:nth-of-type(3) > img")])
    other = _layout(html, [f("#main > ul:nth-of-type(2) > li:nth-of-type(7) > img")])
    assert none.variant != one.variant and one.variant == other.variant


def test_a_script_rendered_shell_is_never_sampled():
    shell = _layout('<html><body><div id="root"></div><script src="/app.js"></script></body></html>')
    assert shell.shell
    assert not _layout(product(1)).shell


# --- the sampler ------------------------------------------------------------------------------------------------


def _plans(sampler, layouts):
    async def run():
        return [sampler.plan(f"http://x/{i}", lay) for i, lay in enumerate(layouts)]

    return asyncio.run(run())


def test_sampler_modes():
    lay, other = _layout(product(1)), _layout(article(1))
    assert [p.action for p in _plans(Sampler(1), [lay, lay, other, lay])] == [
        "representative", "infer", "representative", "infer"]
    assert [p.action for p in _plans(Sampler("auto", min_pages=0), [lay] * 4)] == [
        "representative", "representative", "infer", "infer"]
    # auto audits every page while the crawl is small...
    assert [p.action for p in _plans(Sampler("auto", min_pages=3), [lay] * 5)] == [
        "representative", "representative", "audit", "infer", "infer"]
    # ...unless the crawl has already found more pages than the threshold (a large site, known early)...
    sampler = Sampler("auto", min_pages=300)

    async def found_many():
        return [sampler.plan(f"http://x/{i}", lay, found=found).action for i, found in enumerate((1, 40, 301, 900))]

    assert asyncio.run(found_many()) == ["representative", "representative", "infer", "infer"]
    # ...and a crawl capped at or below the threshold is never sampled; off never samples
    assert not Sampler("auto", min_pages=300, max_pages=300).active
    assert Sampler("auto", min_pages=300, max_pages=500).active
    assert {p.action for p in _plans(Sampler("off"), [lay] * 3)} == {"audit"}


def test_sampler_from_settings_and_environment(monkeypatch):
    s = Sampler.from_settings(Settings({"AUDIT_SAMPLE": "auto", "AUDIT_MAX_PAGES": 500}))
    assert s.active and s.per_variant == 2 and s.min_pages == 300
    monkeypatch.setenv("EMPATHY_AUDIT_SAMPLE_MIN_PAGES", "10")
    assert Sampler.from_settings(Settings({"AUDIT_SAMPLE": "auto", "AUDIT_MAX_PAGES": 30})).active
    assert Sampler.from_settings(Settings({"AUDIT_SAMPLE": 3})).per_variant == 3
    assert not Sampler.from_settings(Settings({"AUDIT_SAMPLE": "off"})).active


def _browser_findings(url: str, html: str, check="color-contrast", css=".muted") -> list[Finding]:
    soup = parse_html(html)
    return [Finding(check, url, css_path(el), snippet(el), "Text is hard to read.", Severity.SERIOUS,
                    sources=("axe",), data={"screenshot": "shots/x.png"}) for el in soup.select(css)]


def test_projection_copies_findings_only_onto_elements_the_page_has():
    rep_html, page_html = product(1), product(5, reviews=1)
    rep = parse_html(rep_html)
    found = _browser_findings("http://x/p1", rep_html) + [
        Finding("region", "http://x/p1", "html", "", "Content outside landmarks.", Severity.MODERATE,
                sources=("axe",)),
        Finding("color-contrast", "http://x/p1", "#main > div > button", '<button class="cookie">OK</button>',
                "Text is hard to read.", Severity.SERIOUS, sources=("axe",)),  # made by a script
    ]

    async def run():
        sampler = Sampler(1)
        plan = sampler.plan("http://x/p1", layout_of(rep, [], "http://x/p1"))
        sampler.settle(plan, found, rep)
        return await sampler.wait([plan.rep], 1)

    sources, timed_out = asyncio.run(run())
    assert not timed_out
    kinds = [a.kind for _, a in sources[0].findings]
    assert kinds == ["element"] * 3 + ["page", "inserted"]
    out = project(parse_html(page_html), "http://x/p5", sources)
    selectors = [f.selector for f in out]
    # the page has one review: the first review's finding, named as on this page; none for the 2nd and 3rd
    assert selectors == ["#main > ul:nth-of-type(2) > li > p", "html", "#main > div > button"]
    assert out[0].snippet == '<p class="muted">Review 1 of product 5: lovely.</p>'
    assert out[0].data["representative_selector"] == "#main > ul:nth-of-type(2) > li:nth-of-type(1) > p"
    assert all(f.url == "http://x/p5" and f.data["inferred_from"] == "http://x/p1" for f in out)
    assert all("screenshot" not in f.data for f in out)
    # a page where that element differs (another class) gets nothing for it
    changed = product(6).replace('<p class="muted">Review 1', '<p class="quiet">Review 1')
    assert [f.selector for f in project(parse_html(changed), "u", sources)] == [
        "#main > ul:nth-of-type(2) > li:nth-of-type(2) > p", "#main > ul:nth-of-type(2) > li:nth-of-type(3) > p",
        "html", "#main > div > button"]


def test_anchor_allows_for_tbody():
    soup = parse_html("<table><tr><td>a</td></tr></table>")
    assert anchor_of(soup, "html > body > table > tbody > tr > td").kind == "element"


# --- the pipeline with a stub browser ---------------------------------------------------------------------------


class StubPool:
    """Stands in for DriverPool: 'audits' a page by reading its HTML, so tests are fast and deterministic."""

    axe_version = "4.10.stub"

    def __init__(self, pages: dict[str, str], fail: set[str] = frozenset(), delay: float = 0.05,
                 slow: dict[str, float] | None = None) -> None:
        self.pages, self.fail, self.delay, self.slow = pages, set(fail), delay, slow or {}
        self.audited: list[str] = []
        self.lock = threading.Lock()

    def audit(self, url, hosts=None):
        time.sleep(self.slow.get(url, self.delay))
        with self.lock:
            self.audited.append(url)
        if url in self.fail:
            return BrowserResult(url=url, error="the page did not finish loading within 5 s")
        found = _browser_findings(url, self.pages[url]) + _browser_findings(url, self.pages[url], css="p[style]")
        return BrowserResult(url=url, final_url=url, axe_version=self.axe_version, findings=found)


def _pipeline(pool: StubPool, **settings) -> BrowserAuditPipeline:
    base = {"AUDIT_BROWSERS": 1, "AUDIT_SCREENSHOTS": False, "AUDIT_PAGE_TIMEOUT": 5, "AUDIT_SAMPLE": 1}
    base.update(settings)
    stats = SimpleNamespace(values={})
    stats.set_value = lambda k, v: stats.values.__setitem__(k, v)
    stats.inc_value = lambda k, n=1: stats.values.__setitem__(k, stats.values.get(k, 0) + n)
    crawler = SimpleNamespace(settings=Settings(base), stats=stats, spider=SimpleNamespace(hosts={"x"}))
    p = BrowserAuditPipeline.from_crawler(crawler)
    p.pool = pool
    p._executor = ThreadPoolExecutor(max_workers=2)
    return p


def _items(pages: dict[str, str]) -> list[PageItem]:
    return [PageItem(url=u, final_url=u, status=200, html=h, soup=parse_html(h)) for u, h in pages.items()]


def _run(pipeline, items):
    async def run():
        return await asyncio.gather(*(pipeline.process_item(i) for i in items))

    return asyncio.run(run())


def test_pipeline_audits_representatives_and_outliers_and_infers_the_rest():
    pages = {f"http://x/p{i}": product(i, reviews=1 if i == 3 else 3) for i in range(1, 9)}
    pages["http://x/p9"] = product(9, stock='<p class="stock" style="color: #c8c8c8">In stock</p>')  # outlier
    pool = StubPool(pages)
    items = _run(_pipeline(pool), _items(pages))
    by = {i.url: i for i in items}
    assert sorted(pool.audited) == ["http://x/p1", "http://x/p9"]
    rep = by["http://x/p1"]
    assert rep.browser["audited"] is True and rep.browser["representative"] is True and rep.browser["template"]
    outlier = by["http://x/p9"]
    assert outlier.browser["audited"] is True and "inferred" not in outlier.browser
    assert any(f.check_id == "color-contrast" and "style" in f.snippet and "inferred_from" not in f.data
               for f in outlier.findings)
    for url in (f"http://x/p{i}" for i in range(2, 9)):
        b = by[url].browser
        assert b["audited"] is False and b["inferred"] is True and b["error"] is None
        assert b["inferred_from"] == "http://x/p1" and b["template"] == rep.browser["template"]
        inferred = [f for f in by[url].findings if f.check_id == "color-contrast"]
        assert all(f.data["inferred_from"] == "http://x/p1" and f.url == url for f in inferred)
        assert len(inferred) == (1 if url == "http://x/p3" else 3)  # p3 has one review: no finding on absent ones
    assert not any("style" in f.snippet for i in items if i.url != "http://x/p9" for f in i.findings)


def test_a_failed_representative_hands_over_to_the_next_page():
    pages = {f"http://x/p{i}": product(i) for i in range(1, 6)}
    pool = StubPool(pages, fail={"http://x/p1"})
    items = _run(_pipeline(pool), _items(pages))
    by = {i.url: i for i in items}
    first = by["http://x/p1"].browser
    assert first["audited"] is False and first["error"].startswith("audit failed")
    audited = [u for u in pool.audited if u != "http://x/p1"]
    assert len(audited) == 1  # one waiting page took over as representative
    for i in items:
        if i.url not in pool.audited:
            assert i.browser["inferred"] is True and i.browser["inferred_from"] == audited[0]


def test_a_representative_that_never_finishes_does_not_block_the_others():
    pages = {f"http://x/p{i}": product(i) for i in range(1, 4)}
    pool = StubPool(pages, slow={"http://x/p1": 1.5})
    pipeline = _pipeline(pool, AUDIT_BROWSERS=2)
    pipeline._wait_timeout = 0.2
    t0 = time.monotonic()
    items = _run(pipeline, _items(pages))
    assert all(i.browser["audited"] is True for i in items)  # they waited 0.2 s, then audited themselves
    assert time.monotonic() - t0 < 5


def test_sampling_off_audits_every_page():
    pages = {f"http://x/p{i}": product(i) for i in range(1, 5)}
    pool = StubPool(pages)
    items = _run(_pipeline(pool, AUDIT_SAMPLE="off"), _items(pages))
    assert sorted(pool.audited) == sorted(pages) and all(i.browser["audited"] for i in items)
    assert all("template" not in i.browser for i in items)


# --- a real crawl -----------------------------------------------------------------------------------------------


@pytest.fixture
def sampled_site(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    pages = build_site(root)
    with serve(str(root)) as server:
        yield SimpleNamespace(url=f"{server.base_url}/", pages=pages)


def _crawl(site, tmp_path, name, *args):
    out = tmp_path / name
    res = run_cli("crawl", site.url, "--out", str(out), "--db", str(tmp_path / f"{name}.db"), "--no-sitemaps",
                  "--browsers", "2", "--no-screenshots", "--format", "json", "--format", "html", "-q",
                  *[f"--browser-arg={a}" for a in LOOPBACK_BROWSER_ARGS], *args, timeout=900)
    assert res.code in (0, 1), res.stderr[-3000:]
    return json.loads((out / "report.json").read_text()), (out / "report.html").read_text()


def _path(url: str) -> str:
    return "/" + url.split("/", 3)[3]


@pytest.mark.browser
@pytest.mark.slow
def test_crawl_with_sampling_audits_few_pages_and_finds_one_page_defects(sampled_site, tmp_path):
    t0 = time.monotonic()
    report, html = _crawl(sampled_site, tmp_path, "sampled", "--sample", "1")
    seconds = time.monotonic() - t0
    pages = {_path(p["url"]): p for p in report["pages"] if p["html"]}
    assert len(pages) == 40
    audited = {p for p, rec in pages.items() if rec["browser"]["audited"]}
    inferred = {p for p, rec in pages.items() if rec["browser"]["inferred"]}
    # home, one product, one article, and the two product pages with a browser-only defect of their own
    assert {"/", f"/products/p{INLINE_DEFECT:02d}.html", f"/products/p{CLASS_DEFECT:02d}.html"} <= audited
    assert len(audited) <= 7 and audited | inferred == set(pages) and not audited & inferred
    assert report["summary"]["browser_pages_inferred"] == len(inferred) and report["summary"]["browser_templates"] == 2
    assert report["summary"]["browser_audits"] == "all" and report["coverage"]["browser_failures"] == []
    for p in inferred:
        rep = _path(pages[p]["browser"]["inferred_from"])
        assert rep in audited and pages[rep]["browser"]["template"] == pages[p]["browser"]["template"]

    elements: dict[str, list[dict]] = {}
    for fix in report["fixes"]:
        for fp in fix["pages"]:
            for e in fp["elements"]:
                elements.setdefault(_path(fp["url"]), []).append({**e, "check_id": fix["check_id"]})
    # the defects present on one page of the template only are found there, by the browser itself
    for n in (INLINE_DEFECT, CLASS_DEFECT):
        own = [e for e in elements[f"/products/p{n:02d}.html"]
               if e["check_id"] == "color-contrast" and "stock" in e["snippet"]]
        assert own and all("inferred_from" not in e["data"] for e in own), n
    # findings of the representatives appear on the other pages, marked, only where the element exists
    marked = 0
    for p, els in elements.items():
        soup = parse_html(sampled_site.pages[p.lstrip("/") or "index.html"])
        for e in els:
            if "inferred_from" in e["data"]:
                marked += 1
                assert p in inferred and soup.select_one(e["selector"]) is not None, (p, e["selector"])
        if p in inferred and p.startswith("/products/"):
            reviews = [e for e in els if e["check_id"] == "color-contrast" and "muted" in e["snippet"]]
            one = f"/products/p{ONE_REVIEW:02d}.html"
            rep = _path(pages[p]["browser"]["inferred_from"])
            assert len(reviews) == (1 if one in (p, rep) else 3), (p, rep, reviews)  # never more than the page has
    assert marked >= 30
    # no inline-style finding leaked from the one defective page to its template's other pages
    defective = f"/products/p{INLINE_DEFECT:02d}.html"
    assert not any("#c8c8c8" in e["snippet"] for p, els in elements.items() if p != defective for e in els)
    text = re.sub(r"\s+", " ", html)
    assert re.search(rf"Browser: {len(audited)} of 40 pages audited, {len(inferred)} inferred from 2 templates", text)
    assert "browser findings inferred from" in text and "audited in the browser" in text
    print(f"sampled crawl: {len(audited)} audited, {len(inferred)} inferred, {seconds:.1f} s")


@pytest.mark.browser
@pytest.mark.slow
def test_crawl_with_sampling_off_or_a_small_site_audits_every_page(sampled_site, tmp_path):
    for name, args in (("off", ("--sample", "off")), ("auto", ())):
        report, _ = _crawl(sampled_site, tmp_path, name, "--max-pages", "6", *args)
        html_pages = [p for p in report["pages"] if p["html"]]
        assert len(html_pages) >= 5
        assert all(p["browser"]["audited"] and not p["browser"]["inferred"] for p in html_pages), name
        assert report["summary"]["browser_pages_inferred"] == 0


# --- the report -------------------------------------------------------------------------------------------------


def test_report_counts_inferred_pages_as_covered_not_failed():
    from empathy_audit.reports.aggregate import build_report
    from empathy_audit.reports.writers import html as html_writer
    from empathy_audit.reports.writers import json as json_writer
    from tests.reports.report_factories import SITE, make_finding, make_page, make_run

    rep_url = SITE + "/p/1"
    pages = [
        make_page("/", depth=0, found_via="start", browser={"audited": True, "error": None}),
        make_page("/p/1", browser={"audited": True, "error": None, "template": "abc", "representative": True}),
        make_page("/p/2", browser={"audited": False, "error": None, "inferred": True, "inferred_from": rep_url,
                                   "template": "abc"}),
        make_page("/p/3", browser={"audited": False, "error": None, "inferred": True, "inferred_from": rep_url,
                                   "template": "abc"}),
        make_page("/p/4", browser={"audited": False, "error": "audit failed: timed out"}),
    ]
    findings = [make_finding("color-contrast", p, "#main > p", sources=["axe"], snippet='<p class="muted">x</p>',
                             data={"inferred_from": rep_url} if p != "/p/1" else {})
                for p in ("/p/1", "/p/2", "/p/3")]
    report = build_report(make_run(), pages, findings)
    s = report.summary
    assert (s.browser_pages_audited, s.browser_pages_inferred, s.browser_templates) == (2, 2, 1)
    assert [p.url for p in report.coverage.browser_failures] == [SITE + "/p/4"]
    doc = json.loads(json_writer.dumps(report))
    by = {p["url"]: p for p in doc["pages"]}
    assert by[SITE + "/p/2"]["browser"] == {"audited": False, "error": None, "inferred": True,
                                            "inferred_from": rep_url, "representative": False, "template": "abc"}
    assert by[rep_url]["browser"]["representative"] is True
    els = [e for f in doc["fixes"] for fp in f["pages"] for e in fp["elements"] if fp["url"] == SITE + "/p/2"]
    assert els and els[0]["data"]["inferred_from"] == rep_url
    text = re.sub(r"\s+", " ", html_writer.render(report))
    assert "Browser: 2 of 5 pages audited, 2 inferred from 1 template" in text
    anchor = next(p.anchor for p in report.pages if p.url == rep_url)
    assert f'browser findings inferred from <a href="#{anchor}" class="url">{rep_url}</a> (same template)' in text
    assert "; audited in the browser" in text and "; browser audit failed" in text
