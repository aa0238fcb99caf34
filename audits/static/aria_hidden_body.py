"""aria-hidden-body: the page body is not hidden from assistive technology."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.accname import attr_text
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="aria-hidden-body",
    title="The page body is not hidden from assistive technology",
    failure_title="The page body is hidden from assistive technology",
    severity=Severity.CRITICAL,
    wcag=("4.1.2", "1.3.1"),
    personas=(Persona.SCREEN_READER,),
    how_to_fix='Remove aria-hidden="true" from <body>; to hide the page behind a modal, use the inert attribute on '
    "the page's containers, or a <dialog> opened with showModal().",
    task="reaching any content",
    how={
        Persona.SCREEN_READER: "The whole page is hidden from assistive technology.",
    },
)
def aria_hidden_body(page: StaticPage) -> Iterator[Finding]:
    """What it checks: `<body>` does not carry `aria-hidden="true"` in the HTML as served (scripts often add it
    while a modal is open; in the served HTML it hides the whole page).
    Who it affects: screen readers find nothing on the page, or only the parts a script moves out of the body.
    How to fix: remove the attribute; hide background content with `inert` on a wrapper instead.
    References: WCAG 4.1.2 Name, Role, Value, 1.3.1 Info and Relationships; axe-core rule aria-hidden-body.
    """
    body = page.soup.find("body")
    if body is not None and (attr_text(body, "aria-hidden") or "").strip().lower() == "true":
        yield page.finding(
            body,
            "Screen readers find nothing on this page: <body> has aria-hidden=\"true\", which hides everything.",
        )
