"""Turn one run (as storage returns it) into a Report of ranked fixes: who each hurts, how much, and why.

Findings become fixes (reports.fixes: one fingerprint, one change), fixes get a customer-impact score
(reports.scoring: the model of ../shared/design/IMPACT.md and its one table of constants), a plain-English reason
(reports.wording), a place in the order (blockers on key journeys first, then by priority) and a trend against the
previous run of the same site. Writers only render what is built here.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping

from audits import registry
from audits.browser import axe_map
from audits.model import WCAG_SLUGS, Check, Outcome, Persona
from reports import fixes as fx
from reports import savings, scoring
from reports import wording as w
from reports.grouping import colour_pair, group_findings, tell_apart
from reports.model import (
    SEVERITIES,
    CheckError,
    Coverage,
    Element,
    Fix,
    FixLink,
    FixPage,
    Lookup,
    Model,
    Page,
    PersonaHarm,
    PersonaView,
    Report,
    Score,
    Summary,
    WcagRef,
)
from reports.ranking import order_fixes
from reports.reasons import reason
from reports.rows import (
    Item,
    RunInputs,
    dedupe,
    float_or_none,
    page_order,
    page_record,
    parse_finding,
    run_info,
)
from reports.sources import confidence_basis, ordered_sources
from reports.traffic import Traffic
from reports.trend import Previous
from reports.trend import trend as fix_trend
from reports.visits import assign_visits

# --- helpers -----------------------------------------------------------------------------------------------

_HTTP_URL = re.compile(r"^https?://[^\s/?#]+", re.IGNORECASE)


def http_url(url: Any) -> str | None:
    """`url` when it is safe to put in an href (http or https, no white space or control characters), else None."""
    if not isinstance(url, str) or not _HTTP_URL.match(url):
        return None
    if any(ord(c) <= 0x20 or ord(c) == 0x7F for c in url):
        return None
    return url


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "check"


def _natural_key(text: str) -> tuple:
    """'li:nth-of-type(10)' after 'li:nth-of-type(2)'."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text))


def _default_lookup(check_id: str) -> Check | None:
    return registry.get(check_id)


# --- building: pages and findings ----------------------------------------------------------------------------


# --- building: fixes -----------------------------------------------------------------------------------------------


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


def _contrast_how_to_fix(c: dict[str, Any], general: str) -> str:
    text = (f"Text in {c['fg']} on {c['bg']} has a contrast ratio of {w.ratio_label(c['ratio'])}; {c['size']} text "
            f"needs at least {w.ratio_label(c['expected'])}. Darken the text or lighten the background (the reverse "
            f"on a dark background) until the pair reaches {w.ratio_label(c['expected'])}, in the style rule that "
            f"sets these colours: that one change fixes every place they meet.")
    return f"{text} {general}".strip()


def _bytes_saved(elements: list[Element]) -> float | None:
    """Bytes a media fix saves on one page (HOOK: media findings carry data['bytes_saved']); 0 when it says 0 (a
    page-weight summary whose bytes the page's file fixes already save: reports.savings)."""
    total, seen = 0.0, False
    for e in elements:
        v = float_or_none(e.data.get("bytes_saved"))
        if v is not None and v >= 0:
            total, seen = total + v, True
    return total if seen else None


