"""Browser test fixtures: the fixture site served on 127.0.0.1:0 from a thread, and Chromium pools that never leave loopback."""

from __future__ import annotations

import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest

from crawler.browser import BrowserConfig, DriverPool

SITE = Path(__file__).parent / "site"
# Nothing leaves loopback: every host name resolves to 127.0.0.1 and anything not loopback goes to a dead proxy.
LOOPBACK_ARGS = ("--proxy-server=http://127.0.0.1:9", "--host-resolver-rules=MAP * 127.0.0.1")


class _Handler(SimpleHTTPRequestHandler):
    release: threading.Event

    def log_message(self, *args: object) -> None:  # keep test output quiet
        pass

    def do_GET(self) -> None:  # noqa: N802
        if self.path.startswith("/hang"):
            # Accept the connection, never answer (until the server shuts down).
            self.release.wait(120)
            return
        if self.path.startswith("/offsite"):
            port = self.server.server_address[1]
            self.send_response(302)
            self.send_header("Location", f"http://localhost:{port}/clean.html")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        super().do_GET()


class FixtureSite:
    def __init__(self) -> None:
        release = threading.Event()
        handler = type("Handler", (_Handler,), {"release": release})
        self.release = release
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(SITE)))
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.host = "127.0.0.1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path.lstrip('/')}"

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="session")
def site() -> Iterator[FixtureSite]:
    s = FixtureSite()
    yield s
    s.close()


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
