"""identical-links-same-purpose: links with the same name on one page go to the same place."""

from __future__ import annotations

from typing import Iterator

from bs4 import Tag

from empathy_audit.audits.accname import accessible_name, attr_text
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Outcome, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._describe import link_target, shorten
from empathy_audit.audits.static._wording import base_url, destination, fold, iter_links
from empathy_audit.audits.static.link_text_generic import generic_kind

_SHOWN = 3


@check(
    id="identical-links-same-purpose",
    title="Links with the same name go to the same place",
    failure_title="Links with the same name go to different places",
    severity=Severity.MINOR,
    wcag=("2.4.4",),
    personas=(Persona.SCREEN_READER, Persona.MOTOR, Persona.COGNITIVE),
    how_to_fix="Give links that go to different places different names (add the product or article name, visibly "
    "or as visually hidden text); links that go to the same place may share a name.",
    roles={Persona.SCREEN_READER: "M"},  # IMPACT.md section 4
)
def identical_links_same_purpose(page: StaticPage) -> Iterator[Finding]:
    """What it checks: groups the page's links (`<a href>`, `<area href>`, `role="link"`) by accessible name
    (case and punctuation ignored) and reports each name used for two or more different destinations. URLs are
    compared resolved, without tracking parameters and index-page names (`/` and `/index.html` are one place);
    fragments count. Links whose names are generic ("read more"...) are left to link-text-generic, and links
    that go nowhere (`#`, `javascript:`) are skipped. One finding per name, on its first link. It is reported as
    needs review: the surrounding text may tell the links apart (then 2.4.4 is met), and two URLs can serve the
    same purpose (a print and a screen version).
    Who it affects: screen-reader users listing links hear the same name twice and cannot know the two go to
    different places; voice-control users saying the name get a "which one?" prompt.
    How to fix: "Add Ethiopia Yirgacheffe to basket" and "Add Colombia Huila to basket" rather than two "Add to
    basket" links; or use the same destination when the purpose is the same.
    References: WCAG 2.4.4 Link Purpose (In Context), 2.4.9 Link Purpose (Link Only), 3.2.4 Consistent
    Identification; axe-core rule identical-links-same-purpose (also needs review there).
    """
    base = base_url(page)
    groups: dict[str, list[tuple[Tag, str, str]]] = {}
    for el in iter_links(page):
        name = accessible_name(el)
        key = fold(name)
        if not key or generic_kind(name) is not None:
            continue
        dest = destination(attr_text(el, "href"), base)
        if dest is None:
            continue
        groups.setdefault(key, []).append((el, name, dest))
    for items in groups.values():
        destinations = list(dict.fromkeys(dest for _el, _name, dest in items))
        if len(destinations) < 2:
            continue
        first, name, _ = items[0]
        hrefs = list(dict.fromkeys(link_target(attr_text(el, "href")) for el, _n, _d in items))
        shown = ", ".join(hrefs[:_SHOWN]) + (f" and {len(hrefs) - _SHOWN} more" if len(hrefs) > _SHOWN else "")
        yield page.finding(
            first,
            f"These {len(items)} links are all called “{shorten(name, 60)}” but go to {len(destinations)} different "
            f"places ({shown}): in a list of links they sound the same. Check that the surrounding text tells them "
            "apart, or name each one after where it goes.",
            outcome=Outcome.REVIEW,
            name=name,
            destinations=destinations,
        )
