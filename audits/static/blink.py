"""blink: no <blink> elements."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.accname import is_hidden
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="blink",
    title="No text blinks",
    failure_title="Text blinks",
    severity=Severity.SERIOUS,
    wcag=("2.2.2",),
    personas=(Persona.LOW_VISION, Persona.COGNITIVE),
    how_to_fix="Remove the <blink> element; emphasise with <strong> and styling that does not move.",
    task="reading moving text",
    how={
        Persona.LOW_VISION: "Moving text cannot be paused long enough to read it.",
    },
    roles={Persona.LOW_VISION: "S", Persona.COGNITIVE: "S"},  # IMPACT.md section 4
)
def blink(page: StaticPage) -> Iterator[Finding]:
    """What it checks: `<blink>` elements that are not hidden. Current browsers no longer animate them, but
    older ones and some readers do, and nothing lets a visitor stop the blinking.
    Who it affects: visitors with low vision or attention and reading difficulties cannot read or ignore blinking
    text; it cannot be paused.
    How to fix: replace `<blink>` with static emphasis.
    References: WCAG 2.2.2 Pause, Stop, Hide (failure F47); axe-core rule blink.
    """
    for el in page.soup.find_all("blink"):
        if not is_hidden(el):
            yield page.finding(
                el,
                "This text is marked to blink (<blink>) and cannot be paused: it is hard to read and distracting.",
            )
