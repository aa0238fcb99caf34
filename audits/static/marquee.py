"""marquee: no <marquee> elements."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.accname import is_hidden
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="marquee",
    title="No text scrolls by itself",
    failure_title="Text scrolls by itself",
    severity=Severity.SERIOUS,
    wcag=("2.2.2",),
    personas=(Persona.LOW_VISION, Persona.COGNITIVE),
    how_to_fix="Replace the <marquee> with static text, or a carousel that has a visible pause button.",
    task="reading moving text",
    how={
        Persona.LOW_VISION: "Moving text cannot be paused long enough to read it.",
    },
    roles={Persona.LOW_VISION: "S", Persona.COGNITIVE: "S"},  # IMPACT.md section 4
)
def marquee(page: StaticPage) -> Iterator[Finding]:
    """What it checks: `<marquee>` elements that are not hidden. Browsers still scroll their content, with no way
    for the visitor to pause or stop it.
    Who it affects: visitors with low vision (magnified text runs off the screen) and with attention or reading
    difficulties cannot read moving text.
    How to fix: show the text statically; any moving content needs pause/stop controls.
    References: WCAG 2.2.2 Pause, Stop, Hide; axe-core rule marquee.
    """
    for el in page.soup.find_all("marquee"):
        if not is_hidden(el):
            yield page.finding(
                el,
                "This text scrolls across the screen (<marquee>) and cannot be paused: people who read slowly or "
                "zoom in cannot read it.",
            )
