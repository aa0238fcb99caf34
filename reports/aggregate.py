"""Turn one run's pages and findings (as storage returns them) into a Report: problems, pages, coverage, summary."""

from __future__ import annotations

import os

import base64
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from audits.model import WCAG_SLUGS, Check, Kind, Outcome, Persona, Severity

SCREENSHOT_MAX_BYTES = 200 * 1024  # larger screenshots are not embedded (the HTML report must stay small)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
HTML_TYPES = ("text/html", "application/xhtml+xml")
SOURCE_ORDER = ("static", "axe", "browser", "media", "crawl")  # how "found by" is listed; others follow by name
SEVERITIES = sorted(Severity, key=lambda s: -s.rank)  # critical, serious, moderate, minor

Lookup = Callable[[str], "Check | None"]


# --- records ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WcagRef:
    sc: str  # "1.1.1"
    url: str  # its Understanding page
    name: str  # "non-text content" (from the page's slug); "" when not known


@dataclass(frozen=True)
class PersonaRef:
    id: str  # Persona value, "screen-reader"
    label: str  # "Blind and screen-reader users"


@dataclass
class RunInfo:
    id: int | None
    site: str
    start_url: str
    started_at: str | None
    finished_at: str | None
    status: str  # finished | interrupted | running | failed
    versions: dict[str, str | None]
    settings: dict[str, Any]
    stats: dict[str, Any]

    @property
    def partial(self) -> bool:
        """Anything but a finished crawl means pages are missing from the report."""
        return self.status != "finished"


@dataclass
class Element:
    """One failing (or to-review) element on one page."""

    selector: str
    snippet: str  # untrusted HTML: shown escaped, never rendered
    message: str
    severity: Severity
    sources: tuple[str, ...]
    data: dict[str, Any]
    screenshot_path: str | None = None  # as the finding gave it
    screenshot_uri: str | None = None  # data: URI when the PNG exists and is small enough


@dataclass
class ProblemPage:
    """The elements of one problem on one page."""

    url: str
    anchor: str  # id of this entry in the problem ("problem-x--page-3"): pages link here
    page_anchor: str  # id of the page in the page list: this entry links there
    page_title: str | None
    elements: list[Element]


@dataclass
class Problem:
    """All findings of one check with one outcome (fail, or needs-review), across pages."""

    check_id: str
    anchor: str
    title: str  # the passing condition
    failure_title: str  # what a visitor meets
    severity: Severity  # the worst severity among its findings (used for ordering)
    declared_severity: Severity | None  # the check's metadata; None for a check the registry does not know
    known: bool
    kind: str | None
    best_practice: bool
    wcag: list[WcagRef]
    personas: list[PersonaRef]
    how_to_fix: str
    sources: list[str]
    pages: list[ProblemPage]

    @property
    def pages_affected(self) -> int:
        return len(self.pages)

    @property
    def elements(self) -> int:
        return sum(len(p.elements) for p in self.pages)


@dataclass
class CheckError:
    """A check that could not run on a page (Outcome.ERROR): never a pass."""

    check_id: str
    title: str
    url: str
    page_anchor: str
    selector: str
    message: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class ProblemLink:
    """From a page to its entry in one problem."""

    check_id: str
    anchor: str  # the ProblemPage anchor
    failure_title: str
    severity: Severity
    elements: int


@dataclass
class Page:
    anchor: str
    url: str
    final_url: str | None
    status: int | None
    content_type: str | None
    depth: int | None
    title: str | None
    found_via: str | None
    inbound_links: int
    error: str | None
    redirect_chain: list[str]
    browser: dict[str, Any] | None  # None: no browser audit was attempted
    in_crawl: bool = True  # False: only known from a finding's URL
    problems: list[ProblemLink] = field(default_factory=list)
    reviews: list[ProblemLink] = field(default_factory=list)
    check_errors: list[CheckError] = field(default_factory=list)

    @property
    def is_html(self) -> bool:
        ct = (self.content_type or "").split(";")[0].strip().lower()
        return ct in HTML_TYPES

    @property
    def broken(self) -> bool:
        return self.status is not None and self.status >= 400

    @property
    def audited(self) -> bool:
        """An HTML page that answered with a page: the static checks ran on it."""
        return self.in_crawl and self.is_html and self.status is not None and self.status < 400 and not self.error

    @property
    def redirected(self) -> bool:
        return bool(self.redirect_chain) or bool(self.final_url and self.final_url != self.url)

    @property
    def browser_audited(self) -> bool:
        return bool(self.browser and self.browser.get("audited") and not self.browser.get("error"))

    @property
    def browser_failed(self) -> bool:
        return self.browser is not None and not self.browser_audited

    @property
    def browser_error(self) -> str | None:
        if not self.browser_failed:
            return None
        return (self.browser or {}).get("error") or "the browser audit did not run"


