"""Shared helpers of the link, form and media checks: folding text for phrase matching, link destinations,
descriptions and the context a link sits in (not a check: the name starts with _)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Iterable, Iterator
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from bs4 import Tag

from empathy_audit.audits.accname import (
    accessible_name,
    attr_text,
    get_element_by_id,
    idrefs,
    is_hidden,
    is_inert_container,
    normalise,
    role_of,
    visible_text,
)
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.urls import join

# Query parameters that only track a click: they never change where a link goes.
_TRACKING = re.compile(
    r"^(utm_[a-z_]+|gclid|gclsrc|dclid|gbraid|wbraid|fbclid|msclkid|mc_cid|mc_eid|yclid|igshid|_ga|_gl|_hsenc|_hsmi)$",
    re.IGNORECASE,
)
_INDEX_PAGE = re.compile(r"/(index|default)\.(html?|php|aspx?)$", re.IGNORECASE)
_NON_WORD = re.compile(r"[\W_]+")

#: Elements that give a link the "programmatically determined link context" of WCAG 2.4.4 (techniques H77, H78,
#: H79, H81, G53): the sentence, paragraph, list item or table cell it sits in.
CONTEXT_ELEMENTS: frozenset[str] = frozenset(
    {"p", "li", "td", "th", "dd", "dt", "figcaption", "caption", "blockquote", "label", "legend", "summary"}
)
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_NOT_CONTAINERS = frozenset({"html", "body", "main", "[document]"})


def fold(text: str | None) -> str:
    """Text made comparable: NFKC, case-folded, every run of punctuation, symbols or spaces turned into one space,
    trimmed ("Read more »" and "read  more…" both give "read more")."""
    text = unicodedata.normalize("NFKC", text or "").casefold().replace("’", "'")
    return " ".join(_NON_WORD.sub(" ", text).split())


def phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str]:
    """A regular expression finding any of the folded `phrases` as whole words in folded text."""
    alternatives = sorted({fold(p) for p in phrases if fold(p)}, key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(a) for a in alternatives) + r")(?!\w)")


def base_url(page: StaticPage) -> str:
    """The URL relative links resolve against: <base href> when the page has one, else the page's URL."""
    cached = page.__dict__.get("_base_url")
    if cached is None:
        cached = page.__dict__["_base_url"] = _base_url(page)
    return cached


def _base_url(page: StaticPage) -> str:
    base = page.soup.find("base", href=True)
    href = attr_text(base, "href") if base is not None else None
    return urljoin(page.url, href.strip()) if href and href.strip() else page.url


def destination(href: str | None, base: str) -> str | None:
    """Where a link goes, comparable between links: resolved, scheme and host lower-cased, tracking parameters and
    index-page names dropped, an empty fragment dropped. None for links that go nowhere (no href, "#",
    javascript:)."""
    if href is None:
        return None
    href = href.strip()
    if not href or href == "#" or href.lower().startswith("javascript:"):
        return None
    try:
        absolute = join(base, href)  # urljoin, remembered across pages for the links every page repeats
    except ValueError:
        return href
    return _destination(absolute, href)


@lru_cache(maxsize=8192)
def _destination(absolute: str, href: str) -> str | None:
    try:
        parts = urlsplit(absolute)
    except ValueError:
        return href
    scheme = parts.scheme.lower()
    if scheme in ("mailto", "tel", "sms"):
        return f"{scheme}:{parts.path.lower()}"
    path = _INDEX_PAGE.sub("/", parts.path or "/")
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)])
    return urlunsplit((scheme, parts.netloc.lower(), path, query, parts.fragment))


def iter_links(page: StaticPage) -> Iterator[Tag]:
    """Links a visitor can reach: <a href> and <area href> whose role is link, and elements with role="link";
    hidden ones and those inside <template>/<noscript> are left out. Worked out once per page (six link checks
    ask for them)."""
    cached = page.__dict__.get("_links")
    if cached is None:
        cached = page.__dict__["_links"] = list(_iter_links(page))
    return iter(cached)


def _iter_links(page: StaticPage) -> Iterator[Tag]:
    for el in page.soup.find_all(True):
        if el.name not in ("a", "area") and "role" not in el.attrs:
            continue  # neither a link element nor a role attribute: its role cannot be link
        if el.name in ("a", "area") and el.has_attr("href"):
            if role_of(el) != "link":
                continue
        elif role_of(el) != "link":
            continue
        if is_inert_container(el) or is_hidden(el):
            continue
        yield el


def description(el: Tag) -> str:
    """The accessible description as far as static HTML tells: aria-describedby targets (hidden ones count),
    aria-description, then a title that is not already the name."""
    parts = [visible_text(t) or normalise(t.get_text(" ")) for t in idrefs(el, "aria-describedby")]
    parts.append(normalise(attr_text(el, "aria-description")))
    title = normalise(attr_text(el, "title"))
    if title and title != accessible_name(el):
        parts.append(title)
    return normalise(" ".join(p for p in parts if p))


def context_container(el: Tag) -> Tag | None:
    """The nearest sentence-level container of `el` (paragraph, list item, table cell...) or None."""
    for parent in el.parents:
        if parent.name in CONTEXT_ELEMENTS:
            return parent
        if parent.name in _NOT_CONTAINERS:
            return None
    return None


def context_text(el: Tag) -> str:
    """The text around `el` in its paragraph, list item or table cell, without `el`'s own text."""
    container = context_container(el)
    if container is None:
        return ""
    whole = visible_text(container)
    own = visible_text(el)
    if own:
        whole = whole.replace(own, " … ", 1)
    return re.sub(r"\s+([.,;:!?])", r"\1", normalise(whole))


def row_context(el: Tag) -> str:
    """The text of the other cells in the table row of `el`'s cell (technique H79: a link's cell and its header
    cells give it context), or "" when `el` is not in a table cell."""
    cell = context_container(el)
    if cell is None or cell.name not in ("td", "th"):
        return ""
    row = cell.find_parent("tr")
    if row is None:
        return ""
    others = [visible_text(c) for c in row.find_all(["td", "th"], recursive=False) if c is not cell]
    return normalise(" ".join(t for t in others if t))


def words(text: str) -> list[str]:
    """The words of `text` (letters or digits)."""
    return [w for w in fold(text).split() if any(ch.isalnum() for ch in w)]


def heading_in_same_block(el: Tag) -> Tag | None:
    """The nearest heading before `el` that shares a container with it below <main>/<body> (a card, list item,
    article or section): the link-plus-heading context of technique H80. None when the nearest one is only
    shared at page level."""
    heading = el.find_previous(_HEADINGS)
    while heading is not None and is_hidden(heading):
        heading = heading.find_previous(_HEADINGS)
    if heading is None:
        return None
    ancestors = {id(p) for p in el.parents}
    for parent in heading.parents:
        if id(parent) in ancestors:
            return heading if parent.name not in _NOT_CONTAINERS else None
    return None


def form_owner(el: Tag) -> Tag | None:
    """The form a field belongs to: the <form> its form attribute names, else its ancestor <form>, else None."""
    form_id = attr_text(el, "form")
    if form_id and form_id.strip():
        target = get_element_by_id(el, form_id.strip())
        return target if target is not None and target.name == "form" else None
    return el.find_parent("form")

