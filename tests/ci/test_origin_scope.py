"""The site is a set of origins (scheme, host and port), not a host (issue #21 item 1).

A site on 127.0.0.1:A links, lists in its sitemap, redirects and embeds (img, script, iframe) two foreign origins
that log every request: another port of the same host (127.0.0.1:B) and another host (127.0.0.2:C). With basic
auth, a header and a cookie configured, the site's own origin receives all three secrets, in Scrapy and in
Chromium; the foreign origins receive requests (so the check cannot pass vacuously) but never a secret, and their
pages are not part of the report. `--also-origin` makes one of them part of the site.
"""

from __future__ import annotations

import base64
import json
import sqlite3
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from empathy_audit.crawler.devserver import serve
from tests.ci.staging import Recorder, send
from tests.ci.test_staging import BROWSER_ARGS
from tests.helpers import run_cli

USER, PASSWORD, TOKEN, SID = "u", "pw-secret1-4711", "tok-secret2-0815", "sid-secret3-2342"
SECRETS = (PASSWORD, TOKEN, SID, base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode())
ENV = {"ORIGIN_PW": PASSWORD, "ORIGIN_TOKEN": TOKEN, "ORIGIN_SID": SID}
CREDENTIALS = ("--basic-auth", "u:${ORIGIN_PW}", "--header", "X-Token: ${ORIGIN_TOKEN}", "--cookie", "sid=${ORIGIN_SID}")
# Chromium stays on loopback: a dead proxy (loopback addresses bypass it) and every name mapped to 127.0.0.1, but
# 127.0.0.2, which the rule would map too, so that the other host is really reached (its log proves it).
BROWSER = ("--browsers", "1", "--no-screenshots", "--no-keyboard", "--no-render-checks", *BROWSER_ARGS)

PAGE = """<!doctype html><html lang="en"><head><title>{title}</title></head><body><main><h1>{title}</h1>
<p><a href="/about">About</a> <a href="/go-port">Moved</a> <a href="/go-host">Moved too</a>
{links}</p>
<img src="{port}/pixel-port.png" alt="Logo"><img src="{host}/pixel-host.png" alt="Partner">
<script src="{port}/widget-port.js"></script><script src="{host}/widget-host.js"></script>
<iframe src="{port}/frame-port" title="Widget"></iframe><iframe src="{host}/frame-host" title="Partner"></iframe>
</main></body></html>"""
_PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


class Origins:
    """The site (127.0.0.1:A) and two foreign origins (127.0.0.1:B, 127.0.0.2:C), each with its request log."""

    def __init__(self) -> None:
        self.logs = {"site": Recorder(), "port": Recorder(), "host": Recorder()}
        self._stack = ExitStack()
        self.base: dict[str, str] = {}
        for name, host in (("port", "127.0.0.1"), ("host", "127.0.0.2"), ("site", "127.0.0.1")):
            server = self._stack.enter_context(serve(None, host, routes={"*": self._handler(name)},
                                                     on_request=self.logs[name]))
            self.base[name] = server.base_url

    def close(self) -> None:
        self._stack.close()

    def _handler(self, name: str) -> Any:
        def answer(req: Any) -> None:
            path = req.path.split("?")[0]
            port, host = self.base["port"], self.base["host"]
            if path.endswith(".png"):
                send(req, 200, _PIXEL, "image/png")
            elif path.endswith(".js"):
                send(req, 200, b"void 0;", "application/javascript")
            elif path == "/robots.txt":
                send(req, 200, f"User-agent: *\nAllow: /\nSitemap: {self.base[name]}/sitemap.xml\n".encode(),
                     "text/plain")
            elif path == "/sitemap.xml" and name == "site":
                urls = "".join(f"<url><loc>{u}</loc></url>" for u in (
                    f"{self.base['site']}/", f"{port}/from-sitemap", f"{host}/from-sitemap"))
                send(req, 200, f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                     f"{urls}</urlset>".encode(), "application/xml")
            elif path == "/go-port":
                send(req, 302, headers={"Location": f"{port}/landing"})
            elif path == "/go-host":
                send(req, 302, headers={"Location": f"{host}/landing"})
            else:
                https_twin = self.base["site"].replace("http://", "https://")
                links = (f'<a href="{port}/linked">Same host, other port</a> <a href="{host}/linked">Other host</a>'
                         f' <a href="{https_twin}/tls">Same port, https</a>')
                title = f"{name} {path}"
                send(req, 200, PAGE.format(title=title, links=links, port=port, host=host).encode())
        return answer

    def requests(self, name: str) -> list[tuple[str, str, dict[str, str]]]:
        return [(m, p, h) for m, p, h, _ in self.logs[name].all()]

    def leaks(self, name: str) -> list[str]:
        """Every request of that origin that carried a credential or a secret anywhere."""
        out = []
        for method, path, headers in self.requests(name):
            blob = path + " " + " ".join(f"{k}: {v}" for k, v in headers.items())
            named = [h for h in ("authorization", "x-token") if h in headers]
            if named or "sid=" in headers.get("cookie", "") or any(s in blob for s in SECRETS):
                out.append(f"{method} {path} {headers.get('user-agent', '')[:30]}: {named or 'a secret'}")
        return out