@dataclass
class Coverage:
    """What the crawl could and could not audit. Each list holds pages (the same objects as Report.pages)."""

    non_html: list[Page]
    broken: list[Page]
    redirects: list[Page]
    errors: list[Page]  # no usable response: unreachable, robots-blocked, timed out...
    browser_failures: list[Page]


@dataclass
class Summary:
    pages_crawled: int
    html_pages_audited: int
    browser_pages_audited: int
    browser_audits: str  # "none" (static checks only) | "some" | "all" (of the audited HTML pages)
    pages_with_problems: int
    problems: int
    problems_by_severity: dict[str, int]  # critical..minor, every key present
    elements: int
    review_checks: int
    review_elements: int
    could_not_check: int


@dataclass
class Report:
    run: RunInfo
    summary: Summary
    problems: list[Problem]
    needs_review: list[Problem]
    could_not_check: list[CheckError]
    pages: list[Page]
    coverage: Coverage


# --- ordering: the one place to replace with impact scoring -------------------------------------------------


def order_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Worst first: severity rank, then pages affected, then elements, then check id (so ties are deterministic).

    This is the only ordering rule of the report; a scoring module can replace it wholesale.
    """
    return sorted(problems, key=lambda p: (-p.severity.rank, -p.pages_affected, -p.elements, p.check_id))


# --- helpers -----------------------------------------------------------------------------------------------

_HTTP_URL = re.compile(r"^https?://[^\s/?#]+", re.IGNORECASE)


def http_url(url: Any) -> str | None:
    """`url` when it is safe to put in an href (http or https, no white space or control characters), else None."""
    if not isinstance(url, str) or not _HTTP_URL.match(url):
        return None
    if any(ord(c) <= 0x20 or ord(c) == 0x7F for c in url):
        return None
    return url


def screenshot_data_uri(path: Any, max_bytes: int = SCREENSHOT_MAX_BYTES) -> str | None:
    """A data: URI of the PNG at absolute `path`, or None when it is missing, not a PNG, or too large."""
    if not isinstance(path, str) or not path:
        return None
    p = Path(path)
    if not p.is_absolute():
        return None
    try:
        if not p.is_file() or p.stat().st_size >= max_bytes:
            return None
        raw = p.read_bytes()
    except OSError:
        return None
    if not raw.startswith(PNG_MAGIC) or len(raw) >= max_bytes:
        return None
    return "data:image/png;base64," + base64.b64encode(raw).decode("ascii")


def _severity(value: Any, default: Severity = Severity.MODERATE) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        return default


def _outcome(value: Any) -> Outcome:
    if value is None:
        return Outcome.FAIL
    try:
        return Outcome(value)
    except ValueError:
        return Outcome.ERROR  # an outcome we cannot read is never shown as a pass nor a failure


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "check"


def _natural_key(text: str) -> tuple:
    """'li:nth-of-type(10)' after 'li:nth-of-type(2)'."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text))


