"""frame-title: frames and iframes have an accessible name."""

from __future__ import annotations

import re
from typing import Iterator

from bs4 import Tag

from empathy_audit.audits.accname import PRESENTATIONAL_ROLES, accessible_name, attr_text, explicit_role, is_hidden
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._describe import link_target


def _negative_tabindex(el: Tag) -> bool:
    value = (attr_text(el, "tabindex") or "").strip()
    return bool(re.fullmatch(r"-\d+", value)) and int(value) < 0


@check(
    id="frame-title",
    title="Frames have a title",
    failure_title="Frames have no title",
    severity=Severity.SERIOUS,
    wcag=("4.1.2",),
    personas=(Persona.SCREEN_READER,),
    how_to_fix='Give every <iframe> a title that says what it holds, e.g. title="Map of our shop".',
    task="knowing what embedded content is",
    how={
        Persona.SCREEN_READER: "An unnamed frame: the user cannot tell whether to go in.",
    },
    roles={Persona.SCREEN_READER: "S"},  # IMPACT.md section 4
)
def frame_title(page: StaticPage) -> Iterator[Finding]:
    """What it checks: every `<iframe>` and `<frame>` has a non-blank name from `title`, `aria-label` or
    `aria-labelledby`. Frames hidden from assistive technology are skipped: `hidden`, `aria-hidden="true"`, inline
    `display:none`/`visibility:hidden` (also on an ancestor), inside <noscript> (tracking frames), and
    `role="none"`/`"presentation"` together with `tabindex="-1"` (a frame that cannot be focused or entered).
    Who it affects: screen readers announce "frame" with no name; users cannot decide whether to enter it.
    How to fix: `<iframe src="…" title="Delivery map"></iframe>`; hide purely technical frames with
    `aria-hidden="true"` and `tabindex="-1"`.
    References: WCAG 4.1.2 Name, Role, Value (technique H64); axe-core rule frame-title; ACT rule cae760.
    """
    for el in page.soup.find_all(["iframe", "frame"]):
        if is_hidden(el):
            continue
        if explicit_role(el) in PRESENTATIONAL_ROLES and _negative_tabindex(el):
            continue
        if accessible_name(el):
            continue
        src = link_target(el.get("src"))
        shows = f" showing {src}" if src else ""
        yield page.finding(
            el,
            f"Screen readers announce this {el.name}{shows} as just “frame”: it has no title, so users cannot tell "
            "what is inside without entering it.",
        )
