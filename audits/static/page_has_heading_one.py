"""page-has-heading-one: the page has a level-one heading."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.accname import attr_text, heading_level, is_hidden, visible_text
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check

_H = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


@check(
    id="page-has-heading-one",
    title="The page has a level-one heading",
    failure_title="The page has no level-one heading",
    severity=Severity.MODERATE,
    personas=(Persona.SCREEN_READER,),
    how_to_fix="Mark the page's main title up as <h1> (it may be visually hidden), at the start of the main content.",
    best_practice=True,
    task="finding the main heading",
    how={
        Persona.SCREEN_READER: "There is no main heading to jump to.",
    },
    roles={Persona.SCREEN_READER: "S"},  # IMPACT.md section 4
)
def page_has_heading_one(page: StaticPage) -> Iterator[Finding]:
    """What it checks: the page has at least one heading of level 1 (`<h1>`, or `role="heading"` /
    `<hN>` with `aria-level="1"`) that is not hidden from assistive technology (visually hidden is fine). Pages
    whose body has no text at all in the HTML (pages drawn by JavaScript, framesets) are not judged: the browser
    checks see their headings; nor are a body hidden with aria-hidden (aria-hidden-body reports that) and redirect
    stubs (`<meta http-equiv="refresh" content="0; url=…">`), which no visitor stays on.
    Who it affects: screen-reader users jump to the first level-one heading to find the main content; without one
    they must read or tab through the page to find where it starts.
    How to fix: `<h1>Product name</h1>` at the top of the main content.
    References: best practice (axe-core rule page-has-heading-one); related to WCAG 1.3.1 and 2.4.1; technique H42.
    """
    soup = page.soup
    if _redirects_at_once(soup):
        return  # visitors never stay on a page that redirects instantly
    for el in soup.find_all(True):
        if el.name not in _H and not el.has_attr("role"):
            continue
        if heading_level(el) == 1 and not is_hidden(el):
            return
    body = soup.find("body")
    if body is None or is_hidden(body) or not visible_text(body):
        return  # nothing to judge here; a hidden body is aria-hidden-body's finding
    yield page.finding(
        None,
        "The page has no level-one heading: screen-reader users who jump to the first <h1> to find the main "
        "content land nowhere.",
    )


def _redirects_at_once(soup) -> bool:
    for meta in soup.find_all("meta"):
        if (attr_text(meta, "http-equiv") or "").strip().lower() != "refresh":
            continue
        content = (attr_text(meta, "content") or "").strip().lower()
        delay, _, rest = content.replace(",", ";").partition(";")
        if delay.strip() in ("0", "0.0") and "url" in rest:
            return True
    return False
