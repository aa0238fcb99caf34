"""important-line-height: a style attribute does not lock the line height of wrapping text below 1.5 with !important."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.browser._important_spacing import locked_spacing
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="important-line-height",
    title="Line height can be increased by the visitor",
    failure_title="Line height is locked too tight by an !important style attribute",
    severity=Severity.SERIOUS,
    wcag=("1.4.12",),
    personas=(Persona.LOW_VISION, Persona.COGNITIVE),
    task="reading text",
    act=("78fd32",),
    how_to_fix="Remove !important from line-height in the style attribute (set it in the style sheet), or make it "
               "at least 1.5.",
)
def important_line_height(page: RenderedPage) -> Iterator[Finding]:
    """What it checks: an element with visible text of its own, wrapped by the layout onto more than one line,
    whose line-height is declared with !important in its style attribute. Such a declaration wins over every author
    style sheet, including the one a reader's extension or bookmarklet adds to space lines out.
    - FAIL: its used line height is below 1.5 times its font size (normal is measured in the element's font,
    usually about 1.2).
    Not reported: text on a single line (or broken only by <br> or preserved newlines); values of 1.5 or more;
    declarations in style sheets; inherit or unset with !important; an ancestor's declaration that only reaches the
    text by inheritance; elements without visible text of their own.
    Who it affects: people with dyslexia, low vision or reading difficulties who space lines out to keep their
    place while reading.
    How to fix: remove !important from line-height in the style attribute (set it in the style sheet), or make it
    at least 1.5.
    References: WCAG 1.4.12 Text Spacing; W3C ACT rule 78fd32 (Important line height in style attributes is wide
    enough).
    """
    yield from locked_spacing(page, "line-height", 1.5, "line height")
