"""link-name: links have an accessible name."""

from __future__ import annotations

from typing import Iterator

from bs4 import Tag

from empathy_audit.audits.accname import accessible_name, is_hidden, role_of
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._describe import link_target


@check(
    id="link-name",
    title="Links have a discernible name",
    failure_title="Links have no discernible name",
    severity=Severity.SERIOUS,
    wcag=("2.4.4", "4.1.2"),
    personas=(Persona.SCREEN_READER, Persona.KEYBOARD),
    how_to_fix="Put text inside every link, or give its image alt text; for icon-only links add an aria-label "
    "(or visually hidden text) that says where the link goes.",
    task="choosing links",
    how={
        Persona.SCREEN_READER: '"Link" or a raw address is read; the list of links is useless.',
        Persona.KEYBOARD: "Voice-control users cannot name the link to follow it.",
    },
)
def link_name(page: StaticPage) -> Iterator[Finding]:
    """What it checks: every `<a href>` (unless its role makes it a button, which button-name checks) and every
    element with `role="link"` has a non-empty accessible name: text content, alt text of images inside it, SVG
    <title>, `aria-label`, `aria-labelledby` or `title` (accname 1.2). Hidden links are skipped; text inside
    `aria-hidden="true"`, `hidden` or inline `display:none` does not count.
    Who it affects: screen readers announce "link" or read the URL; the list of links is useless; voice-control
    users cannot say the link's name.
    How to fix: `<a href="/cart"><svg aria-hidden="true">…</svg><span class="visually-hidden">Basket</span></a>`,
    or `aria-label="Basket"` on the link, or alt text on the image inside it.
    References: WCAG 2.4.4 Link Purpose (In Context), 4.1.2 Name, Role, Value (techniques H30, ARIA7, ARIA8);
    accname 1.2; axe-core rule link-name; ACT rule c487ae.
    """
    for el in page.soup.find_all(True):
        if el.name == "area":
            continue  # area-alt covers image-map links
        if el.name != "a" and "role" not in el.attrs:
            continue  # without a role attribute only <a href> (and <area href>) is a link
        role = role_of(el)
        if el.name == "a" and el.has_attr("href"):
            if role == "button":
                continue  # button-name covers links made into buttons
        elif role != "link":
            continue
        if is_hidden(el) or accessible_name(el):
            continue
        yield page.finding(el, _message(el))


def _message(el: Tag) -> str:
    href = link_target(el.get("href"))
    where = f" (it goes to {href})" if href else ""
    if el.find("img") is not None or el.find("svg") is not None:
        why = "its image has no alt text and the link has no other text or label"
    elif el.find(True) is not None and el.get_text(strip=True) == "":
        why = "it holds only an icon, with no text, alt or label"
    else:
        why = "it has no text, alt or label"
    return f"Screen readers announce this link as just “link”{where}: {why}."
