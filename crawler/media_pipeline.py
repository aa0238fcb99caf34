"""MediaAuditPipeline: what each page makes a visitor download, measured once per URL through Scrapy, then audited.

For each HTML page: list its resources from the HTML and its CSS (audits.media._inventory, pure), measure every
URL through Scrapy's own downloader (engine.download_async: robots.txt, throttling, proxies and cookies apply),
at most once per run however many pages share it, run the media checks and store resources and findings.

How a URL is measured (one request in the normal case):
  * fonts, video, audio, other binaries: HEAD; when HEAD gives no usable Content-Length, a GET that stops as soon
    as the headers arrive (or counts the body up to AUDIT_MEDIA_MAX_BYTES when there is no Content-Length);
  * images: a GET that keeps the first 64 KB (format, pixel size, animation) and then stops;
  * stylesheets, scripts, iframes: a GET that stops at the headers when the body is already compressed, and
    otherwise reads it (up to 2 MB) to parse the CSS and to measure what gzip would save.
Sizes are body bytes on the wire, as served to a client that accepts gzip, br and zstd. A resource that does not
answer within the timeout, or whose body never ends, is marked unmeasured with the reason; the page is still
audited and reported ("at least N bytes").

With the browser on (AUDIT_BROWSERS > 0), MediaBrowserPipeline runs after the browser audit: it adds what the
browser's Resource Timing shows the page loaded (script-loaded files), and the images' displayed sizes and
positions, before the checks run.
"""

from __future__ import annotations

import asyncio
import gzip
import logging
import zlib
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urldefrag

import scrapy
from scrapy.exceptions import NotConfigured, StopDownload
from scrapy.http import Request
from twisted.python.failure import Failure

from audits.artifacts import parse_html
from audits.media import _network as net
from audits.media._css import CssRefs, FontFace, parse_css
from audits.media._inventory import (
    css_resources,
    extract,
    inline_styles,
    page_shape,
    stylesheets,
)
from audits.media._model import (
    Measurement,
    MediaInventory,
    MediaResource,
    ResourceRef,
    is_text_type,
)
from audits.media._sniff import sniff_image
from audits.registry import select
from audits.runner import run_checks
from crawler.items import PageItem
from crawler.spiders.site import describe_failure
from crawler.store import StoreError
from crawler.store.handover import run_id_of, store_for

log = logging.getLogger(__name__)

PROBE = "empathy_audit_media_probe"  # request.meta key of our measuring requests
_STATE = "empathy_audit_media_state"  # crawler attribute shared by the two pipelines
MAX_CSS_DEPTH = 3  # @import chains followed this deep
_BROWSER_STAGE = "crawler.media_pipeline.MediaBrowserPipeline"
_KEPT_DATA = ("index", "loading", "family", "autoplay", "muted", "preload", "initiator", "selector", "stylesheet")


@dataclass(frozen=True)
class MediaConfig:
    """The AUDIT_* settings the media audit reads, read once."""

    enabled: bool = True  # AUDIT_MEDIA
    budget_kib: int = net.PAGE_WEIGHT_BUDGET_KIB  # AUDIT_PAGE_WEIGHT_BUDGET (KB = 1,024 bytes)
    timeout: float = 10.0  # AUDIT_MEDIA_TIMEOUT, capped by DOWNLOAD_TIMEOUT: seconds per measuring request
    max_bytes: int = 16 * 1024 * 1024  # AUDIT_MEDIA_MAX_BYTES: a body without Content-Length is counted this far
    third_party: bool = True  # AUDIT_MEDIA_THIRD_PARTY: also measure resources on other hosts (CDNs, fonts)
    max_resources: int = 300  # AUDIT_MEDIA_MAX_RESOURCES: resources measured per page, at most
    browser: bool = False  # AUDIT_BROWSERS > 0: the browser stage finishes each page

    @classmethod
    def from_settings(cls, s: Any) -> MediaConfig:
        budget = s.getint("AUDIT_PAGE_WEIGHT_BUDGET", net.PAGE_WEIGHT_BUDGET_KIB)
        if budget <= 0:
            raise ValueError(f"AUDIT_PAGE_WEIGHT_BUDGET must be a positive number of KB, not {budget}")
        timeout = min(s.getfloat("AUDIT_MEDIA_TIMEOUT", 10.0), s.getfloat("DOWNLOAD_TIMEOUT", 20.0) or 10.0)
        return cls(
            enabled=s.getbool("AUDIT_MEDIA", True),
            budget_kib=budget,
            timeout=max(1.0, timeout),
            max_bytes=max(net.HEAD_BYTES, s.getint("AUDIT_MEDIA_MAX_BYTES", 16 * 1024 * 1024)),
            third_party=s.getbool("AUDIT_MEDIA_THIRD_PARTY", True),
            max_resources=max(1, s.getint("AUDIT_MEDIA_MAX_RESOURCES", 300)),
            browser=s.getint("AUDIT_BROWSERS", 0) > 0 and _BROWSER_STAGE in s.getdict("ITEM_PIPELINES"),
        )


