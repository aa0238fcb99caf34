"""frame-title: frames and iframes have an accessible name."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.accname import (
    PRESENTATIONAL_ROLES,
    accessible_name,
    explicit_role,
    is_hidden,
    tabindex_value,
)
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._describe import link_target


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
    act=("cae760",),
)
def frame_title(page: StaticPage) -> Iterator[Finding]:
    """What it checks: every `<iframe>` and `<frame>` that screen readers meet as a frame has a non-blank name from
    `title`, `aria-label` or `aria-labelledby`. Not checked, as in ACT rule cae760 and axe-core: frames hidden from
    assistive technology (`hidden`, `aria-hidden="true"`, inline `display:none`/`visibility:hidden`, also on an
    ancestor; inside <noscript> or <template>), frames taken out of the keyboard order with a negative `tabindex`,
    and frames marked as decorative with `role="none"` or `"presentation"`: both are authors' attempts to hide a
    frame (tracking and ad frames), and whether browsers still expose such a frame varies.
    Who it affects: screen readers announce "frame" with no name; users cannot decide whether to enter it.
    How to fix: `<iframe src="…" title="Delivery map"></iframe>`; hide purely technical frames with
    `aria-hidden="true"` and `tabindex="-1"`.
    References: WCAG 4.1.2 Name, Role, Value (technique H64); axe-core rule frame-title; ACT rule cae760.
    """
    for el in page.soup.find_all(["iframe", "frame"]):
        if is_hidden(el) or explicit_role(el) in PRESENTATIONAL_ROLES:
            continue
        tabindex = tabindex_value(el)
        if tabindex is not None and tabindex < 0:
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
