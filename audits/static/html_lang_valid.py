"""html-lang-valid: the language declared on <html> is a valid BCP 47 language tag."""

from __future__ import annotations

import re
from typing import Iterator

from empathy_audit.audits.accname import attr_text, normalise
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._describe import shorten

#: ISO 639-1 two-letter codes (all 183, plus "bh", and the deprecated in/iw/ji/jw/mo still in the IANA registry).
ISO_639_1: frozenset[str] = frozenset(
    """
    aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en
    eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv
    ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne
    ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st
    su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
    in iw ji jw mo sh
    """.split()
)

_PRIMARY_3 = re.compile(r"^[a-z]{3}$")


def primary_subtag(tag: str) -> str:
    """The part before the first hyphen, trimmed and lower-cased (what screen readers pick a voice by)."""
    return tag.strip().split("-", 1)[0].lower()


def is_valid_lang(tag: str) -> bool:
    """True when the primary language subtag is an ISO 639-1 code or a well-formed three-letter ISO 639-2/3 code."""
    primary = primary_subtag(tag)
    return primary in ISO_639_1 or bool(_PRIMARY_3.match(primary))


@check(
    id="html-lang-valid",
    title="The page's language code is valid",
    failure_title="The page's language code is not valid",
    severity=Severity.SERIOUS,
    wcag=("3.1.1",),
    personas=(Persona.SCREEN_READER,),
    how_to_fix='Use a BCP 47 language tag starting with an ISO 639 code: lang="en", "en-GB", "fr-CA", "zh-Hans" '
    '(hyphens, not underscores; not "english").',
    task="hearing text in the right language",
    how={
        Persona.SCREEN_READER: "The language given is not a real language code, so the voice may be wrong.",
    },
)
def html_lang_valid(page: StaticPage) -> Iterator[Finding]:
    """What it checks: each non-blank `lang` or `xml:lang` on `<html>` starts with a valid primary language subtag:
    an ISO 639-1 two-letter code (list embedded) or a well-formed three-letter ISO 639-2/3 code. Like axe-core, only
    the primary subtag (the part before the first "-") is judged, because that is what screen readers choose a voice
    by; so "en_US" fails (BCP 47 separates subtags with hyphens: its primary subtag would be "en_us"), "english" and
    "x-default" fail, while "en-GB", "zh-Hant-TW" and "EN" pass. Private-use and grandfathered tags ("x-…", "i-…")
    fail: they name no language a screen reader knows. Blank values are html-has-lang's job.
    Who it affects: screen readers fall back to the user's default voice or refuse to switch, so the page is
    mispronounced.
    How to fix: `<html lang="en-GB">`; use hyphens, lower-case language and the two-letter code when one exists.
    References: WCAG 3.1.1 Language of Page (H57); BCP 47 (RFC 5646) section 2.1; ISO 639-1; axe-core rule
    html-lang-valid; ACT rule bf051a.
    """
    html = page.soup.find("html")
    if html is None:
        return
    for attr in ("lang", "xml:lang"):
        value = attr_text(html, attr)
        if value is None or not normalise(value):
            continue
        if is_valid_lang(value):
            continue
        yield page.finding(
            html,
            f"Screen readers cannot tell which voice to use: {attr}=“{shorten(value, 40)}” is not a valid "
            "language code, so the page may be read with the wrong pronunciation.",
            attribute=attr,
            value=value,
        )
        return
