"""input-image-alt: image buttons (<input type="image">) have a text alternative."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.accname import PRESENTATIONAL_ROLES, accessible_name, input_type, is_hidden, role_of
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._describe import file_name


@check(
    id="input-image-alt",
    title="Image buttons have a text alternative",
    failure_title="Image buttons have no text alternative",
    severity=Severity.CRITICAL,
    wcag=("1.1.1", "4.1.2"),
    personas=(Persona.SCREEN_READER, Persona.KEYBOARD),
    how_to_fix='Give every <input type="image"> an alt attribute naming the action, e.g. alt="Search".',
    task="using image buttons",
    how={
        Persona.SCREEN_READER: 'The image button is announced as just "button".',
        Persona.KEYBOARD: "Voice-control users cannot say the button's name to press it.",
    },
)
def input_image_alt(page: StaticPage) -> Iterator[Finding]:
    """What it checks: every `<input type="image">` has a non-blank name from `alt`, `aria-label`,
    `aria-labelledby`, an associated <label> or `title`. The browser's fallback "Submit Query" does not count:
    it says nothing about what the button does. Hidden inputs are skipped.
    Who it affects: screen readers announce the control as just "button"; voice-control users cannot say its name.
    How to fix: add `alt` that names the action ("Search", "Add to basket"), not the picture.
    References: WCAG 1.1.1 Non-text Content (technique H36), 4.1.2 Name, Role, Value; HTML-AAM input type=image;
    axe-core rule input-image-alt; ACT rule 59796f.
    """
    for el in page.soup.find_all("input"):
        if input_type(el) != "image" or is_hidden(el) or role_of(el) in PRESENTATIONAL_ROLES:
            continue
        if accessible_name(el):
            continue
        name = file_name(el.get("src"))
        where = f" (image “{name}”)" if name else ""
        yield page.finding(
            el,
            f"Screen readers announce this image button{where} as just “button”: it has no alt text, "
            "so nobody who cannot see it knows what it does.",
        )
