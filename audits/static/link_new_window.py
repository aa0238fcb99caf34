"""link-new-window: links that open a new window or tab say so."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.accname import accessible_name, attr_text
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._describe import link_target, shorten
from empathy_audit.audits.static._wording import description, fold, iter_links, phrase_pattern

#: Words that warn of a new window or tab, by language (matched as whole words, case and punctuation ignored).
NEW_WINDOW_PHRASES: dict[str, tuple[str, ...]] = {
    "en": ("new window", "new tab", "new browser window", "new browser tab", "opens in a new", "opens a new",
           "new-window", "popup", "pop-up", "pop up window"),
    "fr": ("nouvelle fenêtre", "nouvel onglet", "ouvre un nouvel", "ouvre une nouvelle", "fenêtre externe"),
    "de": ("neues fenster", "neuem fenster", "neuen fenster", "neuer tab", "neuen tab", "neuem tab", "neues tab",
           "neuer registerkarte", "neuen registerkarte"),
    "es": ("nueva ventana", "nueva pestaña", "otra ventana", "otra pestaña"),
    "nl": ("nieuw venster", "nieuw tabblad", "nieuwe tab", "nieuw scherm"),
    "it": ("nuova finestra", "nuova scheda", "nuova pagina del browser"),
    "pt": ("nova janela", "nova aba", "nova guia", "novo separador"),
}
_WARNS = phrase_pattern(p for phrases in NEW_WINDOW_PHRASES.values() for p in phrases)
_NO_WINDOW_SCHEMES = ("mailto:", "tel:", "sms:", "javascript:", "#")


@check(
    id="link-new-window",
    title="Links that open a new window say so",
    failure_title="Links open a new window without warning",
    severity=Severity.MINOR,
    wcag=("3.2.5",),
    personas=(Persona.SCREEN_READER, Persona.COGNITIVE, Persona.LOW_VISION),
    best_practice=True,
    how_to_fix='Say it in the link: visible "(opens in a new tab)", visually hidden text, an icon with '
    'alt="opens in a new tab", or aria-describedby pointing at such a text; or let the link open in the same tab.',
)
def link_new_window(page: StaticPage) -> Iterator[Finding]:
    """What it checks: links (`<a href>`, `<area href>`) with `target="_blank"` whose accessible name and
    description (visible or visually hidden text, alt text of an icon inside, `aria-label`, `aria-describedby`,
    `title`) do not mention a new window or tab in any of the languages in NEW_WINDOW_PHRASES. Links with a
    `download` attribute (they do not open a window), mailto:/tel: links and hidden links are skipped. Named
    targets other than _blank are not judged: they may reuse a window or frame.
    Who it affects: screen-reader and screen-magnifier users do not notice the new window and find the Back
    button dead; visitors with cognitive disabilities lose their place.
    How to fix: `<a href="https://partner.example" target="_blank">Partner site<span class="visually-hidden">
    (opens in a new tab)</span></a>`, or drop `target="_blank"`.
    References: best practice at level AA; a failure of WCAG 3.2.5 Change on Request at level AAA (techniques H83
    and G201); WebAIM "Links and Hypertext".
    """
    for el in iter_links(page):
        if el.name not in ("a", "area"):
            continue
        if (attr_text(el, "target") or "").strip().lower() != "_blank" or el.has_attr("download"):
            continue
        href = (attr_text(el, "href") or "").strip().lower()
        if href.startswith(_NO_WINDOW_SCHEMES):
            continue
        name = accessible_name(el)
        if _WARNS.search(fold(f"{name} {description(el)}")):
            continue
        target = link_target(attr_text(el, "href"))
        yield page.finding(
            el,
            f"The link “{shorten(name, 60) or target}” opens a new window or tab without saying so: the Back "
            "button stops working and screen-reader users may not notice they changed window.",
            name=name,
        )
