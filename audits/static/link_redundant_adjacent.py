"""link-redundant-adjacent: adjacent links to the same place are merged into one."""

from __future__ import annotations

from typing import Iterator

from bs4 import NavigableString, Tag
from bs4.element import PreformattedString

from empathy_audit.audits.accname import (
    NOT_RENDERED_ELEMENTS,
    accessible_name,
    attr_text,
    is_focusable,
    is_hidden,
    is_inert_container,
    normalise,
    visible_text,
)
from empathy_audit.audits.artifacts import StaticPage, find_all_within
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._describe import link_target, shorten
from empathy_audit.audits.static._wording import base_url, destination, fold

_CONTENT_ELEMENTS = ("img", "input", "button", "select", "textarea", "iframe", "video", "audio", "svg", "object")


@check(
    id="link-redundant-adjacent",
    title="Adjacent links to the same place are merged",
    failure_title="Adjacent links go to the same place",
    severity=Severity.MINOR,
    personas=(Persona.KEYBOARD, Persona.SCREEN_READER, Persona.MOTOR),
    how_to_fix="Put the image and the text in one link; or take the extra link out of the tab order and hide it "
    'from screen readers (tabindex="-1" aria-hidden="true") when it only repeats the next one.',
    best_practice=True,
)
def link_redundant_adjacent(page: StaticPage) -> Iterator[Finding]:
    """What it checks: two `<a href>` links that follow each other in reading order with nothing between them
    but white space, punctuation or hidden content, go to the same destination (resolved; tracking parameters
    and index-page names ignored) and repeat each other: one of them shows only an image or icon, or both have
    the same name. Typically a product photo link followed by its title link. The second link is reported.
    Adjacent links with different names ("2" and "Next page" to the same page) serve different purposes and
    pass. A pair is skipped when either link is hidden from assistive
    technology (`aria-hidden="true"` together with `tabindex="-1"` is the accepted way to keep a duplicate image
    link for mouse users) or goes nowhere (`#`, `javascript:`).
    Who it affects: keyboard and switch users press Tab twice for one destination; screen readers announce the
    same link twice (often once as "link, graphic" with a repeated name); voice-control users see duplicate
    number labels.
    How to fix: `<a href="/p/huila"><img src="huila.jpg" alt=""> Colombia Huila</a>` instead of two links.
    References: best practice; WebAIM WAVE "Redundant link" alert; related to WCAG 2.4.4 Link Purpose and 1.1.1
    (technique H2: combining adjacent image and text links for the same resource).
    """
    body = page.soup.body or page.soup
    links = [a for a in find_all_within(body, "a", href=True) if not is_inert_container(a)]
    base = base_url(page)
    for first, second in zip(links, links[1:]):
        if any(p is first for p in second.parents):
            continue  # nested links: nested-interactive's business
        if is_hidden(first) or is_hidden(second) or not is_focusable(first) or not is_focusable(second):
            continue
        if _negative_tabindex(first) or _negative_tabindex(second):
            continue
        dest = destination(attr_text(second, "href"), base)
        if dest is None or dest != destination(attr_text(first, "href"), base):
            continue
        same_name = fold(accessible_name(first)) == fold(accessible_name(second))
        if not (same_name or _image_only(first) or _image_only(second)):
            continue  # "2" and "Next page" to one page are two purposes, not a repeat
        if _content_between(first, second):
            continue
        name = accessible_name(second)
        yield page.finding(
            second,
            f"This link{f' “{shorten(name, 50)}”' if name else ''} and the link just before it both go to "
            f"{link_target(attr_text(second, 'href'))}: keyboard users stop on the same destination twice and "
            "screen readers announce it twice.",
        )


def _image_only(link: Tag) -> bool:
    """True when the link shows only an image or icon: no text of its own."""
    return not visible_text(link) and link.find(["img", "svg", "picture", "input"]) is not None


def _negative_tabindex(el: Tag) -> bool:
    value = (attr_text(el, "tabindex") or "").strip()
    return value.startswith("-") and value[1:].isdigit()


def _content_between(first: Tag, second: Tag) -> bool:
    """True when a visitor meets text, an image with alt, a control or media between the end of `first` and the
    start of `second`."""
    last = first
    while isinstance(last, Tag) and last.contents:
        last = last.contents[-1]  # the last descendant of `first`
    node = last.next_element
    while node is not None and node is not second:
        if isinstance(node, NavigableString):
            if not isinstance(node, PreformattedString) and any(ch.isalnum() for ch in str(node)):
                parent = node.parent
                if isinstance(parent, Tag) and parent.name not in NOT_RENDERED_ELEMENTS and not is_hidden(parent):
                    return True
        elif isinstance(node, Tag) and node.name in _CONTENT_ELEMENTS and not is_hidden(node):
            if node.name != "img" or normalise(attr_text(node, "alt")):
                return True
        node = node.next_element
    return False
