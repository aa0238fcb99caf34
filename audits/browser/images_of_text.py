"""images-of-text: images that look like pictures of text are left to a reviewer."""

from __future__ import annotations

import re
from typing import Iterator
from urllib.parse import unquote, urlsplit

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.browser._render_common import finding, items, quote
from empathy_audit.audits.model import Finding, Outcome, Persona, Severity
from empathy_audit.audits.registry import check

# File names that say the picture is of text.
_TEXTY_NAME = re.compile(
    r"(?:^|[-_.\s])(?:text|texte|txt|headline|slogan|tagline|quote|wordmark|lettering|typography|caption|"
    r"heading|title|cta)(?:[-_.\s]|$)",
    re.IGNORECASE,
)
_LOGO = re.compile(r"logo|brand|emblem|signature|wordmark", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)


@check(
    id="images-of-text",
    title="Text is text, not a picture of text",
    failure_title="Images may show text that should be real text",
    severity=Severity.MODERATE,
    wcag=("1.4.5",),
    personas=(Persona.LOW_VISION, Persona.COGNITIVE),
    how_to_fix="Write the words as HTML text styled with CSS (web fonts, colours, backgrounds) and keep images "
               "for photos and graphics.",
)
def images_of_text(page: RenderedPage) -> Iterator[Finding]:
    """What it checks: no OCR is done, so this only points a reviewer at likely images of text, never fails:
    a rendered, loaded <img> whose file name says it holds text ("headline", "slogan", "quote", "text",
    "cta"...) and whose alt text is words, or a wide banner (400 px or more, four or more times wider than high)
    whose alt text is a phrase of four words or more, as a text banner's alt repeats its words. Logos and brand
    names (logotypes are exempt), images with empty alt, images hidden from assistive technology and images that
    did not load are not reported.
    Who it affects: low-vision visitors (text in an image blurs when zoomed and cannot be re-spaced, recoloured
    or re-fonted) and visitors with reading disabilities who use their own fonts and colours; the text is not
    translated or found by search either.
    How to fix: write the words as HTML text styled with CSS (web fonts, colours, backgrounds) and keep images
    for photos and graphics.
    References: WCAG 1.4.5 Images of Text.
    """
    for item in items(page, "images"):
        if not item.get("loaded"):
            continue  # a broken image shows its alt text as text: nothing to say
        alt = " ".join(str(item.get("alt") or "").split())
        words = _WORD.findall(alt)
        if not words or _LOGO.search(alt):
            continue
        src = str(item.get("src") or "")
        name = unquote(urlsplit(src).path.rsplit("/", 1)[-1]) if not src.startswith("data:") else ""
        if _LOGO.search(name):
            continue
        width, height = int(item.get("width") or 0), int(item.get("height") or 0)
        named = bool(name and _TEXTY_NAME.search(name.rsplit(".", 1)[0]))
        banner = width >= 400 and height > 0 and width >= 4 * height and len(words) >= 4
        if not (named or banner):
            continue
        why = f"its file name ({name})" if named else f"its banner shape ({width} × {height} px)"
        yield finding(
            page, item,
            f"This image may be a picture of the text {quote(alt)} ({why} suggests so). If it is, visitors who "
            "zoom or change fonts and colours cannot read it well: use real text styled with CSS.",
            outcome=Outcome.REVIEW, alt=alt, src=src[:200], width=width, height=height,
        )
