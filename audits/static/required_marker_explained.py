"""required-marker-explained: an asterisk marking required fields is explained on the page."""

from __future__ import annotations

import re
from typing import Iterator

from bs4 import Tag
from bs4.element import PreformattedString

from empathy_audit.audits.accname import NOT_RENDERED_ELEMENTS, attr_text, idrefs, is_hidden, labels_of, normalise
from empathy_audit.audits.artifacts import StaticPage, find_all_within
from empathy_audit.audits.model import Finding, Outcome, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._wording import fold, form_owner

_ASTERISKS = "*＊✱∗"
#: Words that explain what an asterisk means, by language ("required", "obligatoire", "Pflichtfeld"...).
REQUIRED_WORDS: tuple[str, ...] = (
    "required", "mandatory", "must be filled", "must be completed", "obligatoire", "obligatoires", "requis",
    "pflichtfeld", "pflichtfelder", "pflichtangabe", "pflichtangaben", "erforderlich", "obligatorio",
    "obligatorios", "obligatoria", "obligatorias", "requerido", "requeridos", "verplicht", "verplichte",
    "obbligatorio", "obbligatori", "obbligatoria", "obbligatorie", "richiesto", "obrigatório", "obrigatórios",
    "obrigatória", "obrigatórias",
    # beyond the seven core languages: Russian, Polish, Swedish/Danish/Norwegian (stems)
    "обязательн", "wymagan", "obowiązkow", "obligatorisk", "påkrævet", "påkrevd",
)
_REQUIRED = re.compile("|".join(re.escape(w) for w in REQUIRED_WORDS))
_NEAR = 80  # characters between the asterisk and the explaining word
_FIELDS = ("input", "select", "textarea")


def _explains(text: str) -> bool:
    """True when `text` has an asterisk and a word for "required" within _NEAR characters of each other."""
    lowered = text.lower()
    for match in re.finditer(f"[{re.escape(_ASTERISKS)}]", lowered):
        window = lowered[max(0, match.start() - _NEAR): match.end() + _NEAR]
        if _REQUIRED.search(window):
            return True
    return False


def sighted_text(el: Tag) -> str:
    """The text a sighted visitor sees in `el`: like visible_text, but aria-hidden parts count (an asterisk is
    often hidden from screen readers, yet seen)."""
    parts: list[str] = []
    for node in el.find_all(string=True):
        if isinstance(node, PreformattedString):
            continue
        if _unseen(node.parent):
            continue
        parts.append(str(node))
    return normalise(" ".join(parts))


def _unseen(el: Tag | None) -> bool:
    """`el` or an ancestor is not rendered, `hidden` or display:none; remembered on each element on the way up."""
    chain: list[Tag] = []
    node = el
    verdict = False
    while isinstance(node, Tag):
        known = node.__dict__.get("_ea_unseen")
        if known is not None:
            verdict = known
            break
        if node.name in NOT_RENDERED_ELEMENTS or node.has_attr("hidden") or _display_none(node):
            verdict = True
            chain.append(node)
            break
        chain.append(node)
        node = node.parent
    # Every element walked shares the verdict of the first hidden one above it, or of the first remembered one.
    # Only the elements below a hidden one (and the hidden one itself) are hidden; a visible one above is not here.
    for n in chain:
        n.__dict__["_ea_unseen"] = verdict
    return verdict


def _display_none(el: Tag) -> bool:
    style = (attr_text(el, "style") or "").replace(" ", "").lower()
    return "display:none" in style or (el.name == "input" and (attr_text(el, "type") or "").lower() == "hidden")


def _marked_label(field: Tag) -> Tag | None:
    """The label (or aria-labelledby target) of `field` whose visible text carries an asterisk, if any."""
    sources = [*labels_of(field), *idrefs(field, "aria-labelledby")]
    for source in sources:
        text = sighted_text(source)
        if any(ch in text for ch in _ASTERISKS):
            return source
    return None


def _named_marker(label: Tag) -> bool:
    """The asterisk itself carries words: <abbr title="required">*</abbr>, aria-label="required"."""
    for el in label.find_all(True):
        if any(ch in el.get_text() for ch in _ASTERISKS):
            words = f"{attr_text(el, 'title') or ''} {attr_text(el, 'aria-label') or ''}"
            if _REQUIRED.search(fold(words)):
                return True
    return False


@check(
    id="required-marker-explained",
    title="Asterisks marking required fields are explained",
    failure_title="Asterisks mark required fields without explanation",
    severity=Severity.MINOR,
    wcag=("3.3.2",),
    personas=(Persona.COGNITIVE, Persona.SCREEN_READER, Persona.LOW_VISION),
    how_to_fix='Say what the asterisk means before the form ("Fields marked * are required"), or write '
    '"(required)" in each label; also mark the fields required or aria-required="true".',
)
def required_marker_explained(page: StaticPage) -> Iterator[Finding]:
    """What it checks: forms whose field labels carry an asterisk (*) while nothing on the page says what it
    means: no text with an asterisk and a word for "required" close together ("Fields marked * are required",
    "* Pflichtfeld", "Los campos marcados con * son obligatorios"), no such word in the label, and no `title` or
    `aria-label` on the asterisk itself. One finding per form, on the form (or on the first marked field when
    it has no form). Reported as needs review: the asterisk convention is widely, but not universally,
    understood, and an explanation may sit in an image or be added by a script.
    Who it affects: visitors with cognitive disabilities or unfamiliar with the convention do not know which
    fields they must fill in; screen readers read "star" (or nothing, when the asterisk is hidden from them).
    How to fix: `<p>Fields marked <span aria-hidden="true">*</span><span class="visually-hidden">with an
    asterisk</span> are required.</p>` before the form, and `required` on each such field.
    References: WCAG 3.3.2 Labels or Instructions (techniques H90 and G83); W3C WAI Forms Tutorial "Labeling
    Controls: Required fields".
    """
    body = page.soup.body or page.soup
    explained: bool | None = None  # worked out at the first marked label: most pages have none
    reported: set[int] = set()
    for field in find_all_within(body, _FIELDS):
        if is_hidden(field):
            continue
        label = _marked_label(field)
        if label is None:
            continue
        if explained is None:
            explained = _explains(sighted_text(body))
        if explained:
            return
        if _explains(sighted_text(label)) or _REQUIRED.search(fold(sighted_text(label))) or _named_marker(label):
            continue
        form = form_owner(field)
        key = id(form) if form is not None else id(field)
        if key in reported:
            continue
        reported.add(key)
        yield page.finding(
            form if form is not None else field,
            "Labels in this form carry an asterisk (*) but nothing on the page says what it means: check that "
            "visitors are told the marked fields are required.",
            outcome=Outcome.REVIEW,
        )
