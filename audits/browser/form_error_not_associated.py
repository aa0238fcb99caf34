"""form-error-not-associated: error messages shown after a submit are tied to their fields or announced."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.browser._forms import TIES, announced, finding, message_texts, names, quote, tried_forms
from empathy_audit.audits.model import Finding, Outcome, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="form-error-not-associated",
    title="Form error messages are tied to their fields or announced",
    failure_title="Form error messages are shown but not tied to their fields",
    severity=Severity.SERIOUS,
    wcag=("1.3.1", "3.3.1", "4.1.2", "4.1.3"),
    personas=(Persona.SCREEN_READER, Persona.LOW_VISION, Persona.COGNITIVE),
    how_to_fix='Reference each error message from its field with aria-describedby (or aria-errormessage) and set '
               'aria-invalid="true" on the field; announce a summary with role="alert" or move focus to it.',
)
def form_error_not_associated(page: RenderedPage) -> Iterator[Finding]:
    """What it checks: runs only with --try-forms. Each form the page validates itself is submitted empty in
    Chromium (nothing is sent: the submission, fetch, XHR, beacons and, through DevTools, the whole network are
    blocked). Text that then appears next to one field, or inside a fieldset / role="group" of several fields, must
    be tied to it: referenced by the field's (or its group's) aria-describedby, by aria-errormessage while
    aria-invalid="true", inside its label or legend, or its words already in the field's name or description (a
    visually hidden copy); or be announced: inside role="alert", inside a live region
    that was already on the page, part of the text of such an announcement, or of an error summary that takes
    focus. Otherwise the field FAILs; so does aria-errormessage on a field left without aria-invalid="true". The
    browser's own validation bubble (required, pattern... without novalidate) is accessible by itself and is never
    flagged; forms the page lets through to the server are not judged.
    Needs review: a message announced only through a live region created at the same moment (screen readers often
    miss those); a message that only follows the field in the same container (it may be about the whole form); an
    untied message when an announced summary names the field; a custom message next to a field that also got the
    browser's bubble; text that appeared in or by the form without belonging to one field and without being
    announced (a general error banner).
    Who it affects: screen-reader users on the field hear its label but not the error, so they cannot tell what
    went wrong; magnifier users may not see text that is not next to the field.
    How to fix: give the message an id, add it to the field's aria-describedby and set aria-invalid="true"; show a
    summary of the errors in role="alert" or move focus to it.
    References: WCAG 3.3.1 Error Identification, 1.3.1 Info and Relationships, 4.1.2 Name, Role, Value, 4.1.3
    Status Messages; techniques ARIA19, ARIA21, G83; failure F103 (status messages not announced).
    Limits: <form> elements only (not shadow DOM, not iframes), at most 5 per page, within 5 s; forms validated only
    on the server are not tested.
    """
    for form in tried_forms(page):
        fields = {f.get("selector"): f for f in form.get("fields") or []}
        bubbles = {s for s, f in fields.items() if f.get("native_bubble")}
        by_field: dict[str, list[dict]] = {}
        for m in message_texts(form):
            if m.get("field"):
                by_field.setdefault(m["field"], []).append(m)
            elif not announced(m) and (m.get("in_form") or m.get("near_form")):
                yield finding(
                    page, m["selector"], m.get("snippet") or "",
                    f'After an empty submit the text "{quote(m["text"])}" appears by the form, but it is not announced '
                    "and not tied to a field, so screen-reader users may never hear it. If it is an error, put it in "
                    'role="alert" or move focus to it, and tie each field\'s own message to the field.',
                    Outcome.REVIEW, text=m["text"], form=form.get("selector"),
                )
        for sel, msgs in by_field.items():
            if any(m.get("tie") in TIES or announced(m) for m in msgs):
                continue
            msgs.sort(key=lambda m: m.get("assigned_by") == "sibling")  # a message in the field's own group first
            field = fields.get(sel) or {}
            m = msgs[0]
            group = not field  # a fieldset or role=group of several fields
            name = quote(field.get("name") or m.get("field_name") or "", 50)
            noun = "group" if group else "field"
            label = f'the {noun} "{name}"' if name else f"this {noun}"
            data = {"text": m["text"], "message_selector": m["selector"], "form": form.get("selector"),
                    "tie": m.get("tie"), "assigned_by": m.get("assigned_by")}
            snippet = field.get("snippet") or m.get("field_snippet") or ""
            if m.get("assigned_by") == "sibling":
                yield finding(
                    page, sel, snippet,
                    f'After an empty submit the text "{quote(m["text"])}" appears right after {label} and is not tied '
                    "to it nor announced. If it is this field's error, reference it with aria-describedby and set "
                    'aria-invalid="true"; if it is about the whole form, put it in role="alert".',
                    Outcome.REVIEW, **data,
                )
            elif sel in bubbles:
                yield finding(
                    page, sel, snippet,
                    f'After an empty submit the browser shows its own message for {label}, and the page also shows '
                    f'"{quote(m["text"])}" next to it without tying it to the field. Check that both say the same, or '
                    'reference the page\'s message with aria-describedby.',
                    Outcome.REVIEW, **data,
                )
            elif m.get("live"):
                yield finding(
                    page, sel, snippet,
                    f'After an empty submit the error "{quote(m["text"])}" appears next to {label} in a live region '
                    "created at the same moment, which screen readers often do not announce, and it is not tied to "
                    "the field. Reference it from the field with aria-describedby and set aria-invalid=\"true\".",
                    Outcome.REVIEW, **data,
                )
            elif names(field.get("name") or "", form.get("announced") or []):
                yield finding(
                    page, sel, snippet,
                    f"After an empty submit an announced summary names {label}, but the error "
                    f'"{quote(m["text"])}" next to the field is not tied to it, so screen-reader users on the field do '
                    'not hear it. Reference it from the field with aria-describedby and set aria-invalid="true".',
                    Outcome.REVIEW, **data,
                )
            elif m.get("tie") == "aria-errormessage-unexposed":
                yield finding(
                    page, sel, snippet,
                    f'After an empty submit the error "{quote(m["text"])}" is linked to {label} with '
                    'aria-errormessage, but the field is not aria-invalid="true", so screen readers ignore the link. '
                    'Set aria-invalid="true" on the field while the error shows.',
                    **data,
                )
            else:
                yield finding(
                    page, sel, snippet,
                    f'After an empty submit the error "{quote(m["text"])}" appears next to {label}, but it is not tied '
                    "to the field nor announced: screen-reader users on the field do not hear it. Reference it from "
                    'the field with aria-describedby and set aria-invalid="true".',
                    **data,
                )
