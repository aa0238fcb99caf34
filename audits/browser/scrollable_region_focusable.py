"""scrollable-region-focusable: a box whose content scrolls can be reached with the Tab key, to scroll it by keyboard."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.browser._render_common import finding, items, quote
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="scrollable-region-focusable",
    title="Scrollable content can be reached with the keyboard",
    failure_title="Scrollable content cannot be reached with the keyboard",
    severity=Severity.SERIOUS,
    wcag=("2.1.1",),
    personas=(Persona.KEYBOARD, Persona.MOTOR),
    task="scrolling content by keyboard",
    act=("0ssw9k",),
    how_to_fix="Put the scrolling box in the tab order (tabindex=\"0\", with role=\"region\" and an aria-label "
               "naming it), or let it grow with its content instead of scrolling.",
)
def scrollable_region_focusable(page: RenderedPage) -> Iterator[Finding]:
    """What it checks: elements of the page whose content scrolls inside them (overflow auto or scroll) further
    than their padding, so that content is hidden until the box is scrolled, and that show content (text, images,
    media or controls). Keyboard users scroll such a box with the arrow keys once focus is on it or inside it.
    - FAIL: neither the box nor anything inside it (open shadow roots included) is in the tab order, and it is
    not inert: keyboard users cannot reach it to scroll it (Chromium and Firefox now let Tab stop on such a box
    themselves, Safari does not, and no browser does when it has a negative tabindex).
    Not reported: the page itself (html, body) and frames, which scroll their own documents; boxes that clip
    (overflow hidden or clip); content hidden by less than the padding plus 4 px; boxes with nothing to see;
    boxes smaller than 8 by 8 px, hidden, transparent or visually hidden; inert boxes (an inert attribute, or
    behind an open modal dialog); text areas and list boxes, which are controls of their own.
    Who it affects: keyboard and switch users cannot read or use what is scrolled out of view.
    How to fix: put the scrolling box in the tab order (tabindex="0", with role="region" and an aria-label naming
    it), or let it grow with its content instead of scrolling.
    References: WCAG 2.1.1 Keyboard; W3C ACT rule 0ssw9k (Scrollable content can be reached with sequential focus
    navigation).
    """
    for item in items(page, "scrollers"):
        try:
            dx, dy = (float(v) for v in item.get("distance") or ())
            px, py = (float(v) for v in item.get("padding") or ())
        except (TypeError, ValueError):
            continue
        axis = item.get("axis")
        hidden = max(dx - px if axis != "vertical" else 0, dy - py if axis != "horizontal" else 0)
        direction = {"horizontal": "sideways", "vertical": "down"}.get(str(axis), "down and sideways")
        sample = item.get("sample") or ""
        what = f"with {quote(sample, 60)}" if sample else "with images or controls"
        negative = isinstance(item.get("tabindex"), int) and item["tabindex"] < 0
        because = f"it has tabindex=\"{item['tabindex']}\" and " if negative else ""
        yield finding(
            page, item,
            f"This box {what} scrolls {direction} (about {round(hidden)} px of it is out of view), but {because}"
            "neither it nor anything inside it can be reached with the Tab key, so keyboard users cannot scroll "
            "it to see the rest. Add tabindex=\"0\" with role=\"region\" and an aria-label, or let it grow with "
            "its content.",
            axis=axis, hidden_px=round(hidden), tabindex=item.get("tabindex"),
        )
