"""text-compression: HTML, CSS, JavaScript, SVG and other text is served compressed (gzip, Brotli or zstd)."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.media import _network as net
from empathy_audit.audits.media._model import MediaInventory, MediaResource, ResourceRef, is_text_type
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="text-compression",
    title="Text is served compressed",
    failure_title="Text is served uncompressed",
    severity=Severity.MODERATE,
    best_practice=True,
    personas=(Persona.SLOW_CONNECTION, Persona.PREPAID_DATA),
    how_to_fix="Turn on gzip or Brotli compression in the web server or CDN for text types (text/html, text/css, "
    "application/javascript, image/svg+xml, application/json).",
)
def text_compression(inv: MediaInventory) -> Iterator[Finding]:
    """What it checks: the page's HTML and every text resource it loads (CSS, JavaScript, SVG, JSON, XML) that
    arrives with no Content-Encoding although the request offered gzip. The body is gzipped locally (level 6) to
    measure the saving; the resource fails when that saves at least 1,400 bytes and, below 20,000 bytes saved, at
    least 10 % of the file, as Lighthouse's uses-text-compression decides.
    Who it affects: visitors on slow or prepaid connections download three to five times more bytes than needed.
    How to fix: enable compression for text types in the server (nginx `gzip on; gzip_types ...`, Apache
    mod_deflate, or the CDN setting); precompress static files at build time.
    References: Lighthouse uses-text-compression (v12.8.2 thresholds); RFC 9110 Content-Encoding; web.dev
    "Enable text compression".
    """
    candidates: list[MediaResource] = []
    if inv.document is not None:
        candidates.append(MediaResource(ResourceRef(url=inv.document.url, type="document", found_via="page"),
                                        inv.document))
    candidates += inv.weighed()
    seen: set[str] = set()
    for r in candidates:
        m = r.m
        if r.url in seen or not m.ok or m.bytes is None or m.gzip_bytes is None:
            continue
        seen.add(r.url)
        if (m.encoding and m.encoding != "identity") or not is_text_type(m.content_type):
            continue
        saving = m.bytes - m.gzip_bytes
        if saving < net.TEXT_COMPRESSION_MIN_SAVING:
            continue
        if saving < net.TEXT_COMPRESSION_ALWAYS and saving < net.TEXT_COMPRESSION_MIN_RATIO * m.bytes:
            continue
        what = "This page's HTML" if r.ref.found_via == "page" else f"This {m.mime or 'text'} file"
        yield inv.finding(
            r,
            f"{what} is sent uncompressed ({net.size_label(m.bytes)}); gzip would bring it to "
            f"{net.size_label(m.gzip_bytes)}, saving {net.size_label(saving)}.",
            bytes_saved=saving,
            gzip_bytes=m.gzip_bytes,
        )
