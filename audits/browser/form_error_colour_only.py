"""form-error-colour-only: a field in error after a submit is not marked only by colour or border."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.browser._forms import any_text, finding, message_texts, names, quote, tried_forms
from empathy_audit.audits.model import Finding, Outcome, Persona, Severity
from empathy_audit.audits.registry import check


def _in_error(field: dict) -> bool:
    value = (field.get("aria_invalid") or "").strip().lower()
    return (value not in ("", "false")) or field.get("valid") is False or bool(field.get("error_class"))


@check(
    id="form-error-colour-only",
    title="Fields in error are identified in text",
    failure_title="Fields in error are marked only by colour or border",
    severity=Severity.SERIOUS,
    wcag=("3.3.1", "1.4.1"),
    personas=(Persona.COLOUR_VISION, Persona.SCREEN_READER, Persona.LOW_VISION, Persona.COGNITIVE),
    how_to_fix="Show a text message that names the problem next to each field in error (tied to it with "
               'aria-describedby, with aria-invalid="true"), not only a red border or background.',
)
def form_error_colour_only(page: RenderedPage) -> Iterator[Finding]:
    """What it checks: runs only with --try-forms. After each form the page validates itself is submitted empty
    (nothing is sent), a field whose look changed (border, outline, background, shadow, text or label colour) and
    that is in error (aria-invalid, failing its constraints, or an error class added) must get error text: a
    message next to it (or in its fieldset), or a general message or alert() that names it. A change of look with
    no error text anywhere FAILs. Needs review: a general message appeared (for example "Please fix the fields in
    red") that does not name the field. Fields the browser's own validation bubble reports are never flagged, nor
    fields that only turn "valid" (green, no error state); styles are compared with no field focused.
    Who it affects: visitors who do not see the colour (colour-vision deficiency, screen readers, high-contrast
    modes) do not learn that the field is wrong nor what to change.
    How to fix: add a text message to each field in error, tied with aria-describedby, and set aria-invalid="true".
    References: WCAG 3.3.1 Error Identification, 1.4.1 Use of Color; technique G83, failure F81.
    Limits: <form> elements only, at most 5 per page, within 5 s; forms validated only on the server are not tested.
    """
    for form in tried_forms(page):
        texts = message_texts(form)
        own = {m["field"] for m in texts if m.get("field")}
        own_texts = {m["text"] for m in texts if m.get("field")}
        general = [t for t in any_text(form) if t not in own_texts]
        for field in form.get("fields") or []:
            sel = field.get("selector")
            if not sel or not field.get("visible") or field.get("native_bubble"):
                continue
            if sel in own or field.get("group") in own:  # its own message: form-error-not-associated's business
                continue
            if not (field.get("style_changed") or field.get("label_color_changed")) or not _in_error(field):
                continue
            name = quote(field.get("name") or "", 50)
            label = f'the field "{name}"' if name else "this field"
            data = {"changed": field.get("style_changed"), "aria_invalid": field.get("aria_invalid"),
                    "form": form.get("selector")}
            if field.get("css_text"):
                yield finding(
                    page, sel, field.get("snippet") or "",
                    f"After an empty submit {label} changes colour and the only text near it is written by CSS "
                    f'("{quote(field["css_text"], 40)}"). Check that it describes the error; text in the HTML, tied '
                    'with aria-describedby, reaches more people.',
                    Outcome.REVIEW, css_text=field["css_text"], **data,
                )
            elif general:
                if names(field.get("name") or "", general):
                    continue
                yield finding(
                    page, sel, field.get("snippet") or "",
                    f"After an empty submit {label} changes colour and a general message appears "
                    f'("{quote(general[0], 60)}") that does not name it. Check that visitors who cannot see the colour '
                    "learn this field is in error; a text message next to it is clearer.",
                    Outcome.REVIEW, general=general[:3], **data,
                )
            else:
                yield finding(
                    page, sel, field.get("snippet") or "",
                    f"After an empty submit {label} is marked in error only by its look (colour, border or an icon), "
                    "with no text: visitors who cannot see the colour do not learn what is wrong. Show a message next "
                    'to it and tie it with aria-describedby and aria-invalid="true".',
                    **data,
                )
