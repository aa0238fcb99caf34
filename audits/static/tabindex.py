"""tabindex: no element takes a positive tabindex."""

from __future__ import annotations

import re
from typing import Iterator

from empathy_audit.audits.accname import attr_text, is_hidden
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check

_INTEGER = re.compile(r"^\s*\+?(\d+)")


@check(
    id="tabindex",
    title="No element has a tabindex greater than zero",
    failure_title="Elements have a tabindex greater than zero",
    severity=Severity.SERIOUS,
    wcag=("2.4.3",),
    personas=(Persona.KEYBOARD, Persona.SCREEN_READER),
    how_to_fix='Use tabindex="0" (or none) and put elements in the order you want them focused in the HTML.',
    best_practice=True,
    task="moving through the page by keyboard",
    how={
        Persona.KEYBOARD: "Focus jumps around the page in an unexpected order.",
        Persona.SCREEN_READER: "Reading order and focus order disagree.",
    },
)
def tabindex(page: StaticPage) -> Iterator[Finding]:
    """What it checks: elements not hidden from assistive technology whose `tabindex` parses (as browsers parse
    it: leading integer) to a number greater than zero.
    Who it affects: keyboard users, whose focus jumps to these elements first, out of reading order, and then back
    to the start; screen-reader users hear content out of sequence.
    How to fix: remove positive tabindex values; use `tabindex="0"` to make something focusable and change the
    source order to change the focus order.
    References: best practice (axe-core rule tabindex); related to WCAG 2.4.3 Focus Order (failure F44).
    """
    for el in page.soup.find_all(attrs={"tabindex": True}):
        match = _INTEGER.match(attr_text(el, "tabindex") or "")
        if not match or int(match.group(1)) <= 0 or is_hidden(el):
            continue
        value = int(match.group(1))
        yield page.finding(
            el,
            f"Keyboard focus jumps to this element out of page order (tabindex={value}): keyboard users are "
            "taken here before everything else and then back to the top.",
            tabindex=value,
        )
