"""css-generated-text: words put on the page by CSS (::before / ::after content) are left to a reviewer."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.browser._render_common import finding, items, quote
from empathy_audit.audits.model import Finding, Outcome, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="css-generated-text",
    title="Meaningful text is in the HTML, not added by CSS",
    failure_title="Text that may carry meaning is added by CSS",
    severity=Severity.MODERATE,
    wcag=("1.3.1",),
    personas=(Persona.SCREEN_READER, Persona.LOW_VISION, Persona.COGNITIVE),
    how_to_fix="Put text that carries information (labels such as \"New\" or \"Required\", warnings, units) in "
               "the HTML; keep CSS generated content for decoration.",
)
def css_generated_text(page: RenderedPage) -> Iterator[Finding]:
    """What it checks: CSS `::before` / `::after` content that contains words (a run of two letters or more, in
    any script), as the browser renders it, with `attr()` resolved. Quotes, bullets, arrows, separators, numbers,
    counters and icon-font glyphs (see css-icon-glyph) are not reported; nor is text inside elements hidden from
    assistive technology or visually hidden text meant for screen readers. Always needs review: whether it
    matters depends on the words ("New", "Required" or "(opens in a new window)" carry information, decoration
    does not), so the finding quotes the text for a reviewer.
    Who it affects: screen-reader users (generated text is not in the document and is not treated consistently:
    it can be missed in reading modes and by some screen readers, and is not selectable or translatable
    everywhere) and visitors who turn off or replace the page's styles, for whom it disappears.
    How to fix: put text that carries information in the HTML (visible, or visually hidden for screen readers);
    keep CSS generated content for decoration.
    References: WCAG 1.3.1 Info and Relationships, failure F87 (non-decorative content inserted with CSS).
    """
    seen: dict[str, list[str]] = {}
    first: dict[str, dict] = {}
    for item in items(page, "generated"):
        if item.get("icon") or item.get("symbol") or item.get("hidden") or item.get("sr_only"):
            continue
        text = " ".join(str(item.get("text") or "").split())
        if not text:
            continue
        seen.setdefault(item["selector"], []).append(text)
        first.setdefault(item["selector"], item)
    for selector, texts in seen.items():
        shown = " … ".join(texts)
        yield finding(
            page, first[selector],
            f"The text {quote(shown)} is added by CSS, not written in the page, so it can be lost for screen "
            "reader users and for visitors who change the page's styles. If it carries information, put it in "
            "the HTML.",
            outcome=Outcome.REVIEW, generated_text=texts,
        )
