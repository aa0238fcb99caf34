"""The impact model on the demo site, end to end through the CLI: fixes not findings, an order written down in
advance, the trend between two runs, and untrusted text that stays text in a real browser.

THE ORDER BELOW WAS COMPUTED BY HAND from reports/scoring.py's table (IMPACT.md 3.1-3.2), not by running the code.
If a test here fails after a constant changed, recompute it and write the new order down; if it fails because the
demo site's crawl graph changed, `test_inputs_of_the_hand_computation` says so first.

Proxy importance I(p) = 1/(1+depth) * (1 + log2(1 + inbound links)) * 2 * sitemap priority s (0.5 when absent).
s is the <priority> of crawler/demo_site/sitemap-pages.xml, whether a page was first found by a link or the sitemap:
    /                     d0 L16 s1.0   I = (1 + log2 17) * 2               = 10.17493
    /contact.html         d1 L16 s0.5   I = 0.5 * (1 + log2 17)             = 2.54373
    /video.html           d1 L16 (none) I = 0.5 * (1 + log2 17)             = 2.54373
    /blog/                d1 L16 s0.6   I = 0.5 * (1 + log2 17) * 1.2       = 3.05248
    /products/            d1 L16 s0.9   I = 0.5 * (1 + log2 17) * 1.8       = 4.57872
    /stores.html          d1 L17 s0.7   I = 0.5 * (1 + log2 18) * 1.4       = 3.61895
    /blog/brewing-pour-over.html  d1 L4 (none) I = 0.5 * (1 + log2 5)       = 1.66096
    product pages: colombia d1 L7 s.8 0.5*4*1.6 = 3.2; ethiopia d1 L6 s.8 0.5*(1+log2 7)*1.6 = 3.04588;
                   house-espresso d1 L4 s.8 0.5*(1+log2 5)*1.6 = 2.65754; limited-edition d1 L0 s.9 0.5*1*1.8 = 0.9;
                   decaf d2 L3 s.8 (1/3)*3*1.6 = 1.6                         sum = 11.40343
V(p) = I(p) / sum I: the common divisor does not change the order, so priorities below are in units of I.
Static-only run: element findings c = 0.5, page-level (html/head) and crawl findings c = 1.
Persona shares: SR .006, LV .04, KB .01, SLOW .06, COG .01, everyone 1 (broken link exposure .02).
J = 1.5 on key journeys (contact page; basket button; buy form; blog search).

Fix first (critical, harm 1.0 on a key task), by priority:
  button-name @ / (basket)       10.17493 * 1.5 * .5 * (.006 + .3*.01)         = 0.068681
  select-name @ products (buy)   11.40343 * 1.5 * .5 * .006                    = 0.051315
  label @ /contact.html          2.54373 * 1.5 * .5 * (.006 + .3*.04 + .3*.01)  = 0.040064
  input-image-alt @ /blog/       3.05248 * 1.5 * .5 * (.006 + .3*.01)          = 0.020604
  input-button-name @ contact    2.54373 * 1.5 * .5 * .006                     = 0.011447
Ranked:
  image-alt @ products           11.40343 * .5 * (.006 + .1*.06 + .1*.04)      = 0.091227
  button-name @ products         11.40343 * .5 * (.006 + .3*.01)               = 0.051315
  meta-viewport @ /video.html    2.54373 * .3*.04                               = 0.030525
  document-title @ /video.html   2.54373 * (.7*.006 + .1*.04 + .1*.01)          = 0.023402
  broken-link @ brewing          1.66096 * .7 * 1 * .02                         = 0.023253
  svg-img-alt @ /                10.17493 * .5 * .7*.006                        = 0.021367
  html-lang-valid @ /video.html  2.54373 * .7*.006                              = 0.010684
  area-alt @ /products/ (2)      4.57872 * (1 + log10 2) * .5 * .006 / (1 + log2 2)        = 0.008936
  link-name @ /products/ (4)     4.57872 * (1 + log10 4) * .5 * (.7*.006 + .3*.01) / 3     = 0.008802
  html-has-lang @ brewing        1.66096 * .7*.006                              = 0.006976
  duplicate-id-aria @ contact    2.54373 * 1.5 * .5 * .3*.006                   = 0.003434
  frame-title @ /stores.html     3.61895 * .5 * .3*.006                         = 0.003257  (tie: id order)
  td-headers-attr @ /stores.html 3.61895 * .5 * .3*.006                         = 0.003257
  page-has-heading-one @ brewing 1.66096 * .3*.006                              = 0.002990
  heading-order @ /blog/         3.05248 * .5 * .3*.006                         = 0.002747
  empty-table-header @ stores    3.61895 * .5 * .1*.006                         = 0.001086
"""

