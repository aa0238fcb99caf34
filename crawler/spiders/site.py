"""SiteSpider: crawls one site from a start URL, links and sitemaps; it only crawls.

The site is a set of origins (scheme, host and port): the start URL's and its www. twin's on the same scheme and
port, the origin the start URL redirects to, the origins of a --urls list and every --also-origin
(AUDIT_ALSO_ORIGINS). A link to another port or scheme of the same host is off the site: not crawled, not audited.
"""

from __future__ import annotations

import re
import time
from typing import Any, AsyncIterator, Iterator

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response, TextResponse
from scrapy.utils.gz import gunzip
from scrapy.utils.response import get_base_url
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.internet.error import (
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)
from twisted.python.failure import Failure

from empathy_audit.audits.urls import join
from empathy_audit.crawler.items import PageItem
from empathy_audit.crawler.urls import (canonicalize, in_origins, origin, origin_of, origin_parts, scope_origins,
                                        site_origins, validate_start_url)

HTML_TYPES = ("text/html", "application/xhtml+xml")
KEPT_HEADERS = (
    "content-type",
    "content-length",
    "content-encoding",
    "cache-control",
    "expires",
    "etag",
    "last-modified",
    "content-language",
    "x-robots-tag",
)
MAX_SITEMAPS = 50
LIMIT_MEMORY = 100_000  # distinct URLs remembered per limit, to count what it kept out
CANONICAL_CACHE = 20_000  # absolute URL -> canonical URL, remembered for links met again
# Links that never lead to a page: other schemes, and the usual destructive or session-ending paths.
_SKIP_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "sms:", "ftp:", "file:", "blob:")
_LOGOUT = re.compile(r"/(log-?out|sign-?out|logoff)\b", re.IGNORECASE)


def describe_failure(failure: Failure, timeout: float) -> str:
    """One sentence for a request that got no usable response."""
    exc = failure.value
    if isinstance(exc, IgnoreRequest) and "robots.txt" in str(exc).lower():
        return "blocked by robots.txt"
    if isinstance(exc, IgnoreRequest):
        return f"not fetched: {exc}" if str(exc) else "not fetched"
    name = type(exc).__name__
    # Scrapy 2.13+ wraps Twisted's errors in its own Download*/CannotResolveHost* exceptions: match both.
    if isinstance(exc, DNSLookupError) or "Resolve" in name or "DNSLookup" in name:
        return "the host name does not resolve (DNS lookup failed)"
    if isinstance(exc, ConnectionRefusedError) or "ConnectionRefused" in name:
        return "the server refused the connection"
    if isinstance(exc, (TimeoutError, TCPTimedOutError)) or "Timeout" in name:
        return f"no answer within {timeout:g} s"
    text = str(exc).strip()
    if "maxsize" in text.lower() or "cancelled" in text.lower() and "size" in text.lower():
        return "the response was larger than the download limit and was cut off"
    return f"the request failed ({name}{': ' + text[:200] if text else ''})"


