"""input-group-name: radio buttons and checkboxes that answer one question are grouped under that question."""

from __future__ import annotations

from typing import Iterator

from bs4 import Tag

from empathy_audit.audits.accname import accessible_name, attr_text, input_type, is_hidden, is_inert_container, role_of
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Outcome, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._describe import shorten
from empathy_audit.audits.static._wording import form_owner, words

#: An option whose name has at most this many words cannot stand without its question ("Yes", "Small").
SHORT_OPTION_WORDS = 3
_KIND = {"radio": "radio buttons", "checkbox": "checkboxes"}


def group_name(el: Tag) -> str:
    """The name of the nearest group around `el`: a <fieldset> with a legend, or role group/radiogroup with a
    name; "" when there is none."""
    for parent in el.parents:
        if role_of(parent) in ("group", "radiogroup"):
            name = accessible_name(parent)
            if name:
                return name
    return ""


def _owner_key(el: Tag) -> int:
    form = form_owner(el)
    return id(form) if form is not None else 0


@check(
    id="input-group-name",
    title="Groups of radio buttons and checkboxes have a group label",
    failure_title="Groups of radio buttons and checkboxes have no group label",
    severity=Severity.MODERATE,
    wcag=("1.3.1", "3.3.2"),
    personas=(Persona.SCREEN_READER, Persona.COGNITIVE),
    how_to_fix="Wrap the options in <fieldset> with the question as its <legend>, or in an element with "
    'role="radiogroup" (or "group") and aria-labelledby pointing at the question.',
)
def input_group_name(page: StaticPage) -> Iterator[Finding]:
    """What it checks: radio buttons sharing a `name` in one form (a radio group by definition), and two or more
    checkboxes sharing a `name` (`interests[]`), that are not all inside a `<fieldset>` with a `<legend>` or an
    element with `role="group"`/`"radiogroup"` that has an accessible name. Hidden fields are skipped; one
    finding per group, on its first option. It fails when an option's name is too short to stand alone
    (three words or fewer, like "Yes", "No", "Large"); when every option names itself in full ("Send me the
    monthly newsletter"), or the options sit in table cells whose headers may carry the question, it is
    reported as needs review.
    Who it affects: a screen reader moving into the group announces "Yes, radio button, 1 of 2" without the
    question; visitors with cognitive disabilities lose the visual grouping when styles are off or zoomed.
    How to fix: `<fieldset><legend>Gift wrap?</legend><label><input type="radio" name="wrap" value="y"> Yes
    </label> <label><input type="radio" name="wrap" value="n"> No</label></fieldset>`.
    References: WCAG 1.3.1 Info and Relationships and 3.3.2 Labels or Instructions (techniques H71 and ARIA17);
    W3C WAI Forms Tutorial "Grouping Controls"; HTML "radio button group".
    """
    groups: dict[tuple, list[Tag]] = {}
    for el in page.soup.find_all("input"):
        kind = input_type(el)
        if kind not in _KIND:
            continue
        name = attr_text(el, "name")
        if not name or is_inert_container(el) or is_hidden(el):
            continue
        groups.setdefault((kind, _owner_key(el), name), []).append(el)
    for (kind, _owner, name), members in groups.items():
        if len(members) < 2 or all(group_name(m) for m in members):
            continue
        option_names = [accessible_name(m) for m in members]
        short = [n for n in option_names if len(words(n)) <= SHORT_OPTION_WORDS]
        in_table = any(m.find_parent(["td", "th"]) is not None for m in members)
        shown = ", ".join(f"“{shorten(n, 30)}”" for n in option_names[:4] if n) or "unnamed options"
        if short and not in_table:
            yield page.finding(
                members[0],
                f"These {len(members)} {_KIND[kind]} ({shown}) answer one question but are not grouped under it: "
                "screen readers announce each option without the question.",
                group=name,
            )
        else:
            why = "they sit in a table whose headers may carry it" if in_table else "each option names itself in full"
            yield page.finding(
                members[0],
                f"These {len(members)} {_KIND[kind]} ({shown}) share the name “{shorten(name, 30)}” but have no "
                f"group label; {why}. Check whether a screen-reader user hears the question.",
                outcome=Outcome.REVIEW,
                group=name,
            )