from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from empathy_audit.crawler.devserver import DEMO_SITE, serve
from tests.helpers import LOOPBACK_BROWSER_ARGS, run_cli

EXPECTED = json.loads((Path(DEMO_SITE) / "expected.json").read_text())
PRODUCTS = sorted(p for p in EXPECTED["pages"] if p.startswith("/products/") and p.endswith(".html"))
TEMPLATE_DEFECTS = ("image-alt", "button-name", "select-name")

# (check id, where) in report order, with the hand-computed priority in units of I (see the module docstring).
HAND_ORDER_PROXY = [
    ("button-name", "/", 0.068681),
    ("select-name", "product page template", 0.051315),
    ("label", "/contact.html", 0.040064),
    ("input-image-alt", "/blog/", 0.020604),
    ("input-button-name", "/contact.html", 0.011447),
    ("image-alt", "product page template", 0.091227),
    ("button-name", "product page template", 0.051315),
    ("meta-viewport", "/video.html", 0.030525),
    ("document-title", "/video.html", 0.023402),
    ("broken-link", "/blog/brewing-pour-over.html", 0.023253),
    ("svg-img-alt", "/", 0.021367),
    ("html-lang-valid", "/video.html", 0.010684),
    ("area-alt", "/products/", 0.008936),
    ("link-name", "/products/", 0.008802),
    ("html-has-lang", "/blog/brewing-pour-over.html", 0.006976),
    ("duplicate-id-aria", "/contact.html", 0.003434),
    ("frame-title", "/stores.html", 0.003257),
    ("td-headers-attr", "/stores.html", 0.003257),
    ("page-has-heading-one", "/blog/brewing-pour-over.html", 0.002990),
    ("heading-order", "/blog/", 0.002747),
    ("empty-table-header", "/stores.html", 0.001086),
]
BLOCKERS = 5

# The same defects ranked by a month of analytics instead (visits in the file below; V in visits, so priorities are
# in visits). Product pages 3000 + 2500 + 2000 + 1000 + 4000 = 12,500; the newsletter sends 9,000 to the blog post.
TRAFFIC_CSV = """url,visits
/,20000
/products/?utm_source=newsletter,6000
/products/ethiopia-yirgacheffe.html,3000
/products/colombia-huila.html,2500
/products/house-espresso.html,2000
/products/decaf-swiss-water.html,1000
/products/limited-edition.html,4000
/blog/,1500
/blog/brewing-pour-over.html,9000
/contact.html,800
/stores.html,2500
/video.html,300
/about.html,1200
/faq.html,900
/accessibility.html,100
/blog/meet-our-farmers.html,700
"""
HAND_ORDER_TRAFFIC = [
    ("button-name", "/", 135.0),  # 20000 * 1.5 * .5 * .009
    ("select-name", "product page template", 56.25),  # 12500 * .75 * .006
    ("label", "/contact.html", 12.6),  # 800 * .75 * .021
    ("input-image-alt", "/blog/", 10.125),  # 1500 * .75 * .009
    ("input-button-name", "/contact.html", 3.6),  # 800 * .75 * .006
    ("broken-link", "/blog/brewing-pour-over.html", 126.0),  # 9000 * .7 * .02
    ("image-alt", "product page template", 100.0),  # 12500 * .5 * .016
    ("button-name", "product page template", 56.25),  # 12500 * .5 * .009
    ("svg-img-alt", "/", 42.0),  # 20000 * .5 * .0042
    ("html-has-lang", "/blog/brewing-pour-over.html", 37.8),  # 9000 * .0042
    ("page-has-heading-one", "/blog/brewing-pour-over.html", 16.2),  # 9000 * .0018
    ("area-alt", "/products/", 11.709),  # 6000 * 1.30103 * .5 * .006 / 2
    ("link-name", "/products/", 11.535),  # 6000 * 1.60206 * .5 * .0072 / 3
    ("meta-viewport", "/video.html", 3.6),  # 300 * .012
    ("document-title", "/video.html", 2.76),  # 300 * .0092
    ("frame-title", "/stores.html", 2.25),  # 2500 * .5 * .0018 (tie: id order)
    ("td-headers-attr", "/stores.html", 2.25),
    ("heading-order", "/blog/", 1.35),  # 1500 * .5 * .0018
    ("html-lang-valid", "/video.html", 1.26),  # 300 * .0042
    ("duplicate-id-aria", "/contact.html", 1.08),  # 800 * .75 * .0018
    ("empty-table-header", "/stores.html", 0.75),  # 2500 * .5 * .0006
]


