"""important-letter-spacing: a style attribute does not lock letter spacing below 0.12 em with !important."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.browser._important_spacing import locked_spacing
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="important-letter-spacing",
    title="Letter spacing can be widened by the visitor",
    failure_title="Letter spacing is locked too narrow by an !important style attribute",
    severity=Severity.SERIOUS,
    wcag=("1.4.12",),
    personas=(Persona.LOW_VISION, Persona.COGNITIVE),
    task="reading text",
    act=("24afc2",),
    how_to_fix="Remove !important from letter-spacing in the style attribute (set it in the style sheet), or make "
               "it at least 0.12em.",
)
def important_letter_spacing(page: RenderedPage) -> Iterator[Finding]:
    """What it checks: an element with visible text of its own whose letter-spacing is declared with !important in
    its style attribute. Such a declaration wins over every author style sheet, including the one a reader's
    extension or bookmarklet adds to space text out, so the letter spacing stays as the page set it.
    - FAIL: its used letter spacing is below 0.12 times its font size (normal counts as 0).
    Not reported: values of 0.12 em or more; declarations in style sheets (a reader's style can override them);
    inherit or unset with !important (the value is the parent's, which readers can override); an ancestor's
    declaration that only reaches the text by inheritance; elements without visible text of their own (empty, not
    rendered, off screen, transparent or visually hidden).
    Who it affects: people with dyslexia, low vision or reading difficulties who widen letter spacing to read.
    How to fix: remove !important from letter-spacing in the style attribute (set it in the style sheet), or make
    it at least 0.12em.
    References: WCAG 1.4.12 Text Spacing; W3C ACT rule 24afc2 (Important letter spacing in style attributes is
    wide enough).
    """
    yield from locked_spacing(page, "letter-spacing", 0.12, "letter spacing")
