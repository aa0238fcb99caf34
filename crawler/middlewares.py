"""StagingAccessMiddleware: credentials for the audited site's origins only, and the scripted login, run once.

It sits last among the downloader middlewares (after cookies, redirects and retries), so what it decides is what
goes on the wire: an in-scope request (its exact origin: scheme, host and port) gets the Authorization header and
the configured headers; any other request (a redirect out of the site, another port of the same host, another
origin's robots.txt) loses Authorization, Cookie and the configured headers, whichever middleware put them there
(Scrapy's cookie jar, like a browser's, ignores ports). The login form's fields are never re-sent to another
origin: a login request redirected away is dropped. The start URL's own redirect may widen the scope to another
origin of the same host (`AuthSession.widen`: an http -> https move, say), never to another host.

The login (cookies from the config, then the login hook, then the login form) runs once in `spider_opened`,
before the first page is requested; the resulting session cookies live in Scrapy's cookie jar (host-only, one per
in-scope host) and are handed to the browsers through the shared AuthSession.
"""

from __future__ import annotations

import http.cookiejar
import logging
from typing import Any

from scrapy import signals
from scrapy.downloadermiddlewares.cookies import CookiesMiddleware
from scrapy.exceptions import CloseSpider, IgnoreRequest, NotConfigured
from scrapy.http import FormRequest, Request, TextResponse
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

from empathy_audit.crawler.auth import AuthError, AuthSession, run_hook
from empathy_audit.crawler.secrets import mask, register_secret

log = logging.getLogger(__name__)

LOGIN_META = "audit_login"


class LoginFailed(Exception):
    """The scripted login did not work; the message is one sentence for the user."""