def _path(url: str) -> str:
    p = urlsplit(url)
    return p.path + (f"?{p.query}" if p.query else "")


def _where(fix: dict) -> str:
    if fix["component"]["kind"] == "template":
        return fix["component"]["name"]
    return _path(fix["pages"][0]["url"]) if fix["pages_affected"] == 1 else fix["component"]["name"]


def _demo(tmp_path, *extra) -> dict:
    out = tmp_path / "out"
    res = run_cli("demo", "--out", str(out), "--db", str(tmp_path / "h.db"), *extra, timeout=600)
    assert res.code == 0, res.stderr
    return json.loads((out / "report.json").read_text())


@pytest.fixture(scope="module")
def static_report(tmp_path_factory) -> dict:
    return _demo(tmp_path_factory.mktemp("impact"), "--no-browser")


def _seeded_accessibility_fixes(report: dict) -> list[dict]:
    """The fixes of the checks computed by hand, in report order. Fixes of other checks (bandwidth, checks added
    later) are left out: they may sit anywhere between these without changing these fixes' order."""
    computed = {c for c, _, _ in HAND_ORDER_PROXY}
    return [f for f in report["fixes"] if f["check_id"] in computed and f["outcome"] == "fail"]


def _template_fixes_span_all_product_pages(report: dict) -> None:
    for check_id in TEMPLATE_DEFECTS:
        on_products = [f for f in report["fixes"] if f["check_id"] == check_id
                       and any("/products/" in _path(p["url"]) and _path(p["url"]) != "/products/" for p in f["pages"])]
        assert len(on_products) == 1, (check_id, [f["fingerprint"] for f in on_products])
        fix = on_products[0]
        assert sorted(_path(p["url"]) for p in fix["pages"]) == PRODUCTS
        assert fix["component"] == {"kind": "template", "name": "product page template", "template": True}
        assert fix["score"]["effort"] == 1 and fix["elements"] == 5
        assert "on 5 product pages (one template)" in fix["reason"]
        assert "one fix in the product page template repairs every page" in fix["reason"]


def test_template_defects_are_one_fix_each_with_all_five_product_pages(static_report):
    _template_fixes_span_all_product_pages(static_report)


def test_inputs_of_the_hand_computation(static_report):
    """The crawl graph the hand computation used: if this fails, the demo site changed, not the scoring."""
    pages = {_path(p["url"]): p for p in static_report["pages"]}
    graph = {path: (pages[path]["depth"], pages[path]["inbound_links"], pages[path]["sitemap_priority"])
             for path in ("/", "/contact.html", "/blog/", "/products/", "/video.html", "/stores.html",
                          "/blog/brewing-pour-over.html", *PRODUCTS)}
    assert graph == {
        "/": (0, 16, 1.0),
        "/contact.html": (1, 16, 0.5),
        "/blog/": (1, 16, 0.6),
        "/products/": (1, 16, 0.9),
        "/video.html": (1, 16, None),
        "/stores.html": (1, 17, 0.7),
        "/blog/brewing-pour-over.html": (1, 4, None),
        "/products/colombia-huila.html": (1, 7, 0.8),
        "/products/decaf-swiss-water.html": (2, 3, 0.8),
        "/products/ethiopia-yirgacheffe.html": (1, 6, 0.8),
        "/products/house-espresso.html": (1, 4, 0.8),
        "/products/limited-edition.html": (1, 0, 0.9),
    }
    assert static_report["model"]["traffic"] == "proxy"
    assert static_report["model"]["version"] == "2025.1"


