"""text-spacing: no text is cut off when a visitor increases line, letter, word and paragraph spacing."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.browser._render_common import finding, items, quote
from empathy_audit.audits.model import Finding, Outcome, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="text-spacing",
    title="Text stays readable with increased text spacing",
    failure_title="Text is cut off when text spacing is increased",
    severity=Severity.SERIOUS,
    wcag=("1.4.12",),
    personas=(Persona.LOW_VISION, Persona.COGNITIVE),
    how_to_fix="Let boxes that hold text grow with it: avoid fixed heights and widths (use min-height, padding) "
               "and overflow: hidden on text containers.",
)
def text_spacing(page: RenderedPage) -> Iterator[Finding]:
    """What it checks: the probe applies the WCAG 1.4.12 text-spacing style to the whole page (line height 1.5
    times the font size, letter spacing 0.12 em, word spacing 0.16 em, paragraph spacing 2 em, all !important,
    as the WCAG test bookmarklet does), measures every box that holds text, and removes the style again.
    - FAIL: a box that clips its content (overflow hidden or clip, not a scroller) now has content larger than
      itself, and its text reaches past its edge, where it did not before: the visitor loses that text.
    - Needs review: the same, but the box ends its text with an ellipsis (text-overflow or line-clamp), so the
      cut is visible and the full text may be available elsewhere; and a box that kept its size while its text
      now runs out of it (a fixed height with overflow visible): the text may overlap what follows, or may just
      run into empty space.
    Limits: hover and focus states, content shown later by script and text in images are not tested; only the
    innermost box is reported when nested boxes all clip the same text; layouts that script re-measures on
    resize are measured before the script reacts.
    Who it affects: people with dyslexia and low vision who use a user style sheet or extension to space text
    out.
    How to fix: let boxes that hold text grow with it: avoid fixed heights and widths (use min-height, padding)
    and overflow: hidden on text containers.
    References: WCAG 1.4.12 Text Spacing; failure F104 (text clipped, truncated or obscured with spacing).
    """
    for item in _list(page, "clipped"):
        if item.get("ellipsis"):
            yield finding(
                page, item,
                f"With increased text spacing, the text {quote(item.get('text') or '')} is cut short with an "
                "ellipsis. Check that visitors can still read all of it (wrap it, or show it in full elsewhere).",
                outcome=Outcome.REVIEW, axis=item.get("axis"), overflow_px=item.get("spill"),
            )
            continue
        yield finding(
            page, item,
            f"With increased text spacing, the text {quote(item.get('text') or '')} is cut off by its box, so "
            "visitors who space text out to read it lose part of it. Let the box grow with its text (no fixed "
            "height or width with overflow hidden).",
            axis=item.get("axis"), size_before=item.get("before"), size_after=item.get("after"),
            overflow_px=item.get("spill"),
        )
    for item in _list(page, "spilled"):
        yield finding(
            page, item,
            f"With increased text spacing, the text {quote(item.get('text') or '')} runs {item.get('spill')} px "
            "out of its fixed-size box and may overlap other content. Check that it stays readable, and let the "
            "box grow with its text.",
            outcome=Outcome.REVIEW, overflow_px=item.get("spill"),
        )


def _list(page: RenderedPage, which: str) -> Iterator[dict]:
    yield from items(page, "spacing", which)
