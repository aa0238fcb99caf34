"""document-title: the page has a non-empty <title>."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="document-title",
    title="Pages have a title",
    failure_title="Page has no title",
    severity=Severity.SERIOUS,
    wcag=("2.4.2",),
    personas=(Persona.SCREEN_READER, Persona.LOW_VISION, Persona.COGNITIVE),
    how_to_fix="Give every page a unique <title> in its <head> that names the page first and the site second.",
    task="knowing which page they are on",
    how={
        Persona.SCREEN_READER: "The first thing announced, the page's name, is missing.",
        Persona.LOW_VISION: "Tabs and history entries cannot be told apart.",
        Persona.COGNITIVE: "Nothing confirms which page this is.",
    },
    roles={Persona.SCREEN_READER: "P", Persona.LOW_VISION: "M", Persona.COGNITIVE: "M"},  # IMPACT.md section 4
)
def document_title(page: StaticPage) -> Iterator[Finding]:
    """What it checks: the document has a <title> element with text other than white space.
    Who it affects: screen-reader users hear the title first when a page opens; everyone uses it to tell tabs,
    bookmarks and history entries apart.
    How to fix: add `<title>Product name – Brand</title>` to the <head>.
    References: WCAG 2.4.2 Page Titled; axe-core rule document-title.
    """
    soup = page.soup
    titles = soup.find_all("title")
    # <title> inside <svg> is an SVG description, not the document's title.
    doc_titles = [t for t in titles if t.find_parent("svg") is None]
    if not doc_titles:
        yield page.finding(None, "The page has no <title>: screen readers announce no page name and tabs are unnamed.")
    elif not doc_titles[0].get_text().strip():
        yield page.finding(doc_titles[0], "The page's <title> is empty: screen readers announce no page name.")
