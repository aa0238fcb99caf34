"""keyboard-unreachable: controls that react to the mouse but cannot be reached with the keyboard."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.browser._keyboard import finding, keyboard_data
from empathy_audit.audits.model import Finding, Outcome, Persona, Severity
from empathy_audit.audits.registry import check

MAX_REVIEW = 10


def _what(item: dict) -> str:
    name = (item.get("n") or "").replace('"', "'").strip()
    tag = item.get("t") or "element"
    label = f'"{name}"' if name else f"<{tag}>"
    return label


@check(
    id="keyboard-unreachable",
    title="Interactive elements can be reached with the keyboard",
    failure_title="Interactive elements cannot be reached with the keyboard",
    severity=Severity.SERIOUS,
    wcag=("2.1.1",),
    personas=(Persona.KEYBOARD, Persona.SCREEN_READER, Persona.MOTOR),
    how_to_fix="Use a real <button> or <a href> for anything clickable; for a custom widget add tabindex=\"0\" and "
    "Enter/Space key handlers.",
)
def keyboard_unreachable(page: RenderedPage) -> Iterator[Finding]:
    """What it checks: in the rendered page, elements that look interactive but cannot take keyboard focus: an
    onclick-style attribute (onclick, onmousedown, ...) or a widget ARIA role (button, link, checkbox, tab, menuitem,
    switch, option, ...) on an element that is not focusable, has no focusable element inside it and is not inside
    one, is rendered with visible content and is not disabled. Those fail. Elements whose only evidence is a
    pointer cursor (including <a> without href styled as clickable) are left for review.
    With DevTools (a local Chromium), an element with a pointer cursor and its own click, mousedown, mouseup,
    pointer or touch event listener (getEventListeners) fails too: the listener makes it as definite as onclick.
    Items of composite widgets (options, tabs, menu items, tree items) are skipped when their container takes focus
    or uses aria-activedescendant, or a sibling item is focusable (roving tabindex); labels of form fields and
    handlers that only stop propagation are ignored.
    Who it affects: keyboard and switch users cannot operate the control at all; screen-reader users may hear it
    but cannot activate it with the keyboard.
    How to fix: use a native <button> or <a href>; otherwise add tabindex="0", a role and key handlers.
    References: WCAG 2.1.1 Keyboard (failure F54: only pointing-device events; F42: emulating links).
    Limits: listeners delegated to an ancestor (React attaches them to the root) are not seen, only the pointer
    cursor that usually comes with them, so those are "needs review"; so is everything on a remote Grid (no
    DevTools).
    """
    data = keyboard_data(page)
    if data is None:
        return
    reviews = 0
    for item in data.get("unfocusable") or []:
        evidence = [e for e in item.get("evidence") or []]
        listeners = item.get("listeners") or []
        if not evidence and item.get("cursor") and listeners:
            evidence = [f"{listeners[0]} listener"]
        what = _what(item)
        if evidence:
            ev = evidence[0]
            if ev.startswith("role="):
                how = f'has role="{ev[5:]}"'
            elif ev.endswith(" listener"):
                how = f"has a {ev.split()[0]} event listener and a pointer cursor"
            else:
                how = f"has an {ev} handler"
            yield finding(
                page, item["p"], item.get("html", ""),
                f"The element {what} {how} but cannot be focused with the Tab key, so keyboard users cannot use it. "
                "Use a real button or link, or add tabindex=\"0\" and key handlers.",
                evidence=evidence,
            )
        elif item.get("cursor") and reviews < MAX_REVIEW:
            reviews += 1
            kind = "link without an href" if item.get("noHref") else "element"
            yield finding(
                page, item["p"], item.get("html", ""),
                f"The {kind} {what} shows a pointer cursor as if clickable, but cannot be focused with the keyboard. "
                "If it does something when clicked, make it a button or link.",
                outcome=Outcome.REVIEW,
                evidence=["cursor:pointer"],
            )
