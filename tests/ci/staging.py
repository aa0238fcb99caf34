"""A staging site behind basic auth, a token header and a login form (127.0.0.1), linked to a second host
(127.0.0.2) that records every request's headers, so a test can prove no credential ever reaches it."""

from __future__ import annotations

import base64
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

USER = "ci-bot"
BASIC_PASSWORD = "basic-S3cret-4711"
LOGIN_EMAIL = "ci@example.com"
LOGIN_PASSWORD = "login-S3cret-0815"
TOKEN = "tok-S3cret-2342"
SECRETS = (BASIC_PASSWORD, LOGIN_PASSWORD, TOKEN)
ENV = {"STAGING_PASSWORD": BASIC_PASSWORD, "STAGING_LOGIN_PASSWORD": LOGIN_PASSWORD, "STAGING_TOKEN": TOKEN}

PAGE = """<!doctype html><html lang="en"><head><title>{title}</title>
<link rel="stylesheet" href="{other}/theme.css"></head>
<body><header><nav><a href="/">Home</a> <a href="/account">Account</a> <a href="/about">About</a>
<a href="/go-out">Partner</a> <a href="/go-out-307">Partner 307</a> <a href="{other}/landing">Elsewhere</a></nav></header>
<main><h1>{title}</h1>{body}
<img src="{other}/pixel.png" alt="Partner logo">
<iframe src="{other}/frame" title="Partner widget"></iframe>
<script src="{other}/widget.js"></script>
<script>fetch("{other}/api", {{credentials: "include"}}).catch(function () {{}});</script>
</main></body></html>"""
LOGIN = """<!doctype html><html lang="en"><head><title>Sign in</title></head><body><main><h1>Sign in</h1>
<form id="login" method="post" action="/login"><input type="hidden" name="csrf" value="{csrf}">
<label for="email">Email</label><input id="email" name="email" type="email">
<label for="pw">Password</label><input id="pw" name="password" type="password">
<button type="submit">Sign in</button></form></main></body></html>"""


class Recorder:
    """Every request a server saw: (method, path, headers as a dict with lower-case names, body)."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, dict[str, str], bytes]] = []
        self.lock = threading.Lock()

    def add(self, method: str, path: str, headers: Any, body: bytes) -> None:
        with self.lock:
            self.requests.append((method, path, {k.lower(): v for k, v in headers.items()}, body))

    def all(self) -> list[tuple[str, str, dict[str, str], bytes]]:
        with self.lock:
            return list(self.requests)


class _Base(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    site: "StagingSite"

    def log_message(self, *args: object) -> None:
        pass

    def _send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _body(self) -> bytes:
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""


class _Other(_Base):
    """127.0.0.2: answers everything, remembers everything."""

    def do_GET(self) -> None:  # noqa: N802
        self.site.other_log.add(self.command, self.path, self.headers, b"")
        path = self.path.split("?")[0]
        if path == "/401":
            self._send(401, b"no", headers={"WWW-Authenticate": 'Basic realm="other"'})
        elif path.endswith(".png"):
            self._send(200, base64.b64decode(
                "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="),
                "image/png")
        elif path.endswith(".css"):
            self._send(200, b"body{font-family:sans-serif}", "text/css")
        elif path.endswith(".js"):
            self._send(200, b"void 0;", "application/javascript")
        elif path == "/robots.txt":
            self._send(404, b"")
        else:
            self._send(200, b"<!doctype html><html lang=en><title>Elsewhere</title><h1>Elsewhere</h1></html>")

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        self.site.other_log.add(self.command, self.path, self.headers, self._body())
        self._send(200, b"ok", "text/plain")


class _Staging(_Base):
    def _authorized(self) -> bool:
        expected = "Basic " + base64.b64encode(f"{USER}:{BASIC_PASSWORD}".encode()).decode()
        if self.headers.get("Authorization") != expected:
            self._send(401, b"<h1>Authorization required</h1>", headers={"WWW-Authenticate": 'Basic realm="staging"'})
            return False
        if self.site.require_token and self.headers.get("X-Staging-Token") != TOKEN:
            self._send(403, b"<h1>Token required</h1>")
            return False
        return True

    def _session(self) -> str | None:
        for part in (self.headers.get("Cookie") or "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == "session" and value in self.site.sessions:
                return value
        return None

    def do_GET(self) -> None:  # noqa: N802
        site = self.site
        site.log.add(self.command, self.path, self.headers, b"")
        if not self._authorized():
            return
        path = self.path.split("?")[0]
        other = site.other_url
        if path == "/robots.txt":
            self._send(200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        elif path == "/login":
            site.csrf = secrets.token_hex(8)
            self._send(200, LOGIN.format(csrf=site.csrf).encode())
        elif path == "/go-out":
            self._send(302, headers={"Location": f"{other}/landing-302"})
        elif path == "/go-out-307":
            self._send(307, headers={"Location": f"{other}/landing-307"})
        elif not self._session():
            self._send(302, headers={"Location": "/login"})
        elif path in site.pages:
            title, body = site.pages[path]
            self._send(200, PAGE.format(title=title, body=body, other=other).encode())
        else:
            self._send(404, b"<!doctype html><html lang=en><title>Not found</title><h1>Not found</h1></html>")

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        site = self.site
        body = self._body()
        site.log.add(self.command, self.path, self.headers, body)
        if not self._authorized():
            return
        form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
        if self.path == "/login" and form.get("email") == LOGIN_EMAIL and form.get("password") == LOGIN_PASSWORD \
                and form.get("csrf") == site.csrf:
            token = secrets.token_hex(16)
            site.sessions.add(token)
            self._send(302, headers={"Location": "/account", "Set-Cookie": f"session={token}; Path=/; HttpOnly"})
        else:
            self._send(200, LOGIN.format(csrf=site.csrf).encode())


class StagingSite:
    def __init__(self, require_token: bool = True) -> None:
        self.require_token = require_token
        self.log = Recorder()
        self.other_log = Recorder()
        self.sessions: set[str] = set()
        self.csrf = ""
        self.pages: dict[str, tuple[str, str]] = {
            "/": ("Staging home", "<p>Welcome to staging.</p>"),
            "/account": ("Your account", "<p>Signed in.</p>"),
            "/about": ("About us", '<p>About.</p><img src="/team.png">'),  # a defect: image without alt
        }
        self.other = ThreadingHTTPServer(("127.0.0.2", 0), type("Other", (_Other,), {"site": self}))
        self.staging = ThreadingHTTPServer(("127.0.0.1", 0), type("Staging", (_Staging,), {"site": self}))
        for server in (self.other, self.staging):
            server.daemon_threads = True
            threading.Thread(target=server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.staging.server_address[1]}"
        self.other_url = f"http://127.0.0.2:{self.other.server_address[1]}"

    def close(self) -> None:
        for server in (self.staging, self.other):
            server.shutdown()
            server.server_close()

    def leaked(self) -> list[str]:
        """What reached 127.0.0.2 that it must never see: credentials, cookies, secrets anywhere in a request."""
        problems = []
        for method, path, headers, body in self.other_log.all():
            for name in ("authorization", "cookie", "x-staging-token", "proxy-authorization"):
                if name in headers:
                    problems.append(f"{method} {path} carried {name}: {headers[name]}")
            blob = " ".join(f"{k}: {v}" for k, v in headers.items()) + " " + path + " " + body.decode("latin-1")
            for secret in (*SECRETS, *self.sessions, base64.b64encode(f"{USER}:{BASIC_PASSWORD}".encode()).decode()):
                if secret in blob:
                    problems.append(f"{method} {path} carried a secret")
        return problems
