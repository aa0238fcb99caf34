"""label: form fields (input, textarea) have an accessible name."""

from __future__ import annotations

from typing import Iterator

from bs4 import Tag

from empathy_audit.audits.accname import (
    PRESENTATIONAL_ROLES,
    accessible_name,
    attr_text,
    input_type,
    is_hidden,
    normalise,
    role_of,
)
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check

_NOT_FIELDS = ("hidden", "image", "submit", "reset", "button")

_KIND_WORDS = {
    "checkbox": "checkbox",
    "radio": "radio button",
    "file": "file picker",
    "range": "slider",
    "color": "colour picker",
    "date": "date field",
    "datetime-local": "date and time field",
    "month": "month field",
    "week": "week field",
    "time": "time field",
    "number": "number field",
    "password": "password field",
    "search": "search field",
    "email": "email field",
}


@check(
    id="label",
    title="Form fields have labels",
    failure_title="Form fields have no label",
    severity=Severity.CRITICAL,
    wcag=("4.1.2", "1.3.1", "3.3.2"),
    personas=(Persona.SCREEN_READER, Persona.KEYBOARD, Persona.LOW_VISION),
    how_to_fix='Give every field a visible <label for="field-id"> (or wrap the field in its <label>); '
    "use aria-labelledby or aria-label only when a visible label is impossible.",
    task="filling in forms",
    how={
        Persona.SCREEN_READER: 'The field is read as "edit text" with no purpose.',
        Persona.KEYBOARD: "Voice-control users cannot name the field to move to it.",
        Persona.LOW_VISION: "Magnifier users cannot see which text belongs to the field.",
    },
)
def label(page: StaticPage) -> Iterator[Finding]:
    """What it checks: every `<textarea>` and every `<input>` other than hidden, image, submit, reset and button
    has a non-empty accessible name: a `<label for>` or wrapping `<label>` with text (the field's own value does not
    count), `aria-labelledby`, `aria-label`, `title` or `placeholder` (axe-core accepts the last two, though a
    placeholder that vanishes while typing is a weak label). Hidden fields are skipped, and so are fields made
    presentational (only possible when disabled). Disabled fields are still checked.
    Who it affects: screen readers announce "edit text" or "checkbox" with no purpose; voice-control users cannot
    name the field; people zooming in lose track of which field is which.
    How to fix: `<label for="email">Email address</label> <input id="email" type="email">`.
    References: WCAG 1.3.1 Info and Relationships, 3.3.2 Labels or Instructions, 4.1.2 Name, Role, Value
    (techniques H44, H65, ARIA14, ARIA16); HTML-AAM input and textarea name computation; axe-core rule label;
    ACT rule e086e5.
    """
    for el in page.soup.find_all(["input", "textarea"]):
        if el.name == "input" and input_type(el) in _NOT_FIELDS:
            continue
        if is_hidden(el) or role_of(el) in PRESENTATIONAL_ROLES:
            continue
        if accessible_name(el) or normalise(attr_text(el, "placeholder")):
            continue
        yield page.finding(
            el,
            f"Screen readers announce this {_kind(el)} with no name: it has no <label>, aria-label, title or "
            "placeholder, so its purpose is unknown and voice users cannot say it.",
        )


def _kind(el: Tag) -> str:
    if el.name == "textarea":
        return "text area"
    return _KIND_WORDS.get(input_type(el), "text field")