def test_the_order_of_fixes_is_the_one_computed_by_hand(static_report):
    fixes = _seeded_accessibility_fixes(static_report)
    assert [(f["check_id"], _where(f)) for f in fixes] == [(c, w) for c, w, _ in HAND_ORDER_PROXY]
    assert [f["lane"] for f in fixes] == ["blocker"] * BLOCKERS + ["ranked"] * (len(HAND_ORDER_PROXY) - BLOCKERS)
    # and the numbers themselves: priority is in shares of visits, ours in units of I; the ratio is sum I
    total_importance = sum(p["importance"] for p in static_report["pages"] if p["audited"])
    for fix, (_, _, hand) in zip(fixes, HAND_ORDER_PROXY):
        assert fix["score"]["priority"] * total_importance == pytest.approx(hand, rel=2e-4, abs=1e-6), fix["fingerprint"]
    # bandwidth fixes are on the same scale, between them (a page-weight summary whose bytes its files' fixes
    # already save scores 0: see the next test)
    media = [f for f in static_report["fixes"] if f["kind"] == "media"]
    if media:
        assert all(f["lane"] == "ranked" for f in media)
        assert all(f["score"]["priority"] > 0 for f in media if f["check_id"] != "page-weight")
        assert "slow 4G phone" in media[0]["reason"]


def test_saved_bytes_count_once_in_the_ranking_and_the_low_bandwidth_section(static_report):
    """/launch.html is over the budget because of files that each have their own fix: page-weight, the page-level
    summary, carries only the bytes those fixes do not save, and the site saves the sum over distinct files."""
    media = [f for f in static_report["fixes"] if f["kind"] == "media"]
    first_visit: dict[str, int] = {}  # file -> the largest first-visit saving of any fix to it
    on_launch: dict[str, int] = {}
    for fix in media:
        for page in fix["pages"]:
            for el in page["elements"]:
                d = el["data"]
                if fix["check_id"] == "page-weight" or d.get("repeat_visit") or not d.get("bytes_saved"):
                    continue
                first_visit[d["resource"]] = max(first_visit.get(d["resource"], 0), d["bytes_saved"])
                if _path(page["url"]) == "/launch.html":
                    on_launch[d["resource"]] = max(on_launch.get(d["resource"], 0), d["bytes_saved"])
    bandwidth = static_report["bandwidth"]
    assert bandwidth["bytes_saved"] == sum(first_visit.values())
    # the hero image has two fixes (modern format, right size): one file, counted once, with the larger saving
    hero = [f for f in bandwidth["fixes"] if _path(f["resource"] or "") == "/media/launch-hero.png"
            and not f["repeat_visits"]]
    assert len(hero) == 2 and first_visit[hero[0]["resource"]] == max(f["bytes_saved"] for f in hero)
    assert sorted(_path(r) for r in on_launch) == ["/fonts/harvest-display.woff2", "/js/launch-carousel.js",
                                                   "/media/launch-film.mp4", "/media/launch-hero.png",
                                                   "/media/launch-loop.gif"]
    (weight,) = [f for f in media if f["check_id"] == "page-weight"]
    (page,) = weight["pages"]
    (el,) = page["elements"]
    launch = next(p for p in bandwidth["pages"] if _path(p["url"]) == "/launch.html")
    assert bandwidth["pages_over_budget"] == 1 and launch["over_budget"]
    assert el["data"]["bytes_over"] == launch["bytes"] - bandwidth["budget_bytes"]
    assert el["data"]["bytes_attributed"] == sum(on_launch.values()) > el["data"]["bytes_over"]
    assert el["data"]["bytes_saved"] == 0 and weight["bandwidth"]["bytes_saved_per_page"] == 0
    assert weight["score"]["priority"] == 0 and weight["outcome"] == "fail"  # still over budget (--fail-on-budget)
    assert "the fixes listed for the files it loads save these bytes" in weight["reason"]


def test_the_order_with_an_analytics_file_is_the_one_computed_by_hand(tmp_path):
    traffic = tmp_path / "visits.csv"
    traffic.write_text(TRAFFIC_CSV, encoding="utf-8")
    report = _demo(tmp_path, "--no-browser", "--traffic", str(traffic))
    assert report["model"]["traffic"] == "analytics" and report["model"]["traffic_source"] == "visits.csv"
    fixes = _seeded_accessibility_fixes(report)
    assert [(f["check_id"], _where(f)) for f in fixes] == [(c, w) for c, w, _ in HAND_ORDER_TRAFFIC]
    for fix, (_, _, hand) in zip(fixes, HAND_ORDER_TRAFFIC):
        assert fix["score"]["priority"] == pytest.approx(hand, rel=2e-4, abs=1e-3), fix["fingerprint"]
    # 12,500 of 55,700 visits: 55,500 in the file for audited pages, plus /launch.html and /stores-map.html, absent
    # from it, estimated by the proxy and capped at the file's smallest count (100 each)
    assert report["model"]["total_visits"] == 55700 and report["model"]["pages_estimated"] == 2
    select = next(f for f in fixes if f["check_id"] == "select-name")
    assert select["reason"] == (
        "Blocks buying for screen-reader users on 5 product pages (one template): up to 75 visits a month meet it "
        "(its pages get 22% of visits); one fix in the product page template repairs every page.")
    # re-rendering a stored run with the same file gives the same report
    again = tmp_path / "again"
    res = run_cli("report", "latest", "--db", str(tmp_path / "h.db"), "--out", str(again), "--traffic", str(traffic))
    assert res.code == 0, res.stderr
    rerun = json.loads((again / "report.json").read_text())
    assert [f["fingerprint"] for f in rerun["fixes"]] == [f["fingerprint"] for f in report["fixes"]]


