"""One fix from one group of findings (reports.grouping): its pages, whom it harms and how much, its score, its words."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from empathy_audit.audits.browser import axe_map
from empathy_audit.audits.model import WCAG_SLUGS, Check, Outcome, Persona, Severity
from empathy_audit.reports import fixes as fx
from empathy_audit.reports import scoring
from empathy_audit.reports import wording as w
from empathy_audit.reports.grouping import colour_pair
from empathy_audit.reports.model import Element, Fix, FixPage, Page, PersonaHarm, Score, WcagRef
from empathy_audit.reports.rows import Item, float_or_none, page_order
from empathy_audit.reports.sources import confidence_basis, ordered_sources


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "check"


def natural_key(text: str) -> tuple:
    """'li:nth-of-type(10)' after 'li:nth-of-type(2)'."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text))


# --- whom it harms -----------------------------------------------------------------------------------------------


def _roles(check_id: str, check: Check | None, items: list[Item]) -> list[tuple[Persona, str]]:
    """Persona roles for a check: what axe reported, else the check's roles (IMPACT.md section 4), else axe's table."""
    for it in items:
        levels = it.element.data.get("persona_levels")
        if isinstance(levels, dict) and levels:
            out = []
            for pid, role in levels.items():
                try:
                    out.append((Persona(pid), str(role) if str(role) in scoring.ROLE_CAP else "S"))
                except ValueError:
                    continue
            if out:
                return out
    if check is not None:
        return check.persona_roles()
    return list(axe_map.rule_roles(check_id) or axe_map.DEFAULT_PERSONAS)


def _ratios(data: dict[str, Any]) -> tuple[float, float] | None:
    """(contrast ratio, required ratio) from axe's colour-contrast check data ("4.5:1" or 4.5), else None."""
    data = fx.contrast_of(data)
    ratio, expected = float_or_none(data.get("contrastRatio")), float_or_none(data.get("expectedContrastRatio"))
    if ratio is None or expected is None:
        m = re.match(r"^\s*([\d.]+)\s*:\s*1\s*$", str(data.get("expectedContrastRatio") or ""))
        expected = float(m.group(1)) if m else expected
    if ratio is None or expected is None:
        return None
    return ratio, expected


def _contrast(data: dict[str, Any]) -> float | None:
    ratios = _ratios(data)
    return scoring.contrast_harm(*ratios) if ratios is not None else None


def _base_harms(severity: Severity, roles: list[tuple[Persona, str]], colour: bool,
                items: list[Item]) -> dict[Persona, float]:
    """S_k of each persona the check names, before what one page's bytes change (IMPACT.md 3.3)."""
    harms = {p: scoring.harm(severity, role) for p, role in roles}
    if colour:  # contrast: harm by how far below the required ratio the worst text is
        ratios = [c for it in items if (c := _contrast(it.element.data)) is not None]
        if ratios:
            worst = max(ratios)
            harms = {p: min(h, worst) for p, h in harms.items()}
    return harms


def _bytes_saved(elements: list[Element]) -> float | None:
    """Bytes a media fix saves on one page (HOOK: media findings carry data['bytes_saved']); 0 when it says 0 (a
    page-weight summary whose bytes the page's file fixes already save: reports.savings)."""
    total, seen = 0.0, False
    for e in elements:
        v = float_or_none(e.data.get("bytes_saved"))
        if v is not None and v >= 0:
            total, seen = total + v, True
    return total if seen else None


def _personas(check_id: str, check: Check | None, roles: list[tuple[Persona, str]], harms: dict[Persona, float],
              shares: Mapping[Persona, float], persona_bve: dict[Persona, float]) -> list[PersonaHarm]:
    """Each persona the fix hurts, the most hurt (then the largest share) first."""
    fallback = check.failure_title if check else check_id
    personas = [PersonaHarm(p, role, harms.get(p, 0.0), shares.get(p, 0.0), persona_bve.get(p, 0.0),
                            w.how(check_id, check, p, fallback))
                for p, role in roles]
    personas.sort(key=lambda h: (-h.harm, -h.share, w.PERSONA_ORDER.index(h.persona)
                                 if h.persona in w.PERSONA_ORDER else 99))
    return personas


# --- its pages and its score --------------------------------------------------------------------------------------


def _elements_by_page(items: list[Item], pages_by_url: dict[str, Page]) -> tuple[list[str], dict[str, list[Element]]]:
    """The fix's page URLs in page order, and each page's elements in selector order."""
    by_page: dict[str, list[Element]] = {}
    for it in items:
        by_page.setdefault(it.url, []).append(it.element)
    for els in by_page.values():
        els.sort(key=lambda e: (natural_key(e.selector), e.message, e.snippet))
    return sorted(by_page, key=lambda u: page_order(pages_by_url[u])), by_page


