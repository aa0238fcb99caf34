"""focus-order: keyboard focus jumps back up the page, against the visual reading order."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.browser._keyboard import describe, finding, keyboard_data
from empathy_audit.audits.model import Finding, Outcome, Persona, Severity
from empathy_audit.audits.registry import check

MIN_JUMP = 400  # CSS px upwards between two consecutive stops in the same column
MAX_FINDINGS = 3


def _plain(stop: dict) -> bool:
    return bool(stop.get("p")) and not stop.get("fx") and not stop.get("dlg") and not stop.get("fr") \
        and not stop.get("hid") and (stop.get("w") or 0) > 0 and (stop.get("h") or 0) > 0 \
        and (stop.get("ti") or 0) <= 0


def _same_nav(a: str, b: str) -> bool:
    """Both paths run through the same <nav> (or menu): a drop-down panel and its top-level links."""
    for marker in (" > nav", " > ul"):
        i = a.find(marker)
        if i >= 0:
            end = a.find(" > ", i + len(marker))
            prefix = a[: end if end >= 0 else len(a)]
            if b.startswith(prefix + " > ") or b == prefix:
                return True
    return False


@check(
    id="focus-order",
    title="Keyboard focus follows the visual order",
    failure_title="Keyboard focus jumps against the visual order",
    severity=Severity.MODERATE,
    wcag=("2.4.3",),
    personas=(Persona.KEYBOARD, Persona.LOW_VISION, Persona.COGNITIVE),
    how_to_fix="Put elements in the HTML in the order they appear on screen instead of moving them with CSS "
    "(order, grid placement, absolute positioning, flex-direction: *-reverse).",
)
def focus_order(page: RenderedPage) -> Iterator[Finding]:
    """What it checks: consecutive stops of the real Tab walk. When focus moves from one element to the next one
    more than 400 CSS px higher up the page, in the same column (their horizontal extents overlap), the order is
    probably not the visual one: usually CSS (order, grid areas, absolute positioning, *-reverse) moved content
    away from its place in the HTML. Always "needs review": WCAG 2.4.3 only fails when the order changes meaning or
    operation, which a person judges.
    Not reported: jumps to or from fixed or sticky elements, dialogs, frames, hidden elements, elements with a
    positive tabindex (the static check `tabindex` reports those), jumps out of content that only appeared on focus
    (drop-down menus) or within one navigation list; at most three per page.
    Who it affects: sighted keyboard users and magnifier users, who lose track of where focus went.
    How to fix: make the DOM order match the visual order.
    References: WCAG 2.4.3 Focus Order (failure F44, technique C27).
    """
    data = keyboard_data(page)
    if data is None:
        return
    stops = data["stops"]
    seen: set[str] = set()
    found = 0
    for a, b in zip(stops, stops[1:]):
        if found >= MAX_FINDINGS:
            return
        if b.get("p") in seen or b.get("p") == a.get("p") or not _plain(a) or not _plain(b):
            seen.add(a.get("p") or "")
            continue
        seen.add(a.get("p") or "")
        if a.get("ch") is None or _same_nav(a["p"], b["p"]):
            continue  # leaving a menu that opened on focus, or moving inside one navigation block
        up = a["dy"] - (b["dy"] + b["h"])
        overlap = b["dx"] < a["dx"] + a["w"] and a["dx"] < b["dx"] + b["w"]
        if up >= MIN_JUMP and overlap:
            found += 1
            yield finding(
                page, b["p"], b.get("html", ""),
                f"After {describe(a)}, the Tab key moves focus {int(up)} px back up the page to {describe(b)}. "
                "Check that the focus order follows the visual order; if not, reorder the HTML.",
                outcome=Outcome.REVIEW, jump_px=int(up), previous=a["p"],
            )
