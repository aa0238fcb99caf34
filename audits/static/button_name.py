"""button-name: buttons have an accessible name."""

from __future__ import annotations

from typing import Iterator

from bs4 import Tag

from empathy_audit.audits.accname import PRESENTATIONAL_ROLES, accessible_name, is_hidden, role_of
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="button-name",
    title="Buttons have a discernible name",
    failure_title="Buttons have no discernible name",
    severity=Severity.CRITICAL,
    wcag=("4.1.2",),
    personas=(Persona.SCREEN_READER, Persona.KEYBOARD),
    how_to_fix="Put text inside every button; for icon-only buttons add an aria-label (or visually hidden text) "
    "that says what the button does.",
    task="using buttons",
    how={
        Persona.SCREEN_READER: 'An icon button is announced only as "button".',
        Persona.KEYBOARD: "Voice-control users cannot say the button's name to press it.",
    },
)
def button_name(page: StaticPage) -> Iterator[Finding]:
    """What it checks: every `<button>` (whatever role it is given, unless none/presentation) and every other
    non-input element whose role is `button` (`role="button"`, `<a href role="button">`) has a non-empty
    accessible name: its text, alt text of images inside it, SVG <title>, `aria-label`, `aria-labelledby`, an
    associated <label> or `title` (accname 1.2). `<input>` buttons are checked by input-button-name. Hidden
    buttons are skipped.
    Who it affects: screen readers announce just "button"; voice-control users cannot say its name.
    How to fix: `<button aria-label="Close dialog"><svg aria-hidden="true">…</svg></button>`, or visually hidden
    text inside the button.
    References: WCAG 4.1.2 Name, Role, Value; accname 1.2; HTML-AAM button; axe-core rule button-name;
    ACT rule 97a4e1.
    """
    for el in page.soup.find_all(True):
        if el.name == "input" or (el.name != "button" and "role" not in el.attrs):
            continue  # without a role attribute only <button> (and <input>, input-button-name's) is a button
        role = role_of(el)
        if el.name == "button":
            if role in PRESENTATIONAL_ROLES:
                continue
        elif role != "button":
            continue
        if is_hidden(el) or accessible_name(el):
            continue
        yield page.finding(el, _message(el))


def _message(el: Tag) -> str:
    if el.find(["img", "svg", "i"]) is not None or (el.find(True) is not None and not el.get_text(strip=True)):
        why = "it shows only an icon, with no text, alt or label"
    else:
        why = "it has no text, alt or label"
    return f"Screen readers announce this as just “button”: {why}, so nobody who cannot see it knows what it does."