@pytest.fixture
def origins():
    o = Origins()
    yield o
    o.close()


def _has_all_secrets(headers: dict[str, str]) -> bool:
    return (headers.get("authorization") == "Basic " + SECRETS[3] and headers.get("x-token") == TOKEN
            and f"sid={SID}" in headers.get("cookie", ""))


def _crawl(tmp_path: Path, o: Origins, *extra: str) -> tuple[Any, dict[str, dict]]:
    res = run_cli("crawl", o.base["site"] + "/", *CREDENTIALS, "--db", str(tmp_path / "h.db"),
                  "--out", str(tmp_path / "out"), "--max-time", "120", *extra, env=ENV)
    assert res.code == 0, res.stderr[-3000:]
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    db = sqlite3.connect(tmp_path / "h.db")
    pages = {u: json.loads(b) if b else {} for u, b in db.execute("SELECT url, browser FROM pages")}
    db.close()
    for text in (res.stdout, res.stderr, (tmp_path / "out" / "report.json").read_text()):
        assert not any(s in text for s in SECRETS)
    assert report  # a report was written
    return res, pages


def _foreign_pages(pages: dict[str, dict], o: Origins) -> list[str]:
    foreign = (o.base["port"], o.base["host"], o.base["site"].replace("http://", "https://"))
    return [u for u in pages if u.startswith(foreign)]


def test_scrapy_sends_no_secret_to_another_port_or_host_and_crawls_only_the_origin(tmp_path, origins):
    _, pages = _crawl(tmp_path, origins, "--no-browser")
    site = origins.requests("site")
    assert site and all(_has_all_secrets(h) for _, _, h in site), site  # robots.txt, sitemap, pages: all of them
    assert {p for _, p, _ in site} >= {"/", "/about", "/robots.txt", "/sitemap.xml", "/go-port", "/go-host"}
    # The foreign origins were asked (the resources measured, the redirects followed), and got nothing.
    assert origins.requests("port") and origins.requests("host")
    assert origins.leaks("port") == [] and origins.leaks("host") == []
    assert _foreign_pages(pages, origins) == []
    assert not {p for _, p, _ in origins.requests("port")} & {"/linked", "/from-sitemap"}  # not crawled


@pytest.mark.browser
def test_chromium_sends_no_secret_to_another_port_or_host(tmp_path, origins):
    _, pages = _crawl(tmp_path, origins, *BROWSER)
    chrome = [(p, h) for _, p, h in origins.requests("site") if "Mozilla" in h.get("user-agent", "")]
    assert {"/", "/about"} <= {p for p, _ in chrome}
    assert all(_has_all_secrets(h) for _, h in chrome), chrome  # pages and their subresources on the origin
    for name in ("port", "host"):
        seen = {p for _, p, h in origins.requests(name) if "Mozilla" in h.get("user-agent", "")}
        assert {f"/pixel-{name}.png", f"/widget-{name}.js", f"/frame-{name}"} <= seen, (name, seen)
        assert origins.leaks(name) == []
    assert _foreign_pages(pages, origins) == []
    assert pages[origins.base["site"] + "/about"]["audited"] is True


@pytest.mark.browser
def test_also_origin_makes_another_port_part_of_the_site(tmp_path, origins):
    port = origins.base["port"]
    _, pages = _crawl(tmp_path, origins, "--also-origin", port, *BROWSER)
    assert {port + "/linked", port + "/from-sitemap"} <= set(pages)  # crawled as the site
    assert pages[port + "/linked"]["audited"] is True  # and audited in the browser
    got = origins.requests("port")
    scrapy = [h for _, _, h in got if "Mozilla" not in h.get("user-agent", "")]
    assert scrapy and all(_has_all_secrets(h) for h in scrapy)  # Scrapy: every request, robots.txt to media
    # Chromium: the pages it audits and their own subresources (requests made inside another site's frame, an
    # out-of-process iframe, are not intercepted and get nothing: the safe side).
    chrome = [(p, h) for _, p, h in got if "Mozilla" in h.get("user-agent", "")]
    assert {"/linked", "/from-sitemap"} <= {p for p, h in chrome if _has_all_secrets(h)}
    assert {"/pixel-port.png", "/widget-port.js", "/frame-port"} <= {p for p, h in chrome if _has_all_secrets(h)}
    assert origins.leaks("host") == [] and not [u for u in pages if u.startswith(origins.base["host"])]


def test_also_origin_must_be_an_origin(tmp_path):
    res = run_cli("crawl", "http://127.0.0.1:9/", "--also-origin", "ftp://example.com/", "--db",
                  str(tmp_path / "h.db"), "--no-browser")
    assert res.code == 2
    assert res.stderr.strip().splitlines()[-1] == ("empathy-audit: --also-origin: 'ftp://example.com/' is not an "
                                                   "http:// or https:// URL, so there is no website to crawl.")
    res = run_cli("crawl", "http://127.0.0.1:9/", "--also-origin", "https://cdn.example.com/img/", "--db",
                  str(tmp_path / "h.db"), "--no-browser")
    assert res.code == 2 and "has a path: give an origin such as https://cdn.example.com" in res.stderr
