"""offscreen-images: images below the first screen wait until the visitor scrolls to them (loading="lazy")."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.media import _network as net
from empathy_audit.audits.media._model import MediaInventory
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="offscreen-images",
    title="Images below the first screen load only when needed",
    failure_title="Images below the first screen load with the page",
    severity=Severity.MINOR,
    best_practice=True,
    personas=(Persona.SLOW_CONNECTION, Persona.PREPAID_DATA),
    how_to_fix='Add loading="lazy" to images below the first screen (never to the main image at the top).',
)
def offscreen_images(inv: MediaInventory) -> Iterator[Finding]:
    """What it checks: <img> elements with no `loading` attribute that are probably below the first screen. Without
    a browser the fold is unknown, so the check is conservative: the first 5 images in document order are assumed
    visible and never flagged. When the browser ran, an image is flagged only if it also starts below the window's
    height. Images that weigh less than 2 KB are ignored (Lighthouse's threshold), and so is an explicit
    `loading="eager"`.
    Who it affects: visitors on slow connections wait for images they may never scroll to before the page settles;
    visitors on prepaid data pay for them.
    How to fix: add `loading="lazy"` (and width and height, so the layout does not jump) to images further down
    the page.
    References: Lighthouse offscreen-images (v12.8.2: 2,048 B threshold); HTML standard, lazy loading attributes;
    web.dev "Browser-level image lazy loading".
    """
    viewport_h = None
    if inv.browser and inv.browser.get("viewport"):
        viewport_h = inv.browser["viewport"][1]
    for r in inv.by_type("image"):
        el = r.ref.element
        if el is None or el.name != "img" or r.ref.attrs.get("loading") or not r.ref.in_weight:
            continue
        if (r.ref.attrs.get("index") or 0) <= net.LAZY_SKIP_FIRST_IMAGES:
            continue
        if not r.m.ok or (r.m.bytes or 0) < net.OFFSCREEN_MIN_SAVING:
            continue
        if viewport_h:
            shown = inv.browser_image(r.ref.selector)
            if shown is not None and (shown.get("top") or 0) < viewport_h:
                continue
        yield inv.finding(
            r,
            f"This image ({net.size_label(r.m.bytes)}) is image {r.ref.attrs.get('index')} on the page, probably "
            f"below the first screen, yet it downloads with the page: loading=\"lazy\" would defer it.",
            bytes_saved=r.m.bytes,
        )
