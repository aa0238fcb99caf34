"""duplicate-id-aria: ids that labels and ARIA attributes point at are unique."""

from __future__ import annotations

from collections import defaultdict
from typing import Iterator

from bs4 import Tag

from empathy_audit.audits.accname import attr_text, is_inert_container
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._describe import shorten

#: ARIA attributes whose value is an ID reference or ID reference list.
IDREF_ATTRS: tuple[str, ...] = (
    "aria-activedescendant",
    "aria-controls",
    "aria-describedby",
    "aria-details",
    "aria-errormessage",
    "aria-flowto",
    "aria-labelledby",
    "aria-owns",
)


def referenced_ids(root: Tag) -> dict[str, set[str]]:
    """id -> the kinds of reference pointing at it ("label for", "aria-labelledby", "headers", ...)."""
    refs: dict[str, set[str]] = defaultdict(set)
    for el in root.find_all(True):
        if el.name == "label" and el.has_attr("for"):
            value = (attr_text(el, "for") or "").strip()
            if value and not is_inert_container(el):
                refs[value].add("a <label for>")
        if el.name in ("td", "th") and el.has_attr("headers") and not is_inert_container(el):
            for token in (attr_text(el, "headers") or "").split():
                refs[token].add("a table cell's headers")
        for attr in IDREF_ATTRS:
            if attr in el.attrs and not is_inert_container(el):
                for token in (attr_text(el, attr) or "").split():
                    refs[token].add(attr)
    return refs


@check(
    id="duplicate-id-aria",
    title="Ids used by labels and ARIA are unique",
    failure_title="Ids used by labels and ARIA are duplicated",
    severity=Severity.CRITICAL,
    wcag=("4.1.2",),
    personas=(Persona.SCREEN_READER,),
    how_to_fix="Give every element a unique id, and point each label, aria-labelledby, aria-describedby (and "
    "similar) at the right one; components repeated on a page need generated ids.",
    task="filling in forms",
    how={
        Persona.SCREEN_READER: "A label points at the wrong field, so fields are announced wrongly.",
    },
    roles={Persona.SCREEN_READER: "S"},  # IMPACT.md section 4
)
def duplicate_id_aria(page: StaticPage) -> Iterator[Finding]:
    """What it checks: an id used by more than one element, when something refers to it by id: `<label for>`,
    `aria-labelledby`, `aria-describedby`, `aria-controls`, `aria-owns`, `aria-activedescendant`,
    `aria-errormessage`, `aria-details`, `aria-flowto` or a cell's `headers`. One finding per repeated element (the
    second and later ones): browsers resolve every reference to the first element with the id, so the later ones
    lose their label or description, or a label names the wrong field. Elements inside <template> and <noscript>
    are not part of the page and are ignored; hidden elements count (ids resolve regardless).
    Who it affects: screen readers read the wrong label, description or error, or none, for a field or control.
    How to fix: make ids unique (generate them in repeated components) and update the references.
    References: WCAG 4.1.2 Name, Role, Value (and the former 4.1.1 Parsing); HTML "id" uniqueness; axe-core rule
    duplicate-id-aria (axe reports the first element of each duplicated id; we report the repeats, which are the
    elements whose references break).
    """
    soup = page.soup
    by_id: dict[str, list[Tag]] = defaultdict(list)
    for el in soup.find_all(id=True):
        value = attr_text(el, "id") or ""
        if value and not is_inert_container(el):
            by_id[value].append(el)
    duplicated = {k: v for k, v in by_id.items() if len(v) > 1}
    if not duplicated:
        return
    refs = referenced_ids(soup)
    for value, elements in duplicated.items():
        kinds = refs.get(value)
        if not kinds:
            continue
        how = ", ".join(sorted(kinds))
        for el in elements[1:]:
            yield page.finding(
                el,
                f"This element repeats id “{shorten(value, 40)}”, which {how} points to: browsers follow the first "
                "element with that id, so screen readers may read the wrong label or description, or none.",
                id=value,
                count=len(elements),
            )