def _ordered_sources(sources: Iterable[str]) -> list[str]:
    unique = set(sources)
    known = [s for s in SOURCE_ORDER if s in unique]
    return known + sorted(unique - set(SOURCE_ORDER))


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _check_from_engine_data(check_id: str, data: dict[str, Any]) -> Check | None:
    """Metadata for a rule of an outside engine (axe-core) that is not in our registry, from what it reported."""
    help_text = data.get("help")
    if not isinstance(help_text, str) or not help_text:
        return None
    wcag = tuple(sc for sc in data.get("wcag") or () if isinstance(sc, str) and re.match(r"^[1-4]\.\d+\.\d+$", sc))
    personas = []
    for p in data.get("personas") or ():
        try:
            personas.append(Persona(p))
        except ValueError:
            pass
    try:
        severity = Severity(data.get("severity_declared") or _AXE_IMPACT.get(str(data.get("axe_impact")), "moderate"))
        url = data.get("help_url")
        return Check(
            id=check_id,
            title=help_text,
            failure_title=help_text,
            kind=Kind.BROWSER,
            severity=severity,
            wcag=wcag,
            personas=tuple(personas) or (Persona.SCREEN_READER,),
            func=lambda *_: (),
            how_to_fix=f"See axe-core's guidance: {url}" if isinstance(url, str) and url.startswith("https://") else "",
            best_practice=bool(data.get("best_practice")) or not wcag,
        )
    except ValueError:
        return None


_AXE_IMPACT = {"critical": "critical", "serious": "serious", "moderate": "moderate", "minor": "minor"}


def _default_lookup(check_id: str) -> Check | None:
    from audits import registry

    return registry.get(check_id)


# --- building ----------------------------------------------------------------------------------------------


def _run_info(run: dict[str, Any]) -> RunInfo:
    versions = dict(run.get("versions") or {})
    for key in ("empathy_audit", "scrapy", "python", "axe_core", "chromium"):
        versions.setdefault(key, None)
    return RunInfo(
        id=run.get("id"),
        site=str(run.get("site") or ""),
        start_url=str(run.get("start_url") or run.get("site") or ""),
        started_at=run.get("started_at"),
        finished_at=run.get("finished_at"),
        status=str(run.get("status") or "unknown"),
        versions=versions,
        settings=dict(run.get("settings") or {}),
        stats=dict(run.get("stats") or {}),
    )


def _page(d: dict[str, Any]) -> Page:
    browser = d.get("browser")
    return Page(
        anchor="",
        url=str(d.get("url") or ""),
        final_url=d.get("final_url"),
        status=_int_or_none(d.get("status")),
        content_type=d.get("content_type"),
        depth=_int_or_none(d.get("depth")),
        title=d.get("title"),
        found_via=d.get("found_via"),
        inbound_links=_int_or_none(d.get("inbound_links")) or 0,
        error=d.get("error"),
        redirect_chain=[str(u) for u in (d.get("redirect_chain") or [])],
        browser=dict(browser) if isinstance(browser, dict) else None,
    )


def _page_order(p: Page) -> tuple:
    return (p.depth if p.depth is not None else 1_000_000, p.url)


@dataclass
class _Item:
    """A parsed finding, before grouping."""

    check_id: str
    url: str
    outcome: Outcome
    element: Element


def _parse_finding(f: dict[str, Any], screenshots: dict[str, str | None], shots_base: str | None = None) -> _Item:
    data = dict(f.get("data") or {})
    shot = data.get("screenshot")
    shot_path = shot if isinstance(shot, str) and shot else None
    if shot_path is not None and shots_base and not os.path.isabs(shot_path):
        shot_path = os.path.join(shots_base, shot_path)  # browser screenshots are stored relative to the run's out dir
    if shot_path is not None and shot_path not in screenshots:
        screenshots[shot_path] = screenshot_data_uri(shot_path)
    return _Item(
        check_id=str(f.get("check_id") or "unknown"),
        url=str(f.get("url") or ""),
        outcome=_outcome(f.get("outcome")),
        element=Element(
            selector=str(f.get("selector") or ""),
            snippet=str(f.get("snippet") or ""),
            message=str(f.get("message") or ""),
            severity=_severity(f.get("severity")),
            sources=tuple(str(s) for s in (f.get("sources") or ())),
            data=data,
            screenshot_path=shot_path,
            screenshot_uri=screenshots.get(shot_path) if shot_path else None,
        ),
    )


