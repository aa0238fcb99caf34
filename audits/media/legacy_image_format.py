"""legacy-image-format: large JPEG, PNG and GIF images are served in a modern format (AVIF, WebP)."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.media import _network as net
from empathy_audit.audits.media._model import MediaInventory
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check

LEGACY = {"jpeg": "JPEG", "png": "PNG", "gif": "GIF", "bmp": "BMP"}


@check(
    id="legacy-image-format",
    title="Large images use a modern format",
    failure_title="Large images use an old, heavy format",
    severity=Severity.MODERATE,
    best_practice=True,
    personas=(Persona.SLOW_CONNECTION, Persona.PREPAID_DATA),
    how_to_fix="Serve AVIF or WebP, keeping JPEG or PNG as the fallback in <picture>: "
    '<picture><source type="image/avif" srcset="hero.avif"><img src="hero.jpg" alt="..."></picture>.',
)
def legacy_image_format(inv: MediaInventory) -> Iterator[Finding]:
    """What it checks: JPEG, PNG, static GIF and BMP images whose file holds more than 0.167 bytes per pixel, the
    size AVIF typically reaches (2 bytes per pixel divided by 12, as DevTools' image-delivery insight assumes).
    The image fails when the estimated saving is at least 8 KB, Lighthouse's threshold for modern-image-formats.
    Pixel sizes are read from the file's header.
    Who it affects: visitors on slow or prepaid mobile connections pay for bytes a modern format would not need.
    How to fix: encode AVIF or WebP versions and offer them in <picture> with the old format as the fallback; most
    image CDNs and build tools do this automatically.
    References: Lighthouse modern-image-formats (v12.8.2: 8,192 B threshold); DevTools ImageDelivery.ts (AVIF at
    2/12 bytes per pixel); web.dev "Use WebP images"; caniuse AVIF and WebP.
    """
    for r in inv.by_type("image"):
        info = r.m.info or {}
        fmt = info.get("format")
        if not r.m.ok or fmt not in LEGACY or info.get("animated") or r.m.bytes is None:
            continue
        width, height = info.get("width") or 0, info.get("height") or 0
        if not width or not height:
            continue
        target = int(width * height * net.AVIF_BYTES_PER_PIXEL)
        saving = r.m.bytes - target
        if saving < net.MODERN_FORMAT_MIN_SAVING:
            continue
        yield inv.finding(
            r,
            f"This {LEGACY[fmt]} image weighs {net.size_label(r.m.bytes)} for {width}x{height} pixels; as AVIF it "
            f"would weigh about {net.size_label(target)}, saving {net.size_label(saving)}.",
            bytes_saved=saving,
            format=fmt,
            width=width,
            height=height,
        )
