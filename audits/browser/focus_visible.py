"""focus-visible: nothing on screen changes when an element receives keyboard focus."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.browser._keyboard import describe, finding, keyboard_data, unique_stops
from empathy_audit.audits.gather.keyboard import _style_group
from empathy_audit.audits.model import Finding, Outcome, Persona, Severity
from empathy_audit.audits.registry import check

MAX_REVIEW = 10


@check(
    id="focus-visible",
    title="Focused elements show a visible focus indicator",
    failure_title="Focused elements show no focus indicator",
    severity=Severity.SERIOUS,
    wcag=("2.4.7",),
    personas=(Persona.KEYBOARD, Persona.LOW_VISION),
    act=("oj04fd",),
    how_to_fix="Do not remove the focus outline (outline: none / 0) without a replacement; style :focus-visible with "
    "an outline, border or box-shadow that contrasts with its surroundings.",
)
def focus_visible(page: RenderedPage) -> Iterator[Finding]:
    """What it checks: for each stop of the real Tab walk, the focused element's styles are compared with the same
    element's styles before the walk: outline, box-shadow, borders, background, colour, text decoration, transform,
    opacity, filter, font weight, its ::before and ::after, its parent and grandparent (:focus-within), its label,
    next sibling and first child. Something changed: passes (the browser's default focus ring, outline: auto,
    counts). Nothing changed: the element is focused again and a screenshot of it and its label is compared with one
    taken without focus, and when those are identical, a screenshot of the whole viewport too (the indicator may
    be drawn anywhere on screen). Identical pixels: fails. Different pixels: passes. Not compared (time budget, no
    DevTools): needs review. Elements of the same kind and class as a compared one share its result.
    Text fields with identical pixels are only "needs review", as their blinking caret may be the only indicator.
    Who it affects: sighted keyboard users cannot tell where they are on the page.
    How to fix: keep the default outline, or give :focus-visible a clear outline, border or box-shadow.
    References: WCAG 2.4.7 Focus Visible (failure F78; technique C45); W3C ACT rule oj04fd (Element in sequential
    focus order has visible focus).
    Limits: a change too small to notice (a slightly different colour) passes; 2.4.13 Focus Appearance is not
    measured.
    """
    data = keyboard_data(page)
    if data is None:
        return
    verify = data.get("verify") or {}
    by_group = {v.get("group"): v.get("pixels") for v in verify.values() if v.get("pixels")}
    reviews = 0
    for stop in unique_stops(data["stops"]):
        if stop.get("ch") != [] or stop.get("fr") or stop.get("obs") or (stop.get("hid") and not stop.get("lbl")):
            continue
        result = verify.get(str(stop.get("i")), {}).get("pixels") or by_group.get(_style_group(stop))
        if stop.get("te") and result:
            result = "caret"  # a blinking caret makes the pixels differ, or not: only a person can judge
        if result == "differ":
            continue
        who = describe(stop)
        if result == "same" and not stop.get("te") and not stop.get("c"):
            yield finding(
                page, stop["p"], stop.get("html", ""),
                f"When {who} has keyboard focus nothing on screen changes, so keyboard users cannot see where they "
                "are. Give it a visible focus style such as an outline.",
            )
        elif reviews < MAX_REVIEW:
            reviews += 1
            extra = ", and only the text cursor may show it" if result == "caret" else ""
            yield finding(
                page, stop["p"], stop.get("html", ""),
                f"When {who} has keyboard focus none of its focus-related styles change{extra}. "
                "Check that a visible focus indicator appears.",
                outcome=Outcome.REVIEW,
            )
