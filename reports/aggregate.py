"""Turn one run (as the store returns it) into a Report of ranked fixes: who each hurts, how much, and why.

Findings become fixes (reports.grouping, one fingerprint per change: reports.fixes), each fix is scored
(reports.fix_builder, with reports.scoring: the model of ../shared/design/IMPACT.md and its one table of
constants), put in the one order (reports.ranking), given a plain-English reason (reports.reasons) and a trend
against the previous run of the same site (reports.trend). Writers only render what is built here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from empathy_audit.audits import registry
from empathy_audit.audits.browser import axe_map
from empathy_audit.audits.model import Check, Outcome, Persona
from empathy_audit.crawler.store.records import FindingRecord, PageRecord, RunRecord
from empathy_audit.reports import counts as cn
from empathy_audit.reports import fixes as fx
from empathy_audit.reports import savings, scoring
from empathy_audit.reports import wording as w
from empathy_audit.reports.fix_builder import make_fix
from empathy_audit.reports.grouping import group_findings, tell_apart
from empathy_audit.reports.model import (
    CheckError,
    Coverage,
    Fix,
    FixLink,
    Lookup,
    Model,
    Page,
    PersonaView,
    Report,
    Summary,
)
from empathy_audit.reports.ranking import order_fixes
from empathy_audit.reports.reasons import reason
from empathy_audit.reports.rows import (
    Item,
    RunInputs,
    dedupe,
    page_order,
    page_record,
    parse_finding,
    run_info,
)
from empathy_audit.reports.traffic import Traffic
from empathy_audit.reports.trend import Previous
from empathy_audit.reports.trend import trend as fix_trend
from empathy_audit.reports.visits import assign_visits

__all__ = ["build_report", "http_url", "order_fixes"]

_HTTP_URL = re.compile(r"^https?://[^\s/?#]+", re.IGNORECASE)


def http_url(url: Any) -> str | None:
    """`url` when it is safe to put in an href (http or https, no white space or control characters), else None."""
    if not isinstance(url, str) or not _HTTP_URL.match(url):
        return None
    if any(ord(c) <= 0x20 or ord(c) == 0x7F for c in url):
        return None
    return url


def _default_lookup(check_id: str) -> Check | None:
    return registry.get(check_id)


# --- the report, step by step ------------------------------------------------------------------------------------


def build_report(
    run: RunRecord,
    pages: list[PageRecord],
    findings: list[FindingRecord],
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
    before = _previous(previous, lookup=lookup, traffic=traffic, shares=shares)
    previous = None  # the previous run's rows go now: only its summary (`before`) is kept
    persona_shares = _persona_shares(shares)

    crawled_pages, pages_by_url = _crawled_pages(pages)
    items = _items(findings, run)
    all_pages = _add_pages_of_findings(crawled_pages, items, pages_by_url)
    checks, known = _checks(items, lookup)

    model = assign_visits(all_pages, traffic)
    model.shares = persona_shares
    audited = [p for p in all_pages if p.audited]
    fixes = _fixes(items, checks, known, pages_by_url, persona_shares, len(audited))
    _rank(fixes, model, len(audited))
    errors = _check_errors(items, checks, pages_by_url)
    _link_pages(fixes, errors, pages_by_url)

    crawled = [p for p in all_pages if p.in_crawl]
    browser_mode = _browser_mode(crawled, audited)
    return Report(
        run=run_info(run),
        summary=_summary(crawled, audited, fixes, errors, browser_mode),
        model=model,
        fixes=fixes,
        personas=_persona_views(fixes, audited, persona_shares, model),
        trend=(fix_trend(fixes, before, {fx.url_path(p.url) for p in audited}, browser_mode)
               if before is not None else None),
        could_not_check=errors,
        pages=all_pages,
        coverage=_coverage(crawled),
    )


def _previous(previous: RunInputs | Callable[[], RunInputs | None] | None, *, lookup: Lookup,
              traffic: Traffic | None, shares: Mapping[Persona | str, float] | None) -> Previous | None:
    """What the trend needs of the previous run: its report built (loading the run first when given a function)
    and kept as a summary, so its rows can go before this run's report is built."""
    if callable(previous):
        previous = previous()
    if previous is None:
        return None
    return Previous.of(build_report(*previous, lookup=lookup, traffic=traffic, shares=shares))