class StagingAccessMiddleware:
    def __init__(self, crawler: Any, session: AuthSession) -> None:
        self.crawler = crawler
        self.session = session
        self.access = session.access
        self.strip = {n.lower() for n in self.access.headers} | {"authorization", "cookie"}

    @classmethod
    def from_crawler(cls, crawler: Any) -> StagingAccessMiddleware:
        session = crawler.settings.get("AUDIT_AUTH")
        if not isinstance(session, AuthSession) or not session.access.sends_credentials:
            raise NotConfigured  # no message: Scrapy would print a warning on every run without staging access
        mw = cls(crawler, session)
        crawler.signals.connect(mw.spider_opened, signal=signals.spider_opened)
        return mw

    # every request -----------------------------------------------------------------------------------------------
    def process_request(self, request: Request, spider: Any = None) -> None:
        if request.meta.get("found_via") == "start" and request.meta.get("redirect_urls") \
                and not self.access.in_scope(request.url):
            self.session.widen(request.url)
        if self.access.in_scope(request.url):
            if self.access.basic_header:
                request.headers["Authorization"] = self.access.basic_header
            for name, value in self.access.headers.items():
                request.headers[name] = value
            return
        if request.meta.get(LOGIN_META):
            raise IgnoreRequest(f"the login was redirected to {request.url}, off the audited site; "
                                f"its fields are not sent there")
        removed = [n for n in list(request.headers.keys()) if n.decode("latin-1").lower() in self.strip]
        for name in removed:
            del request.headers[name]
        if removed:
            self.crawler.stats.inc_value("audit/credentials_withheld")
            log.debug("withheld %s from %s (not the audited site)", b", ".join(removed).decode(), request.url)
        return

    # the login, once ------------------------------------------------------------------------------------------
    async def spider_opened(self, spider: Any = None) -> None:
        try:
            if self.access.cookies:
                self._add_cookies([
                    {"name": k, "value": v, "host": h, "path": "/", "secure": self.access.https_only}
                    for k, v in self.access.cookies.items() for h in self.access.hosts
                ])
            if self.access.login_hook:
                cookies = await maybe_deferred_to_future(deferToThread(run_hook, self.access))
                self._add_cookies(cookies)
            if self.access.login_url:
                await self._login_form()
        except (LoginFailed, AuthError) as exc:
            self.session.login_error = mask(str(exc))
            log.error("staging login failed: %s", self.session.login_error)
            raise CloseSpider("login_failed") from None
        cookies = self._jar_cookies()
        self.session.set_cookies(cookies)
        self.session.logged_in = True
        self.crawler.stats.set_value("audit/session_cookies", len(cookies))

    async def _login_form(self) -> None:
        url = self.access.login_url
        assert url
        meta = {LOGIN_META: True, "dont_obey_robotstxt": True}
        engine = self.crawler.engine
        page = await engine.download_async(Request(url, meta=dict(meta), dont_filter=True))
        if page.status >= 400:
            raise LoginFailed(f"the login page {url} answered HTTP {page.status}"
                              + (" (check basic-auth)" if page.status == 401 else "") + ".")
        if not isinstance(page, TextResponse):
            raise LoginFailed(f"the login page {url} is not an HTML page.")
        fields = dict(self.access.login_fields)
        kwargs: dict[str, Any] = {}
        if self.access.login_form:
            kwargs["formcss"] = self.access.login_form
        elif page.xpath("//form[.//input[@type='password']]"):
            kwargs["formxpath"] = "//form[.//input[@type='password']]"
        else:
            first = next(iter(fields))
            kwargs["formxpath"] = f"//form[.//*[@name='{first}']]"
        try:
            submit = FormRequest.from_response(page, formdata=fields, meta=dict(meta), dont_filter=True, **kwargs)
        except (ValueError, IndexError):
            hint = "login-form matches no form" if self.access.login_form else "set login-form to its CSS selector"
            raise LoginFailed(f"no login form was found at {url} ({hint}).") from None
        if not self.access.in_scope(submit.url):
            raise LoginFailed(f"the login form at {url} posts to {submit.url}, off the audited site; "
                              f"its fields are only sent to the audited site.")
        result = await engine.download_async(submit)
        if result.status >= 400:
            raise LoginFailed(f"the login at {url} was refused (HTTP {result.status}): check the login-field values.")
        if isinstance(result, TextResponse) and result.xpath("//form[.//input[@type='password']]"):
            raise LoginFailed(f"the login at {url} did not succeed (the login form came back): "
                              f"check the login-field values.")
        log.info("logged in at %s", url)

    # Scrapy's cookie jar -----------------------------------------------------------------------------------------
    def _jar(self) -> Any:
        for mw in self.crawler.engine.downloader.middleware.middlewares:
            if isinstance(mw, CookiesMiddleware):
                return mw.jars[None]
        raise LoginFailed("cookies are disabled (COOKIES_ENABLED = False), so a login session cannot be kept.")

    def _add_cookies(self, cookies: list[dict[str, Any]]) -> None:
        jar = self._jar()
        for c in cookies:
            register_secret(c["value"])
            jar.set_cookie(http.cookiejar.Cookie(
                version=0, name=c["name"], value=c["value"], port=None, port_specified=False,
                domain=c["host"], domain_specified=False, domain_initial_dot=False,
                path=c.get("path") or "/", path_specified=True, secure=bool(c.get("secure")), expires=None,
                discard=True, comment=None, comment_url=None, rest={}, rfc2109=False,
            ))

    def _jar_cookies(self) -> list[dict[str, Any]]:
        """Cookies in the jar that in-scope hosts would get, one entry per host (host-only for the browsers)."""
        out = []
        for cookie in self._jar():
            domain = cookie.domain.lower()
            for host in sorted(self.access.hosts):
                if host == domain.lstrip(".") or (domain.startswith(".") and host.endswith(domain)):
                    out.append({"name": cookie.name, "value": cookie.value or "", "host": host,
                                "path": cookie.path or "/", "secure": bool(cookie.secure),
                                "httpOnly": cookie.has_nonstandard_attr("HttpOnly")})
        return out

