"""text-all-caps: long runs of text are not set in capital letters."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.browser._render_common import finding, items
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="text-all-caps",
    title="Long passages are not set in capital letters",
    failure_title="Long passages are set in capital letters",
    severity=Severity.MINOR,
    personas=(Persona.COGNITIVE, Persona.LOW_VISION),
    how_to_fix="Write running text in sentence case; keep capitals (or text-transform: uppercase) for short labels.",
    best_practice=True,
)
def text_all_caps(page: RenderedPage) -> Iterator[Finding]:
    """What it checks: blocks whose text is, for 80% or more and at least 120 characters, shown in capital
    letters, either with CSS `text-transform: uppercase` or written in capitals in the source (90% of its cased
    letters upper-case). Short labels, buttons, navigation items and headings in capitals are fine and not
    reported; nor are code, scripts without letter case, or text hidden from view.
    Who it affects: people with dyslexia and low vision, and every reader to a degree: words in capitals lose
    their shape (ascenders and descenders), which slows reading; some screen readers spell out words typed in
    capitals.
    How to fix: write running text in sentence case; keep capitals (or text-transform: uppercase) for short
    labels.
    References: readability best practice, not a WCAG criterion (British Dyslexia Association style guide;
    related to WCAG 1.4.8 Visual Presentation).
    """
    for item in items(page, "runs"):
        if item.get("style") != "upper":
            continue
        how = "with CSS text-transform" if item.get("transform") == "uppercase" else "in the page's text"
        yield finding(
            page, item,
            f"This passage of {item.get('chars')} characters is shown in capital letters ({how}), which is slow "
            "and tiring to read, especially for people with dyslexia or low vision. Use sentence case.",
            chars=item.get("chars"), sample=item.get("sample"),
        )