def _dedupe(items: list[_Item]) -> list[_Item]:
    """Identical findings (same check, outcome, page, element and message) become one, their sources merged."""
    seen: dict[tuple, _Item] = {}
    out: list[_Item] = []
    for it in items:
        e = it.element
        key = (it.check_id, it.outcome, it.url, e.selector, e.snippet, e.message)
        first = seen.get(key)
        if first is None:
            seen[key] = it
            out.append(it)
            continue
        fe = first.element
        fe.sources = tuple(_ordered_sources((*fe.sources, *e.sources)))
        if e.severity.rank > fe.severity.rank:
            fe.severity = e.severity
        if fe.screenshot_uri is None and e.screenshot_uri is not None:
            fe.screenshot_path, fe.screenshot_uri = e.screenshot_path, e.screenshot_uri
    return out


def _make_problem(
    check_id: str,
    anchor: str,
    items: list[_Item],
    pages_by_url: dict[str, Page],
    check: Check | None,
) -> Problem:
    by_page: dict[str, list[Element]] = {}
    for it in items:
        by_page.setdefault(it.url, []).append(it.element)
    problem_pages: list[ProblemPage] = []
    for url, elements in by_page.items():
        page = pages_by_url[url]
        elements.sort(key=lambda e: (_natural_key(e.selector), e.message, e.snippet))
        problem_pages.append(
            ProblemPage(
                url=url,
                anchor=f"{anchor}--{page.anchor}",
                page_anchor=page.anchor,
                page_title=page.title,
                elements=elements,
            )
        )
    problem_pages.sort(key=lambda pp: _page_order(pages_by_url[pp.url]))
    worst = max((it.element.severity for it in items), key=lambda s: s.rank)
    sources = _ordered_sources(s for it in items for s in it.element.sources)
    if check is None:
        return Problem(
            check_id=check_id,
            anchor=anchor,
            title=check_id,
            failure_title=check_id,
            severity=worst,
            declared_severity=None,
            known=False,
            kind=None,
            best_practice=False,
            wcag=[],
            personas=[],
            how_to_fix="",
            sources=sources,
            pages=problem_pages,
        )
    return Problem(
        check_id=check_id,
        anchor=anchor,
        title=check.title,
        failure_title=check.failure_title,
        severity=worst,
        declared_severity=check.severity,
        known=True,
        kind=str(check.kind),
        best_practice=check.best_practice,
        wcag=[WcagRef(sc, url, WCAG_SLUGS.get(sc, "").replace("-", " ")) for sc, url in check.wcag_links],
        personas=[PersonaRef(str(p), Persona(p).label) for p in check.personas],
        how_to_fix=check.how_to_fix,
        sources=sources,
        pages=problem_pages,
    )


