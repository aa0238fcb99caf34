"""td-headers-attr: a cell's headers attribute only names header cells of the same table."""

from __future__ import annotations

from typing import Iterator

from bs4 import Tag

from empathy_audit.audits.accname import attr_text, is_hidden, role_of
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._describe import shorten


#: The roles of a table whose cells assistive technology reads with their headers.
TABLE_ROLES = frozenset({"table", "grid", "treegrid"})


def own_cells(table: Tag) -> list[Tag]:
    """The td/th cells of `table` itself, not of tables nested in it."""
    return [c for c in table.find_all(["td", "th"]) if c.find_parent("table") is table]


@check(
    id="td-headers-attr",
    title="Cells' headers attributes point at header cells of the same table",
    failure_title="Cells' headers attributes point at the wrong cells",
    severity=Severity.SERIOUS,
    wcag=("1.3.1",),
    personas=(Persona.SCREEN_READER,),
    how_to_fix="Make every id in a cell's headers attribute the id of a header cell (<th>) in the same table (not "
    "the cell itself), or use scope on the <th> cells instead.",
    task="reading tables",
    how={
        Persona.SCREEN_READER: "Table cells are read without their headers.",
    },
    roles={Persona.SCREEN_READER: "S"},  # IMPACT.md section 4
    act=("a25f45",),
)
def td_headers_attr(page: StaticPage) -> Iterator[Finding]:
    """What it checks: in each `<table>` that is a table to assistive technology (its role is table, grid or
    treegrid: not role none/presentation, not another role such as heading) and is not hidden, every `<td>`/`<th>`
    with a non-blank `headers` attribute names only ids of cells (`<td>` or `<th>`) of the same table (nested tables
    are separate), and not its own id. That is what HTML's algorithm for assigning header cells uses: any other id
    is ignored, so the cell is read without the header meant for it. Hidden cells are skipped; a blank `headers`
    attribute is not reported.
    Who it affects: screen readers announce the wrong headers for a data cell, or none, so figures lose their
    meaning.
    How to fix: point `headers` at the `id` of each `<th>` that labels the cell, or drop `headers` and use
    `<th scope="col">` / `<th scope="row">` for simple tables.
    References: WCAG 1.3.1 Info and Relationships (technique H43, failure F90); HTML table processing model
    (algorithm for assigning header cells); axe-core rule td-headers-attr; ACT rule a25f45.
    """
    for table in page.soup.find_all("table"):
        if role_of(table) not in TABLE_ROLES or is_hidden(table):
            continue
        cells = own_cells(table)
        cell_ids = {attr_text(c, "id") for c in cells if attr_text(c, "id")}
        for cell in cells:
            tokens = (attr_text(cell, "headers") or "").split()
            if not tokens or is_hidden(cell):
                continue
            own_id = (attr_text(cell, "id") or "").strip()
            if own_id and own_id in tokens:
                yield page.finding(
                    cell,
                    "Screen readers announce this cell as its own header: its headers attribute names the cell "
                    f"itself (“{shorten(own_id, 40)}”).",
                    headers=tokens,
                )
                continue
            bad = [t for t in tokens if t not in cell_ids]
            if bad:
                names = ", ".join(f"“{shorten(t, 30)}”" for t in bad[:3])
                what = "which is not a cell" if len(bad) == 1 else "which are not cells"
                yield page.finding(
                    cell,
                    f"Screen readers cannot announce this cell's headers: its headers attribute names {names}, "
                    f"{what} of this table.",
                    headers=tokens,
                    missing=bad,
                )
