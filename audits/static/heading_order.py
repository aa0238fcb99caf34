"""heading-order: heading levels go down one step at a time."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.accname import heading_level, is_hidden
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check

_H = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


@check(
    id="heading-order",
    title="Heading levels increase one step at a time",
    failure_title="Heading levels skip a step",
    severity=Severity.MODERATE,
    wcag=("1.3.1",),
    personas=(Persona.SCREEN_READER,),
    how_to_fix="Use the next level down for a sub-section (an <h2> is followed by an <h3>, not an <h4>); "
    "style headings with CSS, not by picking a smaller level.",
    best_practice=True,
    task="navigating by headings",
    how={
        Persona.SCREEN_READER: "The outline of headings skips a level, so the structure seems broken.",
    },
    roles={Persona.SCREEN_READER: "S"},  # IMPACT.md section 4
)
def heading_order(page: StaticPage) -> Iterator[Finding]:
    """What it checks: walking the headings (`<h1>`–`<h6>` and `role="heading"`, level from a valid `aria-level`,
    else the tag, else 2) in document order, a heading is flagged when its level is more than one deeper than the
    previous heading's (h2 → h4). Going back up any number of levels is fine, and so is the first heading of the
    page. Hidden headings are ignored, and so are <h1>–<h6> given another role.
    Who it affects: screen-reader users, who navigate by headings and read the outline to understand the page,
    are told a section is missing.
    How to fix: pick the level from the outline (h2 → h3), never from the font size you want.
    References: best practice (axe-core rule heading-order, tagged best-practice); related to WCAG 1.3.1 Info and
    Relationships and 2.4.6 Headings and Labels; technique H42.
    """
    previous: int | None = None
    for el in page.soup.find_all(True):
        if el.name not in _H and not el.has_attr("role"):
            continue
        level = heading_level(el)
        if level is None or is_hidden(el):
            continue
        if previous is not None and level > previous + 1:
            yield page.finding(
                el,
                f"The heading outline jumps from level {previous} to level {level}: screen-reader users "
                f"navigating by headings are led to think a level-{previous + 1} section is missing.",
                level=level,
                previous_level=previous,
            )
        previous = level
