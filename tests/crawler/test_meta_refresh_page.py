"""A page that refreshes itself to another address is audited as the page it is, not replaced by its target."""

from __future__ import annotations

from empathy_audit.crawler.devserver import serve
from empathy_audit.crawler.store import Store
from tests.helpers import run_cli

INDEX = b"""<!doctype html><html lang="en"><title>Shop</title><body><main><h1>Shop</h1>
<a href="/sale.html">Winter sale</a></main></body></html>"""
SALE = b"""<!doctype html><html lang="en"><head><title>Winter sale</title>
<meta http-equiv="refresh" content="30; URL='https://partner.example/offers'"></head>
<body><main><h1>Winter sale</h1><p>Everything half price until Sunday.</p></main></body></html>"""


def _page(body: bytes):
    def handler(req):
        req.send_response(200)
        req.send_header("Content-Type", "text/html; charset=utf-8")
        req.send_header("Content-Length", str(len(body)))
        req.end_headers()
        req.wfile.write(body)

    return handler


def test_a_page_with_a_timed_refresh_is_audited_and_its_refresh_reported(tmp_path):
    db = tmp_path / "h.db"
    with serve(None, routes={"/": _page(INDEX), "/sale.html": _page(SALE)}) as srv:
        res = run_cli("crawl", srv.base_url + "/", "--db", str(db), "--out", str(tmp_path / "out"), "--no-browser")
        base = srv.base_url
    assert res.code == 0, res.stderr
    store = Store(str(db))
    _, pages, findings = store.load_run(store.run_ids()[-1])
    store.close()
    sale = next(p for p in pages if p.url == base + "/sale.html")
    assert sale.error is None and sale.status == 200 and sale.title == "Winter sale"
    assert not any("partner.example" in p.url for p in pages)
    assert any(f.check_id == "meta-refresh" and f.url == sale.url for f in findings)
