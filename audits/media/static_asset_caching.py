"""static-asset-caching: images, CSS, scripts, fonts and media tell browsers how long to keep them."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.media import _network as net
from empathy_audit.audits.media._model import STATIC_TYPES, MediaInventory
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="static-asset-caching",
    title="Static files can be cached",
    failure_title="Static files cannot be cached",
    severity=Severity.MINOR,
    best_practice=True,
    personas=(Persona.PREPAID_DATA, Persona.SLOW_CONNECTION),
    how_to_fix="Send Cache-Control: max-age=31536000, immutable for fingerprinted files (style.3f2a.css), and at "
    "least a max-age of a day for the others.",
)
def static_asset_caching(inv: MediaInventory) -> Iterator[Finding]:
    """What it checks: every image, stylesheet, script, font and media file the page loads that answers without an
    explicit lifetime: no Cache-Control max-age or s-maxage, no `immutable` and no future Expires, or with
    no-store, no-cache or max-age=0. Last-Modified or ETag alone leave the decision to the browser's heuristics
    and a round trip to revalidate, so they do not pass.
    Who it affects: returning visitors on prepaid data pay again for files they already have, and wait for them
    again on a slow connection.
    How to fix: give static files a long max-age (a year, with `immutable`, when their names change with their
    content), and a shorter one (a day or more) otherwise.
    References: RFC 9111 HTTP Caching (freshness lifetime); Lighthouse uses-long-cache-ttl; web.dev "Serve static
    assets with an efficient cache policy".
    """
    for r in inv.weighed():
        if r.type not in STATIC_TYPES or not r.m.ok or not r.m.bytes:
            continue
        lifetime = r.m.freshness_seconds()
        if lifetime:
            continue
        why = "no Cache-Control lifetime or Expires date" if lifetime is None else \
            f"Cache-Control \"{r.m.cache_control}\"" if r.m.cache_control else "an Expires date in the past"
        yield inv.finding(
            r,
            f"This file ({net.size_label(r.m.bytes)}) is sent with {why}, so every visit downloads or revalidates "
            f"it again.",
            bytes_saved=r.m.bytes,
            repeat_visit=True,
            cache_control=r.m.cache_control,
        )
