"""Shared reading of the "forms" probe (audits.gather.forms) for the form-error checks."""

from __future__ import annotations

import re
from typing import Any, Iterator

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.model import Finding, Outcome, Severity

MAX_MESSAGE_CHARS = 400  # longer blocks that appear are content (a next step, a panel), not an error message
# How a message can reach the field's name or description ("same-text": its words are there through another element,
# such as a visually hidden copy referenced by aria-describedby).
TIES = ("aria-describedby", "aria-errormessage", "aria-labelledby", "label", "legend", "same-text")


def tried_forms(page: RenderedPage) -> Iterator[dict[str, Any]]:
    """Forms whose empty submission the page itself stopped (client-side validation), with their probe data.

    Left out: forms the probe could not try, forms the page let through to the server (the submit event was not
    cancelled by the page, or it tried fetch/XHR/beacon...: validation happens on the server, which we never reach),
    forms whose only submit button is disabled, and forms that navigated.
    """
    data = page.probe("forms")
    if not data:
        return
    for form in data.get("forms") or []:
        if not isinstance(form, dict) or form.get("error") or form.get("click_error") or form.get("submitter_disabled"):
            continue
        if form.get("sent") or form.get("navs"):
            continue
        if form.get("submit_event") and not form.get("page_prevented"):
            continue
        yield form


def message_texts(form: dict[str, Any]) -> list[dict[str, Any]]:
    """Text that appeared after the submit and can be an error message: short, without fields, by the form or
    announced (changes elsewhere on the page, such as a rotating banner, are left out)."""
    out = []
    for m in form.get("messages") or []:
        if not m.get("text") or m.get("has_fields") or (m.get("length") or 0) > MAX_MESSAGE_CHARS:
            continue
        if not (m.get("in_form") or m.get("near_form") or m.get("live") or m.get("focused")):
            continue
        out.append(m)
    return out


def any_text(form: dict[str, Any]) -> list[str]:
    """All short text that appeared anywhere on the page after the submit (tooltips appended to the body included),
    and alert() text."""
    out = [m["text"] for m in form.get("messages") or []
           if m.get("text") and not m.get("has_fields") and (m.get("length") or 0) <= MAX_MESSAGE_CHARS]
    return out + [str(a) for a in form.get("alerts") or []]


def announced(m: dict[str, Any]) -> bool:
    """The message reaches a screen reader when it shows: in an alert or a live region that was already on the
    page, focused (an error summary that takes focus), or its text is part of such an announcement."""
    live = m.get("live") or {}
    return bool(m.get("focused") or m.get("in_announcement") or live.get("kind") == "alert" or live.get("existed"))


def finding(
    page: RenderedPage, selector: str, snippet: str, message: str, outcome: Outcome = Outcome.FAIL, **data: Any
) -> Finding:
    return Finding(
        check_id="",
        url=page.url,
        selector=selector,
        snippet=snippet,
        message=message,
        severity=Severity.MINOR,  # the runner fills in the check's severity
        outcome=outcome,
        data=dict(data),
    )


def quote(text: str, limit: int = 80) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def names(name: str, texts: list[str]) -> bool:
    """One of the texts mentions the field's name as whole words (case-insensitive)."""
    name = " ".join(name.split()).strip(" *:").lower()
    if len(name) < 2:
        return False
    pattern = re.compile(rf"(?<!\w){re.escape(name)}(?!\w)")
    return any(pattern.search(" ".join(str(t).split()).lower()) for t in texts)