@dataclass
class _Totals:
    """What a fix's pages add up to, page by page (in page order: the sums are the report's numbers)."""

    persona_bve: dict[Persona, float]
    bve: float = 0.0
    affected: float = 0.0
    visits: float = 0.0
    weighted_confidence: float = 0.0
    saved: float = 0.0  # bytes a media fix saves, over the pages that say how many
    saved_pages: int = 0


@dataclass
class _Context:
    """What every page of one fix is scored with."""

    fp: fx.Fingerprint
    harms: dict[Persona, float]
    shares: Mapping[Persona, float]
    exposure: float  # x
    media: bool  # scored by the bytes it saves
    element_journey: str | None  # the key task of the element's form, over the page's own


def _fix_page(ctx: _Context, page: Page, els: list[Element], totals: _Totals) -> FixPage:
    """One page of a fix: V(p) * J * g(n) * c * x times the persona factor (IMPACT.md 3.1), added to `totals`."""
    page_outcome = Outcome.FAIL if any(e.outcome is Outcome.FAIL for e in els) else Outcome.REVIEW
    relevant = [e for e in els if e.outcome is page_outcome]
    bases = [confidence_basis(e.sources, e.outcome, ctx.fp.kind == "page") for e in relevant]
    basis = max(bases, key=lambda b: scoring.CONFIDENCE[b])
    c = scoring.CONFIDENCE[basis]
    journey = ctx.element_journey or page.journey
    j = scoring.JOURNEY_MULTIPLIER if journey else 1.0
    g = scoring.occurrence_factor(len(els))
    harms = dict(ctx.harms)
    if ctx.media:
        saved = _bytes_saved(els)
        if saved is not None:
            harms = {scoring.BANDWIDTH_PERSONA: scoring.bandwidth_harm(saved)}
            totals.saved, totals.saved_pages = totals.saved + saved, totals.saved_pages + 1
    weight = page.visits * j * g * c * ctx.exposure
    bve = weight * scoring.persona_factor(harms, ctx.shares)
    everyone = harms.get(Persona.EVERYONE, 0.0) > 0
    for p, s in harms.items():
        if everyone and p is not Persona.EVERYONE:
            continue
        totals.persona_bve[p] = totals.persona_bve.get(p, 0.0) + weight * ctx.shares.get(p, 0.0) * s
    totals.bve += bve
    totals.affected += page.visits * ctx.exposure * scoring.affected_share(harms, ctx.shares)
    totals.visits += page.visits
    totals.weighted_confidence += page.visits * c
    return FixPage(url=page.url, anchor="", page_anchor=page.anchor, page_title=page.title, elements=els,
                   outcome=page_outcome, visits=page.visits, journey=journey, journey_multiplier=j,
                   occurrence_factor=g, confidence=c, confidence_basis=basis, bve=bve)


def _score(totals: _Totals, fix_pages: list[FixPage], template: bool, elements: int) -> Score:
    """BVE, the visits it affects, E and BVE / E; confidence weighted by visits (the pages' best when none)."""
    effort = scoring.effort(template, elements)
    return Score(
        bve=totals.bve,
        affected=totals.affected,
        visit_share=0.0,  # set once the site's visits are known to the ranking
        effort=effort,
        priority=totals.bve / effort,
        confidence=((totals.weighted_confidence / totals.visits) if totals.visits > 0
                    else max((p.confidence for p in fix_pages), default=1.0)),
    )


# --- its words ---------------------------------------------------------------------------------------------------


def _task(check_id: str, check: Check | None, items: list[Item], fix_pages: list[FixPage],
          element_journey: str | None, media: bool) -> str:
    """What it gets in the way of: the element's journey, a form's page journey, else the check's task."""
    formish = any(fx.in_form(it.element.selector, it.element.snippet) for it in items)
    return (element_journey or (next((p.journey for p in fix_pages if p.journey), None) if formish else None)
            or (check.task if check else "") or (w.BANDWIDTH_TASK if media else w.task_of(check_id, check)))


def _colour_pair(fp: fx.Fingerprint, items: list[Item]) -> dict[str, Any] | None:
    """A colour fix's pair and its worst (lowest) contrast below the required ratio, from axe's check data."""
    worst: tuple[float, float] | None = None
    for it in items:
        r = _ratios(it.element.data)
        if r is not None and r[0] > 0 and r[0] < r[1] and (worst is None or r[0] < worst[0]):
            worst = r
    if worst is None:
        return None
    data = fx.contrast_of(next(it.element.data for it in items if _ratios(it.element.data) == worst))
    size = "large" if fp.markup.endswith("large text") else "normal"
    return {"fg": str(data.get("fgColor") or "").lower(), "bg": str(data.get("bgColor") or "").lower(), "size": size,
            "ratio": worst[0], "expected": worst[1]}


