"""Turn one run (as storage returns it) into a Report of ranked fixes: who each hurts, how much, and why.

Findings become fixes (reports.fixes: one fingerprint, one change), fixes get a customer-impact score
(reports.scoring: the model of ../shared/design/IMPACT.md and its one table of constants), a plain-English reason
(reports.wording), a place in the order (blockers on key journeys first, then by priority) and a trend against the
previous run of the same site. Writers only render what is built here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Mapping

from audits import registry
from audits.model import WCAG_SLUGS, Check, Outcome, Persona
from audits.browser import axe_map
from reports import fixes as fx
from reports import savings, scoring
from reports import wording as w
from reports.model import (
    SEVERITIES,
    CheckError,
    Coverage,
    Element,
    Fix,
    FixLink,
    FixPage,
    GoneFix,
    Lookup,
    Model,
    Page,
    PersonaHarm,
    PersonaView,
    Report,
    Score,
    Summary,
    Trend,
    WcagRef,
)
from reports.sources import confidence_basis, ordered_sources
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
from reports.traffic import Traffic

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


def colour_pair(check_id: str, check: Check | None) -> bool:
    """One colour change fixes it wherever the pair appears (Check.colour_pair; axe's table for an unknown rule)."""
    return check.colour_pair if check else check_id in axe_map.COLOUR_RULES


# --- building: pages and findings ----------------------------------------------------------------------------


# --- building: visits ---------------------------------------------------------------------------------------------


def _assign_visits(pages: list[Page], traffic: Traffic | None) -> Model:
    """V(p) for every page that counts (audited, or carrying findings); returns the traffic part of the model."""
    for p in pages:
        p.importance = scoring.importance(p.depth, p.inbound_links, p.sitemap_priority)
        p.journey = fx.journey_of_url(p.url)
    counted = [p for p in pages if p.audited or not p.in_crawl]
    total_importance = sum(p.importance for p in counted) or 1.0
    if traffic is None:
        for p in counted:
            p.visits = p.importance / total_importance
        total = sum(p.visits for p in counted)
        model = Model("proxy", None, total or 1.0, 0, len(counted), {})
    else:
        known: list[Page] = []
        for p in counted:
            for key in (fx.url_path(p.url), fx.url_path(p.final_url or "")):
                if key in traffic.visits:
                    p.visits, p.in_traffic = traffic.visits[key], True
                    known.append(p)
                    break
        unknown = [p for p in counted if not p.in_traffic]
        if known:
            known_importance = sum(p.importance for p in known) or 1.0
            rate = sum(p.visits for p in known) / known_importance
            floor = min(p.visits for p in known)
            for p in unknown:
                p.visits = min(p.importance * rate, floor)
        else:  # no crawled page is in the file: spread its total by the proxy
            spread = sum(traffic.visits.values())
            for p in unknown:
                p.visits = spread * p.importance / total_importance
        total = sum(p.visits for p in counted)
        model = Model("analytics", traffic.source, total, len(known), len(unknown), {})
    for p in counted:
        p.visit_share = p.visits / model.total_visits if model.total_visits > 0 else 0.0
    return model


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


def _ratio_label(r: float) -> str:
    return f"{r:.2f}".rstrip("0").rstrip(".") + ":1"


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
    text = (f"Text in {c['fg']} on {c['bg']} has a contrast ratio of {_ratio_label(c['ratio'])}; {c['size']} text "
            f"needs at least {_ratio_label(c['expected'])}. Darken the text or lighten the background (the reverse "
            f"on a dark background) until the pair reaches {_ratio_label(c['expected'])}, in the style rule that "
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


def _fingerprints(items: list[Item], audited_count: int,
                  checks: Mapping[str, Check | None]) -> dict[str, tuple[fx.Fingerprint, list[Item]]]:
    """Group items by fingerprint; one check's page-level findings over most of the site become one layout fix."""
    groups: dict[str, tuple[fx.Fingerprint, list[Item]]] = {}
    page_level: dict[str, set[str]] = {}
    for it in items:
        fp = fx.fingerprint(it.check_id, it.url, it.element.selector, it.element.snippet, it.element.data,
                            colour_pair(it.check_id, checks.get(it.check_id)))
        if fp.kind == "page":
            page_level.setdefault(it.check_id, set()).add(it.url)
        groups.setdefault(fp.id, (fp, []))[1].append(it)
    for check_id, urls in page_level.items():
        wide = fx.site_wide(check_id, len(urls), audited_count)
        if wide is None:
            continue
        merged: list[Item] = []
        for key in [k for k, (fp, its) in groups.items() if fp.kind == "page" and its[0].check_id == check_id]:
            merged.extend(groups.pop(key)[1])
        groups[wide.id] = (wide, merged)
    return groups


def _tell_apart(fixes: list[Fix]) -> None:
    """Fixes sharing a heading (two unlabelled fields on one page) get their element's last selector step, then a
    number, so every heading and every link to a fix says which one it is."""
    by_heading: dict[str, list[Fix]] = {}
    for f in fixes:
        by_heading.setdefault(f.heading, []).append(f)
    for same in by_heading.values():
        if len(same) < 2:
            continue
        for f in same:
            first = f.pages[0].elements[0].selector if f.pages and f.pages[0].elements else ""
            f.detail = " ".join(first.split(">")[-1].split())[:60] or f.fingerprint.id
        seen: dict[str, int] = {}
        for f in same:
            seen[f.detail] = seen.get(f.detail, 0) + 1
            if seen[f.detail] > 1 or sum(1 for g in same if g.detail == f.detail) > 1:
                f.detail = f"{f.detail}, {seen[f.detail]}"


def order_fixes(fixes: Iterable[Fix]) -> list[Fix]:
    """Blockers on key journeys first, then by priority; ties by severity, pages, check id and fingerprint.

    This is the one ordering rule of the report (IMPACT.md 3.1: "Fix first" lane, then Priority = BVE / E).
    """
    return sorted(
        fixes,
        key=lambda f: (not f.blocker, -round(f.score.priority, 12), -f.severity.rank, -f.pages_affected,
                       f.check_id, f.id),
    )


# --- building: words ------------------------------------------------------------------------------------------------


def _where(fix: Fix, audited: int) -> str:
    n = fix.pages_affected
    c = fix.component
    if n == 1:
        path = fx.url_path(fix.pages[0].url)
        return "the home page" if path == "/" else f"the page {path}"
    if c.kind == "template":
        kind = c.name.removesuffix(" page template")
        return f"{n} {kind} pages (one template)"
    if c.kind == "layout":
        return f"all {n} pages (one layout)" if n >= audited else f"{n} pages (one layout)"
    if c.kind == "style":
        return f"{n} pages (one colour pair)"
    if c.kind in ("header", "navigation", "footer"):
        return f"{n} pages (the shared {c.kind})"
    return f"{n} pages (one shared component)"


def _scope(fix: Fix) -> str:
    c = fix.component
    if fix.bandwidth:
        saved = fix.bandwidth["bytes_saved_per_page"]
        if saved <= 0:
            return "the fixes listed for the files it loads save these bytes: do them first"
        try:
            from audits.media import _network as net

            return (f"it saves about {net.size_label(saved)} a visit, "
                    f"{net.seconds_label(net.transfer_seconds(saved))} on a slow 4G phone")
        except ImportError:
            return f"it saves about {round(saved / 1024):,} KB a visit"
    if fix.fingerprint.kind == "colour":
        if fix.contrast:
            c = fix.contrast
            return (f"one colour change ({fix.fingerprint.markup}: contrast {_ratio_label(c['ratio'])}, "
                    f"needs {_ratio_label(c['expected'])}) fixes every place")
        return f"one colour change ({fix.fingerprint.markup}) fixes every place"
    if c.template and fix.pages_affected > 1:
        return f"one fix in the {c.name} repairs every page"
    if fix.fingerprint.kind == "page":
        return "one change in the page's head or layout fixes it"
    if fix.elements == 1:
        return "one element to fix"
    return f"{fix.elements} elements need editing"


def _persona_rank(fix: Fix) -> Callable[[Persona], int]:
    order = [h.persona for h in fix.personas]
    return lambda p: order.index(p) if p in order else len(order)


def _reason(fix: Fix, model: Model, audited: int) -> str:
    hurt = scoring.hurt({h.persona: h.harm for h in fix.personas}, {h.persona: h.share for h in fix.personas})
    who = w.join_words([w.PERSONA_WORDS[p] for p in sorted(hurt, key=_persona_rank(fix))]) or "visitors"
    lead = scoring.verb(fix.max_harm, fix.task)
    if model.counts_visits:
        visits = (f"up to {w.number(fix.score.affected)} visits a month meet it "
                  f"(its pages get {w.percent(fix.score.visit_share)} of visits)")
    else:
        visits = (f"up to {w.per_visits(fix.score.affected / model.total_visits)} meet it "
                  f"(its pages get about {w.percent(fix.score.visit_share)} of visits, "
                  f"estimated from the site's links)")
    text = f"{lead} for {who} on {_where(fix, audited)}: {visits}; {_scope(fix)}."
    if fix.outcome is Outcome.REVIEW:
        text = "To confirm by a person: " + text[0].lower() + text[1:]
    return text


# --- building: trend -------------------------------------------------------------------------------------------------


@dataclass
class _PreviousFix:
    id: str
    check_id: str
    heading: str
    paths: list[str]  # URL paths of its pages
    pages_affected: int


@dataclass
class _Previous:
    """What the trend needs of the previous run's report: kept instead of the report (and its run's rows)."""

    run_id: int | None
    finished_at: str | None
    browser_audits: str
    fixes: list[_PreviousFix]

    @classmethod
    def of(cls, report: "Report") -> "_Previous":
        return cls(report.run.id, report.run.finished_at, report.summary.browser_audits,
                   [_PreviousFix(f.id, f.check_id, f.heading, [fx.url_path(p.url) for p in f.pages],
                                 f.pages_affected) for f in report.fixes])


def _trend(fixes: list[Fix], previous: "Report | _Previous", audited_paths: set[str], browser_mode: str) -> Trend:
    if not isinstance(previous, _Previous):
        previous = _Previous.of(previous)
    before = {f.id: f for f in previous.fixes}
    now = {f.id for f in fixes}
    new, unchanged = [], []
    for f in fixes:
        old = before.get(f.id)
        if old is None:
            f.trend = "new"
            new.append(f)
        else:
            f.trend, f.pages_before = "unchanged", old.pages_affected
            unchanged.append(f)
    fixed, not_rechecked = [], []
    for f in previous.fixes:
        if f.id in now:
            continue
        paths = f.paths
        gone = GoneFix(f.id, f.check_id, f.heading, paths, any(p in audited_paths for p in paths))
        (fixed if gone.rechecked else not_rechecked).append(gone)
    comparable = previous.browser_audits == browser_mode
    note = ""
    if not comparable:
        note = (f"The previous run audited pages in a browser: {previous.browser_audits}; this run: "
                f"{browser_mode}. Fixes only one of the runs could see show as new or fixed.")
    return Trend(previous.run_id, previous.finished_at, comparable, note, new, unchanged, fixed, not_rechecked)


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
    before: _Previous | None = None
    if callable(previous):
        previous = previous()
    if previous is not None:
        before = _Previous.of(build_report(*previous, lookup=lookup, traffic=traffic, shares=shares))
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

    model = _assign_visits(all_pages, traffic)
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
    groups = _fingerprints(scored, len(audited), checks)
    fixes = order_fixes(
        _make_fix(fp, its, pages_by_url, checks[its[0].check_id], persona_shares, len(audited),
                  known[its[0].check_id])
        for fp, its in groups.values()
    )
    _tell_apart(fixes)
    max_priority = max((f.score.priority for f in fixes), default=0.0)
    for rank, f in enumerate(fixes, start=1):
        f.rank = rank
        f.score.visit_share = (sum(p.visits for p in f.pages) / model.total_visits) if model.total_visits else 0.0
        f.score.bar = scoring.bar(f.score.priority, max_priority, model.total_visits)
        for fp_ in f.pages:
            fp_.anchor = f"{f.anchor}--{fp_.page_anchor}"
        f.reason = _reason(f, model, len(audited))

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
        trend = _trend(fixes, before, {fx.url_path(p.url) for p in audited}, browser_mode)

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
