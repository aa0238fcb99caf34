"""role-img-alt: HTML elements given role="img" have a name."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.accname import accessible_name, explicit_role, in_svg, is_hidden
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check

_NATIVE_IMAGES = ("img", "area", "input", "object")


@check(
    id="role-img-alt",
    title='Elements with role="img" have a text alternative',
    failure_title='Elements with role="img" have no text alternative',
    severity=Severity.SERIOUS,
    wcag=("1.1.1",),
    personas=(Persona.SCREEN_READER,),
    how_to_fix='Give the element an aria-label (or aria-labelledby) describing the image, or remove role="img" '
    'and hide it with aria-hidden="true" when it is decoration.',
    task="understanding images",
    how={
        Persona.SCREEN_READER: 'The graphic is announced as "image" and nothing else.',
    },
)
def role_img_alt(page: StaticPage) -> Iterator[Finding]:
    """What it checks: non-SVG elements whose first valid role is `img` (icon fonts, CSS background images, emoji
    in a span) have a non-blank name from `aria-labelledby`, `aria-label`, `title` or a native label (e.g. a
    <figcaption>). Text inside the element does not count: children of an image are presentational. <img>,
    <area>, <input> and <object> are covered by their own checks; SVG by svg-img-alt. Hidden elements are skipped.
    Who it affects: screen readers announce "image" and nothing else.
    How to fix: `<span role="img" aria-label="Rating: 4 out of 5">★★★★☆</span>`.
    References: WCAG 1.1.1 Non-text Content (ARIA6); WAI-ARIA 1.2 img role; axe-core rule role-img-alt;
    ACT rule 23a2a8.
    """
    for el in page.soup.find_all(attrs={"role": True}):
        if el.name in _NATIVE_IMAGES or in_svg(el) or explicit_role(el) != "img":
            continue
        if is_hidden(el) or accessible_name(el):
            continue
        yield page.finding(
            el,
            "Screen readers announce this as an image with no name: it has role=\"img\" but no aria-label, "
            "aria-labelledby or title, and its text content is not read.",
        )