def _make_fix(
    fp: fx.Fingerprint,
    items: list[Item],
    pages_by_url: dict[str, Page],
    check: Check | None,
    shares: Mapping[Persona, float],
    audited_count: int,
    known: bool,
) -> Fix:
    check_id = items[0].check_id
    by_page: dict[str, list[Element]] = {}
    for it in items:
        by_page.setdefault(it.url, []).append(it.element)
    urls = sorted(by_page, key=lambda u: page_order(pages_by_url[u]))
    for els in by_page.values():
        els.sort(key=lambda e: (_natural_key(e.selector), e.message, e.snippet))
    severity = max((it.element.severity for it in items), key=lambda s: s.rank)
    outcome = Outcome.FAIL if any(it.outcome is Outcome.FAIL for it in items) else Outcome.REVIEW
    first = by_page[urls[0]][0]
    component = fx.component_of(fp, urls, first.selector, audited_count)
    roles = _roles(check_id, check, items)
    base_harms = {p: scoring.harm(severity, role) for p, role in roles}
    if colour_pair(check_id, check):  # contrast: harm by how far below the required ratio the worst text is
        ratios = [c for it in items if (c := _contrast(it.element.data)) is not None]
        if ratios:
            worst = max(ratios)
            base_harms = {p: min(h, worst) for p, h in base_harms.items()}
    media = any("bytes_saved" in it.element.data for it in items)  # scored by the bytes it saves
    x = check.exposure if check else scoring.DEFAULT_EXPOSURE

    element_journey = next((j for it in items if (j := fx.journey_of_element(it.element.selector, it.element.snippet))),
                           None)
    formish = any(fx.in_form(it.element.selector, it.element.snippet) for it in items)

    fix_pages: list[FixPage] = []
    persona_bve: dict[Persona, float] = {p: 0.0 for p, _ in roles}
    total_bve = affected = visits_on = 0.0
    weighted_c = 0.0
    saved_total, saved_pages = 0.0, 0
    for url in urls:
        page = pages_by_url[url]
        els = by_page[url]
        page_outcome = Outcome.FAIL if any(e.outcome is Outcome.FAIL for e in els) else Outcome.REVIEW
        relevant = [e for e in els if e.outcome is page_outcome]
        bases = [confidence_basis(e.sources, e.outcome, fp.kind == "page") for e in relevant]
        basis = max(bases, key=lambda b: scoring.CONFIDENCE[b])
        c = scoring.CONFIDENCE[basis]
        journey = element_journey or page.journey
        j = scoring.JOURNEY_MULTIPLIER if journey else 1.0
        g = scoring.occurrence_factor(len(els))
        harms = dict(base_harms)
        if media:
            saved = _bytes_saved(els)
            if saved is not None:
                harms = {scoring.BANDWIDTH_PERSONA: scoring.bandwidth_harm(saved)}
                saved_total, saved_pages = saved_total + saved, saved_pages + 1
        weight = page.visits * j * g * c * x
        bve = weight * scoring.persona_factor(harms, shares)
        everyone = harms.get(Persona.EVERYONE, 0.0) > 0
        for p, s in harms.items():
            if everyone and p is not Persona.EVERYONE:
                continue
            persona_bve[p] = persona_bve.get(p, 0.0) + weight * shares.get(p, 0.0) * s
        total_bve += bve
        affected += page.visits * x * scoring.affected_share(harms, shares)
        visits_on += page.visits
        weighted_c += page.visits * c
        fix_pages.append(
            FixPage(url=url, anchor="", page_anchor=page.anchor, page_title=page.title, elements=els,
                    outcome=page_outcome, visits=page.visits, journey=journey, journey_multiplier=j,
                    occurrence_factor=g, confidence=c, confidence_basis=basis, bve=bve)
        )
    if media and saved_pages:
        base_harms = {scoring.BANDWIDTH_PERSONA: scoring.bandwidth_harm(saved_total / saved_pages)}
        roles = [(scoring.BANDWIDTH_PERSONA, "P")]
    fallback = check.failure_title if check else check_id
    personas = [
        PersonaHarm(p, role, base_harms.get(p, 0.0), shares.get(p, 0.0), persona_bve.get(p, 0.0),
                    w.how(check_id, check, p, fallback))
        for p, role in roles
    ]
    personas.sort(key=lambda h: (-h.harm, -h.share, w.PERSONA_ORDER.index(h.persona)
                                 if h.persona in w.PERSONA_ORDER else 99))
    template = component.template
    effort = scoring.effort(template, sum(len(els) for els in by_page.values()))
    score = Score(
        bve=total_bve,
        affected=affected,
        visit_share=0.0,
        effort=effort,
        priority=total_bve / effort,
        confidence=(weighted_c / visits_on) if visits_on > 0 else max((p.confidence for p in fix_pages), default=1.0),
    )
    task = (element_journey or (next((p.journey for p in fix_pages if p.journey), None) if formish else None)
            or (check.task if check else "") or (w.BANDWIDTH_TASK if media else w.task_of(check_id, check)))
    journey = next((p.journey for p in fix_pages if p.journey), None)
    max_harm = max(base_harms.values(), default=0.0)
    # The lane is for barriers in the key task itself: a form control or link of the journey, not any element
    # that happens to be on a journey page.
    blocker = (outcome is Outcome.FAIL and max_harm >= scoring.BLOCKER_HARM - 1e-9 and journey is not None
               and task in fx.JOURNEYS)
    sources = ordered_sources(s for it in items for s in it.element.sources)
    bandwidth = None
    if media and saved_pages:
        bandwidth = {"bytes_saved_per_page": saved_total / saved_pages, "pages": saved_pages}
    contrast = _colour_pair(fp, items) if fp.kind == "colour" else None
    how_to_fix = check.how_to_fix if check else ""
    if contrast is not None:
        how_to_fix = _contrast_how_to_fix(contrast, how_to_fix)
    return Fix(
        fingerprint=fp,
        anchor="fix-" + _slug(fp.id),
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
        how_to_fix=how_to_fix,
        sources=sources,
        outcome=outcome,
        component=component,
        personas=personas,
        pages=fix_pages,
        score=score,
        task=task,
        journey=journey,
        blocker=blocker,
        bandwidth=bandwidth,
        contrast=contrast,
        budget=check.budget if check else False,
    )


