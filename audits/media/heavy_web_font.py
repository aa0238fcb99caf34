"""heavy-web-font: web font files stay light (subset to the characters the site uses)."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.media import _network as net
from empathy_audit.audits.media._model import MediaInventory
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="heavy-web-font",
    title="Web fonts are light",
    failure_title="Web fonts are heavy",
    severity=Severity.MODERATE,
    best_practice=True,
    personas=(Persona.SLOW_CONNECTION, Persona.PREPAID_DATA, Persona.LOW_VISION),
    how_to_fix="Subset the font to the characters and weights the site uses and serve it as WOFF2 (a Latin "
    "subset is typically 15-30 KB), with font-display: swap so text shows at once in a fallback font.",
)
def heavy_web_font(inv: MediaInventory) -> Iterator[Finding]:
    """What it checks: each web font file the page's CSS uses (an @font-face whose family a font-family
    declaration names) that weighs more than 100 KB on the wire. The message compares it with the weight of the
    page's visible text. The saving assumes a subset of about 30 KB.
    Who it affects: visitors on slow connections see blank or shifting text until the font arrives; visitors on
    prepaid data pay for glyphs the page never shows; low-vision visitors lose the text they were reading when the
    font swaps in.
    How to fix: subset the font (e.g. with pyftsubset or glyphhanger) to the languages and weights used, serve
    WOFF2, add `font-display: swap`, or use a system font stack.
    References: Lighthouse font-display; web.dev "Reduce web font size"; HTTP Archive Web Almanac, Fonts chapter
    (median fonts per page 131 KB, desktop, 2024).
    """
    seen: set[str] = set()
    for r in inv.by_type("font"):
        if r.url in seen or not r.ref.in_weight or not r.m.ok or r.m.bytes is None:
            continue
        seen.add(r.url)
        if r.m.bytes <= net.HEAVY_FONT_BYTES:
            continue
        text = inv.text_bytes
        ratio = f", {r.m.bytes / text:,.0f} times the weight of the page's text ({net.size_label(text)})" if text \
            else ""
        family = r.ref.attrs.get("family") or "a web font"
        yield inv.finding(
            r,
            f"The font \"{family}\" weighs {net.size_label(r.m.bytes)}{ratio}; a subset would weigh about "
            f"{net.size_label(net.FONT_SUBSET_TARGET)}.",
            bytes_saved=r.m.bytes - net.FONT_SUBSET_TARGET,
            family=family,
            text_bytes=text,
        )
