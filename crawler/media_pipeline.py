"""MediaAuditPipeline: what each page makes a visitor download, measured once per URL through Scrapy, then audited.

For each HTML page: list its resources from the HTML and its CSS (audits.media._inventory, pure), measure every
URL through Scrapy's own downloader (engine.download_async: robots.txt, throttling, proxies and cookies apply),
at most once per run however many pages share it (crawler/media_measure.py), run the media checks and store
resources and findings.

With the browser on (AUDIT_BROWSERS > 0), MediaBrowserPipeline runs after the browser audit: it adds what the
browser's Resource Timing shows the page loaded (script-loaded files), and the images' displayed sizes and
positions, before the checks run.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any
from urllib.parse import urldefrag

from scrapy.exceptions import NotConfigured

from empathy_audit.audits.artifacts import parse_html
from empathy_audit.audits.media import _network as net
from empathy_audit.audits.media._css import CssRefs, parse_css
from empathy_audit.audits.media._inventory import (
    css_resources,
    extract,
    inline_styles,
    page_shape,
    stylesheets,
)
from empathy_audit.audits.media._model import Measurement, MediaInventory, MediaResource, ResourceRef
from empathy_audit.audits.families import Need
from empathy_audit.audits.registry import by_need
from empathy_audit.audits.runner import run_families
from empathy_audit.crawler.items import PageItem
from empathy_audit.crawler.media_measure import (
    BROWSER_STAGE,
    MeasurementCache,
    MediaConfig,
    measure_kind,
)
from empathy_audit.crawler.store import StoreError
from empathy_audit.crawler.store.handover import run_id_of, store_for

log = logging.getLogger(__name__)

_STATE = "empathy_audit_media_state"  # crawler attribute shared by the two pipelines
MAX_CSS_DEPTH = 3  # @import chains followed this deep
_KEPT_DATA = ("index", "loading", "family", "autoplay", "muted", "preload", "initiator", "selector", "stylesheet")


class _State:
    """Shared by MediaAuditPipeline and MediaBrowserPipeline for one crawl, in this process: what passes from one
    stage of a page to the next (its inventory, its response as measured) and measurements in flight. Facts other
    processes of the run need (measurements, resources) are in the store."""

    def __init__(self, crawler: Any, config: MediaConfig) -> None:
        self.crawler = crawler
        self.config = config
        self.cache = MeasurementCache(crawler, config)
        self.families = by_need(Need.RESOURCES)  # the media family, and any other that reads the resources
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
        item.findings.extend(run_families(self.families, inv, item.url))
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
        made = self.cache.take_made()
        try:
            store.add_page_resources(run_id, item.url, resources.values(), links.values(), made)
        except Exception as exc:  # noqa: BLE001 - the audit itself is not lost: its findings go with the page
            log.error("media audit: could not store the resources of %s: %s", item.url, exc)
            self.cache.made.update(made)  # shared with the next page's write instead

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
            raise NotConfigured()  # AUDIT_MEDIA off (--no-media): the user asked; Scrapy logs nothing without a message
        return cls(crawler)

    def open_spider(self, spider: Any = None) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            log.warning("media audit needs Scrapy's asyncio reactor (TWISTED_REACTOR); it may not run")

    def close_spider(self, spider: Any = None) -> None:
        if self.state.pending:  # the browser stage never saw them (it is not in ITEM_PIPELINES?)
            log.warning("media audit: %d pages were never finished by %s", len(self.state.pending), BROWSER_STAGE)
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
            results = await cache.measure_all([(url, "css") for _, url in targets])
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
            kinds.setdefault(r.url, measure_kind(r))
        todo = [u for u in kinds if u not in measured]
        over = todo[config.max_resources:]
        todo = todo[: config.max_resources]
        results = await cache.measure_all([(u, kinds[u]) for u in todo])
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
            raise NotConfigured()  # AUDIT_BROWSERS 0 (--no-browser): no browser data to add; nothing to say
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
        results = await self.state.cache.measure_all([(ref.url, k) for (ref, _), k in zip(extra, kinds)])
        for (ref, entry), m in zip(extra, results):
            if not m.measured and int(entry.get("encodedBodySize") or 0) > 0:
                m = Measurement(url=ref.url, measured=True, bytes=int(entry["encodedBodySize"]), status=200,
                                method="browser", decoded_bytes=int(entry.get("decodedBodySize") or 0) or None,
                                info={"scrapy": m.reason})
            inv.resources.append(MediaResource(ref, m))
        inv.chain_depth = max(inv.chain_depth, 3)

