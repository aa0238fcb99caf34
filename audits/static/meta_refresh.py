"""meta-refresh: the page does not refresh or redirect itself on a timer."""

from __future__ import annotations

import re
from typing import Iterator

from empathy_audit.audits.accname import attr_text, is_inert_container
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check

MIN_DELAY = 0  # an instant redirect (0 s) is not a time limit
MAX_DELAY = 72000  # 20 hours: WCAG 2.2.1's exception for time limits longer than 20 hours

_SEPARATOR = re.compile(r"[;,\s]")
_DELAY = re.compile(r"^[0-9.]+$")


def refresh_delay(content: str) -> float | None:
    """The delay in seconds of a refresh `content` ("5; url=/next"), or None when browsers would ignore it."""
    first = _SEPARATOR.split(content.strip(), 1)[0]
    if not first or not _DELAY.match(first):
        return None
    try:
        return float(first)
    except ValueError:
        match = re.match(r"\d+(?:\.\d+)?", first)
        return float(match.group(0)) if match else None


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
)
def meta_refresh(page: StaticPage) -> Iterator[Finding]:
    """What it checks: a `<meta http-equiv="refresh">` whose delay is more than 0 and at most 72,000 seconds
    (20 hours), whether it reloads the page or redirects elsewhere. An instant redirect (delay 0) passes, as does a
    delay over 20 hours (WCAG's exception); a `content` browsers would not parse is ignored. axe-core's logic.
    Who it affects: the page is pulled away while people read or fill it in: screen readers restart from the top,
    keyboard users lose their focus position, and slow readers lose their place.
    How to fix: redirect with an HTTP 301/302 from the server, or offer a link; never auto-refresh a page people
    read.
    References: WCAG 2.2.1 Timing Adjustable (failures F40, F41); axe-core rule meta-refresh; ACT rule bc659a.
    """
    for meta in page.soup.find_all("meta"):
        if (attr_text(meta, "http-equiv") or "").strip().lower() != "refresh" or is_inert_container(meta):
            continue
        content = attr_text(meta, "content") or ""
        delay = refresh_delay(content)
        if delay is None or delay <= MIN_DELAY or delay > MAX_DELAY:
            continue
        goes = "sends visitors to another page" if re.search(r"url\s*=", content, re.I) else "reloads itself"
        seconds = f"{delay:g}"
        yield page.finding(
            meta,
            f"The page {goes} after {seconds} seconds: people still reading or typing lose their place, and "
            "screen readers start again from the top.",
            delay=delay,
        )
