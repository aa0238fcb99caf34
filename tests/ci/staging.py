"""A staging site behind basic auth, a token header and a login form (127.0.0.1), linked to a second host
(127.0.0.2) that records every request's headers, so a test can prove no credential ever reaches it."""

from __future__ import annotations

import base64
import secrets
import threading
from contextlib import ExitStack
from typing import Any
from urllib.parse import parse_qs

from empathy_audit.crawler.devserver import serve

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

    def __call__(self, req: Any) -> None:  # crawler.devserver's on_request hook
        body = req.body() if req.command == "POST" else b""
        with self.lock:
            self.requests.append((req.command, req.path, {k.lower(): v for k, v in req.headers.items()}, body))

    def all(self) -> list[tuple[str, str, dict[str, str], bytes]]:
        with self.lock:
            return list(self.requests)


def send(req: Any, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8",
         headers: dict[str, str] | None = None) -> None:
    req.send_response(status)
    req.send_header("Content-Type", ctype)
    req.send_header("Content-Length", str(len(body)))
    for k, v in (headers or {}).items():
        req.send_header(k, v)
    req.end_headers()
    if req.command != "HEAD":
        req.wfile.write(body)


_PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


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
        self._stack = ExitStack()
        other = self._stack.enter_context(serve(None, "127.0.0.2", routes={"*": self._other},
                                                on_request=self.other_log))
        staging = self._stack.enter_context(serve(None, "127.0.0.1", routes={"*": self._staging},
                                                  on_request=self.log))
        self.url = staging.base_url
        self.other_url = other.base_url

    def close(self) -> None:
        self._stack.close()

    def _other(self, req: Any) -> None:
        """127.0.0.2: answers everything (its hook remembers everything)."""
        path = req.path.split("?")[0]
        if req.command == "POST":
            send(req, 200, b"ok", "text/plain")
        elif path == "/401":
            send(req, 401, b"no", headers={"WWW-Authenticate": 'Basic realm="other"'})
        elif path.endswith(".png"):
            send(req, 200, _PIXEL, "image/png")
        elif path.endswith(".css"):
            send(req, 200, b"body{font-family:sans-serif}", "text/css")
        elif path.endswith(".js"):
            send(req, 200, b"void 0;", "application/javascript")
        elif path == "/robots.txt":
            send(req, 404, b"")
        else:
            send(req, 200, b"<!doctype html><html lang=en><title>Elsewhere</title><h1>Elsewhere</h1></html>")

    def _authorized(self, req: Any) -> bool:
        expected = "Basic " + base64.b64encode(f"{USER}:{BASIC_PASSWORD}".encode()).decode()
        if req.headers.get("Authorization") != expected:
            send(req, 401, b"<h1>Authorization required</h1>", headers={"WWW-Authenticate": 'Basic realm="staging"'})
            return False
        if self.require_token and req.headers.get("X-Staging-Token") != TOKEN:
            send(req, 403, b"<h1>Token required</h1>")
            return False
        return True

    def _session(self, req: Any) -> str | None:
        for part in (req.headers.get("Cookie") or "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == "session" and value in self.sessions:
                return value
        return None

    def _staging(self, req: Any) -> None:
        if not self._authorized(req):
            return
        if req.command == "POST":
            self._login(req)
            return
        path = req.path.split("?")[0]
        if path == "/robots.txt":
            send(req, 200, b"User-agent: *\nDisallow: /private/\n", "text/plain")
        elif path == "/login":
            self.csrf = secrets.token_hex(8)
            send(req, 200, LOGIN.format(csrf=self.csrf).encode())
        elif path == "/go-out":
            send(req, 302, headers={"Location": f"{self.other_url}/landing-302"})
        elif path == "/go-out-307":
            send(req, 307, headers={"Location": f"{self.other_url}/landing-307"})
        elif not self._session(req):
            send(req, 302, headers={"Location": "/login"})
        elif path in self.pages:
            title, body = self.pages[path]
            send(req, 200, PAGE.format(title=title, body=body, other=self.other_url).encode())
        else:
            send(req, 404, b"<!doctype html><html lang=en><title>Not found</title><h1>Not found</h1></html>")

    def _login(self, req: Any) -> None:
        form = {k: v[0] for k, v in parse_qs(req.body().decode()).items()}
        if req.path == "/login" and form.get("email") == LOGIN_EMAIL and form.get("password") == LOGIN_PASSWORD \
                and form.get("csrf") == self.csrf:
            token = secrets.token_hex(16)
            self.sessions.add(token)
            send(req, 302, headers={"Location": "/account", "Set-Cookie": f"session={token}; Path=/; HttpOnly"})
        else:
            send(req, 200, LOGIN.format(csrf=self.csrf).encode())

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
