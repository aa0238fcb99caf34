"""svg-img-alt: SVG graphics exposed as images (role img, graphics-document, graphics-symbol) have a name."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.accname import accessible_name, attr_text, explicit_role, in_svg, is_hidden, normalise
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check

_IMAGE_ROLES = ("img", "graphics-symbol")


@check(
    id="svg-img-alt",
    title="SVG images have a text alternative",
    failure_title="SVG images have no text alternative",
    severity=Severity.SERIOUS,
    wcag=("1.1.1",),
    personas=(Persona.SCREEN_READER,),
    how_to_fix='Give <svg role="img"> a <title> as its first child, or an aria-label; '
    'use aria-hidden="true" instead when the graphic is decoration.',
    task="understanding images",
    how={
        Persona.SCREEN_READER: 'The icon or graphic is announced as "image" and nothing else.',
    },
)
def svg_img_alt(page: StaticPage) -> Iterator[Finding]:
    """What it checks: SVG elements whose role is `img` or `graphics-symbol`, and `<svg role="graphics-document">`,
    have a non-blank name from `aria-labelledby`, `aria-label`, a `<title>` child or a `title` attribute. Text
    drawn inside the graphic does not name an image (its children are presentational). Hidden graphics
    (`aria-hidden="true"` and the like) are skipped.
    Who it affects: screen readers announce "image" with no name, or nothing at all, for icons, logos and charts.
    How to fix: `<svg role="img" aria-labelledby="t1"><title id="t1">Sales by month</title>…</svg>`, or
    `aria-label`; for a decorative icon use `aria-hidden="true"` and no role.
    References: WCAG 1.1.1 Non-text Content; SVG-AAM name computation; axe-core rule svg-img-alt; ACT rule 7d6734.
    """
    for el in page.soup.find_all(True):
        role = explicit_role(el)  # before in_svg(): most elements have no role attribute, and in_svg walks up
        if not (role in _IMAGE_ROLES or (role == "graphics-document" and el.name == "svg")):
            continue
        if not in_svg(el):
            continue
        if is_hidden(el):
            continue
        if accessible_name(el) or normalise(attr_text(el, "title")):
            continue
        yield page.finding(
            el,
            f"Screen readers announce this graphic as an image with no name (role “{role}”): "
            "it has no <title>, aria-label or aria-labelledby.",
        )
