"""text-resize: no text is cut off when text is enlarged to 200%."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.browser._render_common import finding, items, quote
from empathy_audit.audits.model import Finding, Outcome, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="text-resize",
    title="Text stays readable when enlarged to 200%",
    failure_title="Text may be cut off when enlarged to 200%",
    severity=Severity.MODERATE,
    wcag=("1.4.4",),
    personas=(Persona.LOW_VISION,),
    how_to_fix="Size text containers in relative units and let them grow: avoid fixed heights or widths with "
               "overflow: hidden around text.",
)
def text_resize(page: RenderedPage) -> Iterator[Finding]:
    """What it checks: the probe doubles the computed font size of every element that holds text (a text-only
    zoom to 200%, layout left as it is), measures every box that holds text, and restores the sizes. A box that
    clips its content (overflow hidden or clip, not a scroller) whose text now reaches past its edge, where it
    did not before, needs review. Never a FAIL: WCAG 1.4.4 can be met with the browser's page zoom, which also
    widens the layout, and most sites pass that way; text-only enlargement is a stricter test, so a reviewer
    checks the place at 200% browser zoom (and with the browser's text-size setting). Hover and focus states
    are not tested; text that merely spills out of its box is not reported here (see text-spacing), nor text
    cut short with a visible ellipsis or line clamp, which that box does by design at any size.
    Who it affects: low-vision visitors who enlarge text.
    How to fix: size text containers in relative units and let them grow: avoid fixed heights or widths with
    overflow: hidden around text.
    References: WCAG 1.4.4 Resize Text; failure F69 (text clipped, truncated or obscured when resized).
    """
    for item in items(page, "text200", "clipped"):
        if item.get("ellipsis"):
            continue  # truncation with a visible ellipsis (or line clamp) is that box's design at any size
        yield finding(
            page, item,
            f"When text is enlarged to 200%, the text {quote(item.get('text') or '')} is cut off by its box. "
            "Check it at 200% browser zoom and let the box grow with its text.",
            outcome=Outcome.REVIEW, axis=item.get("axis"), size_before=item.get("before"),
            size_after=item.get("after"), overflow_px=item.get("spill"),
        )