class _Probe:
    """What the signals saw of one measuring request (shared across its redirects through request.meta)."""

    def __init__(self, want: str) -> None:
        self.want = want  # none: headers only | head: first HEAD_BYTES | text: body unless compressed | body
        self.reset()

    def reset(self) -> None:
        self.url: str | None = None
        self.status: int | None = None
        self.headers: dict[str, str] | None = None
        self.length: int | None = None  # Content-Length as sent
        self.received = 0
        self.head = bytearray()
        self.body: bytes | None = None
        self.stopped: str | None = None  # why we stopped reading: headers | head | text-limit | cap
        self.overflow = False



def _measurement_from_headers(url: str, h: dict[str, str], method: str, **fields: Any) -> Measurement:
    """A Measurement carrying what the response headers say about type, encoding and caching."""
    return Measurement(
        url=url,
        content_type=h.get("content-type", ""),
        encoding=h.get("content-encoding", "").strip().lower(),
        cache_control=h.get("cache-control"),
        expires=h.get("expires"),
        etag=h.get("etag"),
        last_modified=h.get("last-modified"),
        method=method,
        **fields,
    )

def _headers(h: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, values in h.items():
        k = key.decode("latin-1").lower() if isinstance(key, bytes) else str(key).lower()
        vals = values if isinstance(values, list) else [values]
        out[k] = ", ".join(v.decode("latin-1") if isinstance(v, bytes) else str(v) for v in vals)
    return out


def _decode(body: bytes, encoding: str) -> bytes:
    """Undo Content-Encoding as far as the (possibly truncated) body allows."""
    enc = (encoding or "").strip().lower()
    try:
        if enc in ("gzip", "x-gzip"):
            return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body)
        if enc == "deflate":
            try:
                return zlib.decompressobj().decompress(body)
            except zlib.error:
                return zlib.decompressobj(-zlib.MAX_WBITS).decompress(body)
        if enc == "br":
            from scrapy.utils._compression import _unbrotli

            return _unbrotli(body)
        if enc == "zstd":
            from scrapy.utils._compression import _unzstd

            return _unzstd(body)
    except Exception:  # noqa: BLE001 - a body we cannot decode is simply not parsed
        return b""
    return body


def _gzip_size(body: bytes) -> int:
    return len(gzip.compress(body, compresslevel=6, mtime=0))


def _measure_kind(ref: ResourceRef) -> str:
    if ref.type == "stylesheet":
        return "css"
    if ref.type == "image":
        return "image"
    if ref.type in ("script", "document"):
        return "text"
    return "binary"


def _css_to_json(css: CssRefs) -> dict[str, Any]:
    return {"imports": css.imports, "fonts": [asdict(f) for f in css.fonts], "backgrounds": css.backgrounds,
            "families_used": sorted(css.families_used)}


def _css_from_json(data: dict[str, Any]) -> CssRefs:
    return CssRefs(imports=[tuple(i) for i in data.get("imports") or ()],  # type: ignore[misc]
                   fonts=[FontFace(**f) for f in data.get("fonts") or ()],
                   backgrounds=[tuple(b) for b in data.get("backgrounds") or ()],  # type: ignore[misc]
                   families_used=set(data.get("families_used") or ()))


