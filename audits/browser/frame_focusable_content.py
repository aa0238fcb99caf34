"""frame-focusable-content: a frame that holds what keyboard users must reach is not taken out of the tab order."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.browser._render_common import finding, items, quote
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="frame-focusable-content",
    title="Frames with interactive content stay in the tab order",
    failure_title="Frames with interactive content are taken out of the tab order",
    severity=Severity.SERIOUS,
    wcag=("2.1.1",),
    personas=(Persona.KEYBOARD, Persona.MOTOR),
    task="reaching embedded content with the keyboard",
    act=("akn7bn",),
    how_to_fix="Remove the negative tabindex from the <iframe>, or take its content out of the tab order too if "
               "nobody needs to reach it (hide it, or make the frame inert).",
)
def frame_focusable_content(page: RenderedPage) -> Iterator[Finding]:
    """What it checks: every <iframe> or <frame> of the page with a negative tabindex attribute (tabindex="-1"),
    which takes the frame and everything inside it out of the tab order. The probe reads the frame's document (same
    origin only, srcdoc included) for visible elements that are in its own tab order: links, buttons, form fields,
    elements with tabindex 0 or more.
    - FAIL: the frame is shown (rendered, not transparent, at least 8 by 8 px), is not inert, and holds at least
    one such element: keyboard users cannot reach it.
    Not reported: frames whose content is itself out of the tab order (tabindex -1, disabled, hidden); frames that
    are hidden, tiny or transparent; inert frames (an inert attribute, or behind an open modal dialog, where the
    page may take them out of the tab order on purpose); frames of another origin, whose content cannot be read.
    Who it affects: keyboard and switch users cannot reach the frame's links and controls at all.
    How to fix: remove the negative tabindex from the <iframe>, or take its content out of the tab order too if
    nobody needs to reach it (hide it, or make the frame inert).
    References: WCAG 2.1.1 Keyboard; W3C ACT rule akn7bn (Iframe with interactive elements is not excluded from
    tab-order).
    """
    for item in items(page, "frames"):
        if not item.get("shown") or item.get("inert") or not item.get("readable"):
            continue
        count = int(item.get("tabbables") or 0)
        if count <= 0:
            continue
        what = "an element" if count == 1 else f"{count if count < 20 else '20 or more'} elements"
        first = quote(item.get("first") or "", 80)
        yield finding(
            page, item,
            f"This frame has tabindex=\"{item.get('tabindex')}\", which takes it out of the tab order, yet it holds "
            f"{what} that keyboard users must reach with the Tab key (the first: {first}). They cannot reach "
            f"{'it' if count == 1 else 'them'}. Remove the negative tabindex from the frame.",
            tabindex=item.get("tabindex"), tabbables=count, first=item.get("first"),
        )
