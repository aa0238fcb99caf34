"""The page's declarative refresh: the first valid <meta http-equiv="refresh">, read as browsers read it (HTML's
"shared declarative refresh steps"). Shared by meta-refresh and meta-refresh-no-exceptions (not a check: starts
with _)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from bs4 import Tag

from empathy_audit.audits.accname import attr_text, is_inert_container
from empathy_audit.audits.artifacts import StaticPage

TWENTY_HOURS = 72000  # seconds: WCAG 2.2.1's exception for time limits longer than 20 hours

_WHITESPACE = "\t\n\f\r "  # ASCII whitespace
_DIGITS = re.compile(r"[0-9]*")
_DIGITS_AND_DOTS = re.compile(r"[0-9.]*")


@dataclass(frozen=True)
class Refresh:
    """The refresh a page will make: after `seconds`, load `url` (the page itself when None)."""

    meta: Tag
    seconds: int
    url: str | None


def page_refresh(page: StaticPage) -> Refresh | None:
    """The refresh of the first `<meta http-equiv="refresh">` of the document whose `content` browsers accept (an
    invalid one is ignored and the next counts; once one is accepted, later ones are ignored), or None."""
    for meta in page.soup.find_all("meta"):
        equiv = attr_text(meta, "http-equiv")
        if equiv is None or not equiv.isascii() or equiv.lower() != "refresh" or is_inert_container(meta):
            continue
        parsed = parse_refresh(attr_text(meta, "content") or "", page.url)
        if parsed is not None:
            return Refresh(meta, *parsed)
    return None


def parse_refresh(content: str, base_url: str = "") -> tuple[int, str | None] | None:
    """(seconds, URL or None for the page itself) from a refresh `content`, or None when browsers ignore it.

    HTML's shared declarative refresh steps: optional white space, digits (the seconds; a fraction is read and
    ignored; no digits is valid only before a "."), then, if anything follows, a ";", "," or white space, then the
    URL, optionally written `URL=...` and quoted. So "5; url=/next" and "0.5" are valid, and "0: /next", "+5",
    "-1", "; 5" and "soon" are not."""
    pos, end = _skip(content, 0), len(content)
    digits = _DIGITS.match(content, pos).group(0)
    if not digits and (pos >= end or content[pos] != "."):
        return None
    seconds = int(digits) if digits else 0
    pos = _DIGITS_AND_DOTS.match(content, pos + len(digits)).end()
    if pos < end:
        if content[pos] not in ";," + _WHITESPACE:
            return None
        pos = _skip(content, pos)
        if pos < end and content[pos] in ";,":
            pos += 1
        pos = _skip(content, pos)
    if pos >= end:
        return seconds, None
    url = _url_text(content, pos)
    return (seconds, url) if _parses(url, base_url) else None


def _url_text(content: str, pos: int) -> str:
    """The URL from `pos` on: after an optional `URL =` (any case), without its opening quote and what follows the
    closing one."""
    start, end = pos, len(content)
    if content[pos] in "Uu":
        if content[pos + 1:pos + 2] not in ("R", "r") or content[pos + 2:pos + 3] not in ("L", "l"):
            return content[start:]
        pos = _skip(content, pos + 3)
        if pos >= end or content[pos] != "=":
            return content[start:]
        pos = _skip(content, pos + 1)
    quote = content[pos] if pos < end and content[pos] in "'\"" else ""
    url = content[pos + len(quote):]
    return url.split(quote, 1)[0] if quote else url


def _parses(url: str, base_url: str) -> bool:
    """False for what a URL parser rejects (a bad IPv6 host, a port that is not a number)."""
    try:
        urlsplit(urljoin(base_url, url)).port  # reading the port raises when it is not a number
    except ValueError:
        return False
    return True


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WHITESPACE:
        pos += 1
    return pos