class MeasurementCache:
    """Each URL measured once per run: concurrent pages asking for it share one in-flight measurement, and a URL
    another process of the run already measured is read from the store (Store.measurement) instead."""

    def __init__(self, crawler: Any, config: MediaConfig) -> None:
        self.crawler = crawler
        self.config = config
        self.tasks: dict[str, asyncio.Future[Measurement]] = {}
        self.css: dict[str, CssRefs] = {}
        self.requests = 0
        # The page responses, as they came off the wire, until their item reaches the pipeline.
        self.documents: dict[str, Measurement] = {}
        sig = crawler.signals
        sig.connect(self._on_headers, signal=scrapy.signals.headers_received)
        sig.connect(self._on_bytes, signal=scrapy.signals.bytes_received)
        sig.connect(self._on_downloaded, signal=scrapy.signals.response_downloaded)

    # --- signals: run in the reactor thread for every response ------------------------------------------------
    def _on_headers(self, headers: Any, body_length: Any, request: Request, spider: Any = None) -> None:
        probe: _Probe | None = request.meta.get(PROBE)
        if probe is None:
            return
        probe.reset()
        probe.url = request.url
        probe.headers = _headers(headers)
        try:
            probe.length = int(probe.headers.get("content-length", "").split(",")[0])
        except ValueError:
            probe.length = None
        if request.method == "HEAD":
            return
        encoded = probe.headers.get("content-encoding", "").strip().lower() not in ("", "identity")
        if probe.want == "text" and (encoded or not is_text_type(probe.headers.get("content-type", ""))):
            probe.want = "none"  # nothing to learn from the body: its size is all we need
        if probe.want == "none" and probe.length is not None:
            probe.stopped = "headers"
            raise StopDownload(fail=False)

    def _on_bytes(self, data: bytes, request: Request, spider: Any = None) -> None:
        probe: _Probe | None = request.meta.get(PROBE)
        if probe is None:
            return
        probe.received += len(data)
        if probe.want == "head" and len(probe.head) < net.HEAD_BYTES:
            probe.head += data[: net.HEAD_BYTES - len(probe.head)]
            if len(probe.head) >= net.HEAD_BYTES and probe.length is not None:
                probe.stopped = "head"
                raise StopDownload(fail=False)
        if probe.want in ("text", "body") and probe.received > net.TEXT_BODY_MAX and probe.length is not None:
            probe.stopped = "text-limit"
            raise StopDownload(fail=False)
        if probe.received > self.config.max_bytes:
            probe.overflow = probe.length is None
            probe.stopped = "cap"
            raise StopDownload(fail=False)

    def _on_downloaded(self, response: Any, request: Request, spider: Any = None) -> None:
        probe: _Probe | None = request.meta.get(PROBE)
        if probe is None:
            if "page_url" in request.meta and 200 <= response.status < 300:
                self._record_document(response, request)
            return
        probe.status = response.status
        probe.url = response.url
        if probe.headers is None:
            probe.headers = _headers(response.headers)
        if probe.want in ("text", "body") and not probe.stopped:
            probe.body = response.body

    def _record_document(self, response: Any, request: Request) -> None:
        m = _measurement_from_headers(response.url, _headers(response.headers), "page", status=response.status,
                                      measured=True, bytes=len(response.body))
        if "download_stopped" in (response.flags or []) or "partial" in (response.flags or []):
            m.measured, m.bytes, m.reason = False, None, "the page's body was cut off before it ended"
        elif not m.encoding and is_text_type(m.content_type) and len(response.body) <= net.TEXT_BODY_MAX:
            m.decoded_bytes = len(response.body)
            m.gzip_bytes = _gzip_size(response.body)
        if len(self.documents) > 10_000:  # pages whose item never came (should not happen): forget the oldest
            self.documents.pop(next(iter(self.documents)))
        self.documents[response.url] = m
        if request.url != response.url:
            self.documents[request.url] = m

    def pop_document(self, *urls: str) -> Measurement | None:
        found = None
        for url in urls:
            if url:
                m = self.documents.pop(url, None)
                found = found or m
        return found

    # --- measuring ------------------------------------------------------------------------------------------
    async def measure(self, url: str, kind: str) -> Measurement:
        task = self.tasks.get(url)
        if task is None:
            task = asyncio.ensure_future(self._measure_once(url, kind))
            self.tasks[url] = task
        return await asyncio.shield(task)

    async def _measure_once(self, url: str, kind: str) -> Measurement:
        """The run's measurement of `url`: the stored one, or one made now and stored for the other processes."""
        store, run_id = self._store()
        if store is not None:
            stored = store.measurement(run_id, url)
            if stored is not None:
                css = stored.pop("css", None)
                if css is not None:
                    self.css[url] = _css_from_json(css)
                return Measurement.from_row(stored)
        m = await self._measure(url, kind)
        if store is not None:
            css = self.css.get(url)
            try:
                store.add_measurement(run_id, url, {**m.to_row(), "css": _css_to_json(css) if css else None})
            except Exception as exc:  # noqa: BLE001 - sharing the measurement is a bonus; the page is measured
                log.warning("media audit: could not store the measurement of %s: %s", url, exc)
        return m

    def _store(self) -> tuple[Any, int]:
        try:
            store = store_for(self.crawler)
        except StoreError:
            return None, 0  # _State reports it once, when it stores the page
        run_id = run_id_of(self.crawler)
        return (store, run_id) if store is not None and run_id else (None, 0)

    def known(self, url: str) -> Measurement | None:
        task = self.tasks.get(url)
        if task is not None and task.done() and not task.cancelled() and task.exception() is None:
            return task.result()
        return None

    async def _fetch(self, url: str, method: str, want: str) -> tuple[_Probe, BaseException | None]:
        probe = _Probe(want)
        request = Request(
            url,
            method=method,
            dont_filter=True,
            meta={
                PROBE: probe,
                "dont_retry": True,
                "download_timeout": self.config.timeout,
                "download_maxsize": 2 * self.config.max_bytes,
                "download_warnsize": 0,
                "allow_offsite": True,
            },
        )
        self.requests += 1
        self.crawler.stats.inc_value("audit/media_requests")
        engine = self.crawler.engine
        try:
            if hasattr(engine, "download_async"):  # Scrapy >= 2.14
                await engine.download_async(request)
            else:
                from scrapy.utils.defer import maybe_deferred_to_future

                await maybe_deferred_to_future(engine.download(request))
        except Exception as exc:  # noqa: BLE001 - the probe says how far the response got
            return probe, exc
        return probe, None

    async def _measure(self, url: str, kind: str) -> Measurement:
        try:
            if not self.config.third_party and self._third_party(url):
                return Measurement(url=url, reason="resources on other hosts are not measured "
                                                   "(AUDIT_MEDIA_THIRD_PARTY is off)")
            if kind == "binary":
                probe, error = await self._fetch(url, "HEAD", "none")
                if probe.status is not None and 200 <= probe.status < 300 and probe.length:
                    return self._result(url, "HEAD", probe, None)
                if error is not None and probe.status is None:
                    return self._result(url, "HEAD", probe, error)  # no answer at all: a GET would not do better
                probe, error = await self._fetch(url, "GET", "none")
                return self._result(url, "GET", probe, error)
            want = {"image": "head", "css": "body", "text": "text"}[kind]
            probe, error = await self._fetch(url, "GET", want)
            m = self._result(url, "GET", probe, error)
            await self._inspect(m, probe, kind)
            return m
        except Exception as exc:  # noqa: BLE001 - never lose the page for a measuring bug
            log.warning("measuring %s failed: %s", url, exc, exc_info=True)
            return Measurement(url=url, reason=f"measuring failed ({type(exc).__name__}: {exc})")

    def _third_party(self, url: str) -> bool:
        hosts = getattr(getattr(self.crawler, "spider", None), "hosts", None)
        if not hosts:
            return False
        from crawler.urls import host_of

        return host_of(url) not in hosts

    def _result(self, url: str, method: str, probe: _Probe, error: BaseException | None) -> Measurement:
        m = _measurement_from_headers(url, probe.headers or {}, method, status=probe.status)
        if probe.url and probe.url != url:
            m.info["final_url"] = probe.url
        if probe.overflow:
            m.reason = (f"its body did not end after {net.size_label(self.config.max_bytes)} and it gave no "
                        f"Content-Length (the server may stream it without end)")
            return m
        if probe.length is not None and (method == "HEAD" or probe.headers is not None):
            m.bytes = probe.length
        elif probe.status is not None and not probe.stopped and error is None:
            m.bytes = probe.received  # the whole body came: it is its size
        if m.bytes is None:
            if error is not None and probe.headers is not None:
                m.reason = (f"it answered but its body did not finish within {self.config.timeout:g} s and it gave "
                            f"no Content-Length")
            elif error is not None:
                m.reason = describe_failure(Failure(error), self.config.timeout)
            else:
                m.reason = "its size could not be told (no Content-Length, body not read)"
            return m
        m.measured = True
        return m

    async def _inspect(self, m: Measurement, probe: _Probe, kind: str) -> None:
        """What the first bytes or the body tell: image format and size, CSS references, gzip saving."""
        if not m.measured:
            return
        if kind == "image" and probe.head:
            head = bytes(probe.head)
            if m.encoding:
                head = _decode(head, m.encoding)
            m.info.update(sniff_image(head))
            return
        body = probe.body
        if body is None or not m.ok:
            return
        decoded = _decode(body, m.encoding) if m.encoding else body
        if not m.encoding and is_text_type(m.content_type):
            m.decoded_bytes = len(body)
            m.gzip_bytes = await asyncio.to_thread(_gzip_size, body) if len(body) > 256 * 1024 else _gzip_size(body)
        elif m.encoding:
            m.decoded_bytes = len(decoded) or None
        if kind == "css" and decoded:
            charset = "utf-8"
            ct = m.content_type.lower()
            if "charset=" in ct:
                charset = ct.split("charset=", 1)[1].split(";")[0].strip() or "utf-8"
            try:
                text = decoded.decode(charset, errors="replace")
            except LookupError:
                text = decoded.decode("utf-8", errors="replace")
            self.css[m.url] = parse_css(text, probe.url or m.url)

    def close(self) -> None:
        for task in self.tasks.values():
            if not task.done():
                task.cancel()


