"""images-of-text: SVG images that write words fail; pictures OCR reads words in, or that look like pictures of
text, are left to a reviewer."""

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
MAX_REVIEW = 10  # prompts per page: a page of product photos must not bury the report's review lane
# What OCR read counts as words (tuned on drawn text against photos and noise, which Tesseract reads as short
# fragments under 60% confidence, their few words of 5+ letters under 25%): two words of 3+ letters read at WORD_CONF
# or more, one of 5+ at ONE_WORD_CONF, or one of 5+ at NEAR_CONF that the page also writes next to the picture (its
# alt, caption or neighbours: two sources agree; styled display text reads at low confidence).
WORD_CONF = 75.0
ONE_WORD_CONF = 88.0
NEAR_CONF = 30.0
_EDGE = re.compile(r"^[\W_]+|[\W_]+$", re.UNICODE)
_LATIN = "àáâãäåæçèéêëìíîïñòóôõöøœùúûüýÿß"
_VOWEL = re.compile(r"[aeiouyàáâãäåæèéêëìíîïòóôõöøœùúûüýÿ]", re.IGNORECASE)


@check(
    id="images-of-text",
    title="Text is text, not a picture of text",
    failure_title="Images show text that should be real text",
    severity=Severity.MODERATE,
    wcag=("1.4.5",),
    personas=(Persona.LOW_VISION, Persona.COGNITIVE),
    act=("0va7u6",),
    how_to_fix="Write the words as HTML text styled with CSS (web fonts, colours, backgrounds) and keep images "
               "for photos and graphics; an SVG with text can be put inline (<svg> in the page), where its text "
               "is text.",
)
def images_of_text(page: RenderedPage) -> Iterator[Finding]:
    """What it checks: pictures that show words, which visitors cannot re-font, re-space, recolour or enlarge
    sharply as they can real text.
    - FAIL: an <img> or image button whose source is SVG markup (a data: URI, or an .svg file the page loads)
    that writes words with <text> elements and draws at most one other shape (a background or frame): the words
    are the picture. An SVG shown as an image is a picture: the reader's text size, fonts, spacing and colours
    do not reach its text.
    - Needs review: the same with more shapes drawn (the words may label a chart or an icon, which is allowed);
    a rendered, loaded <img> whose file name says it holds text ("headline", "slogan", "quote", "text", "cta"...)
    and whose alt text is words, or a wide banner (400 px or more, four or more times wider than high) whose alt
    text is a phrase of four words or more, as a text banner's alt repeats its words; an image button (<input
    type="image">, not SVG) at least one and a half times wider than high whose alt text is words, as such
    buttons usually show their label as a picture. A picture Tesseract OCR reads words in (when `tesseract` is
    installed): a rendered image, image button, <object> or SVG <image> picture, or a box with a CSS background image,
    at least 40 × 16 px, with no page text over it, whose screenshot reads as two words of three letters or more at
    75% confidence or more, one word of five letters or more at 88%, or one of five letters or more at 30% that the
    page also writes next to it (its alt text, caption or neighbours) (at most 12 pictures and 2.5 s per page).
    Words read from pixels are never failed: the picture may be a photo or a logo, where text is allowed.
    Not reported: logos and brand names (logotypes are exempt: "logo" or "brand" in the alt text, file name, ids
    or classes, or an image that links to the home page), images with empty alt (but for SVG text and words OCR
    reads), images hidden from assistive technology (but for words OCR reads) and images that did not load.
    Who it affects: low-vision visitors (text in an image blurs when zoomed and cannot be re-spaced, recoloured
    or re-fonted) and visitors with reading disabilities who use their own fonts and colours; the text is not
    translated or found by search either.
    How to fix: write the words as HTML text styled with CSS (web fonts, colours, backgrounds) and keep images
    for photos and graphics; an SVG with text can be put inline (<svg> in the page), where its text is text.
    References: WCAG 1.4.5 Images of Text; W3C ACT rule 0va7u6 (HTML images contain no text).
    """
    svg = set()
    reviews = 0
    for item in items(page, "svgtext", "svg"):
        if item.get("logo") or item.get("home"):
            continue  # a logotype
        text = " ".join(str(item.get("text") or "").split())
        if not _WORD.search(text):
            continue  # letters alone ("A", "x2") or numbers express nothing in a human language
        svg.add(item["selector"])
        what = "image button" if item.get("kind") == "button" else "image"
        if int(item.get("shapes") or 0) <= 1:
            yield finding(
                page, item,
                f"This {what} is an SVG picture of the words {quote(text)}: shown as an image, its words do not "
                "follow the text size, font, spacing or colours visitors set to read. Write the words as HTML text "
                "(or put the SVG inline in the page).",
                text=text, src=str(item.get("src") or "")[:200],
            )
        elif reviews < MAX_REVIEW:
            reviews += 1
            yield finding(
                page, item,
                f"This {what} is an SVG picture that writes {quote(text)} among {item.get('shapes')} other shapes. "
                "If the words are its main content (not the labels of a chart or icon), visitors cannot re-font or "
                "re-space them: write them as HTML text.",
                outcome=Outcome.REVIEW, text=text, shapes=item.get("shapes"), src=str(item.get("src") or "")[:200],
            )
    for item in items(page, "ocr", "images"):
        if item["selector"] in svg or reviews >= MAX_REVIEW:
            continue
        found = _read(page, item)
        if found is not None:
            svg.add(item["selector"])
            reviews += 1
            yield found
    for item in items(page, "images"):
        if item["selector"] in svg or reviews >= MAX_REVIEW:
            continue
        found = _image_button(page, item) if item.get("kind") == "button" else _raster(page, item)
        if found is not None:
            reviews += 1
            yield found


