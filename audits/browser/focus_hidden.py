"""focus-hidden: keyboard focus lands on an element that cannot be seen."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.browser._keyboard import describe, finding, keyboard_data, unique_stops
from empathy_audit.audits.model import Finding, Outcome, Persona, Severity
from empathy_audit.audits.registry import check

_WHY = {
    "tiny": "it has no size",
    "offscreen": "it is outside the page area",
    "transparent": "it is fully transparent",
    "fading": "it is fully transparent, perhaps still fading in",
    "invisible": "it is set to visibility: hidden",
    "clip": "it is clipped away",
    "clipped": "it is cut off by a container that hides overflow",
}


@check(
    id="focus-hidden",
    title="Focused elements are visible",
    failure_title="Keyboard focus lands on invisible elements",
    severity=Severity.SERIOUS,
    wcag=("2.4.7", "2.4.11"),
    personas=(Persona.KEYBOARD, Persona.LOW_VISION),
    how_to_fix="Hide closed menus and off-screen panels with display: none, visibility: hidden or inert so they "
    "leave the tab order, or show the element when it receives focus; keep sticky bars from covering it.",
)
def focus_hidden(page: RenderedPage) -> Iterator[Finding]:
    """What it checks: each stop of the real Tab walk, measured while the element has focus (after the browser
    scrolled it into view and its transitions ended). Fails when the focused element has no size, stays outside the
    page area, is fully transparent (opacity along its ancestors), is clipped away (clip, clip-path, or an
    overflow-hidden container), confirmed by focusing it again after a pause so late scripts can reveal it.
    Transparent boxes with an opacity transition or animation (reveal-on-scroll effects) and images still loading
    are never failed: needs review at most.
    Visually-hidden skip links that appear on focus are fine: only the focused state counts. Form fields hidden
    behind a visible custom label (styled checkboxes), and hidden elements whose parent, sibling or child changes
    style on focus (a transparent file input inside a styled button), are left to the focus-visible check.
    When the focused element is entirely covered by other content (a sticky header, a cookie banner), it is
    reported under 2.4.11: fails when an opaque fixed or sticky element covers all of it, else needs review.
    Not confirmed within the time budget: needs review, unless a stop with the same reasons in the same container
    (grandparent) was confirmed.
    Who it affects: sighted keyboard users lose track of where they are and may activate something they cannot see.
    How to fix: take hidden content out of the tab order (display: none, visibility: hidden, inert), or make it
    visible on focus; leave room (scroll-padding) for sticky headers.
    References: WCAG 2.4.7 Focus Visible, 2.4.11 Focus Not Obscured (Minimum) (failure F110: sticky content
    hiding the focused element).
    """
    data = keyboard_data(page)
    if data is None:
        return
    verify = data.get("verify") or {}
    # Hidden stops confirmed on a re-check, by reasons and container: their unchecked siblings share the verdict.
    confirmed = {(tuple(s.get("hid") or ()), _container(s["p"])) for s in data["stops"]
                 if s.get("hid") and (verify.get(str(s.get("i"))) or {}).get("hid")}
    for stop in unique_stops(data["stops"]):
        again = verify.get(str(stop.get("i")))
        if again is None and stop.get("hid") and (tuple(stop["hid"]), _container(stop["p"])) in confirmed:
            again = {"hid": stop["hid"], "obs": None}
        who = describe(stop)
        if stop.get("hid") and not stop.get("lbl") and not _shown_nearby(stop):
            reasons = stop["hid"]
            if again is not None and not again.get("hid"):
                continue
            why = _WHY.get(reasons[0], "it cannot be seen")
            if again is not None and "fading" in (again.get("hid") or []):
                again = None  # a reveal animation may simply be slower than the re-check: a person judges
            if again is not None:
                yield finding(
                    page, stop["p"], stop.get("html", ""),
                    f"Keyboard focus lands on {who}, but it cannot be seen when focused: {why}. "
                    "Take it out of the tab order while hidden, or show it on focus.",
                    hidden=reasons,
                )
            else:
                yield finding(
                    page, stop["p"], stop.get("html", ""),
                    f"Keyboard focus lands on {who}, which looked invisible when focused ({why}). "
                    "Check that it shows when it has focus.",
                    outcome=Outcome.REVIEW, hidden=reasons,
                )
        elif stop.get("obs"):
            obs = (again or {}).get("obs") if again is not None else stop["obs"]
            if again is not None and not obs:
                continue
            definite = again is not None and obs and obs.get("fixed") and obs.get("opaque") and obs.get("full")
            cover = "a fixed or sticky element (a header, banner or notice)" if obs.get("fixed") else "other content"
            yield finding(
                page, stop["p"], stop.get("html", ""),
                f"When {who} has keyboard focus it is entirely covered by {cover}, so keyboard users cannot see it. "
                "Keep sticky headers, banners and overlays from hiding the focused element.",
                outcome=Outcome.FAIL if definite else Outcome.REVIEW, covered_by=obs.get("path"),
            )


def _shown_nearby(stop: dict) -> bool:
    """Focus shows on a neighbour (parent :focus-within, next sibling, first child): a transparent file input over a
    styled button, a visually hidden checkbox before its drawn box."""
    return any(not c.startswith(("self:", "before:", "after:")) for c in stop.get("ch") or [])


def _container(path: str) -> str:
    """The element's grandparent path: links of one hidden menu share it (ul > li > a)."""
    return path.rsplit(" > ", 2)[0]