# --- building: the report --------------------------------------------------------------------------------------


def build_report(
    run: dict[str, Any],
    pages: list[dict[str, Any]],
    findings: list[dict[str, Any]],
    *,
    lookup: Lookup | None = None,
    traffic: Traffic | None = None,
    shares: Mapping[Persona | str, float] | None = None,
    previous: RunInputs | Callable[[], RunInputs | None] | None = None,
) -> Report:
    """Group one run's findings into ranked fixes, describe who they hurt and the crawl.

    `lookup` finds a check's metadata by id (default: audits.registry.get); `traffic` gives visits per page (else
    the structural proxy); `shares` overrides persona shares (scoring.PERSONA_SHARES); `previous` is the previous
    run of the same site as (run, pages, findings), for the trend, or a function loading it (None: no previous
    run): it is then loaded, compared and dropped before this run's report is built, so the two runs are never
    in memory at once.
    """
    lookup = lookup or _default_lookup
    before: Previous | None = None
    if callable(previous):
        previous = previous()
    if previous is not None:
        before = Previous.of(build_report(*previous, lookup=lookup, traffic=traffic, shares=shares))
        previous = None
    # Bytes saved count once: page-weight keeps only the bytes no fix to one of its page's files accounts for.
    findings = savings.net_page_weight(list(findings))
    persona_shares = dict(scoring.PERSONA_SHARES)
    for k, v in (shares or {}).items():
        persona_shares[Persona(k)] = float(v)
    info = run_info(run)

    # Pages, in a stable order (start page first), each with an anchor.
    page_list = [page_record(d) for d in pages]
    page_list.sort(key=page_order)
    pages_by_url: dict[str, Page] = {}
    for p in page_list:
        pages_by_url.setdefault(p.url, p)
    for p in page_list:
        if p.final_url:
            pages_by_url.setdefault(p.final_url, p)

    screenshots: dict[str, str | None] = {}
    shots_base = (run.get("settings") or {}).get("AUDIT_OUT_DIR")
    items = dedupe([parse_finding(f, screenshots, shots_base if isinstance(shots_base, str) else None)
                     for f in findings])

    # A finding on a URL the crawl did not list still gets a page (so nothing is lost), after the crawled ones.
    extra: list[Page] = []
    for it in items:
        if it.url not in pages_by_url:
            page = Page(anchor="", url=it.url, final_url=None, status=None, content_type=None, depth=None, title=None,
                        found_via=None, inbound_links=0, error=None, redirect_chain=[], browser=None, in_crawl=False)
            pages_by_url[it.url] = page
            extra.append(page)
    extra.sort(key=lambda p: p.url)
    all_pages = page_list + extra
    for i, p in enumerate(all_pages, start=1):
        p.anchor = f"page-{i}"
    for it in items:  # findings name the page by its URL or its final URL: group on the page's own URL
        it.url = pages_by_url[it.url].url
    pages_by_url.update({p.url: p for p in all_pages})
    for p in all_pages:
        rep = pages_by_url.get(p.inferred_from or "")
        if rep is not None:
            p.inferred_from_anchor = rep.anchor

    model = assign_visits(all_pages, traffic)
    model.shares = persona_shares
    audited = [p for p in all_pages if p.audited]

    checks: dict[str, Check | None] = {}
    for it in items:
        if it.check_id not in checks:
            checks[it.check_id] = lookup(it.check_id)
    known = {cid: chk is not None for cid, chk in checks.items()}
    raw_by_check: dict[str, dict[str, Any]] = {}
    for f in findings:
        raw_by_check.setdefault(str(f.get("check_id") or "unknown"), dict(f.get("data") or {}))
    for cid, chk in checks.items():
        if chk is None:
            checks[cid] = axe_map.rule_check(cid, raw_by_check.get(cid) or {})

    scored = [it for it in items if it.outcome in (Outcome.FAIL, Outcome.REVIEW)]
    groups = group_findings(scored, len(audited), checks)
    fixes = order_fixes(
        _make_fix(fp, its, pages_by_url, checks[its[0].check_id], persona_shares, len(audited),
                  known[its[0].check_id])
        for fp, its in groups.values()
    )
    tell_apart(fixes)
    max_priority = max((f.score.priority for f in fixes), default=0.0)
    for rank, f in enumerate(fixes, start=1):
        f.rank = rank
        f.score.visit_share = (sum(p.visits for p in f.pages) / model.total_visits) if model.total_visits else 0.0
        f.score.bar = scoring.bar(f.score.priority, max_priority, model.total_visits)
        for fp_ in f.pages:
            fp_.anchor = f"{f.anchor}--{fp_.page_anchor}"
        f.reason = reason(f, model, len(audited))

    errors: list[CheckError] = []
    for it in items:
        if it.outcome is not Outcome.ERROR:
            continue
        check = checks.get(it.check_id)
        errors.append(CheckError(check_id=it.check_id, title=check.title if check else it.check_id, url=it.url,
                                 page_anchor=pages_by_url[it.url].anchor, selector=it.element.selector,
                                 message=it.element.message, sources=it.element.sources))
    errors.sort(key=lambda e: (e.check_id, page_order(pages_by_url[e.url]), e.selector, e.message))

    # Links from pages back to the fixes.
    for f in fixes:
        for fp_ in f.pages:
            pages_by_url[fp_.url].fixes.append(
                FixLink(f.id, fp_.anchor, f.anchor, f.rank, f.heading, f.severity, fp_.outcome, f.blocker,
                        len(fp_.elements))
            )
    for err in errors:
        pages_by_url[err.url].check_errors.append(err)

    crawled = [p for p in all_pages if p.in_crawl]
    coverage = Coverage(
        non_html=[p for p in crawled if not p.is_html and not p.broken and not p.error and p.status is not None],
        broken=[p for p in crawled if p.broken],
        redirects=[p for p in crawled if p.redirected],
        errors=[p for p in crawled if p.error and not p.broken],
        browser_failures=[p for p in crawled if p.browser_failed],
    )
    browser_done = [p for p in audited if p.browser_audited]
    inferred = [p for p in audited if p.browser_inferred]
    if not any(p.browser is not None for p in crawled):
        browser_mode = "none"
    elif audited and len(browser_done) + len(inferred) == len(audited):
        browser_mode = "all"
    else:
        browser_mode = "some"

    failing = [f for f in fixes if f.outcome is Outcome.FAIL]
    reviews = [f for f in fixes if f.outcome is Outcome.REVIEW]
    by_severity = {str(s): 0 for s in SEVERITIES}
    for f in failing:
        by_severity[str(f.severity)] += 1
    summary = Summary(
        pages_crawled=len(crawled),
        html_pages_audited=len(audited),
        browser_pages_audited=len(browser_done),
        browser_audits=browser_mode,
        browser_pages_inferred=len(inferred),
        browser_templates=len({p.template or p.inferred_from or p.url for p in inferred}),
        pages_with_fixes=sum(1 for p in all_pages if p.failing),
        fixes=len(failing),
        blockers=sum(1 for f in failing if f.blocker),
        template_fixes=sum(1 for f in failing if f.component.template and f.pages_affected > 1),
        fixes_by_severity=by_severity,
        elements=sum(f.elements for f in failing),
        to_review=len(reviews),
        review_elements=sum(f.elements for f in reviews),
        could_not_check=len(errors),
    )

    trend = None
    if before is not None:
        trend = fix_trend(fixes, before, {fx.url_path(p.url) for p in audited}, browser_mode)

    return Report(
        run=info,
        summary=summary,
        model=model,
        fixes=fixes,
        personas=_persona_views(fixes, audited, persona_shares, model),
        trend=trend,
        could_not_check=errors,
        pages=all_pages,
        coverage=coverage,
    )


