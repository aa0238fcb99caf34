"""oversized-image: images are served at about the size a phone shows them, not far larger."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.media import _network as net
from empathy_audit.audits.media._model import MediaInventory
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check


def needed_width(inv: MediaInventory, r) -> float:  # noqa: ANN001 - MediaResource
    """Device pixels a phone needs: the slot width (browser layout, sizes, width attribute) capped at the
    phone's 412 CSS px, times its pixel ratio 1.75."""
    slot = float(r.ref.attrs.get("slot_width") or net.PHONE_WIDTH_CSS_PX)
    el = r.ref.element
    if r.ref.attrs.get("poster") and el is not None:
        try:
            slot = float(str(el.get("width") or net.PHONE_WIDTH_CSS_PX).removesuffix("px"))
        except ValueError:
            slot = net.PHONE_WIDTH_CSS_PX
    shown = inv.browser_image(r.ref.selector) if el is not None and el.name == "img" else None
    if shown and shown.get("width"):
        slot = min(slot, float(shown["width"]))
    return max(1.0, min(slot, net.PHONE_WIDTH_CSS_PX)) * net.PHONE_DPR


@check(
    id="oversized-image",
    title="Images are served at about the size they are shown",
    failure_title="Images are served far larger than they are shown",
    severity=Severity.MODERATE,
    best_practice=True,
    personas=(Persona.SLOW_CONNECTION, Persona.PREPAID_DATA),
    how_to_fix="Offer smaller versions with srcset and sizes (e.g. 480w, 800w, 1200w) so a phone downloads the "
    "one it needs, or resize the image to the largest size it is shown at.",
)
def oversized_image(inv: MediaInventory) -> Iterator[Finding]:
    """What it checks: each raster image (img, picture source, video poster) that a phone would download. The
    width it needs is the image's slot on a 412 CSS px wide phone (from the browser's layout when the browser ran,
    else `sizes` or the width attribute) times the phone's pixel ratio of 1.75. The image fails when it is at least
    1.5 times wider than that and the smaller file would save more than 4 KB (the savings estimate scales bytes by
    the share of pixels that are not needed). Animated GIFs are left to animated-gif.
    Who it affects: visitors on slow or prepaid mobile connections download pixels their screen cannot show.
    How to fix: generate several widths and let the browser choose with `srcset` and `sizes`, or resize the file.
    References: Lighthouse uses-responsive-images and DevTools image-delivery insight (4,096 B threshold); MDN
    "Responsive images"; HTML standard, srcset and sizes.
    """
    for r in inv.by_type("image"):
        info = r.m.info or {}
        if not r.m.ok or r.ref.attrs.get("icon") or r.ref.attrs.get("css") or info.get("animated"):
            continue
        width = info.get("width")
        if not width or info.get("format") in (None, "svg") or r.m.bytes is None:
            continue
        need = needed_width(inv, r)
        if width < net.OVERSIZED_MIN_RATIO * need:
            continue
        saving = int(r.m.bytes * (1 - (need / width) ** 2))
        if saving < net.IMAGE_MIN_SAVING:
            continue
        yield inv.finding(
            r,
            f"This image is {width} pixels wide, but a phone shows it at about {need:.0f}: serving a right-sized "
            f"file would save about {net.size_label(saving)} of its {net.size_label(r.m.bytes)}.",
            bytes_saved=saving,
            intrinsic_width=width,
            needed_width=round(need),
        )