class _State:
    """Shared by MediaAuditPipeline and MediaBrowserPipeline for one crawl, in this process: what passes from one
    stage of a page to the next (its inventory, its response as measured) and measurements in flight. Facts other
    processes of the run need (measurements, resources) are in the store."""

    def __init__(self, crawler: Any, config: MediaConfig) -> None:
        self.crawler = crawler
        self.config = config
        self.cache = MeasurementCache(crawler, config)
        self.checks = select("media")
        self.pending: dict[str, MediaInventory] = {}  # pages waiting for the browser stage (this process)
        self.store_failed = False

    @classmethod
    def of(cls, crawler: Any) -> _State:
        state = getattr(crawler, _STATE, None)
        if state is None:
            state = cls(crawler, MediaConfig.from_settings(crawler.settings))
            setattr(crawler, _STATE, state)
        return state

    def finish(self, item: PageItem, inv: MediaInventory) -> None:
        """Run the media checks, add their findings to the item and store what the page loads."""
        item.findings.extend(run_checks("media", inv, item.url, self.checks))
        stats = self.crawler.stats
        stats.inc_value("audit/media_pages")
        unmeasured = len([r for r in inv.resources if not r.m.measured])
        if unmeasured:
            stats.inc_value("audit/media_unmeasured", unmeasured)
        self._store(item, inv)

    def _store(self, item: PageItem, inv: MediaInventory) -> None:
        if self.store_failed:
            return
        try:
            store = store_for(self.crawler)
        except StoreError as exc:
            log.error("media audit: %s", exc)
            self.store_failed = True
            return
        run_id = run_id_of(self.crawler)
        if store is None or not run_id:
            return
        resources: dict[str, dict[str, Any]] = {}
        links: dict[str, dict[str, Any]] = {}
        if inv.document is not None:
            resources[inv.document.url] = inv.document.to_row()
            links[inv.document.url] = {
                "resource_url": inv.document.url, "type": "document", "found_via": "page", "in_weight": True,
                "selector": "html",
                "data": {"extra_origins": inv.extra_origins, "chain_depth": inv.chain_depth,
                         "text_bytes": inv.text_bytes},
            }
        for r in inv.resources:
            resources.setdefault(r.url, r.m.to_row())
            link = links.get(r.url)
            if link is None:
                links[r.url] = {
                    "resource_url": r.url, "type": r.type, "found_via": r.ref.found_via,
                    "in_weight": r.ref.in_weight, "selector": r.ref.selector,
                    "data": {k: v for k, v in r.ref.attrs.items() if k in _KEPT_DATA and v not in (None, "", False)},
                }
            elif r.ref.in_weight:
                link["in_weight"] = True
        try:
            store.add_page_resources(run_id, item.url, resources.values(), links.values())
        except Exception as exc:  # noqa: BLE001 - the audit itself is not lost: its findings go with the page
            log.error("media audit: could not store the resources of %s: %s", item.url, exc)

    def close(self) -> None:
        self.cache.close()


