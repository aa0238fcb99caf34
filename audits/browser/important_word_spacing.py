"""important-word-spacing: a style attribute does not lock word spacing below 0.16 em with !important."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.browser._important_spacing import locked_spacing
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="important-word-spacing",
    title="Word spacing can be widened by the visitor",
    failure_title="Word spacing is locked too narrow by an !important style attribute",
    severity=Severity.SERIOUS,
    wcag=("1.4.12",),
    personas=(Persona.LOW_VISION, Persona.COGNITIVE),
    task="reading text",
    act=("9e45ec",),
    how_to_fix="Remove !important from word-spacing in the style attribute (set it in the style sheet), or make "
               "it at least 0.16em.",
)
def important_word_spacing(page: RenderedPage) -> Iterator[Finding]:
    """What it checks: an element with visible text of its own whose word-spacing is declared with !important in
    its style attribute. Such a declaration wins over every author style sheet, including the one a reader's
    extension or bookmarklet adds to space text out, so the word spacing stays as the page set it.
    - FAIL: its used word spacing is below 0.16 times its font size (normal counts as 0).
    Not reported: values of 0.16 em or more; declarations in style sheets (a reader's style can override them);
    inherit or unset with !important (the value is the parent's, which readers can override); an ancestor's
    declaration that only reaches the text by inheritance; elements without visible text of their own (empty, not
    rendered, off screen, transparent or visually hidden).
    Who it affects: people with dyslexia, low vision or reading difficulties who widen word spacing to read.
    How to fix: remove !important from word-spacing in the style attribute (set it in the style sheet), or make
    it at least 0.16em.
    References: WCAG 1.4.12 Text Spacing; W3C ACT rule 9e45ec (Important word spacing in style attributes is
    wide enough).
    """
    yield from locked_spacing(page, "word-spacing", 0.16, "word spacing")
