"""valid-lang: lang attributes on parts of a page are valid language codes."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.accname import attr_text, is_hidden, is_inert_container, normalise
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
)
def valid_lang(page: StaticPage) -> Iterator[Finding]:
    """What it checks: each non-blank `lang` or `xml:lang` attribute on an element other than `<html>` (that one
    is html-lang-valid's) starts with a valid primary language subtag: an ISO 639-1 two-letter code or a
    well-formed three-letter ISO 639-2/3 code, as axe-core judges it. `lang=""` is valid (it says the language
    is unknown). Hidden elements and those inside <template>/<noscript> are skipped.
    Who it affects: screen readers cannot switch to the right voice for the passage, so it is read with the
    pronunciation rules of the page's language, or not at all.
    How to fix: `<blockquote lang="fr">`, `<span lang="es-MX">`; never `lang="french"` or `lang="en_US"`.
    References: WCAG 3.1.2 Language of Parts (technique H58); BCP 47 (RFC 5646); axe-core rule valid-lang;
    ACT rule de46e4.
    """
    for el in page.soup.find_all(True):
        if el.name == "html":
            continue
        for attr in ("lang", "xml:lang"):
            value = attr_text(el, attr)
            if value is None or not normalise(value) or is_valid_lang(value):
                continue
            if is_inert_container(el) or is_hidden(el):
                break
            yield page.finding(
                el,
                f"Screen readers cannot switch voice for this passage: {attr}=“{shorten(value, 30)}” is not a valid "
                "language code, so it may be read with the wrong pronunciation.",
                attribute=attr,
                value=value,
            )
            break