def _how_to_fix(check: Check | None, contrast: dict[str, Any] | None) -> str:
    """The check's advice; for a colour pair, first the pair, its ratio and the ratio it needs."""
    general = check.how_to_fix if check else ""
    if contrast is None:
        return general
    c = contrast
    text = (f"Text in {c['fg']} on {c['bg']} has a contrast ratio of {w.ratio_label(c['ratio'])}; {c['size']} text "
            f"needs at least {w.ratio_label(c['expected'])}. Darken the text or lighten the background (the reverse "
            f"on a dark background) until the pair reaches {w.ratio_label(c['expected'])}, in the style rule that "
            f"sets these colours: that one change fixes every place they meet.")
    return f"{text} {general}".strip()


# --- the fix -----------------------------------------------------------------------------------------------------


def make_fix(fp: fx.Fingerprint, items: list[Item], pages_by_url: dict[str, Page], check: Check | None,
             shares: Mapping[Persona, float], audited_count: int, known: bool) -> Fix:
    """The fix of one fingerprint's findings, scored (IMPACT.md 3) but not yet ranked."""
    check_id = items[0].check_id
    urls, by_page = _elements_by_page(items, pages_by_url)
    severity = max((it.element.severity for it in items), key=lambda s: s.rank)
    outcome = Outcome.FAIL if any(it.outcome is Outcome.FAIL for it in items) else Outcome.REVIEW
    component = fx.component_of(fp, urls, by_page[urls[0]][0].selector, audited_count)
    roles = _roles(check_id, check, items)
    ctx = _Context(
        fp=fp,
        harms=_base_harms(severity, roles, colour_pair(check_id, check), items),
        shares=shares,
        exposure=check.exposure if check else scoring.DEFAULT_EXPOSURE,
        media=any("bytes_saved" in it.element.data for it in items),
        element_journey=next((j for it in items
                              if (j := fx.journey_of_element(it.element.selector, it.element.snippet))), None),
    )
    totals = _Totals({p: 0.0 for p, _ in roles})
    fix_pages = [_fix_page(ctx, pages_by_url[url], by_page[url], totals) for url in urls]
    harms = ctx.harms
    bandwidth = None
    if ctx.media and totals.saved_pages:  # a media fix harms slow connections by what it saves on an average page
        per_page = totals.saved / totals.saved_pages
        harms = {scoring.BANDWIDTH_PERSONA: scoring.bandwidth_harm(per_page)}
        roles = [(scoring.BANDWIDTH_PERSONA, "P")]
        bandwidth = {"bytes_saved_per_page": per_page, "pages": totals.saved_pages}
    task = _task(check_id, check, items, fix_pages, ctx.element_journey, ctx.media)
    journey = next((p.journey for p in fix_pages if p.journey), None)
    # The lane is for barriers in the key task itself: a form control or link of the journey, not any element
    # that happens to be on a journey page.
    blocker = (outcome is Outcome.FAIL and max(harms.values(), default=0.0) >= scoring.BLOCKER_HARM - 1e-9
               and journey is not None and task in fx.JOURNEYS)
    contrast = _colour_pair(fp, items) if fp.kind == "colour" else None
    return Fix(
        fingerprint=fp,
        anchor="fix-" + slug(fp.id),
        check_id=check_id,
        title=check.title if check else check_id,
        failure_title=check.failure_title if check else check_id,
        severity=severity,
        declared_severity=check.severity if check else None,
        known=known,
        kind=str(check.kind) if check else None,
        best_practice=check.best_practice if check else False,
        wcag=([WcagRef(sc, url, WCAG_SLUGS.get(sc, "").replace("-", " ")) for sc, url in check.wcag_links]
              if check else []),
        how_to_fix=_how_to_fix(check, contrast),
        sources=ordered_sources(s for it in items for s in it.element.sources),
        outcome=outcome,
        component=component,
        personas=_personas(check_id, check, roles, harms, shares, totals.persona_bve),
        pages=fix_pages,
        score=_score(totals, fix_pages, component.template, sum(len(els) for els in by_page.values())),
        task=task,
        journey=journey,
        blocker=blocker,
        bandwidth=bandwidth,
        contrast=contrast,
        budget=check.budget if check else False,
    )
