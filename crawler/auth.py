"""Staging access: basic auth, extra headers, cookies and a scripted login, scoped to the audited site's origins.

Rules every part follows (Scrapy side: crawler/middlewares.py; Chromium side: `AuthSession.attach`):

- Credentials (the Authorization header, the configured headers, cookies, the login form's fields) are sent only
  to the origins in scope (scheme, host and port, as browsers and RFC 7235 scope them): the start URL's origin and
  its www. twin on the same scheme and port, the origins of a --urls list and every --also-origin. Another port
  or scheme of the same host is another origin and gets nothing. A redirect to another origin never carries them;
  the start URL redirected to another origin of the same host (or its www. twin), never from https to http, widens
  the scope to it (`AuthSession.widen`); moving to another host does not.
- Every secret is registered here and masked (`mask`) in log records, in what the history database stores (run
  settings, pages, findings) and therefore in every report written from it.
- Chromium never gets a browser-wide header (`Network.setExtraHTTPHeaders` would send it to every host) nor a
  cookie in its cookie jar (cookies are not port-scoped: a jar cookie for 127.0.0.1 goes to every port): a
  DevTools connection of our own pauses only the requests whose URL is on an in-scope origin (`Fetch.enable`
  with one `scheme://host:port/*` pattern per origin), checks the origin again, adds the headers and the cookies
  to those, and answers HTTP auth challenges only for them. Requests to any other origin are never paused and
  get nothing; Chromium's own auth cache never learns the password (it is not entered through a challenge
  dialog), so it cannot replay it elsewhere, and pages' scripts cannot read the cookies (document.cookie).
"""

from __future__ import annotations

import base64
import importlib
import logging
import os
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from empathy_audit.audits.gather.devtools import DevToolsClient, browser_devtools_url, debugger_address
from empathy_audit.crawler.secrets import mask, register_secret
from empathy_audit.crawler.urls import origin, origin_parts, site_origins

log = logging.getLogger(__name__)

# --- configuration ----------------------------------------------------------------------------------------------

SECRET_FIELD = re.compile(r"pass|pwd|secret|token|otp|pin\b|key|auth|session|sid$|jwt|bearer|cookie", re.IGNORECASE)
_TOKEN = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")  # an HTTP header or cookie name


class AuthError(ValueError):
    """A staging-access option is malformed; the message is one sentence naming it."""


