"""placeholder-only-label: a placeholder is never a field's only label."""

from __future__ import annotations

from typing import Iterator

from bs4 import Tag

from empathy_audit.audits.accname import (
    TEXT_INPUT_TYPES,
    accessible_name,
    attr_text,
    compute_accessible_name,
    input_type,
    is_hidden,
    is_inert_container,
    normalise,
)
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._describe import shorten
from empathy_audit.audits.static._wording import fold

_FIELD_TYPES = TEXT_INPUT_TYPES | {"date", "datetime-local", "month", "week", "time"}
_BUTTON_TYPES = ("submit", "image")
#: Button names that say nothing about the field before them ("Submit" is also the default of an empty submit).
_VAGUE_BUTTONS = frozenset({"submit", "send", "ok", "go", "envoyer", "valider", "senden", "absenden", "enviar",
                            "verzenden", "versturen", "invia", "inviar", "submeter"})


def name_without_placeholder(el: Tag) -> str:
    """The field's accessible name when its placeholder is not counted."""
    placeholder = el.attrs.pop("placeholder", None)
    try:
        return compute_accessible_name(el)  # not accessible_name(): it remembers names, this one is not the real one
    finally:
        if placeholder is not None:
            el.attrs["placeholder"] = placeholder


@check(
    id="placeholder-only-label",
    title="Fields have a label, not just a placeholder",
    failure_title="Fields are labelled only by a placeholder",
    severity=Severity.MODERATE,
    wcag=("3.3.2", "1.3.1"),
    personas=(Persona.COGNITIVE, Persona.LOW_VISION, Persona.SCREEN_READER),
    how_to_fix='Add a visible <label for="id"> (keep the placeholder for an example value, if at all); a '
    "visually hidden label is acceptable only for a single search field next to its Search button.",
)
def placeholder_only_label(page: StaticPage) -> Iterator[Finding]:
    """What it checks: text fields (`<textarea>` and text, search, email, tel, url, password, number and date/time
    `<input>`s) with a non-empty `placeholder` and no other source of a name: no `<label>`, `aria-labelledby`,
    `aria-label` or `title`. (axe's label rule accepts the placeholder as a name, so such fields pass it.) Hidden
    and disabled fields are skipped, and so is the one exception WCAG documents (technique G167): a form's only
    text field next to a submit button whose name says what the field is for, as in a search box with a
    "Search" button.
    Who it affects: the placeholder disappears as soon as one types, so people with memory or attention
    difficulties forget what the field was for, and cannot check their answers before sending; placeholders are
    pale grey, below the contrast low-vision visitors need; some screen readers and voice-control software do
    not use the placeholder as a name.
    How to fix: `<label for="postcode">Postcode</label> <input id="postcode" placeholder="PO1 2AB">`.
    References: WCAG 3.3.2 Labels or Instructions and 1.3.1 Info and Relationships (techniques H44, G131, G167;
    HTML-AAM places the placeholder last in the name computation); W3C WAI Forms Tutorial "Labeling Controls"
    (placeholder is not a replacement for a label).
    """
    for el in page.soup.find_all(["input", "textarea"]):
        if el.name == "input" and input_type(el) not in _FIELD_TYPES:
            continue
        if not normalise(attr_text(el, "placeholder")):
            continue
        if is_inert_container(el) or is_hidden(el) or el.has_attr("disabled"):
            continue
        if name_without_placeholder(el):
            continue
        if _labelled_by_adjacent_button(el):
            continue
        yield page.finding(
            el,
            f"This field's only label is its placeholder “{shorten(normalise(attr_text(el, 'placeholder')), 50)}”: "
            "it vanishes as soon as you type, so you cannot check what the field was for, and its pale text is "
            "hard to read.",
        )


def _labelled_by_adjacent_button(el: Tag) -> bool:
    """G167: the form has no other visible text field and a submit button with a name (the button labels it)."""
    form = el.find_parent("form")
    if form is None:
        return False
    fields = [
        f for f in form.find_all(["input", "textarea", "select"])
        if not is_hidden(f) and (f.name != "input" or input_type(f) in _FIELD_TYPES | {"checkbox", "radio"})
    ]
    if fields != [el]:
        return False
    for button in form.find_all(["button", "input"]):
        if is_hidden(button):
            continue
        if button.name == "button":
            is_submit = (attr_text(button, "type") or "submit").strip().lower() == "submit"
        else:
            is_submit = input_type(button) in _BUTTON_TYPES
        if is_submit and fold(accessible_name(button)) not in _VAGUE_BUTTONS | {""}:
            return True
    return False
