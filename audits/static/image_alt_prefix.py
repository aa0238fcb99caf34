"""image-alt-prefix: alt text does not start with "image of", "picture of" or "photo of"."""

from __future__ import annotations

import re
from typing import Iterator

from empathy_audit.audits.accname import PRESENTATIONAL_ROLES, accessible_name, input_type, is_hidden, role_of
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._describe import shorten
from empathy_audit.audits.static._wording import fold

#: Openings that repeat what screen readers already announce ("graphic", "image"), by language; compared folded.
REDUNDANT_PREFIXES: dict[str, tuple[str, ...]] = {
    "en": ("image of", "an image of", "picture of", "a picture of", "photo of", "a photo of", "photograph of",
           "a photograph of", "graphic of", "a graphic of", "image showing", "picture showing", "photo showing",
           "image shows", "this image", "this picture", "this photo"),
    "fr": ("image de", "image d", "une image de", "photo de", "une photo de", "photographie de", "illustration de"),
    "de": ("bild von", "ein bild von", "foto von", "ein foto von", "bild mit", "foto mit", "grafik von"),
    "es": ("imagen de", "una imagen de", "foto de", "una foto de", "fotografía de", "imagen que muestra"),
    "nl": ("afbeelding van", "een afbeelding van", "foto van", "een foto van", "plaatje van"),
    "it": ("immagine di", "un immagine di", "foto di", "una foto di", "fotografia di", "immagine che mostra"),
    "pt": ("imagem de", "uma imagem de", "foto de", "uma foto de", "fotografia de", "imagem que mostra"),
}
_PREFIX = re.compile(
    r"^(?:"
    + "|".join(re.escape(fold(p)) for p in sorted({p for ps in REDUNDANT_PREFIXES.values() for p in ps}, key=len,
                                                  reverse=True))
    + r")(?!\w)"
)


@check(
    id="image-alt-prefix",
    title="Alt text does not start with \"image of\"",
    failure_title="Alt text starts with \"image of\" or \"photo of\"",
    severity=Severity.MINOR,
    personas=(Persona.SCREEN_READER,),
    how_to_fix='Drop the opening words: alt="Two baristas at the roaster" rather than "Image of two baristas...". '
    "Say \"photograph\" or \"painting\" only when the medium matters.",
    best_practice=True,
)
def image_alt_prefix(page: StaticPage) -> Iterator[Finding]:
    """What it checks: the accessible name of each `<img>` and `<input type="image">` (its alt text) does not
    open with words screen readers already announce: "image of", "picture of", "photo of", "graphic of" and
    their equivalents in French, German, Spanish, Dutch, Italian and Portuguese (REDUNDANT_PREFIXES). Decorative
    and hidden images are skipped.
    Who it affects: screen-reader users hear "graphic, image of ..." before the content, on every image.
    How to fix: start with the content; keep "photograph", "drawing", "screenshot" only where the kind of image
    is itself information.
    References: best practice; W3C WAI Images Tutorial (tips: no need to say "image of"); WebAIM "Alternative
    Text"; related to WCAG 1.1.1 Non-text Content.
    """
    for el in page.soup.find_all(["img", "input"]):
        if el.name == "input" and input_type(el) != "image":
            continue
        if is_hidden(el) or (el.name == "img" and role_of(el) in PRESENTATIONAL_ROLES):
            continue
        name = accessible_name(el)
        match = _PREFIX.match(fold(name))
        if not match:
            continue
        yield page.finding(
            el,
            f"Screen readers say “image” and then “{shorten(name, 60)}”: the words “{match.group(0)}” repeat "
            "what the screen reader already announced.",
            alt=name,
        )
