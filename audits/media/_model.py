"""What media checks read: each resource a page asks for, how it was found, and what measuring it showed."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from email.utils import parsedate_to_datetime
from functools import cached_property
from typing import Any, Iterator

from bs4 import BeautifulSoup, Tag

from empathy_audit.audits.artifacts import css_path, snippet
from empathy_audit.audits.media import _network as net
from empathy_audit.audits.model import Finding, Outcome, Severity

# Resource types, in the order the report lists them.
TYPES = ("document", "stylesheet", "script", "font", "image", "media", "other")
TYPE_LABELS = {
    "document": "HTML",
    "stylesheet": "CSS",
    "script": "JavaScript",
    "font": "Fonts",
    "image": "Images",
    "media": "Video and audio",
    "other": "Other",
}
STATIC_TYPES = ("stylesheet", "script", "font", "image", "media")  # assets a browser could cache
TEXT_MIME = re.compile(
    r"^(text/|application/(javascript|ecmascript|x-javascript|json|ld\+json|manifest\+json|xml|xhtml\+xml|"
    r"rss\+xml|atom\+xml)|image/svg\+xml)",
    re.IGNORECASE,
)


def is_text_type(content_type: str) -> bool:
    return bool(TEXT_MIME.match((content_type or "").split(";")[0].strip()))


@dataclass
class Measurement:
    """One URL as measured once per run: transfer size on the wire and the headers that matter for bandwidth."""

    url: str
    measured: bool = False
    bytes: int | None = None  # body bytes on the wire (after Content-Encoding); None when unmeasured
    status: int | None = None
    content_type: str = ""
    encoding: str = ""  # Content-Encoding as served ("" = none)
    cache_control: str | None = None
    expires: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    reason: str | None = None  # why it is unmeasured, in one sentence
    method: str = ""  # HEAD | GET | browser | page
    decoded_bytes: int | None = None  # body size once decoded, when known
    gzip_bytes: int | None = None  # for text served uncompressed: its size once gzipped (level 6), measured
    info: dict[str, Any] = field(default_factory=dict)  # image: format, width, height, animated, frames

    @property
    def ok(self) -> bool:
        return self.measured and self.status is not None and 200 <= self.status < 300

    @property
    def mime(self) -> str:
        return (self.content_type or "").split(";")[0].strip().lower()

    @property
    def compressed_estimate(self) -> int | None:
        """Wire size once compressed: itself when already encoded, else its measured gzip size."""
        if self.bytes is None:
            return None
        if self.encoding and self.encoding != "identity":
            return self.bytes
        return self.gzip_bytes if self.gzip_bytes is not None else self.bytes

    def freshness_seconds(self) -> int | None:
        """Explicit cache lifetime from Cache-Control (max-age, s-maxage, immutable) or a future Expires; None if none."""
        cc = (self.cache_control or "").lower()
        if "no-store" in cc or "no-cache" in cc:
            return 0
        ages = [int(m.group(2)) for m in re.finditer(r"(s-maxage|max-age)\s*=\s*\"?(\d+)", cc)]
        if ages:
            return max(ages)
        if "immutable" in cc:
            return 365 * 86400
        if self.expires:
            try:
                expires = parsedate_to_datetime(self.expires)
            except (TypeError, ValueError):
                return 0
            from datetime import datetime, timezone

            if expires.tzinfo is None:
                expires = expires.replace(tzinfo=timezone.utc)
            return max(0, int((expires - datetime.now(timezone.utc)).total_seconds()))
        return None

    def to_row(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> "Measurement":
        return cls(**{k: row[k] for k in cls.__dataclass_fields__ if k in row})


@dataclass
class ResourceRef:
    """One resource a page asks for, as found in its HTML or CSS (pure data: no network)."""

    url: str
    type: str  # one of TYPES
    found_via: str  # "img[src]", "picture>source[srcset]", "@font-face in /css/x.css", "browser", ...
    element: Tag | None = field(default=None, repr=False, compare=False)  # the element that asks for it
    in_weight: bool = True  # downloaded when the page loads (False: only on demand, e.g. preload="none" video)
    attrs: dict[str, Any] = field(default_factory=dict)  # facts the checks need (display width, image index...)

    @property
    def selector(self) -> str:
        return css_path(self.element) if self.element is not None else "html"

    @property
    def snippet(self) -> str:
        return snippet(self.element) if self.element is not None else ""


@dataclass
class MediaResource:
    ref: ResourceRef
    m: Measurement

    @property
    def url(self) -> str:
        return self.ref.url

    @property
    def type(self) -> str:
        return self.ref.type


@dataclass
class MediaInventory:
    """The artifact media checks read: one page, every resource it asks for, each with its measurement."""

    url: str
    soup: BeautifulSoup | None
    resources: list[MediaResource]
    document: Measurement | None = None  # the page's own HTML response
    budget_bytes: int = net.PAGE_WEIGHT_BUDGET_KIB * net.KIB
    extra_origins: int = 0  # other origins serving render-blocking CSS/JS (O_rb)
    chain_depth: int = 1  # request chain depth (D)
    browser: dict[str, Any] | None = None  # {"viewport": [w, h], "images": [{selector, width, top, ...}]} or None

    # --- aggregates ---------------------------------------------------------------------------------------------
    def weighed(self) -> list[MediaResource]:
        """Resources downloaded on load, one per URL (a browser fetches a URL once per page)."""
        seen: set[str] = set()
        out: list[MediaResource] = []
        for r in self.resources:
            if r.ref.in_weight and r.url not in seen:
                seen.add(r.url)
                out.append(r)
        return out

    @property
    def total_bytes(self) -> int:
        """Measured bytes of the page and every resource it loads (unmeasured resources count 0: 'at least')."""
        doc = self.document.bytes if self.document is not None and self.document.bytes else 0
        return doc + sum(r.m.bytes or 0 for r in self.weighed() if r.m.measured)

    @property
    def unmeasured(self) -> list[MediaResource]:
        return [r for r in self.weighed() if not r.m.measured]

    @property
    def load_seconds(self) -> float:
        return net.load_seconds(self.total_bytes, self.extra_origins, self.chain_depth)

    @cached_property
    def text_bytes(self) -> int:
        """UTF-8 bytes of the page's visible text (what the words on screen weigh)."""
        if self.soup is None:
            return 0
        body = self.soup.body or self.soup
        texts = []
        for s in body.find_all(string=True):
            parent = s.parent
            if parent is not None and parent.name in ("script", "style", "noscript", "template"):
                continue
            texts.append(str(s))
        return len(" ".join(" ".join(texts).split()).encode("utf-8"))

    def browser_image(self, selector: str) -> dict[str, Any] | None:
        if not self.browser:
            return None
        for img in self.browser.get("images") or ():
            if img.get("selector") == selector:
                return img
        return None

    def by_type(self, *types: str) -> Iterator[MediaResource]:
        for r in self.resources:
            if r.type in types:
                yield r

    # --- findings ---------------------------------------------------------------------------------------------
    def finding(self, r: MediaResource | None, message: str, *, bytes_saved: int | None = None,
                severity: Severity | None = None, element: Tag | None = None, **data: Any) -> Finding:
        """A finding about resource `r` (None: the page); severity from the time saved when bytes_saved is given."""
        el = element if element is not None else (r.ref.element if r is not None else None)
        payload: dict[str, Any] = {}
        if r is not None:
            payload.update({"resource": r.url, "type": r.type, "bytes": r.m.bytes})
        if bytes_saved is not None:
            seconds = net.transfer_seconds(bytes_saved)
            payload.update({"bytes_saved": int(bytes_saved), "seconds_saved": round(seconds, 2)})
            if severity is None:
                severity = severity_for_saving(bytes_saved)
        payload.update(data)
        if severity is not None:
            payload["_severity_set"] = True
        return Finding(
            check_id="",
            url=self.url,
            selector=css_path(el) if el is not None else "html",
            snippet=snippet(el) if el is not None else "",
            message=message,
            severity=severity or Severity.MINOR,
            outcome=Outcome.FAIL,
            data=payload,
        )


def severity_for_saving(nbytes: float) -> Severity:
    """S_SLOW of the time a saving gives back on Slow 4G, on the axe scale: >= 0.6 serious, >= 0.3 moderate."""
    harm = net.slow_harm(net.transfer_seconds(nbytes))
    if harm >= 0.6:
        return Severity.SERIOUS
    if harm >= 0.3:
        return Severity.MODERATE
    return Severity.MINOR


def cost_phrase(nbytes: float) -> str:
    """'$0.10 a visit in Zimbabwe' for the dearest country of the price table."""
    dear = max(net.DATA_PRICES, key=lambda p: p.usd_per_gb)
    return f"US${net.cost_usd(nbytes, dear.usd_per_gb):.3f} in {dear.country} ({dear.year} prices)"