def _persona_shares(shares: Mapping[Persona | str, float] | None) -> dict[Persona, float]:
    """pi_k: scoring.PERSONA_SHARES with the caller's overrides."""
    out = dict(scoring.PERSONA_SHARES)
    for k, v in (shares or {}).items():
        out[Persona(k)] = float(v)
    return out


# --- pages and findings --------------------------------------------------------------------------------------------


def _crawled_pages(pages: Iterable[PageRecord]) -> tuple[list[Page], dict[str, Page]]:
    """The crawled pages in a stable order (start page first), and each by its URL and then its final URL."""
    page_list = [page_record(d) for d in pages]
    page_list.sort(key=page_order)
    pages_by_url: dict[str, Page] = {}
    for p in page_list:
        pages_by_url.setdefault(p.url, p)
    for p in page_list:
        if p.final_url:
            pages_by_url.setdefault(p.final_url, p)
    return page_list, pages_by_url


def _items(findings: list[FindingRecord], run: RunRecord) -> list[Item]:
    """The run's findings parsed once, duplicates merged (screenshots read once each)."""
    # Bytes saved count once: page-weight keeps only the bytes no fix to one of its page's files accounts for.
    netted = savings.net_page_weight(list(findings))
    screenshots: dict[str, str | None] = {}
    shots_base = run.settings.get("AUDIT_OUT_DIR")
    return dedupe([parse_finding(f, screenshots, shots_base if isinstance(shots_base, str) else None)
                   for f in netted])


def _add_pages_of_findings(crawled: list[Page], items: list[Item], pages_by_url: dict[str, Page]) -> list[Page]:
    """Every page of the report, anchored: the crawled ones, then one for each URL only a finding names (so nothing
    is lost). Findings are moved onto their page's own URL (they name it by its URL or its final URL)."""
    extra: list[Page] = []
    for it in items:
        if it.url not in pages_by_url:
            page = Page(anchor="", url=it.url, final_url=None, status=None, content_type=None, depth=None, title=None,
                        found_via=None, inbound_links=0, error=None, redirect_chain=[], browser=None, in_crawl=False)
            pages_by_url[it.url] = page
            extra.append(page)
    extra.sort(key=lambda p: p.url)
    all_pages = crawled + extra
    for i, p in enumerate(all_pages, start=1):
        p.anchor = f"page-{i}"
    for it in items:
        it.url = pages_by_url[it.url].url
    pages_by_url.update({p.url: p for p in all_pages})
    for p in all_pages:
        rep = pages_by_url.get(p.inferred_from or "")
        if rep is not None:
            p.inferred_from_anchor = rep.anchor
    return all_pages


def _checks(items: list[Item], lookup: Lookup) -> tuple[dict[str, Check | None], dict[str, bool]]:
    """Each check id's metadata, and whether it is one of ours (`known`); an axe rule outside the registry is
    described by what axe reported on its first finding."""
    checks: dict[str, Check | None] = {}
    first_data: dict[str, dict[str, Any]] = {}
    for it in items:
        if it.check_id not in checks:
            checks[it.check_id] = lookup(it.check_id)
            first_data[it.check_id] = it.element.data
    known = {cid: chk is not None for cid, chk in checks.items()}
    for cid, chk in checks.items():
        if chk is None:
            checks[cid] = axe_map.rule_check(cid, dict(first_data[cid]))
    return checks, known


# --- fixes ---------------------------------------------------------------------------------------------------------


def _fixes(items: list[Item], checks: Mapping[str, Check | None], known: Mapping[str, bool],
           pages_by_url: dict[str, Page], shares: Mapping[Persona, float], audited_count: int) -> list[Fix]:
    """The failures and reviews grouped into fixes, each scored, in the report's order, their headings told apart."""
    scored = [it for it in items if it.outcome in (Outcome.FAIL, Outcome.REVIEW)]
    groups = group_findings(scored, audited_count, checks)
    fixes = order_fixes(
        make_fix(fp, its, pages_by_url, checks[its[0].check_id], shares, audited_count, known[its[0].check_id])
        for fp, its in groups.values()
    )
    tell_apart(fixes)
    return fixes


