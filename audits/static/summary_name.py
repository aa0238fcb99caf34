"""summary-name: the summary that opens and closes a <details> disclosure has an accessible name."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.accname import accessible_name, explicit_role, is_hidden
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check

# A role the author gives a summary that takes it out of this rule (it is then checked as that role, e.g. by
# button-name). none/presentation do not: a summary is focusable, so browsers ignore them (presentational roles
# conflict resolution) and it stays the disclosure's control.
_KEEPS_SUMMARY = (None, "none", "presentation")


@check(
    id="summary-name",
    title="Disclosure summaries have a discernible name",
    failure_title="Disclosure summaries have no discernible name",
    severity=Severity.SERIOUS,
    wcag=("4.1.2",),
    personas=(Persona.SCREEN_READER, Persona.KEYBOARD),
    how_to_fix="Put text inside the <summary> that says what the disclosure shows (\"Opening times\"), or give it an "
    "aria-label.",
    task="opening sections of the page",
    how={
        Persona.SCREEN_READER: "The control that opens the section is announced with no name, so its content is "
        "never found.",
        Persona.KEYBOARD: "Voice-control users cannot say the control's name to open it.",
    },
    act=("2t702h",),
)
def summary_name(page: StaticPage) -> Iterator[Finding]:
    """What it checks: the first `<summary>` child of each `<details>` (the one browsers make the disclosure's
    control), unless hidden or given a role other than none/presentation, has a non-empty accessible name: its
    text, `aria-label`, `aria-labelledby` or `title` (accname 1.2). A second `<summary>`, or one outside
    `<details>`, is ordinary content and is not checked.
    Who it affects: screen readers announce an unnamed control ("disclosure triangle", or nothing); voice-control
    users cannot name it; nobody who cannot see the triangle knows the section is there.
    How to fix: `<details><summary>Opening times</summary>…</details>`.
    References: WCAG 4.1.2 Name, Role, Value; HTML 4.11.2 the summary element; HTML-AAM summary; accname 1.2;
    ACT rule 2t702h.
    """
    for details in page.soup.find_all("details"):
        summary = details.find("summary", recursive=False)
        if summary is None or explicit_role(summary) not in _KEEPS_SUMMARY:
            continue
        if is_hidden(summary) or accessible_name(summary):
            continue
        yield page.finding(summary, _MESSAGE)


_MESSAGE = ("The control that opens this section has no name: screen readers announce it without saying what it "
            "opens, and voice-control users cannot name it.")

