"""data-table-headers: tables of data have header cells."""

from __future__ import annotations

from typing import Iterator

from bs4 import Tag

from empathy_audit.audits.accname import (
    attr_text,
    explicit_role,
    is_hidden,
    is_inert_container,
    normalise,
    role_of,
    visible_text,
)
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Outcome, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static.layout_table import own

#: Content in a cell that marks a table used for layout, not data.
LAYOUT_CONTENT = ("table", "h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "dl", "form", "input", "select",
                  "textarea", "iframe", "video", "audio", "blockquote", "nav", "section", "article")
#: A cell with more text than this reads as prose, not a value.
MAX_VALUE_CHARS = 60
MIN_ROWS_FOR_CERTAINTY = 3


def _cell_has_content(cell: Tag) -> bool:
    if visible_text(cell):
        return True
    return any(normalise(attr_text(img, "alt")) for img in cell.find_all("img"))


def _only_links(cell: Tag) -> bool:
    """True when all the cell's text is link text (a grid of links is as often layout as data)."""
    text = visible_text(cell)
    return bool(text) and normalise(" ".join(visible_text(a) for a in cell.find_all("a"))) == text


@check(
    id="data-table-headers",
    title="Data tables have header cells",
    failure_title="Data tables have no header cells",
    severity=Severity.SERIOUS,
    wcag=("1.3.1",),
    personas=(Persona.SCREEN_READER,),
    how_to_fix='Mark the column and row names as <th scope="col"> and <th scope="row"> (not bold <td>s), and give '
    "the table a <caption>.",
)
def data_table_headers(page: StaticPage) -> Iterator[Finding]:
    """What it checks: tables with the role `table` (not layout tables marked presentation/none, not grids) that
    hold data in at least two rows and two columns (two or more non-empty cells per row) and have no header
    markup at all: no `<th>`, no `role="columnheader"`/`"rowheader"`, no `scope`, no `headers`. Tables with
    layout content in a cell (nested tables, headings, paragraphs, lists, form fields, media) are taken for
    layout and skipped. It fails when the table is certainly data: it has a `<caption>` or `summary`, or at
    least three data rows whose non-empty cells are all short values (60 characters or fewer) and not all
    links; otherwise it is reported as needs review (a layout table without a role, or a grid of links, looks
    the same).
    Who it affects: screen readers read a table without headers as a stream of values: "9:00, 17:00, 8:00"
    without the day or the column it belongs to.
    How to fix: `<tr><th scope="col">Day</th><th scope="col">Opens</th></tr>` and `<th scope="row">Monday</th>`
    for the first cell of each row.
    References: WCAG 1.3.1 Info and Relationships (failure F91: not correctly marking up table headers;
    techniques H51, H63, H43); W3C WAI Tables Tutorial; axe-core rule td-has-header (experimental).
    """
    for table in page.soup.find_all("table"):
        if is_inert_container(table) or is_hidden(table) or role_of(table) != "table":
            continue
        cells = own(table, "td", "th")
        if any(c.name == "th" or c.has_attr("scope") or normalise(attr_text(c, "headers")) for c in cells):
            continue
        if any(explicit_role(el) in ("columnheader", "rowheader") for el in own(table, "td", "th", "div", "span")):
            continue
        if any(cell.find(LAYOUT_CONTENT) is not None for cell in cells):
            continue
        data_rows = []
        for row in own(table, "tr"):
            filled = [c for c in row.find_all(["td", "th"], recursive=False) if _cell_has_content(c)]
            if len(filled) >= 2:
                data_rows.append(filled)
        if len(data_rows) < 2:
            continue
        short = all(len(visible_text(c)) <= MAX_VALUE_CHARS for row in data_rows for c in row)
        has_caption = table.find("caption", recursive=False) is not None or normalise(attr_text(table, "summary"))
        columns = max(len(r) for r in data_rows)
        size = f"{len(data_rows)} rows by {columns} columns"
        links_only = all(_only_links(c) for row in data_rows for c in row)
        if has_caption or (short and not links_only and len(data_rows) >= MIN_ROWS_FOR_CERTAINTY):
            yield page.finding(
                table,
                f"Screen readers read this table of data ({size}) as a stream of values: it has no header cells "
                "(<th>), so no value is announced with its column or row.",
                rows=len(data_rows),
                columns=columns,
            )
        else:
            yield page.finding(
                table,
                f"This table ({size}) has no header cells. If it holds data, screen readers announce its values "
                "without their column or row; if it is only layout, mark it role=\"presentation\".",
                outcome=Outcome.REVIEW,
                rows=len(data_rows),
                columns=columns,
            )
