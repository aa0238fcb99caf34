"""input-button-name: <input> buttons (button, submit, reset) have an accessible name."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.accname import PRESENTATIONAL_ROLES, accessible_name, input_type, is_hidden, role_of
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="input-button-name",
    title="Input buttons have a discernible name",
    failure_title="Input buttons have no discernible name",
    severity=Severity.CRITICAL,
    wcag=("4.1.2",),
    personas=(Persona.SCREEN_READER, Persona.KEYBOARD),
    how_to_fix='Give the input a value that says what it does (value="Send message"), or remove an empty value '
    "attribute from submit and reset buttons so the browser's default label applies.",
    task="using buttons",
    how={
        Persona.SCREEN_READER: "The button is announced with no name.",
        Persona.KEYBOARD: "Voice-control users cannot say the button's name to press it.",
    },
    roles={Persona.SCREEN_READER: "P"},  # IMPACT.md section 4
)
def input_button_name(page: StaticPage) -> Iterator[Finding]:
    """What it checks: `<input type="button">`, `type="submit"` and `type="reset"` have a non-empty accessible
    name: `aria-labelledby`, `aria-label`, an associated <label>, a non-blank `value`, or `title`. A submit or
    reset button with no `value` attribute gets the browser's label ("Submit", "Reset") and passes; an explicit
    `value=""` removes that label and fails. Hidden inputs are skipped.
    Who it affects: screen readers announce just "button"; voice-control users cannot say its name.
    How to fix: `<input type="button" value="Show more results">`.
    References: WCAG 4.1.2 Name, Role, Value; HTML-AAM input type=button/submit/reset name computation;
    axe-core rule input-button-name; ACT rule 97a4e1.
    """
    for el in page.soup.find_all("input"):
        kind = input_type(el)
        if kind not in ("button", "submit", "reset"):
            continue
        if is_hidden(el) or role_of(el) in PRESENTATIONAL_ROLES or accessible_name(el):
            continue
        if kind == "button":
            why = "it has no value, label or title"
        else:
            why = "its value attribute is empty, which removes the browser's default label"
        yield page.finding(
            el,
            f"Screen readers announce this {kind} button as just “button”: {why}.",
        )