def build_report(
    run: dict[str, Any],
    pages: list[dict[str, Any]],
    findings: list[dict[str, Any]],
    *,
    lookup: Lookup | None = None,
) -> Report:
    """Group one run's findings into problems (FAIL), needs-review and could-not-check, and describe the crawl.

    `lookup` finds a check's metadata by id (default: audits.registry.get); an id it does not know falls back to
    the id as title and the findings' own severity.
    """
    lookup = lookup or _default_lookup
    info = _run_info(run)

    # Pages, in a stable order (start page first), each with an anchor.
    page_list = [_page(d) for d in pages]
    page_list.sort(key=_page_order)
    pages_by_url: dict[str, Page] = {}
    for p in page_list:
        pages_by_url.setdefault(p.url, p)
    for p in page_list:
        if p.final_url:
            pages_by_url.setdefault(p.final_url, p)

    screenshots: dict[str, str | None] = {}
    shots_base = (run.get("settings") or {}).get("AUDIT_OUT_DIR")
    items = _dedupe([_parse_finding(f, screenshots, shots_base if isinstance(shots_base, str) else None)
                     for f in findings])

    # A finding on a URL the crawl did not list still gets a page (so nothing is lost), after the crawled ones.
    extra: list[Page] = []
    for it in items:
        if it.url not in pages_by_url:
            page = Page(
                anchor="",
                url=it.url,
                final_url=None,
                status=None,
                content_type=None,
                depth=None,
                title=None,
                found_via=None,
                inbound_links=0,
                error=None,
                redirect_chain=[],
                browser=None,
                in_crawl=False,
            )
            pages_by_url[it.url] = page
            extra.append(page)
    extra.sort(key=lambda p: p.url)
    all_pages = page_list + extra
    for i, p in enumerate(all_pages, start=1):
        p.anchor = f"page-{i}"
    # Findings name the page by its URL or its final URL: group on the page's own URL.
    for it in items:
        it.url = pages_by_url[it.url].url
    pages_by_url.update({p.url: p for p in all_pages})

    checks: dict[str, Check | None] = {}
    for it in items:
        if it.check_id not in checks:
            checks[it.check_id] = lookup(it.check_id)
    raw_by_check: dict[str, dict[str, Any]] = {}
    for f in findings:
        raw_by_check.setdefault(str(f.get("check_id") or "unknown"), dict(f.get("data") or {}))
    for cid, chk in checks.items():
        if chk is None:
            checks[cid] = _check_from_engine_data(cid, raw_by_check.get(cid) or {})

    groups: dict[Outcome, dict[str, list[_Item]]] = {Outcome.FAIL: {}, Outcome.REVIEW: {}, Outcome.ERROR: {}}
    for it in items:
        groups[it.outcome].setdefault(it.check_id, []).append(it)

    used_anchors: set[str] = set()

    def anchor_for(prefix: str, check_id: str) -> str:
        base = f"{prefix}-{_slug(check_id)}"
        anchor, n = base, 2
        while anchor in used_anchors:
            anchor, n = f"{base}-{n}", n + 1
        used_anchors.add(anchor)
        return anchor

    problems = order_problems(
        _make_problem(cid, anchor_for("problem", cid), its, pages_by_url, checks[cid])
        for cid, its in sorted(groups[Outcome.FAIL].items())
    )
    reviews = order_problems(
        _make_problem(cid, anchor_for("review", cid), its, pages_by_url, checks[cid])
        for cid, its in sorted(groups[Outcome.REVIEW].items())
    )

    errors: list[CheckError] = []
    for cid, its in groups[Outcome.ERROR].items():
        check = checks[cid]
        for it in its:
            page = pages_by_url[it.url]
            errors.append(
                CheckError(
                    check_id=cid,
                    title=check.title if check else cid,
                    url=it.url,
                    page_anchor=page.anchor,
                    selector=it.element.selector,
                    message=it.element.message,
                    sources=it.element.sources,
                )
            )
    errors.sort(key=lambda e: (e.check_id, _page_order(pages_by_url[e.url]), e.selector, e.message))

    # Links from pages back to the problems.
    for group, attr in ((problems, "problems"), (reviews, "reviews")):
        for prob in group:
            for pp in prob.pages:
                getattr(pages_by_url[pp.url], attr).append(
                    ProblemLink(prob.check_id, pp.anchor, prob.failure_title, prob.severity, len(pp.elements))
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

    audited = [p for p in all_pages if p.audited]
    browser_done = [p for p in audited if p.browser_audited]
    if not any(p.browser is not None for p in crawled):
        browser_mode = "none"
    elif audited and len(browser_done) == len(audited):
        browser_mode = "all"
    else:
        browser_mode = "some"
    by_severity = {str(s): 0 for s in SEVERITIES}
    for prob in problems:
        by_severity[str(prob.severity)] += 1
    summary = Summary(
        pages_crawled=len(crawled),
        html_pages_audited=len(audited),
        browser_pages_audited=len(browser_done),
        browser_audits=browser_mode,
        pages_with_problems=sum(1 for p in all_pages if p.problems),
        problems=len(problems),
        problems_by_severity=by_severity,
        elements=sum(p.elements for p in problems),
        review_checks=len(reviews),
        review_elements=sum(p.elements for p in reviews),
        could_not_check=len(errors),
    )
    return Report(
        run=info,
        summary=summary,
        problems=problems,
        needs_review=reviews,
        could_not_check=errors,
        pages=all_pages,
        coverage=coverage,
    )
