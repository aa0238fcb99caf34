"""area-alt: clickable areas of image maps have a text alternative."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.accname import accessible_name, is_hidden
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._describe import link_target


@check(
    id="area-alt",
    title="Image-map areas have a text alternative",
    failure_title="Image-map areas have no text alternative",
    severity=Severity.CRITICAL,
    wcag=("2.4.4", "4.1.2"),
    personas=(Persona.SCREEN_READER,),
    how_to_fix="Give every <area href> of an image map an alt attribute that says where the link goes.",
    task="choosing image-map links",
    how={
        Persona.SCREEN_READER: "The image-map hotspot is a link with no name.",
    },
)
def area_alt(page: StaticPage) -> Iterator[Finding]:
    """What it checks: every `<area>` with an `href` (a link inside an image map) has a non-blank name from `alt`,
    `aria-label`, `aria-labelledby` or `title`. Areas without `href` are not links and are skipped.
    Who it affects: screen readers announce the hotspot as a link with no name, or read its URL.
    How to fix: add `alt` text naming the destination of each area, e.g. `alt="Northern region"`.
    References: WCAG 1.1.1, 2.4.4 Link Purpose (In Context), 4.1.2 Name, Role, Value (technique H24);
    axe-core rule area-alt.
    """
    for area in page.soup.find_all("area", href=True):
        if is_hidden(area) or accessible_name(area):
            continue
        target = link_target(area.get("href"))
        yield page.finding(
            area,
            f"Screen readers announce this image-map hotspot as a link with no name (it goes to {target}): "
            "it has no alt text.",
        )
