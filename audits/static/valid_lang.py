"""valid-lang: lang attributes on parts of a page are valid language codes."""

from __future__ import annotations

from typing import Iterator

from bs4 import NavigableString, Tag
from bs4.element import PreformattedString

from empathy_audit.audits.accname import (
    accessible_description,
    accessible_name,
    attr_text,
    inline_visibility,
    is_hidden,
    is_unrendered,
    visibility_of,
)
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._describe import shorten
from empathy_audit.audits.static.html_lang_valid import is_valid_lang


@check(
    id="valid-lang",
    title="Language changes use valid language codes",
    failure_title="Language changes use invalid language codes",
    severity=Severity.SERIOUS,
    wcag=("3.1.2",),
    personas=(Persona.SCREEN_READER,),
    how_to_fix='Use a BCP 47 tag that starts with an ISO 639 language code: lang="fr", "de-CH", "zh-Hant", "sr-Latn" '
    '(hyphens, not underscores; not "french").',
    task="hearing text in the right language",
    roles={Persona.SCREEN_READER: "S"},  # IMPACT.md section 4
    act=("de46e4",),
)
def valid_lang(page: StaticPage) -> Iterator[Finding]:
    """What it checks: each `lang` or `xml:lang` attribute on `<body>` or an element inside it (`<html>` is
    html-lang-valid's) that is not empty starts with a valid primary language subtag: an ISO 639-1 two-letter code
    or a well-formed three-letter ISO 639-2/3 code, as axe-core judges it. `lang=""` is valid (it says the language
    is unknown); a value of only spaces is not. Only an element some text takes its language from is checked (ACT
    rule de46e4's applicability): a text node that is rendered (seen, or read by screen readers) inside it and not
    inside a descendant with its own non-empty `lang`, or the accessible name or description (an image's alt text)
    of an element there. So `lang` on an empty element, on one whose text all carries its own `lang`, or on content
    hidden with `hidden`, inline `display:none` or `visibility:hidden` (or inside <template>/<noscript>) is not
    reported. Text hidden by `aria-hidden` still counts: it is seen.
    Who it affects: screen readers cannot switch to the right voice for the passage, so it is read with the
    pronunciation rules of the page's language, or not at all.
    How to fix: `<blockquote lang="fr">`, `<span lang="es-MX">`; never `lang="french"` or `lang="en_US"`.
    References: WCAG 3.1.2 Language of Parts (technique H58); BCP 47 (RFC 5646); HTML "the lang and xml:lang
    attributes"; axe-core rule valid-lang; ACT rule de46e4 (text inheriting its programmatic language).
    """
    for el in page.soup.find_all(True):
        if el.name == "html":
            continue
        for attr in ("lang", "xml:lang"):
            value = attr_text(el, attr)
            if not value or is_valid_lang(value):
                continue
            if not _in_body(el) or not has_text_in_its_language(el):
                break
            said = f"{attr}=“{shorten(value, 30)}” is not" if value.strip() else f"{attr} holds only spaces, not"
            yield page.finding(
                el,
                f"Screen readers cannot switch voice for this passage: {said} a valid language code, so it may be "
                "read with the wrong pronunciation.",
                attribute=attr,
                value=value,
            )
            break


def _in_body(el: Tag) -> bool:
    return el.name == "body" or el.find_parent("body") is not None


def has_text_in_its_language(el: Tag) -> bool:
    """True when some text takes its language from `el` (ACT's "text inheriting its programmatic language"): a
    non-blank text node inside it, not inside a descendant with its own non-empty `lang`, that is rendered and not
    `visibility:hidden` (seen, or read by screen readers: text under aria-hidden is still seen); or the accessible
    name or description of such an element that assistive technology reaches (an image's alt text)."""
    if any(is_unrendered(node) for node in (el, *el.parents) if isinstance(node, Tag) and node.name != "[document]"):
        return False
    stack: list[tuple[Tag, bool]] = [(el, visibility_of(el) != "hidden")]
    while stack:
        node, visible = stack.pop()
        if not is_hidden(node) and (accessible_name(node) or accessible_description(node)):
            return True
        for child in node.children:
            if isinstance(child, NavigableString):
                if visible and not isinstance(child, PreformattedString) and child.strip():
                    return True
            elif isinstance(child, Tag) and not is_unrendered(child) and not attr_text(child, "lang"):
                own = inline_visibility(child)
                stack.append((child, visible if own is None else own == "visible"))
    return False
