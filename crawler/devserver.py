"""A small static web server on 127.0.0.1 for the bundled demo site, tests and benchmarks."""

from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Iterator

DEMO_SITE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "demo_site")
_TEMPLATED = (".xml", ".txt")  # files where {{BASE}} is replaced by the server's origin (sitemaps need absolute URLs)


class _Handler(SimpleHTTPRequestHandler):
    server: "SiteServer"

    def log_message(self, format: str, *args: object) -> None:  # quiet: the request log is kept in memory
        pass

    def do_GET(self) -> None:
        route = self.server.routes.get(self.path.split("?")[0])
        if route is not None:
            self.server.requests.append((self.command, self.path))
            route(self)
            return
        super().do_GET()

    def send_head(self):  # type: ignore[override]
        self.server.requests.append((self.command, self.path))
        path = self.translate_path(self.path)
        if os.path.isfile(path) and path.endswith(_TEMPLATED):
            with open(path, "rb") as fh:
                body = fh.read().replace(b"{{BASE}}", self.server.base_url.encode())
            self.send_response(200)
            self.send_header("Content-Type", "application/xml" if path.endswith(".xml") else "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            from io import BytesIO

            return BytesIO(body)
        return super().send_head()


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, directory: str, host: str = "127.0.0.1", port: int = 0,
                 routes: dict[str, Callable[[SimpleHTTPRequestHandler], None]] | None = None) -> None:
        super().__init__((host, port), partial(_Handler, directory=directory))
        self.routes = routes if routes is not None else {}  # path -> handler(request) for tests: redirects, hangs, endless bodies
        self.requests: list[tuple[str, str]] = []
        self.base_url = f"http://{host}:{self.server_address[1]}"


@contextmanager
def serve(directory: str = DEMO_SITE, host: str = "127.0.0.1", port: int = 0,
          routes: dict[str, Callable[[SimpleHTTPRequestHandler], None]] | None = None) -> Iterator[SiteServer]:
    """Serve `directory` in a background thread for the duration of the block."""
    server = SiteServer(directory, host, port, routes)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
