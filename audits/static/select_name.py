"""select-name: drop-down lists and list boxes (<select>) have an accessible name."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.accname import PRESENTATIONAL_ROLES, accessible_name, is_hidden, role_of
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="select-name",
    title="Select lists have labels",
    failure_title="Select lists have no label",
    severity=Severity.CRITICAL,
    wcag=("4.1.2",),
    personas=(Persona.SCREEN_READER, Persona.KEYBOARD),
    how_to_fix='Give every <select> a visible <label for="select-id"> (or wrap it in its <label>).',
    task="choosing options",
    how={
        Persona.SCREEN_READER: "The drop-down's purpose is not announced.",
        Persona.KEYBOARD: "Voice-control users cannot name the drop-down to open it.",
    },
    roles={Persona.SCREEN_READER: "P"},  # IMPACT.md section 4
)
def select_name(page: StaticPage) -> Iterator[Finding]:
    """What it checks: every `<select>` has a non-empty accessible name from a `<label for>` or wrapping `<label>`
    (the selected option inside that label does not count), `aria-labelledby`, `aria-label` or `title`. The
    options themselves are the value, not the name. Hidden and presentational (disabled) selects are skipped.
    Who it affects: screen readers announce "combo box, Small" with no idea what is being chosen; voice-control
    users cannot name it.
    How to fix: `<label for="size">Size</label> <select id="size">…</select>`.
    References: WCAG 1.3.1, 4.1.2 Name, Role, Value (techniques H44, ARIA16); HTML-AAM select name computation;
    axe-core rule select-name; ACT rule e086e5.
    """
    for el in page.soup.find_all("select"):
        if is_hidden(el) or role_of(el) in PRESENTATIONAL_ROLES or accessible_name(el):
            continue
        yield page.finding(
            el,
            "Screen readers announce this drop-down with its current choice but no name: it has no <label>, "
            "aria-label or title, so the visitor does not know what they are choosing.",
        )
