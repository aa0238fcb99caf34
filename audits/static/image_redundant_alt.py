"""image-redundant-alt: alt text does not repeat the text right next to the image."""

from __future__ import annotations

from typing import Iterator

from bs4 import NavigableString, Tag
from bs4.element import PreformattedString

from empathy_audit.audits.accname import (
    NOT_RENDERED_ELEMENTS,
    PRESENTATIONAL_ROLES,
    attr_text,
    is_hidden,
    normalise,
    role_of,
    visible_text,
)
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._describe import shorten
from empathy_audit.audits.static._wording import fold

#: The containers whose own text an image's alt must not repeat (axe-core's list, plus figure captions).
_PARENTS = ("a", "button", "p", "li", "td", "th", "figcaption", "label", "dt", "dd")
_BLOCKS = frozenset({"p", "li", "td", "th", "dt", "dd", "figcaption", "caption", "h1", "h2", "h3", "h4", "h5", "h6",
                     "div", "section", "article", "header", "footer", "main", "aside", "nav", "figure", "blockquote",
                     "a", "button", "span", "strong", "em", "b", "label"})
_MIN_CHARS = 2


def _container(img: Tag) -> Tag | None:
    for parent in img.parents:
        if not isinstance(parent, Tag) or parent.name in ("body", "html", "[document]"):
            return None
        if parent.name in _PARENTS or role_of(parent) in ("button", "link"):
            return parent
    return None


def _figcaption(img: Tag) -> Tag | None:
    figure = img.find_parent("figure")
    if figure is None:
        return None
    caption = figure.find("figcaption")
    if caption is None or any(p is caption for p in img.parents):
        return None
    return caption


def _next_text(img: Tag) -> Tag | None:
    """The element holding the first visible text after `img` (and after the link or button wrapping it)."""
    start: Tag = img
    for parent in img.parents:
        if parent.name in ("a", "button") or role_of(parent) in ("link", "button"):
            start = parent
            break
    last: Tag | NavigableString = start
    while isinstance(last, Tag) and last.contents:
        last = last.contents[-1]
    node = last.next_element
    steps = 0
    while node is not None and steps < 200:
        steps += 1
        if isinstance(node, NavigableString) and not isinstance(node, PreformattedString):
            if any(ch.isalnum() for ch in str(node)):
                parent = node.parent
                if parent is None or parent.name in NOT_RENDERED_ELEMENTS or is_hidden(parent):
                    node = node.next_element
                    continue
                while parent is not None and parent.name not in _BLOCKS:
                    parent = parent.parent
                return parent
        elif isinstance(node, Tag) and node.name in ("img", "input", "select", "textarea", "video", "audio"):
            return None  # another image or control comes first: not adjacent text
        node = node.next_element
    return None


def _only_content_of_control(img: Tag) -> bool:
    for parent in img.parents:
        if parent.name in ("a", "button") or role_of(parent) in ("link", "button"):
            return not visible_text(parent)
    return False


@check(
    id="image-redundant-alt",
    title="Alt text does not repeat the text next to the image",
    failure_title="Alt text repeats the text next to the image",
    severity=Severity.MINOR,
    personas=(Persona.SCREEN_READER,),
    how_to_fix='Use alt="" when the text next to the image already says what the alt would; or make the alt say '
    "something the text does not.",
    best_practice=True,
    roles={Persona.SCREEN_READER: "M"},  # IMPACT.md section 4
)
def image_redundant_alt(page: StaticPage) -> Iterator[Finding]:
    """What it checks: an `<img>` whose `alt` attribute is the same, case and punctuation aside,
    as the text of the link, button, paragraph, list item, table cell or caption it sits in (axe-core's rule),
    as its `<figure>`'s `<figcaption>`, or as the first text that follows it (after the link wrapping it), like a
    product title under its photo. Alt texts shorter than two characters, decorative and hidden images, and
    images named with aria-label or aria-labelledby (pointing at the caption on purpose) are skipped;
    an image that is the only content of its link is compared with its container only (removing its alt would
    leave the link unnamed: merge the links instead, see link-redundant-adjacent).
    Who it affects: screen-reader users hear the same words twice in a row.
    How to fix: `<figure><img src="farm.jpg" alt=""><figcaption>Our farm in Huila</figcaption></figure>` when
    the caption says it all; `<a href="/p"><img src="p.jpg" alt="">Colombia Huila</a>` for image plus text.
    References: best practice; axe-core rule image-redundant-alt; W3C WAI Images Tutorial ("Functional images",
    "Images of text"); WCAG technique H2 (combining adjacent image and text links).
    """
    for img in page.soup.find_all("img"):
        if is_hidden(img) or role_of(img) in PRESENTATIONAL_ROLES:
            continue
        if img.has_attr("aria-labelledby") or img.has_attr("aria-label"):
            continue  # a name taken from the caption on purpose (technique ARIA10) is not a repeated alt
        alt = normalise(attr_text(img, "alt"))
        key = fold(alt)
        if len(key) < _MIN_CHARS:
            continue
        where = None
        container = _container(img)
        if container is not None and fold(visible_text(container)) == key:
            where = "the text around it"
        if where is None:
            caption = _figcaption(img)
            if caption is not None and fold(visible_text(caption)) == key:
                where = "its figure caption"
        if where is None and not _only_content_of_control(img):
            following = _next_text(img)
            if following is not None and fold(visible_text(following)) == key:
                where = "the text right after it"
        if where is None:
            continue
        yield page.finding(
            img,
            f"Screen readers read “{shorten(alt, 50)}” twice: the image's alt text repeats {where}.",
            alt=alt,
            src=attr_text(img, "src") or "",
        )
