"""Browser test fixtures: the fixture site served on 127.0.0.1:0 from a thread, and Chromium pools that never leave loopback."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

import pytest

from empathy_audit.crawler.browser import BrowserConfig, DriverPool
from empathy_audit.crawler.devserver import SiteServer, serve

SITE = Path(__file__).parent / "site"
# Nothing leaves loopback: every host name resolves to 127.0.0.1 and anything not loopback goes to a dead proxy.
LOOPBACK_ARGS = ("--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * 127.0.0.1")


# Paths that accept the connection and never answer (until the session ends): a hung page, a hung video.
HANG_PATHS = ("/hang/p", "/hang/page.html", "/hang/mid-run.html", "/hang/video.mp4")


class FixtureSite:
    """tests/browser/site on 127.0.0.1 (crawler.devserver), plus HANG_PATHS and /offsite (a redirect to localhost)."""

    def __init__(self, server: SiteServer, release: threading.Event) -> None:
        self.server = server
        self.release = release
        self.host = "127.0.0.1"
        self.port = server.server_address[1]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"


@pytest.fixture(scope="session")
def site() -> Iterator[FixtureSite]:
    release = threading.Event()

    def hang(request: SimpleHTTPRequestHandler) -> None:
        release.wait(120)

    def offsite(request: SimpleHTTPRequestHandler) -> None:
        request.send_response(302)
        request.send_header("Location", f"http://localhost:{request.server.server_address[1]}/clean.html")
        request.send_header("Content-Length", "0")
        request.end_headers()

    routes = {path: hang for path in HANG_PATHS} | {"/offsite": offsite}
    with serve(str(SITE), routes=routes) as server:
        yield FixtureSite(server, release)
        release.set()


def make_config(**kw: object) -> BrowserConfig:
    base: dict[str, object] = {"browsers": 1, "browser_args": LOOPBACK_ARGS, "page_timeout": 10.0, "screenshots": False}
    base.update(kw)
    return BrowserConfig(**base)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def pool() -> Iterator[DriverPool]:
    """One shared browser for the tests that do not break it."""
    with DriverPool(make_config()) as p:
        yield p


@pytest.fixture
def browser_config():
    """Factory: BrowserConfig for tests (loopback only, 1 browser, 10 s timeout, no screenshots) with overrides."""
    return make_config


@pytest.fixture(scope="session")
def site_dir() -> Path:
    return SITE
