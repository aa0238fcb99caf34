"""broken-link: internal links lead to a page that exists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check


@dataclass(frozen=True)
class BrokenLink:
    """A link on `page_url` (element at `selector`) whose target answered with an error."""

    page_url: str
    target: str
    status: int | None
    selector: str
    snippet: str
    reason: str = ""


@check(
    id="broken-link",
    title="Internal links lead to a page that exists",
    failure_title="Internal link leads to an error page",
    severity=Severity.SERIOUS,
    wcag=("2.4.4",),
    personas=(Persona.EVERYONE, Persona.SCREEN_READER, Persona.COGNITIVE, Persona.SLOW_CONNECTION),
    how_to_fix="Point the link at the page's current address, or redirect the old address (301) to it.",
    task="following links",
    how={
        Persona.EVERYONE: "The link leads to an error page.",
    },
    # Only the visitors who follow it meet a link inside the text: ~2 % click a given in-content link [U].
    exposure=0.02,
)
def broken_link(link: BrokenLink) -> Iterator[Finding]:
    """What it checks: every link to a page of the same site answers with a page, not a 4xx or 5xx error.
    Who it affects: every visitor is stranded; screen-reader users and people with cognitive disabilities find it
    hardest to recover, and people on slow or prepaid connections pay for the dead end.
    How to fix: update the link, or answer the old address with a permanent redirect to the right page.
    References: WCAG 2.4.4 Link Purpose (a link must lead where it says); HTTP status codes (RFC 9110).
    """
    status = f"HTTP {link.status}" if link.status else link.reason or "no answer"
    yield Finding(
        check_id="broken-link",
        url=link.page_url,
        selector=link.selector,
        snippet=link.snippet,
        message=f"This link leads to {link.target}, which answers {status}: visitors reach an error page.",
        severity=Severity.SERIOUS,
        data={"target": link.target, "status": link.status},
    )
