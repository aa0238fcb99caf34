"""Measuring what a page makes a visitor download, through Scrapy's own downloader: each URL once per run.

How a URL is measured (one request in the normal case):
  * fonts, video, audio, other binaries: HEAD; when HEAD gives no usable Content-Length, a GET that stops as soon
    as the headers arrive (or counts the body up to AUDIT_MEDIA_MAX_BYTES when there is no Content-Length);
  * images: a GET that keeps the first 64 KB (format, pixel size, animation) and then stops;
  * stylesheets, scripts, iframes: a GET that stops at the headers when the body is already compressed, and
    otherwise reads it (up to 2 MB) to parse the CSS and to measure what gzip would save.
Sizes are body bytes on the wire, as served to a client that accepts gzip, br and zstd. A resource that does not
answer within the timeout, or whose body never ends, is marked unmeasured with the reason; the page is still
audited and reported ("at least N bytes").

MeasurementCache shares a measurement in flight between the pages that ask for it, and reads one another process
of the run already made from the store (Store.measurements, asked once per page) instead of measuring it again;
what it measures is stored with the next page's resources (Store.add_page_resources), not one row at a time.
"""

from __future__ import annotations

import asyncio
import gzip
import logging
import zlib
from dataclasses import asdict, dataclass
from typing import Any

import scrapy
from scrapy.exceptions import StopDownload
from scrapy.http import Request
from twisted.python.failure import Failure

from empathy_audit.audits.media import _network as net
from empathy_audit.audits.media._css import CssRefs, FontFace, parse_css
from empathy_audit.audits.media._model import Measurement, ResourceRef, is_text_type
from empathy_audit.audits.media._sniff import sniff_image
from empathy_audit.crawler.spiders.site import describe_failure
from empathy_audit.crawler.store import StoreError
from empathy_audit.crawler.store.handover import run_id_of, store_for

log = logging.getLogger(__name__)

PROBE = "empathy_audit_media_probe"  # request.meta key of our measuring requests
BROWSER_STAGE = "empathy_audit.crawler.media_pipeline.MediaBrowserPipeline"  # the pipeline that finishes pages with a browser


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
            browser=s.getint("AUDIT_BROWSERS", 0) > 0 and BROWSER_STAGE in s.getdict("ITEM_PIPELINES"),
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


def measure_kind(ref: ResourceRef) -> str:
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
    another process of the run already measured is read from the store (Store.measurements) instead."""

    def __init__(self, crawler: Any, config: MediaConfig) -> None:
        self.crawler = crawler
        self.config = config
        self.tasks: dict[str, asyncio.Future[Measurement]] = {}
        self.stored: dict[str, dict[str, Any]] = {}  # measurements other processes made, read with a page's batch
        self.asked: set[str] = set()  # URLs whose stored measurement was asked for in a batch (found or not)
        self.made: dict[str, dict[str, Any]] = {}  # measured here, not yet in the store (written with a page)
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
    async def measure_all(self, wanted: list[tuple[str, str]]) -> list[Measurement]:
        """measure() for each (url, kind), asking the store once for the URLs this process has not seen yet."""
        store, run_id = self._store()
        if store is not None:
            new = [u for u, _ in wanted if u not in self.tasks and u not in self.asked]
            if new:
                self.asked.update(new)
                self.stored.update(store.measurements(run_id, new))
        return list(await asyncio.gather(*(self.measure(u, k) for u, k in wanted)))

    def take_made(self) -> dict[str, dict[str, Any]]:
        """The measurements made since the last call, to be stored (and shared) with the page being stored."""
        made, self.made = self.made, {}
        return made

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
            if url in self.asked:
                stored = self.stored.pop(url, None)
            else:
                stored = store.measurements(run_id, [url]).get(url)
            if stored is not None:
                css = stored.pop("css", None)
                if css is not None:
                    self.css[url] = _css_from_json(css)
                return Measurement.from_row(stored)
        m = await self._measure(url, kind)
        if store is not None:
            css = self.css.get(url)
            self.made[url] = {**m.to_row(), "css": _css_to_json(css) if css else None}
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
                return Measurement(url=url, reason="resources on other origins are not measured "
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
        """Not on the site's origins (another port of the same host is another origin, and gets no credentials)."""
        origins = getattr(getattr(self.crawler, "spider", None), "origins", None)
        if not origins:
            return False
        from empathy_audit.crawler.urls import in_origins

        return not in_origins(url, origins)

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
        made = self.take_made()
        store, run_id = self._store()
        if made and store is not None:
            try:
                store.add_measurements(run_id, made)
            except Exception as exc:  # noqa: BLE001 - sharing the measurements is a bonus; the pages are stored
                log.warning("media audit: could not store %d measurements: %s", len(made), exc)
        for task in self.tasks.values():
            if not task.done():
                task.cancel()