class SiteSpider(scrapy.Spider):
    """Crawls from `url`; or, given `urls` (--urls), fetches exactly those pages: no link is followed, no sitemap read,
    and the scope is the set of their origins."""

    name = "site"

    def __init__(self, url: str | None = None, *args: Any, urls: list[str] | tuple[str, ...] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.listed = [validate_start_url(u) for u in urls or ()]
        self.start_url = self.listed[0] if self.listed else validate_start_url(url or "")
        self.origins = site_origins(self.start_url, self.listed)
        self.allowed_domains = sorted(self.hosts)
        self.seen: set[str] = set()
        self.sitemaps_seen: set[str] = set()
        # <priority> of every in-scope URL read in a sitemap, however the page was first found (a link, the start
        # URL): the storage pipeline writes it to the stored pages when the crawl ends (IMPACT.md 3.2 importance).
        self.sitemap_priorities: dict[str, float] = {}
        self.pages_scheduled = 0
        self.pages_capped = 0
        self.pages_done = 0  # answered or failed: scheduled - done is what a --max-time stop left behind
        # Distinct URLs a limit kept out (bounded: a count past LIMIT_MEMORY is "at least")
        self.capped: set[str] = set()
        self.too_deep: set[str] = set()
        self._canonical: dict[str, str] = {}

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> "SiteSpider":
        spider = super().from_crawler(crawler, *args, **kwargs)
        s = crawler.settings
        spider.max_pages = s.getint("AUDIT_MAX_PAGES", 500)
        spider.max_depth = s.getint("AUDIT_MAX_DEPTH", 10)
        spider.include = [re.compile(p) for p in s.getlist("AUDIT_INCLUDE")]
        spider.exclude = [re.compile(p) for p in s.getlist("AUDIT_EXCLUDE")]
        spider.use_sitemaps = s.getbool("AUDIT_SITEMAPS", True) and not spider.listed
        spider.timeout = s.getfloat("DOWNLOAD_TIMEOUT", 20)
        also = site_origins("", also=s.getlist("AUDIT_ALSO_ORIGINS"))
        if also:
            spider.origins |= also
            spider.allowed_domains = sorted(spider.hosts)
        return spider

    @property
    def hosts(self) -> set[str]:
        """The host names of the site's origins (Scrapy's allowed_domains; the scope itself is `origins`)."""
        return {origin_parts(o)[1] for o in self.origins}

    # --- scheduling ------------------------------------------------------------------------------------------

    def stopping(self) -> bool:
        """The run was asked to stop (Ctrl-C: AUDIT_STOP): schedule nothing more."""
        stop = self.crawler.settings.get("AUDIT_STOP") if hasattr(self, "crawler") else None
        return stop is not None and stop.requested

    def in_scope(self, url: str) -> bool:
        if not url.startswith(("http://", "https://")):
            return False
        if origin(url) not in self.origins:
            return False
        if self.exclude and any(p.search(url) for p in self.exclude):
            return False
        if self.include and url != self.start_url and not any(p.search(url) for p in self.include):
            return False
        return True

    def canonical(self, url: str) -> str:
        """canonicalize(url), remembered: a site's pages repeat the same navigation links hundreds of times.

        The memory is bounded (emptied when full), so it stays small however large the site."""
        cache = self._canonical
        found = cache.get(url)
        if found is None:
            found = canonicalize(url)
            if len(cache) >= CANONICAL_CACHE:
                cache.clear()
            cache[url] = found
        return found

    def page_request(
        self, url: str, depth: int, via: str, referrer: str | None = None, priority: float | None = None
    ) -> Request | None:
        """A request for a page, or None when it is out of scope, seen, too deep or over the page cap."""
        if url.lower().startswith(_SKIP_SCHEMES):
            return None
        url = self.canonical(url)
        if url in self.seen or not self.in_scope(url) or _LOGOUT.search(url):
            return None
        if depth > self.max_depth:
            if len(self.too_deep) < LIMIT_MEMORY:
                self.too_deep.add(url)
            return None
        return self._request(url, depth, via, referrer, priority)

    def listed_request(self, url: str) -> Request | None:
        """A request for a page of the --urls list: exactly that page (scope, depth and include/exclude do not
        apply; the same URL listed twice is fetched once), within --max-pages."""
        if url in self.seen:
            return None
        return self._request(url, 0, "list")

    def _request(self, url: str, depth: int, via: str, referrer: str | None = None,
                 priority: float | None = None) -> Request | None:
        """The request for a page not seen yet, counted; None over the page cap or once the run is stopping."""
        if self.stopping():
            return None
        if self.pages_scheduled >= self.max_pages:
            self.pages_capped += 1
            if len(self.capped) < LIMIT_MEMORY:
                self.capped.add(url)
            self.crawler.stats.inc_value("audit/pages_not_crawled_page_cap")
            return None
        self.seen.add(url)
        self.pages_scheduled += 1
        meta = {"page_url": url, "page_depth": depth, "found_via": via, "referrer_page": referrer}
        if priority is not None:
            meta["sitemap_priority"] = priority
        return Request(
            url,
            callback=self.parse_page,
            errback=self.page_failed,
            meta=meta,
            priority=-depth,
            dont_filter=True,  # our own seen-set has already de-duplicated canonical URLs
        )

    async def start(self) -> AsyncIterator[Any]:
        if self.listed:
            for url in self.listed:
                if self.stopping():
                    return
                req = self.listed_request(url)
                if req is not None:
                    yield req
            return
        req = self.page_request(self.start_url, 0, "start")
        if req is not None:
            req.priority = 100
            yield req
        if self.use_sitemaps:
            origin = origin_of(self.start_url)
            yield Request(
                f"{origin}/robots.txt",
                callback=self.parse_robots,
                errback=self.ignore_failure,
                priority=50,
                dont_filter=True,
                meta={"dont_obey_robotstxt": True},
            )
            yield self.sitemap_request(f"{origin}/sitemap.xml")

    # --- pages -----------------------------------------------------------------------------------------------

    def parse_page(self, response: Response) -> Iterator[Any]:
        self.pages_done += 1
        meta = response.meta
        content_type = response.headers.get(b"Content-Type", b"").decode("latin-1").strip()
        item = PageItem(
            url=meta["page_url"],
            final_url=response.url,
            status=response.status,
            content_type=content_type,
            depth=meta["page_depth"],
            found_via=meta["found_via"],
            referrer=meta.get("referrer_page"),
            sitemap_priority=meta.get("sitemap_priority"),
            headers={
                k.decode("latin-1").lower(): response.headers.get(k, b"").decode("latin-1")
                for k in response.headers.keys()
                if k.decode("latin-1").lower() in KEPT_HEADERS
            },
            redirect_chain=[canonicalize(u) for u in meta.get("redirect_urls", [])],
            fetched_at=time.time(),
        )
        final = canonicalize(response.url)
        if final != item.url:
            if meta["found_via"] == "start" and not in_origins(final, self.origins):
                # The start URL moved (brand.com -> www.brand.co.uk, http -> https): that origin is the site.
                self.origins |= scope_origins(final)
                self.allowed_domains = sorted(self.hosts)
            if not in_origins(final, self.origins):
                item.error = f"redirects out of the site to {final}"
                yield item
                return
            if final in self.seen:
                item.error = None  # the page itself is audited under its own URL
                item.content_type = content_type
                yield item
                return
            self.seen.add(final)
        mime = content_type.split(";")[0].strip().lower()
        is_html = isinstance(response, TextResponse) and (
            mime in HTML_TYPES or (not mime and response.text.lstrip()[:15].lower().startswith(("<!doctype html", "<html")))
        )
        if not is_html or not (200 <= response.status < 300):
            yield item
            return
        item.html = response.text
        item.title = " ".join((response.xpath("//head/title/text()").get() or "").split())
        yield item
        if self.listed or self.stopping():
            return  # a list is audited as given; a stopping run fetches nothing new
        if meta.get("found_via") == "start" or "noindex" not in item.headers.get("x-robots-tag", ""):
            # lxml directly: the same strings as response.xpath(...).getall(), without a Selector per link.
            try:
                base = get_base_url(response)  # what response.urljoin() joins with
            except ValueError:  # a malformed <base href>: response.urljoin() would fail on every link too
                return
            for href in response.selector.root.xpath("//a[@href]/@href | //area[@href]/@href"):
                href = str(href).strip()
                if not href or href.startswith("#") or href.lower().startswith(_SKIP_SCHEMES):
                    continue
                try:
                    absolute = join(base, href)  # urljoin, remembered for the navigation links every page repeats
                except ValueError:
                    continue
                req = self.page_request(absolute, item.depth + 1, "link", referrer=item.url)
                if req is not None:
                    yield req

    def page_failed(self, failure: Failure) -> Iterator[PageItem]:
        self.pages_done += 1
        request = failure.request
        meta = request.meta
        yield PageItem(
            url=meta["page_url"],
            final_url=request.url,
            status=None,
            depth=meta["page_depth"],
            found_via=meta["found_via"],
            referrer=meta.get("referrer_page"),
            sitemap_priority=meta.get("sitemap_priority"),
            error=describe_failure(failure, self.timeout),
            fetched_at=time.time(),
        )

    # --- sitemaps --------------------------------------------------------------------------------------------

    def sitemap_request(self, url: str) -> Request:
        self.sitemaps_seen.add(url)
        return Request(url, callback=self.parse_sitemap, errback=self.ignore_failure, priority=40, dont_filter=True)

    def parse_robots(self, response: Response) -> Iterator[Request]:
        if response.status != 200 or not isinstance(response, TextResponse):
            return
        for url in sitemap_urls_from_robots(response.body, base_url=response.url):
            if in_origins(url, self.origins) and url not in self.sitemaps_seen and len(self.sitemaps_seen) < MAX_SITEMAPS:
                yield self.sitemap_request(url)

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        if response.status != 200:
            return
        body = response.body
        if body[:2] == b"\x1f\x8b":
            try:
                body = gunzip(body, max_size=self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
            except Exception:
                self.logger.info("sitemap %s is not valid gzip; skipped", response.url)
                return
        try:
            sitemap = Sitemap(body)
        except Exception:
            self.logger.info("sitemap %s is not valid XML; skipped", response.url)
            return
        if sitemap.type == "sitemapindex":
            for entry in sitemap:
                loc = entry.get("loc", "").strip()
                if loc and in_origins(loc, self.origins) and loc not in self.sitemaps_seen:
                    if len(self.sitemaps_seen) < MAX_SITEMAPS:
                        yield self.sitemap_request(loc)
        elif sitemap.type == "urlset":
            for entry in sitemap:
                loc = entry.get("loc", "").strip()
                if not loc:
                    continue
                try:
                    priority = float(entry["priority"]) if "priority" in entry else None
                except ValueError:
                    priority = None
                if priority is not None:
                    self.remember_priority(loc, priority)
                req = self.page_request(loc, 1, "sitemap", priority=priority)
                if req is not None:
                    yield req

    def remember_priority(self, loc: str, priority: float) -> None:
        """Keep a sitemap <priority> for an in-scope URL, seen or not; a URL listed twice keeps its highest."""
        try:
            url = canonicalize(loc)
        except ValueError:
            return
        if self.in_scope(url) and priority > self.sitemap_priorities.get(url, float("-inf")):
            self.sitemap_priorities[url] = priority

    # --- limits ----------------------------------------------------------------------------------------------

    def limits_hit(self, reason: str) -> dict[str, dict[str, int]]:
        """The limits that cut this crawl short, with what each left out (see `closed`)."""
        out: dict[str, dict[str, int]] = {}
        in_scope_capped = {u for u in self.capped if u not in self.seen}
        if in_scope_capped:
            out["max_pages"] = {"limit": self.max_pages, "frontier_left": len(in_scope_capped)}
        too_deep = {u for u in self.too_deep if u not in self.seen}
        if too_deep:
            out["max_depth"] = {"limit": self.max_depth, "links_not_followed": len(too_deep)}
        if reason == "closespider_timeout":
            limit = self.crawler.settings.getint("CLOSESPIDER_TIMEOUT")
            out["max_time"] = {"limit": limit, "frontier_left": max(0, self.pages_scheduled - self.pages_done)}
        return out

    def closed(self, reason: str) -> None:
        """Record the limits that cut the crawl short as the `audit/limits_hit` stat (stored with the run's
        stats; crawler.run copies it to the run's `limits_hit` stat and names it in the terminal)."""
        limits = self.limits_hit(reason)
        if limits:
            self.crawler.stats.set_value("audit/limits_hit", limits)

    def ignore_failure(self, failure: Failure) -> None:
        self.logger.debug("ignored: %s (%s)", failure.request.url, failure.value)
