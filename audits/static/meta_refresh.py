"""meta-refresh: the page does not refresh or redirect itself on a timer."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._refresh import TWENTY_HOURS, Refresh, page_refresh


@check(
    id="meta-refresh",
    title="The page does not refresh or redirect on a timer",
    failure_title="The page refreshes or redirects on a timer",
    severity=Severity.CRITICAL,
    wcag=("2.2.1",),
    personas=(Persona.SCREEN_READER, Persona.KEYBOARD, Persona.COGNITIVE),
    how_to_fix="Remove the timed <meta http-equiv=\"refresh\">; redirect on the server (HTTP 301) instead, and "
    "let visitors reload or move on themselves.",
    task="reading before the page changes",
    how={
        Persona.SCREEN_READER: "The page reloads or moves away while it is being read.",
    },
    act=("bc659a", "bisz58"),
)
def meta_refresh(page: StaticPage) -> Iterator[Finding]:
    """What it checks: the page's declarative refresh, the first `<meta http-equiv="refresh">` whose `content`
    browsers accept (HTML's shared declarative refresh steps: "5", "5; url=/next"; an invalid one such as
    "0: /next" or "+5" is ignored and the next one counts, later ones never do), waits more than 0 and at most
    72,000 seconds (20 hours) before it reloads the page or sends visitors elsewhere. An instant redirect (delay 0)
    passes, as does a delay over 20 hours (WCAG 2.2.1's exception; meta-refresh-no-exceptions reports it at AAA).
    Every delay it fails also fails WCAG 2.2.4 and 3.2.5 at AAA, so it implements ACT rule bisz58 together with
    meta-refresh-no-exceptions.
    Who it affects: the page is pulled away while people read or fill it in: screen readers restart from the top,
    keyboard users lose their focus position, and slow readers lose their place.
    How to fix: redirect with an HTTP 301/302 from the server, or offer a link; never auto-refresh a page people
    read.
    References: WCAG 2.2.1 Timing Adjustable (failures F40, F41); HTML "shared declarative refresh steps";
    axe-core rule meta-refresh; ACT rules bc659a and bisz58.
    """
    refresh = page_refresh(page)
    if refresh is None or not 0 < refresh.seconds <= TWENTY_HOURS:
        return
    yield page.finding(
        refresh.meta,
        f"The page {what_it_does(refresh)}: people still reading or typing lose their place, and screen readers "
        "start again from the top.",
        delay=refresh.seconds,
    )


def what_it_does(refresh: Refresh) -> str:
    """"reloads itself after 30 seconds", "sends visitors to another page after 24 hours"."""
    goes = "sends visitors to another page" if refresh.url else "reloads itself"
    seconds = refresh.seconds
    if seconds < 7200:
        return f"{goes} after {seconds} second{'s' if seconds != 1 else ''}"
    hours, rest = divmod(seconds, 3600)
    return f"{goes} after {hours} hours" if not rest else f"{goes} after {seconds:,} seconds (about {hours} hours)"
