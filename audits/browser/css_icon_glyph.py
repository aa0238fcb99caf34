"""css-icon-glyph: icon-font glyphs put in by CSS (::before / ::after) are not the only content of a control."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.browser._render_common import finding, items
from empathy_audit.audits.model import Finding, Outcome, Persona, Severity
from empathy_audit.audits.registry import check

SAME_GLYPH_MAX = 3  # needs-review findings per distinct stand-alone glyph on one page


@check(
    id="css-icon-glyph",
    title="Icons drawn with an icon font have a text alternative",
    failure_title="Controls show only an icon-font glyph, with no name",
    severity=Severity.SERIOUS,
    wcag=("1.1.1", "4.1.2"),
    personas=(Persona.SCREEN_READER, Persona.LOW_VISION, Persona.COGNITIVE),
    how_to_fix='Give the link or button a name (visible text, visually hidden text or aria-label) and hide the '
               'glyph itself with aria-hidden="true"; for an icon that means something on its own, add '
               'role="img" and an aria-label, or visually hidden text next to it.',
)
def css_icon_glyph(page: RenderedPage) -> Iterator[Finding]:
    """What it checks: in the rendered page, CSS `::before` / `::after` content that is an icon-font glyph (a
    Private Use Area character, or one or two characters in a font whose family is an icon font such as Font
    Awesome, Material Icons, Glyphicons or IcoMoon).
    - FAIL when the glyph sits in a link or button (or an element with a control role) that has no other name:
      no text, no aria-label / aria-labelledby, no image with alt text, no title, no CSS alternative text
      (`content: "\\f095" / "Call us"`).
    - Needs review when a glyph outside any control stands alone, with no text of its own, and is not hidden
      with aria-hidden: it may be decoration (then hide it) or carry meaning (a phone, a warning, a rating) that
      only sighted visitors get.
    - Needs review when a link or button's only content is a symbol or emoji added by CSS (not an icon font):
      screen readers announce the symbol's name, if they know it, which may or may not say what it does.
    Glyphs hidden with aria-hidden, or next to text in the same element or control, are fine and not reported;
    a stand-alone glyph repeated on the page is reported at its first three places.
    Limits: the name is worked out in the page (text, aria-label, aria-labelledby, alt, svg title, title, CSS
    alternative text), close to but not exactly the browser's accessible-name computation.
    Who it affects: screen-reader users hear "link" or "button" with no name, or an unpronounceable character;
    visitors who replace the page's fonts (dyslexia fonts, high-contrast modes) see an empty box or nothing.
    How to fix: give the link or button a name (visible text, visually hidden text or aria-label) and hide the
    glyph with aria-hidden="true"; an icon that means something on its own gets role="img" and an aria-label.
    References: WCAG 1.1.1 Non-text Content, 4.1.2 Name, Role, Value; failure F87 (CSS-inserted content).
    """
    controls: set[str] = set()
    alone: set[str] = set()
    same: dict[str, int] = {}
    for item in items(page, "generated"):
        if not (item.get("icon") or item.get("symbol")) or item.get("hidden") or item.get("sr_only"):
            continue
        control = item.get("control")
        if isinstance(control, dict) and control.get("selector"):
            if control.get("hidden") or (control.get("name") or "").strip() or control["selector"] in controls:
                continue
            controls.add(control["selector"])
            if not item.get("icon"):
                yield finding(
                    page, control,
                    f"This link or button shows only the symbol {item.get('text', '').strip()} added by CSS, so "
                    "screen readers announce the symbol's name, if anything. Check that it says what the control "
                    "does, or give it a text name (visually hidden text or aria-label).",
                    outcome=Outcome.REVIEW, symbol=item.get("text"), pseudo=item.get("pseudo"),
                )
                continue
            yield finding(
                page, control,
                "This link or button shows only an icon drawn by an icon font, so screen readers announce it "
                "without a name. Give it a text name (visually hidden text or aria-label) and hide the glyph "
                "with aria-hidden.",
                glyph=_codepoints(item.get("text") or ""), font=item.get("font"), pseudo=item.get("pseudo"),
            )
            continue
        if not item.get("icon") or (item.get("own_name") or "").strip() or item["selector"] in alone:
            continue
        alone.add(item["selector"])
        glyph = (item.get("text") or "").strip()
        same[glyph] = same.get(glyph, 0) + 1
        if same[glyph] > SAME_GLYPH_MAX:
            continue  # the reviewer decides once per icon; the first few places are enough to find it
        yield finding(
            page, item,
            "This icon is drawn by an icon font and has no text alternative, so visitors who cannot see it, or "
            "who use their own fonts, miss what it means. Hide it with aria-hidden if it is decoration, or give "
            "it role=\"img\" and an aria-label.",
            outcome=Outcome.REVIEW,
            glyph=_codepoints(item.get("text") or ""), font=item.get("font"), pseudo=item.get("pseudo"),
        )


def _codepoints(text: str) -> str:
    return " ".join(f"U+{ord(ch):04X}" for ch in text.strip()[:4])