def _pairs(items: Iterable[str], sep: str, option: str, shape: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for item in items or []:
        name, found, value = str(item).partition(sep)
        name = name.strip()
        if not found or not name or not _TOKEN.match(name):
            raise AuthError(f"{option} {item!r} must look like {shape}.")
        out[name] = value.strip() if sep == ":" else value
    return out


@dataclass
class StagingAccess:
    """What the user configured to get into a staging site. Validated; secrets already registered for masking."""

    start_url: str
    origins: set[str]  # scheme://host[:port], exact; only widened by AuthSession.widen
    https_only: bool  # the start URL is https: credentials never go over plain http
    basic: tuple[str, str] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    login_url: str | None = None
    login_fields: dict[str, str] = field(default_factory=dict)
    login_form: str | None = None
    login_hook: str | None = None
    insecure: bool = False

    @classmethod
    def from_args(cls, args: Any, start_url: str, env_secrets: Iterable[str] = (),
                  origins: Iterable[str] | None = None) -> "StagingAccess":
        """`origins`: the site's origins (crawler.urls.site_origins); by default the start URL's and the
        --also-origin ones."""
        if origins is None:
            origins = site_origins(start_url, also=getattr(args, "also_origin", None) or ())
        access = cls(start_url=start_url, origins=set(origins), https_only=start_url.startswith("https://"),
                     insecure=bool(getattr(args, "insecure", False)))
        basic = getattr(args, "basic_auth", None)
        if basic:
            user, found, password = str(basic).partition(":")
            if not found or not user:
                raise AuthError("basic-auth must look like USER:PASSWORD, e.g. 'ci:${STAGING_PASSWORD}'.")
            access.basic = (user, password)
        access.headers = _pairs(getattr(args, "header", None) or [], ":", "header", "'Name: value'")
        for name in access.headers:
            if name.lower() in ("host", "content-length", "transfer-encoding", "connection"):
                raise AuthError(f"header {name!r} cannot be set: it is managed by the HTTP client.")
        access.cookies = _pairs(getattr(args, "cookie", None) or [], "=", "cookie", "'name=value'")
        access.login_fields = _pairs(getattr(args, "login_field", None) or [], "=", "login-field", "'name=value'")
        access.login_url = getattr(args, "login_url", None) or None
        access.login_form = getattr(args, "login_form", None) or None
        access.login_hook = getattr(args, "login_hook", None) or None
        if (access.login_fields or access.login_form) and not access.login_url:
            raise AuthError("login-field and login-form need login-url, the address of the login form.")
        if access.login_url:
            parts = urlsplit(access.login_url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise AuthError(f"login-url {access.login_url!r} is not an http:// or https:// URL.")
            if origin(access.login_url) not in access.origins:
                raise AuthError(
                    f"login-url {access.login_url} is not on the audited site ({', '.join(sorted(access.origins))}): "
                    f"credentials are only sent there (use login-hook for a single sign-on elsewhere)."
                )
            if not access.login_fields:
                raise AuthError("login-url needs login-field values to fill in, e.g. 'password=${STAGING_PASSWORD}'.")
        if access.login_hook and not re.match(r"^[\w.]+:[\w.]+$", access.login_hook):
            raise AuthError(f"login-hook {access.login_hook!r} must look like 'module:function'.")
        # Everything that could open the door is masked from here on.
        if access.basic:
            register_secret(access.basic[1])
            register_secret(access.basic_header)
            register_secret(base64.b64encode(f"{access.basic[0]}:{access.basic[1]}".encode()).decode())
        for value in access.headers.values():
            register_secret(value)
        for value in access.cookies.values():
            register_secret(value)
        for name, value in access.login_fields.items():
            if SECRET_FIELD.search(name):
                register_secret(value)
        for value in env_secrets:
            register_secret(value)
        return access

    @property
    def active(self) -> bool:
        return bool(self.basic or self.headers or self.cookies or self.login_url or self.login_hook or self.insecure)

    @property
    def sends_credentials(self) -> bool:
        return bool(self.basic or self.headers or self.cookies or self.login_url or self.login_hook)

    @property
    def basic_header(self) -> str | None:
        if not self.basic:
            return None
        token = base64.b64encode(f"{self.basic[0]}:{self.basic[1]}".encode("utf-8")).decode("ascii")
        return f"Basic {token}"

    @property
    def hosts(self) -> set[str]:
        """The host names of the in-scope origins (cookies are kept per host, then sent per origin)."""
        return {origin_parts(o)[1] for o in self.origins}

    def in_scope(self, url: str) -> bool:
        """May credentials go to this URL? Its origin (scheme, host and port) is one of the site's, exactly."""
        own = origin(url)
        return bool(own) and own in self.origins

    def may_widen(self, url: str) -> bool:
        """May the start URL's redirect to `url` widen the scope? Only to another origin of an in-scope host (or
        its www. twin), and never from an https site to plain http."""
        own = origin(url)
        if not own or own in self.origins or (self.https_only and not own.startswith("https://")):
            return False
        host = origin_parts(own)[1]
        bare = host[4:] if host.startswith("www.") else host
        return bool({host, bare, f"www.{bare}"} & self.hosts)

    def summary(self) -> dict[str, Any]:
        """What was configured, without a single secret: stored with the run."""
        out: dict[str, Any] = {"origins": sorted(self.origins)}
        if self.basic:
            out["basic_auth_user"] = self.basic[0]
        if self.headers:
            out["headers"] = sorted(self.headers)
        if self.cookies:
            out["cookies"] = sorted(self.cookies)
        if self.login_url:
            out["login_url"] = self.login_url
            out["login_fields"] = sorted(self.login_fields)
        if self.login_hook:
            out["login_hook"] = self.login_hook
        out["insecure"] = self.insecure
        return out


# --- the session shared by Scrapy and the browsers --------------------------------------------------------------


class AuthSession:
    """Staging access for one crawl: the configuration plus the session cookies the login produced.

    Lives in the AUDIT_AUTH setting; Scrapy deep-copies settings, so copies are the same object (shared state).
    """

    def __init__(self, access: StagingAccess) -> None:
        self.access = access
        self._lock = threading.Lock()
        self._cookies: list[dict[str, Any]] = []
        self.version = 0
        self.scope_version = 0  # bumped when the start URL's redirect widens the scope (browsers re-scope)
        self.login_error: str | None = None
        self.logged_in = False

    def __deepcopy__(self, memo: dict) -> "AuthSession":
        return self

    def __copy__(self) -> "AuthSession":
        return self

    def __repr__(self) -> str:  # never the secrets
        return f"<AuthSession origins={sorted(self.access.origins)} cookies={len(self._cookies)}>"

    # cookies ---------------------------------------------------------------------------------------------------
    def set_cookies(self, cookies: Iterable[dict[str, Any]]) -> None:
        """The session's cookies, as {name, value, host, path, secure, httpOnly}; only in-scope hosts are kept."""
        kept = []
        for c in cookies:
            host = str(c.get("host") or "").lstrip(".").lower()
            if host not in self.access.hosts:
                continue
            register_secret(c.get("value"))
            kept.append({"name": str(c["name"]), "value": str(c.get("value") or ""), "host": host,
                         "path": c.get("path") or "/", "secure": bool(c.get("secure")),
                         "httpOnly": bool(c.get("httpOnly"))})
        with self._lock:
            self._cookies = kept
            self.version += 1

    def cookies(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._cookies)

    def cookie_header(self, url: str) -> str:
        """`name=value; ...` of the session's cookies for an in-scope URL (host, path and secure matched), else ""."""
        if not self.access.in_scope(url):
            return ""
        scheme, host, _ = origin_parts(origin(url))
        path = urlsplit(url).path or "/"
        return "; ".join(f"{c['name']}={c['value']}" for c in self.cookies()
                         if c["host"] == host and path.startswith(c["path"].rstrip("/") or "/")
                         and (scheme == "https" or not c["secure"]))

    def widen(self, url: str) -> bool:
        """The start URL was redirected to `url`: its origin joins the scope when `may_widen` allows it."""
        with self._lock:
            if not self.access.may_widen(url):
                return False
            self.access.origins.add(origin(url))
            self.scope_version += 1
        log.info("the start URL moved to %s: credentials go there too", origin(url))
        return True

    # browser hooks (called by crawler/browser/driver.py and page_audit.py) ---------------------------------------
    def configure(self, options: Any) -> None:
        """Before a browser starts: accept self-signed certificates when --insecure was given."""
        if self.access.insecure:
            options.add_argument("--ignore-certificate-errors")
            try:
                options.accept_insecure_certs = True
            except Exception:  # noqa: BLE001 - older Selenium: the flag alone does it
                pass

    def attach(self, driver: Any) -> None:
        """After a browser started: open our DevTools channel, scope headers and auth to in-scope hosts."""
        if not self.access.sends_credentials:
            return
        address = debugger_address(driver)
        if not address:
            raise RuntimeError(
                "staging access (basic auth, headers, cookies, login) in the browser needs a local Chromium; "
                "it is not available through --webdriver-url"
            )
        channel = DevToolsChannel(address, self)
        channel.start()
        driver._empathy_staging = channel  # noqa: SLF001 - lives and dies with the driver

    def before_page(self, driver: Any) -> None:
        """Before each page: the interception follows a scope widened by the start URL's redirect."""
        channel = getattr(driver, "_empathy_staging", None)
        if channel is not None and channel.scope_version != self.scope_version:
            channel.rescope()

    # patterns ------------------------------------------------------------------------------------------------
    def url_patterns(self) -> list[str]:
        """One Fetch pattern per in-scope origin, its port written out (`http://127.0.0.1:8801/*`): a pattern such
        as `127.0.0.1*` would also pause 127.0.0.10 and every other port."""
        out = []
        for site in sorted(self.access.origins):
            scheme, host, port = origin_parts(site)
            h = f"[{host}]" if ":" in host else host
            default = {"http": 80, "https": 443}[scheme] == port
            out.append(f"{scheme}://{h}/*" if default else f"{scheme}://{h}:{port}/*")
        return out


class DevToolsChannel:
    """A DevTools (CDP) connection of our own to one Chromium, beside chromedriver's.

    chromedriver runs WebDriver commands one at a time, so a request paused during `driver.get` could not be
    answered through it; this connection's events are handled on its own reader thread. It auto-attaches to every
    page and frame target and enables the Fetch domain there for the in-scope origins' URL patterns only.
    """

    def __init__(self, address: str, session: AuthSession) -> None:
        self.address = address
        self.session = session
        self.access = session.access
        self._auth_answered: set[str] = set()
        self._ready = threading.Event()
        self._targets: set[str] = set()  # sessions of the page and frame targets Fetch is enabled on
        self.scope_version = session.scope_version
        self.client: DevToolsClient | None = None
        self.stats = {"paused": 0, "credentials_added": 0, "auth_answered": 0, "auth_cancelled": 0}

    def start(self) -> None:
        self.client = DevToolsClient(browser_devtools_url(self.address), connect_timeout=30,
                                     on_event=self._on_event, name="staging-devtools")
        self.call("Target.setAutoAttach", {"autoAttach": True, "waitForDebuggerOnStart": False, "flatten": True})
        if not self._ready.wait(10):
            raise RuntimeError("the browser's page did not accept the staging-access interception within 10 s")

    def close(self) -> None:
        if self.client is not None:
            self.client.close()

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> int:
        assert self.client is not None, "start() first"
        return self.client.send(method, params, session)

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             timeout: float = 10.0) -> dict[str, Any]:
        assert self.client is not None, "start() first"
        return self.client.call(method, params, session, timeout)

    # events -------------------------------------------------------------------------------------------------------
    def _on_event(self, method: str, params: dict[str, Any], session: str | None) -> None:
        if method == "Target.attachedToTarget":
            info = params.get("targetInfo") or {}
            sid = params.get("sessionId")
            if info.get("type") in ("page", "iframe"):
                threading.Thread(target=self._enable, args=(sid, self._patterns(), info.get("type")),
                                 daemon=True).start()
            else:
                self.send("Runtime.runIfWaitingForDebugger", {}, sid)
        elif method == "Target.detachedFromTarget":
            self._targets.discard(params.get("sessionId"))
        elif method == "Fetch.requestPaused":
            self._on_paused(params, session)
        elif method == "Fetch.authRequired":
            self._on_auth(params, session)

    def _patterns(self) -> list[dict[str, str]]:
        return [{"urlPattern": p, "requestStage": "Request"} for p in self.session.url_patterns()]

    def _enable(self, sid: str, patterns: list[dict[str, str]], kind: str) -> None:
        try:
            self.call("Fetch.enable", {"patterns": patterns, "handleAuthRequests": True}, sid)
            self.send("Runtime.runIfWaitingForDebugger", {}, sid)
        except Exception as exc:  # noqa: BLE001
            log.debug("could not intercept a %s target: %s", kind, exc)
            return
        self._targets.add(sid)
        if kind == "page":
            self._ready.set()

    def rescope(self) -> None:
        """The scope was widened: every intercepted target pauses the new origin's requests too."""
        version = self.session.scope_version
        for sid in list(self._targets):
            try:
                self.call("Fetch.enable", {"patterns": self._patterns(), "handleAuthRequests": True}, sid)
            except Exception as exc:  # noqa: BLE001 - a target that went away meanwhile
                log.debug("could not re-scope a target: %s", exc)
        self.scope_version = version

    def _on_paused(self, params: dict[str, Any], session: str | None) -> None:
        request = params.get("request") or {}
        url = request.get("url", "")
        self.stats["paused"] += 1
        if not self.access.in_scope(url):  # the exact origin, whatever the pattern matched
            self.send("Fetch.continueRequest", {"requestId": params["requestId"]}, session)
            return
        cookie = self.session.cookie_header(url)
        ours = {n.lower() for n in self.access.headers} | ({"authorization"} if self.access.basic else set())
        ours |= {"cookie"} if cookie else set()
        given = request.get("headers") or {}
        headers = [{"name": k, "value": v} for k, v in given.items() if k.lower() not in ours]
        headers += [{"name": k, "value": v} for k, v in self.access.headers.items()]
        if self.access.basic_header:
            headers.append({"name": "Authorization", "value": self.access.basic_header})
        if cookie:  # the page's own cookies (set by the site in this browser) first, then the session's
            page_cookies = next((v for k, v in given.items() if k.lower() == "cookie"), "")
            headers.append({"name": "Cookie", "value": "; ".join(c for c in (page_cookies, cookie) if c)})
        self.stats["credentials_added"] += 1
        self.send("Fetch.continueRequest", {"requestId": params["requestId"], "headers": headers}, session)

    def _on_auth(self, params: dict[str, Any], session: str | None) -> None:
        request_id = params["requestId"]
        url = (params.get("request") or {}).get("url", "")
        if self.access.basic and self.access.in_scope(url) and request_id not in self._auth_answered:
            self._auth_answered.add(request_id)
            user, password = self.access.basic
            response = {"response": "ProvideCredentials", "username": user, "password": password}
            self.stats["auth_answered"] += 1
        else:  # another host, or our credentials were refused once already: no second try, no prompt
            response = {"response": "CancelAuth"}
            self.stats["auth_cancelled"] += 1
        self.send("Fetch.continueWithAuth", {"requestId": request_id, "authChallengeResponse": response}, session)


# --- the login hook ---------------------------------------------------------------------------------------------


@dataclass
class LoginContext:
    """What a login hook gets: `def login(ctx) -> dict[str, str]` returns the session cookies (name -> value)."""

    start_url: str
    login_url: str | None
    fields: dict[str, str]
    basic_auth: tuple[str, str] | None
    insecure: bool
    env: dict[str, str]


def load_hook(spec: str) -> Callable[[LoginContext], Any]:
    module_name, _, func_name = spec.partition(":")
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:  # noqa: BLE001
        raise AuthError(f"login-hook {spec!r}: cannot import {module_name} ({type(exc).__name__}: {exc}).") from None
    func: Any = module
    for part in func_name.split("."):
        func = getattr(func, part, None)
    if not callable(func):
        raise AuthError(f"login-hook {spec!r}: {module_name} has no function {func_name}.")
    return func


def run_hook(access: StagingAccess) -> list[dict[str, Any]]:
    """Call the login hook once; its cookies, one per in-scope host, as AuthSession.set_cookies takes them."""
    assert access.login_hook
    func = load_hook(access.login_hook)
    ctx = LoginContext(access.start_url, access.login_url, dict(access.login_fields), access.basic, access.insecure,
                       dict(os.environ))
    started = time.monotonic()
    try:
        result = func(ctx)
    except Exception as exc:  # noqa: BLE001
        raise AuthError(mask(f"the login hook {access.login_hook} failed: {type(exc).__name__}: {exc}.")) from None
    if result is None:
        result = {}
    if not isinstance(result, dict) or not all(isinstance(k, str) for k in result):
        raise AuthError(f"the login hook {access.login_hook} must return a dict of cookie names to values.")
    log.info("login hook %s returned %d cookies in %.1f s", access.login_hook, len(result), time.monotonic() - started)
    out = []
    for name, value in result.items():
        register_secret(value)
        for host in sorted(access.hosts):
            out.append({"name": name, "value": str(value), "host": host, "path": "/", "secure": access.https_only})
    return out
