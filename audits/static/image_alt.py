"""image-alt: every <img> has a text alternative (alt, or a name from ARIA or title) or is marked decorative."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.accname import PRESENTATIONAL_ROLES, accessible_name, attr_text, is_hidden, role_of
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._describe import file_name


@check(
    id="image-alt",
    title="Images have a text alternative",
    failure_title="Images have no text alternative",
    severity=Severity.CRITICAL,
    wcag=("1.1.1",),
    personas=(Persona.SCREEN_READER, Persona.LOW_VISION, Persona.SLOW_CONNECTION),
    how_to_fix='Give every <img> an alt attribute: words that do the image\'s job ("Search", "Acme logo"), '
    'or alt="" when the image is decoration.',
    task="understanding images",
    how={
        Persona.SCREEN_READER: "The image is skipped or its file name is read out.",
        Persona.LOW_VISION: "No text shows in place of an image that fails to load or is hard to see.",
        Persona.SLOW_CONNECTION: "While the image loads, or when it never does, nothing says what it shows.",
    },
    roles={Persona.SCREEN_READER: "P", Persona.LOW_VISION: "M", Persona.SLOW_CONNECTION: "M"},  # IMPACT.md section 4
    act=("23a2a8",),
)
def image_alt(page: StaticPage) -> Iterator[Finding]:
    """What it checks: every <img> that assistive technology can reach has a name, from a non-blank `alt`, or
    `aria-labelledby`, `aria-label` or `title`, or is marked decorative: `alt=""` or `role="none"`/`"presentation"`.
    An `alt` of only spaces fails unless another attribute names the image: HTML marks an image decorative only by
    the empty string, so it stays an image, and its name is empty once the spaces are trimmed (accname): Chrome and
    Firefox expose it as an unnamed image. Images hidden with `hidden`, `aria-hidden="true"` or inline
    `display:none`, and images inside <noscript> or <template>, are skipped. role none/presentation is ignored on a
    focusable image or one with global ARIA attributes, as browsers ignore it.
    Who it affects: screen readers skip such an image or read out its file name; when images fail to load on a
    slow connection, the alt text is what shows in their place.
    How to fix: write alt text that does the image's job in the page (not "image of…"); use `alt=""` for
    decoration, and never leave `alt` out or fill it with spaces.
    References: WCAG 1.1.1 Non-text Content (technique H37, failures F38 and F65); HTML "requirements for providing
    text to act as an alternative for images"; HTML-AAM img name computation; accname 1.2; axe-core rule
    image-alt; ACT rule 23a2a8.
    """
    for img in page.soup.find_all("img"):
        alt = attr_text(img, "alt")
        if alt == "" or is_hidden(img):
            continue
        if role_of(img) in PRESENTATIONAL_ROLES:
            continue
        if accessible_name(img):
            continue
        name = file_name(img.get("src"))
        where = f" (“{name}”)" if name else ""
        if alt is None:
            message = (f"Screen readers skip this image or read out its file name{where}: it has no alt text. "
                       "If it fails to load, nothing says what was there.")
        else:
            message = (f"Screen readers announce this image{where} without a name: its alt text is only spaces, "
                       'which neither describes it nor marks it as decoration (that takes alt="").')
        yield page.finding(img, message)
