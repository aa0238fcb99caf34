"""text-italic: long runs of text are not set in italics."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.browser._render_common import finding, items
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="text-italic",
    title="Long passages are not set in italics",
    failure_title="Long passages are set in italics",
    severity=Severity.MINOR,
    personas=(Persona.COGNITIVE, Persona.LOW_VISION),
    how_to_fix="Set running text upright; use italics, or better bold, only to emphasise a few words.",
    best_practice=True,
)
def text_italic(page: RenderedPage) -> Iterator[Finding]:
    """What it checks: blocks whose rendered text is, for 80% or more, at least 120 characters and three lines,
    in an italic or oblique font style. A few italic words, titles of works and short captions are fine and not
    reported.
    Who it affects: people with dyslexia and low vision: italic letters are slanted and crowded, which makes long
    passages harder to read.
    How to fix: set running text upright; use italics, or better bold, only to emphasise a few words.
    References: readability best practice, not a WCAG criterion (British Dyslexia Association style guide;
    related to WCAG 1.4.8 Visual Presentation).
    """
    for item in items(page, "runs"):
        if item.get("style") != "italic":
            continue
        yield finding(
            page, item,
            f"This passage of {item.get('chars')} characters is set in italics, which is harder to read for people "
            "with dyslexia or low vision. Set long text upright and keep italics for a few words.",
            chars=item.get("chars"), sample=item.get("sample"),
        )