def test_a_bad_traffic_file_is_one_sentence_before_any_crawl(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("name,colour\na,b\n", encoding="utf-8")
    res = run_cli("demo", "--no-browser", "--out", str(tmp_path / "o"), "--db", str(tmp_path / "h.db"),
                  "--traffic", str(bad))
    assert res.code == 2 and "needs a url column and a visits column" in res.stderr
    assert "Traceback" not in res.stderr and not (tmp_path / "h.db").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_two_runs_show_exactly_one_fixed_and_one_new_fix(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(DEMO_SITE, site)
    db, port = tmp_path / "h.db", _free_port()

    def crawl(out: str) -> dict:
        with serve(str(site), port=port) as server:
            res = run_cli("crawl", server.base_url + "/", "--no-browser", "--db", str(db), "--out", str(tmp_path / out))
        assert res.code == 0, res.stderr
        return json.loads((tmp_path / out / "report.json").read_text())

    first = crawl("one")
    assert first["trend"] is None
    # Fix one defect (the map iframe gets a title) and add another (an icon-only share button on the about page).
    stores = site / "stores.html"
    stores.write_text(stores.read_text().replace('<iframe class="map-frame" ', '<iframe class="map-frame" title="Map of our cafés" ', 1))
    about = site / "about.html"
    about.write_text(about.read_text().replace(
        "</main>", '<button class="share" type="button"><svg aria-hidden="true" viewBox="0 0 8 8"></svg></button>\n</main>', 1))
    second = crawl("two")

    trend = second["trend"]
    assert trend["previous_run_id"] == first["run"]["id"] and trend["comparable"]
    assert trend["counts"] == {"new": 1, "unchanged": len(first["fixes"]) - 1, "fixed": 1, "not_rechecked": 0}
    (gone,) = trend["fixed"]
    assert gone["check_id"] == "frame-title" and gone["pages"] == ["/stores.html"]
    (new,) = [f for f in second["fixes"] if f["trend"] == "new"]
    assert new["check_id"] == "button-name" and [_path(p["url"]) for p in new["pages"]] == ["/about.html"]
    assert trend["new"] == [new["fingerprint"]]
    # every other fix kept its fingerprint
    assert {f["fingerprint"] for f in first["fixes"]} - {gone["fingerprint"]} == set(trend["unchanged"])
    html = (tmp_path / "two" / "report.html").read_text()
    assert "1 fixed" in html and "1 new" in html


# --- untrusted text in a real browser ------------------------------------------------------------------------------

PAYLOAD_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>&lt;/title&gt;&lt;script&gt;alert('title')&lt;/script&gt;&lt;img id=pwn1 src=x onerror=alert(1)&gt;</title>
</head><body><main>
<h1>Payloads</h1>
<img src="a.png?x=&quot;&gt;&lt;script&gt;alert(2)&lt;/script&gt;" class='"><script>alert(3)</script>' data-x="<img id=pwn2 src=x onerror=alert(4)>">
<a href="javascript:alert(5)" class='" onmouseover="alert(6)' id="x&quot;&gt;&lt;svg/onload=alert(7)&gt;"></a>
<button type="button" title="" onclick="alert(8)"><img src="i.png" alt="&quot;&gt;&lt;script id=pwn3&gt;alert(9)&lt;/script&gt;" aria-hidden="true"></button>
<form action="javascript:alert(10)"><input type="image" src="javascript:alert(11)" alt="" onfocus="alert(12)" autofocus></form>
<a href="/p.html?q=%22%3E%3Cscript%3Ealert(13)%3C/script%3E">more</a>
<a href="/p.html?q=&quot;&gt;&lt;iframe id=pwn4 src=javascript:alert(14)&gt;">same page, raw quotes</a>
</main></body></html>
"""
SECOND_PAGE = """<!DOCTYPE html><html><head><title>"><svg id=pwn5 onload=alert(15)></title></head>
<body><main><h2>No lang, no h1</h2><img src="'><script>alert(16)</script>"></main></body></html>
"""


@pytest.mark.browser
def test_payloads_from_crawled_pages_render_as_text_in_a_real_browser(tmp_path):
    from selenium import webdriver
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(PAYLOAD_PAGE, encoding="utf-8")
    (site / "p.html").write_text(SECOND_PAGE, encoding="utf-8")
    with serve(str(site)) as server:
        res = run_cli("crawl", server.base_url + "/", "--no-browser", "--db", str(tmp_path / "h.db"),
                      "--out", str(tmp_path / "out"))
    assert res.code == 0, res.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert {"image-alt", "link-name", "button-name", "input-image-alt"} <= {f["check_id"] for f in report["fixes"]}
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    # The same report with its Content-Security-Policy removed: escaping alone has to keep the payloads inert.
    bare = tmp_path / "out" / "no-csp.html"
    bare.write_text(html.replace('http-equiv="Content-Security-Policy"', 'name="x-csp-removed"'), encoding="utf-8")

    opts = Options()
    opts.binary_location = "/usr/bin/chromium"
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                f"--user-data-dir={tmp_path / 'profile'}", *LOOPBACK_BROWSER_ARGS):
        opts.add_argument(arg)
    opts.set_capability("unhandledPromptBehavior", "ignore")
    driver = webdriver.Chrome(options=opts, service=Service(executable_path="/usr/bin/chromedriver"))
    try:
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": (
            "window.__fired = [];"
            "for (const k of ['alert', 'confirm', 'prompt']) { window[k] = (m) => { window.__fired.push(String(m)); }; }"
        )})
        for page in (tmp_path / "out" / "report.html", bare):
            driver.get(page.as_uri())
            try:
                driver.switch_to.alert
                raise AssertionError("an alert is open")
            except NoAlertPresentException:
                pass
            state = driver.execute_script(
                "const all = Array.from(document.querySelectorAll('*'));"
                "return {fired: window.__fired,"
                " scripts: document.querySelectorAll('script').length,"
                " injected: ['pwn1','pwn2','pwn3','pwn4','pwn5'].filter(id => document.getElementById(id)),"
                " handlers: all.filter(e => Array.from(e.attributes).some(a => a.name.startsWith('on'))).length,"
                " frames: document.querySelectorAll('iframe, object, embed, form, base').length,"
                " svgs: Array.from(document.querySelectorAll('svg')).filter(s => !s.closest('#bandwidth'))"
                "   .map(s => s.getAttribute('class')),"
                " jsLinks: Array.from(document.querySelectorAll('[href], [src], [action]')).filter(e =>"
                "   /^\\s*javascript:/i.test(e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action') || '')).length,"
                " text: document.body.textContent};"
            )
            assert state["fired"] == [] and state["scripts"] == 0 and state["injected"] == [], page
            assert state["handlers"] == 0 and state["frames"] == 0 and state["jsLinks"] == 0, page
            assert state["svgs"] == ["chart-svg"], page  # only the report's own charts
            # the payloads are there, as text
            for text in ("alert(3)", "onerror=alert(4)", "alert(9)", "javascript:alert(5)", "alert(15)"):
                assert text in state["text"], (page, text)
    finally:
        driver.quit()


@pytest.mark.browser
def test_browser_run_keeps_template_fixes_whole_and_confirmed(tmp_path):
    report = _demo(tmp_path, "--browsers", "2", *[f"--browser-arg={a}" for a in LOOPBACK_BROWSER_ARGS])
    assert report["summary"]["browser_audits"] == "all"
    _template_fixes_span_all_product_pages(report)
    for check_id in ("image-alt", "button-name"):
        fix = next(f for f in report["fixes"] if f["check_id"] == check_id and f["component"]["kind"] == "template")
        assert {"static", "axe"} <= set(fix["sources"]) and fix["score"]["confidence"] == 1
        assert {p["confidence_basis"] for p in fix["pages"]} == {"confirmed"}
