"""image-alt-long: very long alt text is reviewed (a long description belongs in the page)."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.accname import PRESENTATIONAL_ROLES, accessible_name, input_type, is_hidden, role_of
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Outcome, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._describe import shorten

#: Alt text longer than this many characters is reported for review.
MAX_ALT_CHARS = 150


@check(
    id="image-alt-long",
    title="Alt text is short",
    failure_title="Alt text is very long",
    severity=Severity.MINOR,
    wcag=("1.1.1",),
    personas=(Persona.SCREEN_READER, Persona.COGNITIVE),
    how_to_fix="Keep alt text to a sentence that does the image's job; put a longer description (a chart's data, "
    "a map's directions) in the page, a <figcaption> or a linked description, and point to it.",
)
def image_alt_long(page: StaticPage) -> Iterator[Finding]:
    """What it checks: `<img>`, `<input type="image">` and `<area>` elements whose accessible name (usually the
    alt text) is longer than MAX_ALT_CHARS (150) characters. Reported as needs review, never as a failure: a
    long alt can be right (an infographic with no other text), but usually it is a caption, a keyword list or
    a description that sighted visitors never see.
    Who it affects: screen readers read alt text in one go, with no way to pause or move through it word by
    word in some of them; what is in it is hidden from sighted visitors, including people with cognitive
    disabilities who would benefit from it.
    How to fix: a short alt ("Bar chart of coffee prices 2015 to 2025, described below") and the details in a
    visible description or table linked with aria-describedby.
    References: WCAG 1.1.1 Non-text Content (techniques G92 and G73 for long descriptions, H37); W3C WAI Images
    Tutorial "Complex images".
    """
    for el in page.soup.find_all(["img", "input", "area"]):
        if el.name == "input" and input_type(el) != "image":
            continue
        if is_hidden(el) or (el.name == "img" and role_of(el) in PRESENTATIONAL_ROLES):
            continue
        name = accessible_name(el)
        if len(name) <= MAX_ALT_CHARS:
            continue
        yield page.finding(
            el,
            f"This image's alt text is {len(name)} characters long (“{shorten(name, 60)}”): screen readers read it "
            "in one go and sighted visitors never see it. Check whether a shorter alt plus a visible description "
            "would serve better.",
            outcome=Outcome.REVIEW,
            length=len(name),
        )
