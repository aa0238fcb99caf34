"""reflow: at 320 CSS px wide the page does not make visitors scroll sideways to read."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.browser._render_common import finding, quote, render_data
from empathy_audit.audits.model import Finding, Outcome, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="reflow",
    title="Content reflows at 320 CSS pixels wide",
    failure_title="Content needs sideways scrolling at 320 CSS pixels wide",
    severity=Severity.SERIOUS,
    wcag=("1.4.10",),
    personas=(Persona.LOW_VISION, Persona.MOTOR),
    how_to_fix="Use a responsive layout: flexible widths (max-width: 100%, no fixed pixel widths), wrapping "
               "flex/grid items, overflow-wrap: anywhere for long words and URLs, and media queries for narrow "
               "screens.",
)
def reflow(page: RenderedPage) -> Iterator[Finding]:
    """What it checks: the probe shows the page 320 CSS pixels wide and 256 high (what a 1280 px wide screen
    shows at 400% zoom, via DevTools device-metrics emulation, else a resized window) and, when the page then
    scrolls sideways, finds the elements responsible: the outermost element that reaches past the right edge
    (the left edge on right-to-left pages).
    - FAIL: text reaches past the edge, so visitors must scroll sideways on every line to read it.
    - Needs review: only an image, video, form control or similar box reaches past the edge: it may be content
      that needs two dimensions, or a fixed width to fix. Also needs review: text that sits entirely beyond the
      edge (nothing of it on screen), which may be a closed off-screen panel rather than content to read.
    Not reported: content allowed to need two dimensions (data tables, code and pre-formatted text, maps, media,
    canvas, SVG, grids, toolbars, application regions), anything inside its own scrolling or clipping box,
    fixed-position layers, transparent or visually hidden text, text placed far off the page on purpose. On
    pages whose viewport clips sideways (overflow-x hidden on html or body) nothing scrolls: what the narrow
    layout cuts off cannot be told apart from a deliberate design, so only text cut in the middle by the edge is
    left to review, never failed.
    Who it affects: low-vision visitors who zoom in, and anyone on a small screen.
    How to fix: use a responsive layout: flexible widths (max-width: 100%, no fixed pixel widths), wrapping
    flex/grid items, overflow-wrap: anywhere for long words and URLs, and media queries for narrow screens.
    References: WCAG 1.4.10 Reflow; failure F102 (content lost or two-dimensional scrolling at 320 px).
    """
    data = render_data(page, "reflow")
    if not isinstance(data, dict) or data.get("error"):
        return
    width = data.get("width") or 320
    scroll = data.get("scroll_width")
    for item in data.get("culprits") or ():
        if not isinstance(item, dict) or not item.get("selector"):
            continue
        if data.get("viewport_clips"):
            # The page cannot scroll sideways: what is past the edge is cut off. Off-screen panels are deliberate;
            # text cut in the middle by the edge is lost content, but a designer may have meant it: review.
            if item.get("text") and not item.get("beyond"):
                yield finding(
                    page, item,
                    f"At {width} CSS px wide (a 1280 px screen zoomed to 400%) this text runs past the edge of "
                    f"the screen and the page cannot scroll sideways, so {quote(item.get('sample') or '', 60)} is "
                    "cut off. Check that nothing is lost, and let it wrap to the screen width.",
                    outcome=Outcome.REVIEW, viewport=width, scroll_width=scroll, element_width=item.get("width"),
                )
            continue
        if item.get("text") and item.get("beyond"):
            yield finding(
                page, item,
                f"At {width} CSS px wide (a 1280 px screen zoomed to 400%) this content sits entirely beyond the "
                "edge of the screen and makes the page scroll sideways. Check whether it is a closed panel that "
                "should be hidden, or content visitors must scroll sideways to reach.",
                outcome=Outcome.REVIEW, viewport=width, scroll_width=scroll, element_width=item.get("width"),
                left=item.get("left"), right=item.get("right"),
            )
        elif item.get("text"):
            yield finding(
                page, item,
                f"At {width} CSS px wide (a 1280 px screen zoomed to 400%) this content is {item.get('width')} px "
                f"wide and runs past the edge of the screen, so visitors who zoom in must scroll sideways to read "
                f"{quote(item.get('sample') or '', 60)}. Let it wrap to the screen width.",
                viewport=width, scroll_width=scroll, element_width=item.get("width"), right=item.get("right"),
            )
        else:
            yield finding(
                page, item,
                f"At {width} CSS px wide (a 1280 px screen zoomed to 400%) this element is {item.get('width')} px "
                "wide and makes the page scroll sideways. Check whether it needs two dimensions (a map, a chart); "
                "otherwise let it shrink to the screen width.",
                outcome=Outcome.REVIEW, viewport=width, scroll_width=scroll, element_width=item.get("width"),
            )
