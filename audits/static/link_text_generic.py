"""link-text-generic: a link's accessible name says where it goes, not just "click here" or "read more"."""

from __future__ import annotations

import re
from typing import Iterator

from bs4 import Tag

from empathy_audit.audits.accname import accessible_name, attr_text
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Outcome, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._describe import link_target, shorten
from empathy_audit.audits.static._wording import (
    context_text,
    description,
    fold,
    heading_in_same_block,
    iter_links,
    row_context,
    words,
)

#: Link names that say nothing out of context, by language. Matched against the whole accessible name, folded
#: (case, punctuation, arrows and ellipses ignored): "Read more »" matches, "Read more about roasting" does not.
#: Extend it for other languages; every list is used on every page, whatever its lang.
GENERIC_LINK_NAMES: dict[str, tuple[str, ...]] = {
    "en": (
        "click here", "click", "here", "click this", "tap here", "press here", "go here", "this", "this link",
        "this page", "link", "read more", "more", "learn more", "find out more", "more info", "more information",
        "see more", "view more", "show more", "details", "more details", "view details", "see details", "info",
        "continue reading", "keep reading", "read on", "read the rest", "full story", "read full story",
        "download", "download here", "go", "view", "see", "visit",
    ),
    "fr": (
        "cliquez ici", "cliquer ici", "ici", "lien", "ce lien", "lire la suite", "la suite", "suite", "lire plus",
        "en savoir plus", "en lire plus", "voir plus", "plus", "plus d'infos", "plus d'informations", "détails",
        "voir les détails", "continuer la lecture", "télécharger", "voir",
    ),
    "de": (
        "hier klicken", "klicken sie hier", "klick hier", "hier", "link", "dieser link", "mehr", "weiterlesen",
        "weiter lesen", "mehr lesen", "mehr erfahren", "mehr dazu", "mehr infos", "mehr informationen", "details",
        "zum artikel", "herunterladen", "download",
    ),
    "es": (
        "haga clic aquí", "haz clic aquí", "clic aquí", "pulse aquí", "pincha aquí", "aquí", "enlace", "este enlace",
        "leer más", "más", "ver más", "saber más", "más información", "más info", "detalles", "ver detalles",
        "seguir leyendo", "descargar",
    ),
    "nl": (
        "klik hier", "hier", "link", "deze link", "lees meer", "meer", "meer lezen", "lees verder", "verder lezen",
        "meer info", "meer informatie", "bekijk meer", "details", "downloaden",
    ),
    "it": (
        "clicca qui", "fai clic qui", "clicca", "qui", "link", "questo link", "leggi di più", "leggi tutto", "leggi",
        "di più", "altro", "scopri di più", "scopri", "maggiori informazioni", "più informazioni", "dettagli",
        "continua a leggere", "scarica",
    ),
    "pt": (
        "clique aqui", "clica aqui", "aqui", "link", "este link", "leia mais", "ler mais", "saiba mais", "mais",
        "ver mais", "mais informações", "mais info", "detalhes", "continue lendo", "continuar a ler", "baixar",
        "transferir",
    ),
}

_GENERIC: frozenset[str] = frozenset(fold(p) for phrases in GENERIC_LINK_NAMES.values() for p in phrases)
_URL = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.)\S+$", re.IGNORECASE)


def generic_kind(name: str) -> str | None:
    """'generic' when the folded name is in GENERIC_LINK_NAMES, 'url' when it is a web address with a path or
    query (a bare domain does say where the link goes), else None."""
    folded = fold(name)
    if not folded:
        return None
    if folded in _GENERIC:
        return "generic"
    raw = name.strip()
    if _URL.match(raw):
        rest = re.sub(r"^(?:[a-z][a-z0-9+.-]*://)?[^/?#]+", "", raw, flags=re.IGNORECASE)
        if rest.strip("/"):
            return "url"
    return None


@check(
    id="link-text-generic",
    title="Link names say where the link goes",
    failure_title="Link names say nothing out of context",
    severity=Severity.MODERATE,
    wcag=("2.4.4",),
    personas=(Persona.SCREEN_READER, Persona.COGNITIVE, Persona.MOTOR),
    how_to_fix='Write link text that names the destination ("Read our pour-over guide"), or add the missing words '
    'as visually hidden text inside the link or an aria-label that starts with the visible words.',
)
def link_text_generic(page: StaticPage) -> Iterator[Finding]:
    """What it checks: links (`<a href>`, `<area href>`, `role="link"`) whose accessible name, not just their
    visible text, is one of a configurable multilingual list of phrases that say nothing on their own
    (GENERIC_LINK_NAMES: "click here", "read more", "more", "here", "learn more", "lire la suite", "mehr",
    "leer más", "lees meer", "leggi di più", "saiba mais"...), or a bare web address with a path. A link whose
    name is made specific by visually hidden text, `aria-label` or `aria-labelledby` passes. Links that open a
    menu (`aria-expanded`, `aria-haspopup`) are skipped. A link with no context at all (alone in its paragraph,
    list item or cell, no description, no heading in the same card or section) is a failure of 2.4.4; when such
    context exists (the surrounding sentence, the other cells of its table row, the preceding heading of its
    card, `aria-describedby`) the link
    passes 2.4.4 but still says nothing in a list of links or to voice control (2.4.9 Link Purpose, Link Only),
    and is reported as needs review with that context as evidence.
    Who it affects: screen-reader users who list or tab through links hear "read more, read more, read more";
    voice-control users cannot say which "more" they mean; visitors with cognitive disabilities must read around
    the link to guess where it goes.
    How to fix: `<a href="/blog/pour-over">Read more<span class="visually-hidden"> about brewing pour-over</span></a>`,
    or make the headline itself the link.
    References: WCAG 2.4.4 Link Purpose (In Context) and 2.4.9 Link Purpose (Link Only) (techniques H30, H77,
    H78, H79, H80, ARIA7, ARIA8, C7; failure F84 for "click here" and "more" links without context); accname 1.2.
    """
    for el in iter_links(page):
        if el.has_attr("aria-expanded") or el.has_attr("aria-haspopup"):
            continue
        name = accessible_name(el)
        kind = generic_kind(name)
        if kind is None:
            continue
        evidence = _context(el)
        what = "a web address" if kind == "url" else f"“{shorten(name, 60)}”"
        target = link_target(attr_text(el, "href"))
        where = f" (it goes to {target})" if target else ""
        if evidence:
            yield page.finding(
                el,
                f"Out of context this link only says {what}{where}. {evidence} gives it a meaning where it "
                "stands, but in a list of links or to voice control it says nothing: check whether the link "
                "text can name its destination.",
                outcome=Outcome.REVIEW,
                name=name,
                context=evidence,
            )
        else:
            yield page.finding(
                el,
                f"Screen-reader and voice-control users meet a link that only says {what}{where}, with no "
                "surrounding sentence or heading to say where it goes.",
                name=name,
            )


def _context(el: Tag) -> str:
    """A short statement of the context that gives the link its meaning, or "" when there is none."""
    desc = description(el)
    if desc:
        return f"Its description “{shorten(desc, 60)}”"
    around = context_text(el)
    if len(words(around)) >= 2:
        return f"The surrounding text “{shorten(around, 60)}”"
    row_text = row_context(el)
    if row_text:
        return f"Its table row (“{shorten(row_text, 60)}”)"
    heading = heading_in_same_block(el)
    if heading is not None:
        text = accessible_name(heading)
        if text:
            return f"The heading “{shorten(text, 60)}” before it"
    return ""