class MediaAuditPipeline:
    """Inventory, measurement and media checks for every HTML page (see the module docstring)."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.state = _State.of(crawler)

    @classmethod
    def from_crawler(cls, crawler: Any) -> MediaAuditPipeline:
        try:
            config = MediaConfig.from_settings(crawler.settings)
        except ValueError as exc:
            raise NotConfigured(str(exc)) from None
        if not config.enabled:
            raise NotConfigured("AUDIT_MEDIA is off: pages are not measured")
        return cls(crawler)

    def open_spider(self, spider: Any = None) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            log.warning("media audit needs Scrapy's asyncio reactor (TWISTED_REACTOR); it may not run")

    def close_spider(self, spider: Any = None) -> None:
        if self.state.pending:  # the browser stage never saw them (it is not in ITEM_PIPELINES?)
            log.warning("media audit: %d pages were never finished by %s", len(self.state.pending), _BROWSER_STAGE)
        self.state.close()

    async def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, PageItem):
            return item
        document = self.state.cache.pop_document(item.final_url, item.url)
        if not item.is_html:
            return item
        try:
            inv = await self.inventory(item, document)
        except Exception as exc:  # noqa: BLE001 - the page is reported whatever happens here
            log.warning("media audit failed on %s: %s", item.url, exc, exc_info=True)
            self.crawler.stats.inc_value("audit/media_failed")
            return item
        if self.state.config.browser:
            self.state.pending[item.url] = inv  # MediaBrowserPipeline adds what the browser saw, then finishes
        else:
            self.state.finish(item, inv)
        return item

    async def inventory(self, item: PageItem, document: Measurement | None) -> MediaInventory:
        cache, config = self.state.cache, self.state.config
        soup = item.soup if item.soup is not None else parse_html(item.html or "")
        base = item.final_url or item.url
        refs = extract(soup, base)
        measured: dict[str, Measurement] = {}

        # Stylesheets first: what they import, the fonts and backgrounds they use are resources too.
        sheets: list[tuple[Any, str, CssRefs]] = []
        targets: list[tuple[Any, str]] = []
        for style in inline_styles(soup):
            css = parse_css(style.get_text() or "", base)
            sheets.append((style, base, css))
            for url, _media in css.imports:
                refs.append(ResourceRef(url=url, type="stylesheet", found_via="@import in an inline <style>",
                                        element=style))
        targets = [(r.element, r.url) for r in stylesheets(refs)]
        seen_css: set[str] = set()
        for _depth in range(MAX_CSS_DEPTH + 1):
            targets = [(el, url) for el, url in targets if url not in seen_css]
            if not targets:
                break
            seen_css.update(url for _, url in targets)
            results = await asyncio.gather(*(cache.measure(url, "css") for _, url in targets))
            following: list[tuple[Any, str]] = []
            for (el, url), m in zip(targets, results):
                measured[url] = m
                css = cache.css.get(url)
                if css is None:
                    continue
                sheets.append((el, url, css))
                for imp, _media in css.imports:
                    name = url.rsplit("/", 1)[-1]
                    refs.append(ResourceRef(url=imp, type="stylesheet", found_via=f"@import in {name}", element=el))
                    following.append((el, imp))
            targets = following
        refs += css_resources(soup, sheets)

        # Everything else, concurrently; each URL once.
        kinds: dict[str, str] = {}
        for r in refs:
            kinds.setdefault(r.url, _measure_kind(r))
        todo = [u for u in kinds if u not in measured]
        over = todo[config.max_resources:]
        todo = todo[: config.max_resources]
        results = await asyncio.gather(*(cache.measure(u, kinds[u]) for u in todo))
        measured.update(zip(todo, results))
        for u in over:
            measured[u] = cache.known(u) or Measurement(
                url=u, reason=f"not measured: the page asks for more than {config.max_resources} resources")
        if document is None:
            document = Measurement(url=base, reason="the page's own response was not seen on the wire")
        o_rb, depth = page_shape(base, refs)
        return MediaInventory(
            url=item.url,
            soup=soup,
            resources=[MediaResource(r, measured[r.url]) for r in refs],
            document=document,
            budget_bytes=config.budget_kib * net.KIB,
            extra_origins=o_rb,
            chain_depth=depth,
        )


_INITIATOR_TYPES = {"img": "image", "image": "image", "script": "script", "iframe": "document", "frame": "document",
                    "video": "media", "audio": "media", "track": "other"}
_EXT_TYPES = ((".woff2", "font"), (".woff", "font"), (".ttf", "font"), (".otf", "font"), (".css", "stylesheet"),
              (".js", "script"), (".mjs", "script"), (".png", "image"), (".jpg", "image"), (".jpeg", "image"),
              (".gif", "image"), (".webp", "image"), (".avif", "image"), (".svg", "image"), (".mp4", "media"),
              (".webm", "media"), (".mp3", "media"))


def browser_type(entry: dict[str, Any]) -> str:
    path = str(entry.get("name") or "").split("?")[0].split("#")[0].lower()
    for ext, type_ in _EXT_TYPES:
        if path.endswith(ext):
            return type_
    initiator = str(entry.get("initiatorType") or "")
    if initiator in _INITIATOR_TYPES:
        return _INITIATOR_TYPES[initiator]
    if initiator == "link":
        return "stylesheet"
    return "other"


class MediaBrowserPipeline:
    """After the browser audit: adds the browser's Resource Timing and image layout, then runs the media checks.

    Listed after BrowserAuditPipeline (300) in ITEM_PIPELINES; switched off when AUDIT_BROWSERS is 0.
    """

    def __init__(self, crawler: Any, media: bool = True) -> None:
        self.crawler = crawler
        self.state = _State.of(crawler) if media else None  # media off: only take the browser's data off the item

    @classmethod
    def from_crawler(cls, crawler: Any) -> MediaBrowserPipeline:
        if crawler.settings.getint("AUDIT_BROWSERS", 0) <= 0:
            raise NotConfigured("AUDIT_BROWSERS is 0: there is no browser data to add")
        return cls(crawler, media=crawler.settings.getbool("AUDIT_MEDIA", True))

    async def process_item(self, item: Any, spider: Any = None) -> Any:
        if not isinstance(item, PageItem):
            return item
        seen = item.browser.pop("resources", None) if isinstance(item.browser, dict) else None
        if self.state is None:
            return item
        inv = self.state.pending.pop(item.url, None)
        if inv is None:
            return item
        if isinstance(seen, dict):
            try:
                await self.merge(inv, seen)
            except Exception as exc:  # noqa: BLE001 - browser extras are a bonus, never a reason to lose the page
                log.warning("could not add the browser's resources on %s: %s", item.url, exc)
        self.state.finish(item, inv)
        return item

    async def merge(self, inv: MediaInventory, seen: dict[str, Any]) -> None:
        inv.browser = {"viewport": seen.get("viewport"), "images": seen.get("images") or []}
        by_url: dict[str, list[MediaResource]] = {}
        for r in inv.resources:
            by_url.setdefault(r.url, []).append(r)
        doc_url = inv.document.url if inv.document is not None else inv.url
        extra: list[tuple[ResourceRef, dict[str, Any]]] = []
        for entry in seen.get("entries") or []:
            url = urldefrag(str(entry.get("name") or ""))[0]
            if not url.startswith(("http://", "https://")) or url in (doc_url, inv.url):
                continue
            if url in by_url:
                for r in by_url[url]:
                    r.ref.in_weight = True  # the browser did load it (a lazy image in view, say)
                continue
            ref = ResourceRef(url=url, type=browser_type(entry), found_via="browser", element=None,
                              attrs={"initiator": entry.get("initiatorType")})
            by_url[url] = []
            extra.append((ref, entry))
        if not extra:
            return
        kinds = [("image" if ref.type == "image" else "text" if ref.type in ("script", "stylesheet", "document")
                  else "binary") for ref, _ in extra[: self.state.config.max_resources]]
        results = await asyncio.gather(*(self.state.cache.measure(ref.url, k)
                                         for (ref, _), k in zip(extra, kinds)))
        for (ref, entry), m in zip(extra, results):
            if not m.measured and int(entry.get("encodedBodySize") or 0) > 0:
                m = Measurement(url=ref.url, measured=True, bytes=int(entry["encodedBodySize"]), status=200,
                                method="browser", decoded_bytes=int(entry.get("decodedBodySize") or 0) or None,
                                info={"scrapy": m.reason})
            inv.resources.append(MediaResource(ref, m))
        inv.chain_depth = max(inv.chain_depth, 3)