def _rank(fixes: list[Fix], model: Model, audited_count: int) -> None:
    """Rank, impact score and chart bar of each fix to make (things to check by a person have none), and the share
    of visits, page anchors and reason of every fix (in the report's order)."""
    max_priority = max((f.score.priority for f in fixes if not f.to_check), default=0.0)
    rank = 0
    for f in fixes:
        if not f.to_check:
            rank += 1
            f.rank = rank
            f.score.bar = scoring.bar(f.score.priority, max_priority, model.total_visits)
            f.score.impact = (1000.0 * f.score.bve / model.total_visits) if model.total_visits > 0 else 0.0
        f.score.visit_share = (sum(p.visits for p in f.pages) / model.total_visits) if model.total_visits else 0.0
        for fp in f.pages:
            fp.anchor = f"{f.anchor}--{fp.page_anchor}"
        f.reason = reason(f, model, audited_count)


def _check_errors(items: list[Item], checks: Mapping[str, Check | None],
                  pages_by_url: dict[str, Page]) -> list[CheckError]:
    """The checks that could not run, by check and page."""
    errors: list[CheckError] = []
    for it in items:
        if it.outcome is not Outcome.ERROR:
            continue
        check = checks.get(it.check_id)
        errors.append(CheckError(check_id=it.check_id, title=check.title if check else it.check_id, url=it.url,
                                 page_anchor=pages_by_url[it.url].anchor, selector=it.element.selector,
                                 message=it.element.message, sources=it.element.sources))
    errors.sort(key=lambda e: (e.check_id, page_order(pages_by_url[e.url]), e.selector, e.message))
    return errors


def _link_pages(fixes: list[Fix], errors: list[CheckError], pages_by_url: dict[str, Page]) -> None:
    """Links from each page back to its fixes and to the checks that could not run on it."""
    for f in fixes:
        for fp in f.pages:
            pages_by_url[fp.url].fixes.append(
                FixLink(f.id, fp.anchor, f.anchor, f.rank, f.heading, f.severity, fp.outcome, f.blocker,
                        len(fp.elements))
            )
    for err in errors:
        pages_by_url[err.url].check_errors.append(err)


# --- the crawl, the summary and the personas ---------------------------------------------------------------------


def _coverage(crawled: list[Page]) -> Coverage:
    return Coverage(
        non_html=[p for p in crawled if not p.is_html and not p.broken and not p.error and p.status is not None],
        broken=[p for p in crawled if p.broken],
        redirects=[p for p in crawled if p.redirected],
        errors=[p for p in crawled if p.error and not p.broken],
        browser_failures=[p for p in crawled if p.browser_failed],
    )


def _browser_mode(crawled: list[Page], audited: list[Page]) -> str:
    """'none' (static checks only), 'all' (every audited page audited or inferred in a browser) or 'some'."""
    if not any(p.browser is not None for p in crawled):
        return "none"
    done = sum(1 for p in audited if p.browser_audited) + sum(1 for p in audited if p.browser_inferred)
    return "all" if audited and done == len(audited) else "some"


def _summary(crawled: list[Page], audited: list[Page], fixes: list[Fix], errors: list[CheckError],
             browser_mode: str) -> Summary:
    inferred = [p for p in audited if p.browser_inferred]
    return Summary(
        pages_crawled=len(crawled),
        html_pages_audited=len(audited),
        browser_pages_audited=sum(1 for p in audited if p.browser_audited),
        browser_audits=browser_mode,
        browser_pages_inferred=len(inferred),
        browser_templates=len({p.template or p.inferred_from or p.url for p in inferred}),
        counts=cn.count(fixes),
        template_fixes=sum(1 for f in fixes if not f.to_check and f.component.template and f.pages_affected > 1),
        could_not_check=len(errors),
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