def _read(page: RenderedPage, item: dict) -> Finding | None:
    """A prompt when OCR read real words in the picture (never a failure: it may be a photo or a logo)."""
    words = [w for w in item.get("words") or () if isinstance(w, list) and len(w) == 2]
    near = {w.casefold() for w in _WORD.findall(str(item.get("near") or ""))}
    real, echoed = [], []
    for text, conf in words:
        token = _EDGE.sub("", str(text))
        letters = sum(ch.isalpha() for ch in token)
        latin = all(ch.isascii() or ch in _LATIN for ch in token.lower())
        if letters < 3 or letters < 0.8 * len(token) or (latin and not _VOWEL.search(token)):
            continue
        if float(conf) >= WORD_CONF:
            real.append((token, float(conf)))
        elif float(conf) >= NEAR_CONF and len(token) >= 5 and token.casefold() in near:
            echoed.append((token, float(conf)))
    if not (len(real) >= 2 or any(len(t) >= 5 and c >= ONE_WORD_CONF for t, c in real) or echoed):
        return None
    real += echoed
    kept = {t for t, _ in echoed}
    shown = " ".join(str(t) for t, c in words if float(c) >= 60 or _EDGE.sub("", str(t)) in kept)
    shown = shown.strip(" '\"‘’“”„|_-–—•·°:;,.")
    what = {"button": "image button", "background": "background image"}.get(str(item.get("kind")), "image")
    return finding(
        page, item,
        f"This {what} seems to show the words {quote(shown, 60)}: if it is text, write it as HTML text (WCAG 1.4.5); "
        "photos and logos are fine.",
        outcome=Outcome.REVIEW, text=shown, words=len(real), also_near=[t for t, _ in echoed] or None,
        confidence=round(sum(c for _, c in real) / len(real), 1), src=str(item.get("src") or "")[:200],
        width=item.get("width"), height=item.get("height"), read_by="ocr",
    )


def _image_button(page: RenderedPage, item: dict) -> Finding | None:
    alt = " ".join(str(item.get("alt") or "").split())
    src = str(item.get("src") or "")
    width, height = int(item.get("width") or 0), int(item.get("height") or 0)
    if not _WORD.search(alt) or _LOGO.search(alt) or _is_svg(src) or width < 32 or width < 1.5 * height:
        return None
    return finding(
        page, item,
        f"This image button may show its label {quote(alt)} as a picture ({width} × {height} px). If it does, "
        "visitors who zoom or change fonts and colours cannot read it well: use a <button> with real text.",
        outcome=Outcome.REVIEW, alt=alt, src=src[:200], width=width, height=height,
    )


def _raster(page: RenderedPage, item: dict) -> Finding | None:
    if not item.get("loaded"):
        return None  # a broken image shows its alt text as text: nothing to say
    alt = " ".join(str(item.get("alt") or "").split())
    words = _WORD.findall(alt)
    if not words or _LOGO.search(alt):
        return None
    src = str(item.get("src") or "")
    name = unquote(urlsplit(src).path.rsplit("/", 1)[-1]) if not src.startswith("data:") else ""
    if _LOGO.search(name):
        return None
    width, height = int(item.get("width") or 0), int(item.get("height") or 0)
    named = bool(name and _TEXTY_NAME.search(name.rsplit(".", 1)[0]))
    banner = width >= 400 and height > 0 and width >= 4 * height and len(words) >= 4
    if not (named or banner):
        return None
    why = f"its file name ({name})" if named else f"its banner shape ({width} × {height} px)"
    return finding(
        page, item,
        f"This image may be a picture of the text {quote(alt)} ({why} suggests so). If it is, visitors who "
        "zoom or change fonts and colours cannot read it well: use real text styled with CSS.",
        outcome=Outcome.REVIEW, alt=alt, src=src[:200], width=width, height=height,
    )


def _is_svg(src: str) -> bool:
    return src.lower().startswith("data:image/svg+xml") or urlsplit(src).path.lower().endswith((".svg", ".svgz"))
