"""layout-table: tables used for layout carry no data-table markup."""

from __future__ import annotations

from typing import Iterator

from bs4 import Tag

from empathy_audit.audits.accname import PRESENTATIONAL_ROLES, attr_text, is_hidden, is_inert_container, normalise, role_of
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check


def own(table: Tag, *names: str) -> list[Tag]:
    """Descendants of `table` with these tag names that belong to it, not to a table nested in it."""
    return [el for el in table.find_all(list(names)) if el.find_parent("table") is table]


def header_markup(table: Tag) -> list[str]:
    """The data-table markup in `table`: '<th> ×2', '<caption>', 'summary', 'scope', 'headers'."""
    found = []
    ths = own(table, "th")
    if ths:
        found.append(f"<th> ×{len(ths)}" if len(ths) > 1 else "<th>")
    if any(c.find_parent("table") is table for c in table.find_all("caption", recursive=False)):
        found.append("<caption>")
    if normalise(attr_text(table, "summary")):
        found.append("a summary attribute")
    cells = own(table, "td", "th")
    if any(c.has_attr("scope") for c in cells):
        found.append("scope attributes")
    if any(normalise(attr_text(c, "headers")) for c in cells):
        found.append("headers attributes")
    return found


@check(
    id="layout-table",
    title="Layout tables have no data-table markup",
    failure_title="Layout tables carry data-table markup",
    severity=Severity.MINOR,
    wcag=("1.3.1",),
    personas=(Persona.SCREEN_READER,),
    how_to_fix='In a table marked role="presentation" (or "none"), use only <tr> and <td>: no <th>, <caption>, '
    "summary, scope or headers. If it holds data, remove the role instead; better, lay out with CSS.",
)
def layout_table(page: StaticPage) -> Iterator[Finding]:
    """What it checks: tables whose role is `presentation` or `none` (a layout table, as role_of decides: the
    role is ignored when the table is focusable or has global ARIA attributes) that contain header cells
    (`<th>`), a `<caption>`, a non-empty `summary`, or `scope`/`headers` attributes on their own cells (nested
    tables are judged on their own). One finding per table.
    Who it affects: screen readers either announce a layout grid as a data table with headers (moving by cell,
    reading headers that label nothing) or drop headers the author thought were read: the structure they hear
    does not match the page.
    How to fix: keep layout tables to `<tr>`/`<td>`, or, when the table really holds data, drop
    `role="presentation"`.
    References: WCAG 1.3.1 Info and Relationships (failure F46: th, caption or summary in layout tables;
    technique F49); WAI-ARIA 1.2 presentation role; axe-core rule layout-table (deprecated).
    """
    for table in page.soup.find_all("table"):
        if is_inert_container(table) or is_hidden(table) or role_of(table) not in PRESENTATIONAL_ROLES:
            continue
        markup = header_markup(table)
        if not markup:
            continue
        yield page.finding(
            table,
            f"This table is marked as layout (role=“{attr_text(table, 'role')}”) but holds data-table markup "
            f"({', '.join(markup)}): screen readers get a structure that does not match what is shown.",
            markup=markup,
        )
