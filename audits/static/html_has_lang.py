"""html-has-lang: the page declares its language on <html>."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.accname import attr_text, normalise
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="html-has-lang",
    title="The page declares its language",
    failure_title="The page does not declare its language",
    severity=Severity.SERIOUS,
    wcag=("3.1.1",),
    personas=(Persona.SCREEN_READER,),
    how_to_fix='Add the page\'s main language to the <html> element, e.g. <html lang="en">.',
    task="hearing text in the right language",
    how={
        Persona.SCREEN_READER: "The screen reader may read the page with the wrong voice and pronunciation.",
    },
)
def html_has_lang(page: StaticPage) -> Iterator[Finding]:
    """What it checks: the `<html>` element has a `lang` (or, in XHTML, `xml:lang`) attribute that is not empty or
    white space. Whether the value is a real language code is html-lang-valid's job.
    Who it affects: screen readers read the page with the user's default voice and pronunciation rules (and braille
    tables), so a page in another language is read as gibberish; translation tools and hyphenation guess.
    How to fix: `<html lang="en">` (or "fr", "de-CH", "pt-BR"…) on every page.
    References: WCAG 3.1.1 Language of Page (technique H57); axe-core rule html-has-lang; ACT rule b5c3f8.
    """
    html = page.soup.find("html")
    if html is None:
        return
    if normalise(attr_text(html, "lang")) or normalise(attr_text(html, "xml:lang")):
        return
    yield page.finding(
        html,
        "Screen readers do not know which language the page is in, so they may read it with the wrong voice "
        "and pronunciation: <html> has no lang attribute.",
    )
