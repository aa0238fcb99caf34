"""spacer-image-alt: spacer and tracking-pixel images are hidden from screen readers (alt="")."""

from __future__ import annotations

import re
from typing import Iterator
from urllib.parse import unquote, urlsplit

from bs4 import Tag

from empathy_audit.audits.accname import accessible_name, attr_text, is_hidden
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._describe import shorten

_SPACER_FILE = re.compile(
    r"^(?:spacer|spc|blank|clear|clearpixel|pixel|px|transparent|trans|shim|dot|empty|1x1|1px|s)"
    r"(?:[_-]?(?:1x1|1px|pixel|transparent|clear))?\.(?:gif|png)$",
    re.IGNORECASE,
)
_ONE_PIXEL_GIF = re.compile(r"^data:image/gif;base64,r0lgod[dl]haqaba")  # GIF87a/89a header, 1 x 1
#: Width or height (HTML attributes) at or below which an image is a spacer or a tracking pixel.
TINY_PX = 1


def _dimension(el: Tag, attr: str) -> int | None:
    value = (attr_text(el, attr) or "").strip().lower().removesuffix("px")
    return int(value) if value.isdigit() else None


def spacer_reason(img: Tag) -> str | None:
    """Why `img` is a spacer: 'it is 1 × 1 pixel', 'its file is spacer.gif', or None."""
    width, height = _dimension(img, "width"), _dimension(img, "height")
    if width is not None and height is not None and width <= TINY_PX and height <= TINY_PX:
        return f"it is {width} × {height} pixel"
    src = attr_text(img, "src") or ""
    if _ONE_PIXEL_GIF.match(src.strip().lower()):
        return "it is a 1 × 1 pixel GIF"
    try:
        name = unquote(urlsplit(src.strip()).path).rsplit("/", 1)[-1]
    except ValueError:
        return None
    if _SPACER_FILE.match(name):
        return f"its file is {shorten(name, 40)}"
    return None


@check(
    id="spacer-image-alt",
    title="Spacer images are hidden from screen readers",
    failure_title="Spacer images are announced to screen readers",
    severity=Severity.MINOR,
    wcag=("1.1.1",),
    personas=(Persona.SCREEN_READER,),
    how_to_fix='Give spacer and tracking-pixel images alt="" (or aria-hidden="true"); better, lay out with CSS and '
    "load tracking without an <img>.",
)
def spacer_image_alt(page: StaticPage) -> Iterator[Finding]:
    """What it checks: `<img>` elements that are spacers or tracking pixels, known by `width` and `height`
    attributes of 1 pixel or less, a 1 × 1 GIF data URL, or a spacer file name (spacer.gif, blank.gif,
    pixel.gif, transparent.png, 1x1.gif, clear.gif...), that still have an accessible name (a non-empty alt,
    aria-label or title). Hidden images and `alt=""` pass.
    Who it affects: screen readers announce "spacer", "pixel" or "graphic" for an image that carries nothing,
    cluttering the page.
    How to fix: `<img src="/px.gif" width="1" height="1" alt="">`.
    References: WCAG 1.1.1 Non-text Content (failure F38: decorative images not marked up so assistive
    technology can ignore them; technique H67); HTML "An image not intended for the user".
    """
    for img in page.soup.find_all("img"):
        if is_hidden(img):
            continue
        reason = spacer_reason(img)
        if reason is None:
            continue
        name = accessible_name(img)
        if not name:
            continue
        yield page.finding(
            img,
            f"Screen readers announce this spacer image as “{shorten(name, 40)}” ({reason}): it carries no "
            "content and should have alt=\"\".",
            alt=name,
        )
