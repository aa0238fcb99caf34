"""meta-refresh-no-exceptions: the page does not refresh or redirect itself on a timer even after 20 hours (AAA)."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._refresh import TWENTY_HOURS, page_refresh
from empathy_audit.audits.static.meta_refresh import what_it_does


@check(
    id="meta-refresh-no-exceptions",
    title="The page does not refresh or redirect on a timer, however long",
    failure_title="The page refreshes or redirects after more than 20 hours",
    severity=Severity.MINOR,
    wcag=("2.2.4", "3.2.5"),
    personas=(Persona.SCREEN_READER, Persona.KEYBOARD, Persona.COGNITIVE),
    best_practice=True,
    how_to_fix="Remove the timed <meta http-equiv=\"refresh\">, whatever its delay; redirect on the server (HTTP 301) "
    "instead, and let visitors reload or move on themselves.",
    task="reading before the page changes",
    how={
        Persona.SCREEN_READER: "The page reloads or moves away without being asked to.",
    },
    act=("bisz58",),
)
def meta_refresh_no_exceptions(page: StaticPage) -> Iterator[Finding]:
    """What it checks: the page's declarative refresh, the first `<meta http-equiv="refresh">` whose `content`
    browsers accept (read as meta-refresh reads it), waits more than 72,000 seconds (20 hours) before it reloads
    the page or sends visitors elsewhere. WCAG 2.2.1 (level A) exempts a time limit over 20 hours, but 2.2.4
    Interruptions and 3.2.5 Change on Request (level AAA) allow no timed refresh at all; a shorter delay is
    meta-refresh's failure already, so it is not reported twice, and only an instant redirect (delay 0) passes
    both. A level AAA requirement: the severity is minor and the check is marked best practice.
    Who it affects: a change of page that nobody asked for interrupts whoever left the page open: screen-reader
    and keyboard users lose their place, and people who read slowly lose what they were reading.
    How to fix: redirect with an HTTP 301/302 from the server, or offer a link or a reload button.
    References: WCAG 2.2.4 Interruptions (AAA) and 3.2.5 Change on Request (AAA), failures F40 and F41; HTML
    "shared declarative refresh steps"; axe-core rule meta-refresh-no-exceptions; ACT rule bisz58 (with
    meta-refresh, which fails its shorter delays).
    """
    refresh = page_refresh(page)
    if refresh is None or refresh.seconds <= TWENTY_HOURS:
        return
    yield page.finding(
        refresh.meta,
        f"The page {what_it_does(refresh)} without being asked to, which interrupts whoever still has it open: "
        "WCAG level AAA allows no timed refresh, however long.",
        delay=refresh.seconds,
    )
