"""image-alt-meaningful: alt text is not a file name or a placeholder word."""

from __future__ import annotations

import re
from typing import Iterator
from urllib.parse import unquote, urlsplit

from empathy_audit.audits.accname import PRESENTATIONAL_ROLES, accessible_name, attr_text, input_type, is_hidden, role_of
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._describe import shorten
from empathy_audit.audits.static._wording import fold

IMAGE_EXTENSIONS = r"jpe?g|jfif|png|gif|webp|avif|svg|bmp|tiff?|heic|heif|ico"
_FILE_NAME = re.compile(rf"^[^\s/\\]+\.(?:{IMAGE_EXTENSIONS})$", re.IGNORECASE)
_CAMERA_NAME = re.compile(
    r"^(?:img|dsc[nf]?|pxl|dcim|mvimg|gopr|p|screenshot|screen shot|capture|whatsapp image)[ _-]?\d[\d _.:-]{2,}",
    re.IGNORECASE,
)
#: Alt texts that are placeholders, not alternatives, by language (compared whole, case and punctuation ignored).
PLACEHOLDER_ALTS: frozenset[str] = frozenset(fold(w) for w in (
    "image", "img", "picture", "pic", "photo", "photograph", "graphic", "icon", "logo", "banner", "spacer",
    "placeholder", "untitled", "blank", "default", "thumbnail", "thumb", "illustration", "alt", "alt text",
    "alt tag", "image description", "insert alt text", "description", "null", "undefined", "none", "todo",
    "photo", "icône", "bild", "foto", "grafik", "symbolbild", "imagen", "afbeelding", "plaatje", "immagine",
    "imagem", "figura",
))


def _stem(src: str | None) -> str:
    if not src or src.strip().lower().startswith("data:"):
        return ""
    path = unquote(urlsplit(src.strip()).path).rstrip("/").rsplit("/", 1)[-1]
    return path.rsplit(".", 1)[0] if "." in path else path


def meaningless_reason(alt: str, src: str | None) -> str | None:
    """Why `alt` is not an alternative ("a file name", "a placeholder word"), or None when it may be one."""
    text = alt.strip()
    if not text:
        return None
    if _FILE_NAME.match(text) or _CAMERA_NAME.match(text):
        return "a file name"
    stem = _stem(src)
    if stem and text.lower() == stem.lower() and re.search(r"[_\-\d]", stem) and " " not in text:
        return "the image's file name"
    if fold(text) in PLACEHOLDER_ALTS or not fold(text):
        return "a placeholder, not a description"
    return None


@check(
    id="image-alt-meaningful",
    title="Alt text describes the image",
    failure_title="Alt text is a file name or a placeholder",
    severity=Severity.SERIOUS,
    wcag=("1.1.1",),
    personas=(Persona.SCREEN_READER, Persona.LOW_VISION, Persona.SLOW_CONNECTION),
    how_to_fix='Replace the alt text with words that do the image\'s job ("Northwind logo", "Search"), or alt="" '
    "if the image is decoration.",
)
def image_alt_meaningful(page: StaticPage) -> Iterator[Finding]:
    """What it checks: the accessible name of each `<img>`, `<input type="image">` and `<area>` (usually its alt
    text) is not a file name ("IMG_2041.JPG", "hero-banner-2x.png", the image's own file name with its hyphens or
    digits, camera names like "DSC01234"), nor a placeholder word that says nothing about this image ("image",
    "photo", "logo", "icon", "spacer", "untitled", "Bild", "imagen", "afbeelding"...), nor only punctuation.
    `alt=""` (decorative) and hidden images are skipped; missing alt is image-alt's job.
    Who it affects: screen readers read "I M G underscore two zero four one dot J P G" or just "image", which is
    no alternative at all; when images do not load on a slow connection the same words show in their place.
    How to fix: describe what the image shows or does; for a logo, the organisation's name; for decoration,
    `alt=""`.
    References: WCAG 1.1.1 Non-text Content (failure F30: text alternatives that are not alternatives, such as
    file names or placeholder text; failure F39); HTML "Requirements for providing text to act as an
    alternative for images".
    """
    for el in page.soup.find_all(["img", "input", "area"]):
        if el.name == "input" and input_type(el) != "image":
            continue
        if is_hidden(el) or (el.name == "img" and role_of(el) in PRESENTATIONAL_ROLES):
            continue
        name = accessible_name(el)
        if not name and attr_text(el, "alt") is not None:
            name = attr_text(el, "alt") or ""
        why = meaningless_reason(name, attr_text(el, "src"))
        if why is None:
            continue
        yield page.finding(
            el,
            f"Screen readers read this image as “{shorten(name, 50)}”, which is {why}: blind visitors learn "
            "nothing about what it shows or does.",
            alt=name,
        )
