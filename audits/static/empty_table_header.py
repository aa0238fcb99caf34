"""empty-table-header: table header cells have text."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.accname import PRESENTATIONAL_ROLES, accessible_name, explicit_role, is_hidden
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="empty-table-header",
    title="Table header cells have text",
    failure_title="Table header cells are empty",
    severity=Severity.MINOR,
    personas=(Persona.SCREEN_READER,),
    how_to_fix="Put the column or row name in every <th>; an empty corner cell should be a <td>.",
    best_practice=True,
    task="reading tables",
    how={
        Persona.SCREEN_READER: "A table header is announced with no text.",
    },
    roles={Persona.SCREEN_READER: "M"},  # IMPACT.md section 4
)
def empty_table_header(page: StaticPage) -> Iterator[Finding]:
    """What it checks: every `<th>` without a role attribute, and every element with `role="columnheader"` or
    `"rowheader"`, has a non-empty accessible name (its text, alt text inside it, `aria-label`,
    `aria-labelledby` or `title`; visually hidden text counts). Header cells of tables made presentational
    (`role="none"`/`"presentation"`, layout tables) and hidden cells are skipped.
    Who it affects: screen readers announce data cells with an empty header, so users cannot tell which column or
    row a value belongs to.
    How to fix: write the header text (`<th>Price</th>`); make the empty top-left corner cell a `<td>`.
    References: best practice (axe-core rule empty-table-header); related to WCAG 1.3.1 Info and Relationships.
    """
    for el in page.soup.find_all(True):
        role = explicit_role(el)
        if el.name == "th":
            if el.has_attr("role") and role not in ("columnheader", "rowheader"):
                continue
        elif role not in ("columnheader", "rowheader"):
            continue
        if el.name == "th" and role is None:
            table = el.find_parent("table")
            if table is not None and explicit_role(table) in PRESENTATIONAL_ROLES:
                continue
        if is_hidden(el) or accessible_name(el):
            continue
        yield page.finding(
            el,
            "Screen readers announce the cells under this header with an empty header: this header cell has no text, "
            "so users cannot tell what the column or row holds.",
        )