def _persona_views(fixes: list[Fix], audited: list[Page], shares: Mapping[Persona, float],
                   model: Model) -> list[PersonaView]:
    views = []
    for persona in w.PERSONA_ORDER:
        hits = [(f, h) for f in fixes for h in f.personas if h.persona == persona and h.harm > 0]
        core = persona in (Persona.SCREEN_READER, Persona.LOW_VISION, Persona.COLOUR_VISION, Persona.KEYBOARD,
                           Persona.SLOW_CONNECTION)
        if not hits and not core:
            continue
        hits.sort(key=lambda fh: (fh[0].outcome is not Outcome.FAIL, -fh[1].bve, fh[0].rank))
        hit_pages = {p.url for f, _ in hits if f.outcome is Outcome.FAIL for p in f.pages}
        blocked = {p.url for f, h in hits if f.outcome is Outcome.FAIL and h.harm >= 1.0 for p in f.pages}
        on = [p for p in audited if p.url in hit_pages]
        views.append(PersonaView(
            persona=persona,
            share=shares.get(persona, 0.0),
            fixes=hits,
            pages_hit=len(on),
            visit_share_hit=(sum(p.visits for p in on) / model.total_visits) if model.total_visits else 0.0,
            blocker_pages=len([p for p in audited if p.url in blocked]),
            bve=sum(h.bve for f, h in hits if f.outcome is Outcome.FAIL),
        ))
    return views
