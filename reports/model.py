"""The report model: the records a Report is made of (run, pages, fixes, elements, personas, trend, summary).

Built by reports.aggregate from the stored run, read by the writers. Nothing here computes a score or a grouping.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from empathy_audit.audits.model import Check, Outcome, Persona, Severity
from empathy_audit.reports import counts as cn
from empathy_audit.reports import fixes as fx
from empathy_audit.reports import scoring
from empathy_audit.reports import wording as w

HTML_TYPES = ("text/html", "application/xhtml+xml")
SEVERITIES = sorted(Severity, key=lambda s: -s.rank)  # critical, serious, moderate, minor
MAX_EXAMPLES = 3  # example elements shown with each fix

Lookup = Callable[[str], "Check | None"]


# --- records ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WcagRef:
    sc: str  # "1.1.1"
    url: str  # its Understanding page
    name: str  # "non text content" (from the page's slug); "" when not known


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

    @property
    def ignored_checks(self) -> list[str]:
        """Checks the user turned off (--ignore-check): their barriers are not in this report."""
        return sorted(self.settings.get("AUDIT_IGNORE_CHECKS") or [])

    @property
    def limits_hit(self) -> list[str]:
        """The limits that cut the crawl short, one sentence each, in the terminal's words (counts.limit_sentences)."""
        return cn.limit_sentences(self.stats.get("limits_hit") or {})

    @property
    def excluded_selectors(self) -> list[str]:
        """Elements the user kept out of the audit (--exclude-selector), with everything inside them."""
        return list(self.settings.get("AUDIT_EXCLUDE_SELECTORS") or [])


@dataclass
class Element:
    """One failing (or to-review) element on one page."""

    selector: str
    snippet: str  # untrusted HTML: shown escaped, never rendered
    message: str
    severity: Severity
    sources: tuple[str, ...]
    data: dict[str, Any]
    outcome: Outcome = Outcome.FAIL
    screenshot_path: str | None = None  # as the finding gave it
    screenshot_uri: str | None = None  # data: URI when the PNG exists and is small enough

    @property
    def inferred_from(self) -> str | None:
        """The representative page a browser finding was projected from (browser sampling); None when found here."""
        v = self.data.get("inferred_from")
        return str(v) if v else None


@dataclass
class FixPage:
    """One page of a fix: its elements and what the page adds to the fix's score."""

    url: str
    anchor: str  # id of this entry in the fix ("fix-...--page-3"): pages link here
    page_anchor: str  # id of the page in the page list
    page_title: str | None
    elements: list[Element]
    outcome: Outcome  # FAIL when any element fails, else REVIEW
    visits: float  # V(p): visits a month (analytics) or share of visits (proxy)
    journey: str | None  # the key task of the page or of the element's form ("buying"), None when none
    journey_multiplier: float  # J
    occurrence_factor: float  # g(n)
    confidence: float  # c
    confidence_basis: str  # key of scoring.CONFIDENCE
    bve: float  # this page's part of the fix's BVE


class _PersonaNames:
    """How templates name the persona of a record that has a `persona` field."""

    persona: Persona

    @property
    def id(self) -> str:
        return str(self.persona)

    @property
    def label(self) -> str:
        return self.persona.label

    @property
    def words(self) -> str:
        return w.PERSONA_WORDS[self.persona]


@dataclass
class PersonaHarm(_PersonaNames):
    """How a fix hurts one persona."""

    persona: Persona
    role: str  # P primary, S secondary, M minor (IMPACT.md section 4)
    harm: float  # S_k, 0..1
    share: float  # pi_k
    bve: float  # this persona's part of the fix's BVE
    how: str  # one line: what the persona meets



    @property
    def level(self) -> str:
        """'blocks', 'serious', 'moderate', 'minor': the harm in words."""
        if self.harm >= 1.0:
            return "blocks"
        if self.harm >= 0.7:
            return "serious"
        if self.harm >= 0.3:
            return "moderate"
        return "minor"


@dataclass
class Score:
    bve: float  # blocked-visit equivalents a month (analytics) or as a share of visits (proxy)
    affected: float  # visits (or share) that meet the barrier, upper bound
    visit_share: float  # share of the site's visits that land on the fix's pages
    effort: float  # E
    priority: float  # BVE / E
    confidence: float  # visit-weighted c over its pages
    bar: int = 0  # 0..100, log scale, for the chart
    impact: float | None = None  # the impact score (reports.counts): BVE per 1,000 visits; None for a thing to check


@dataclass
class Fix:
    """Every finding one change repairs: one check, one fingerprint, all its pages."""

    fingerprint: fx.Fingerprint
    anchor: str
    check_id: str
    title: str  # the passing condition
    failure_title: str  # what a visitor meets
    severity: Severity  # worst among its findings
    declared_severity: Severity | None
    known: bool
    kind: str | None
    best_practice: bool
    wcag: list[WcagRef]
    how_to_fix: str
    sources: list[str]
    outcome: Outcome  # FAIL, or REVIEW when every finding needs a person to decide
    component: fx.Component
    personas: list[PersonaHarm]
    pages: list[FixPage]
    score: Score
    task: str  # what it gets in the way of ("buying", "using buttons")
    journey: str | None  # the key task when it sits on a key journey
    blocker: bool  # lane "Fix first: blocks a key task"
    rank: int = 0  # position among the fixes to make, from 1; 0 for a thing to check (not ranked)
    reason: str = ""
    trend: str | None = None  # "new" | "unchanged"; None when there is no previous run to compare with
    pages_before: int | None = None  # pages in the previous run, for unchanged fixes
    bandwidth: dict[str, Any] | None = None  # HOOK: bytes and seconds saved, for media fixes
    contrast: dict[str, Any] | None = None  # colour fixes: fg, bg, size, ratio, expected (the worst text of the pair)
    budget: bool = False  # its check is a page's byte budget (Check.budget): --fail-on-budget fails on it

    @property
    def id(self) -> str:
        return self.fingerprint.id

    @property
    def to_check(self) -> bool:
        """A thing to check by a person (reports.counts): not ranked, not scored, never gated."""
        return cn.is_to_check(self)

    @property
    def lane(self) -> str:
        """'blocker' (fix first), 'ranked', or 'to-check' (to check by a person, after every fix to make)."""
        return "to-check" if self.to_check else "blocker" if self.blocker else "ranked"

    detail: str = ""  # tells apart fixes that would otherwise share a heading ("#phone")

    @property
    def heading(self) -> str:
        base = f"{self.failure_title}: {self.component.name}"
        return f"{base} ({self.detail})" if self.detail else base

    @property
    def pages_affected(self) -> int:
        return len(self.pages)

    @property
    def elements(self) -> int:
        return sum(len(p.elements) for p in self.pages)

    @property
    def max_harm(self) -> float:
        return max((p.harm for p in self.personas), default=0.0)

    @property
    def examples(self) -> list[tuple[FixPage, Element]]:
        """Up to MAX_EXAMPLES elements, one per page first, those with a screenshot, then those found on their own
        page (not inferred from a representative), preferred."""
        firsts = [(pp, pp.elements[0]) for pp in self.pages if pp.elements]
        firsts.sort(key=lambda pe: (pe[1].screenshot_uri is None, pe[1].inferred_from is not None))
        return firsts[:MAX_EXAMPLES]


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
class FixLink:
    """From a page to its entry in one fix."""

    fix_id: str
    anchor: str  # the FixPage anchor
    fix_anchor: str
    rank: int  # 0 for a thing to check
    heading: str
    severity: Severity
    outcome: Outcome
    blocker: bool
    elements: int

    @property
    def to_check(self) -> bool:
        return self.outcome is not Outcome.FAIL


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
    sitemap_priority: float | None = None
    in_crawl: bool = True  # False: only known from a finding's URL
    inferred_from_anchor: str = ""  # the representative's anchor in the page list, when it is there
    importance: float = 0.0  # I(p), the structural proxy
    visits: float = 0.0  # V(p) in the model's unit
    visit_share: float = 0.0  # V(p) / total
    in_traffic: bool = False  # V(p) came from the analytics file
    journey: str | None = None  # key task of the page from its URL
    fixes: list[FixLink] = field(default_factory=list)
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
    def browser_inferred(self) -> bool:
        """Not loaded in a browser: browser sampling (crawler/sampling.py) inferred its browser findings from a
        representative of its template. Neither a failure nor an audit."""
        return bool(self.browser and self.browser.get("inferred") and not self.browser_audited
                    and not self.browser.get("error"))

    @property
    def inferred_from(self) -> str | None:
        """The representative page this page's browser findings were inferred from."""
        return str(self.browser.get("inferred_from") or "") or None if self.browser_inferred and self.browser else None

    @property
    def template(self) -> str | None:
        """The page's layout signature, when browser sampling was on."""
        t = (self.browser or {}).get("template")
        return str(t) if t else None

    @property
    def browser_representative(self) -> bool:
        return bool(self.browser_audited and (self.browser or {}).get("representative"))

    @property
    def browser_failed(self) -> bool:
        return self.browser is not None and not self.browser_audited and not self.browser_inferred

    @property
    def browser_error(self) -> str | None:
        if not self.browser_failed:
            return None
        return (self.browser or {}).get("error") or "the browser audit did not run"

    @property
    def failing(self) -> list[FixLink]:
        return [f for f in self.fixes if f.outcome is Outcome.FAIL]

    @property
    def reviews(self) -> list[FixLink]:
        return [f for f in self.fixes if f.outcome is Outcome.REVIEW]


@dataclass
class Coverage:
    """What the crawl could and could not audit. Each list holds pages (the same objects as Report.pages)."""

    non_html: list[Page]
    broken: list[Page]
    redirects: list[Page]
    errors: list[Page]  # no usable response: unreachable, robots-blocked, timed out...
    browser_failures: list[Page]


@dataclass
class PersonaView(_PersonaNames):
    """What one persona meets on the site: the fixes that hurt them, worst for them first."""

    persona: Persona
    share: float  # pi_k
    fixes: list[tuple[Fix, PersonaHarm]]
    pages_hit: int  # audited pages with at least one failing barrier for them
    visit_share_hit: float  # share of the site's visits that land on such a page
    blocker_pages: int  # pages where a barrier blocks them (harm 1.0)
    bve: float


    @property
    def singular(self) -> str:
        return w.PERSONA_SINGULAR[self.persona]


    @property
    def failing(self) -> list[tuple[Fix, PersonaHarm]]:
        return [(f, h) for f, h in self.fixes if f.outcome is Outcome.FAIL]


@dataclass
class GoneFix:
    """A fix of the previous run whose fingerprint this run did not find."""

    fingerprint: str
    check_id: str
    heading: str
    pages: list[str]  # URL paths in the previous run
    rechecked: bool  # at least one of its pages was audited again: it is fixed (else: not checked this time)


@dataclass
class Trend:
    previous_run_id: int | None
    previous_finished_at: str | None
    comparable: bool  # both runs used the same engines
    note: str  # "" or why the comparison is rough
    new: list[Fix]
    unchanged: list[Fix]
    fixed: list[GoneFix]
    not_rechecked: list[GoneFix]


@dataclass
class Model:
    """The assumptions behind the scores, shown in the report ("how fixes are ranked")."""

    traffic: str  # "analytics" | "proxy"
    traffic_source: str | None  # file name of the analytics CSV
    total_visits: float  # sum of V over audited pages: visits a month, or 1.0 (shares)
    pages_in_traffic: int  # audited pages found in the analytics file
    pages_estimated: int  # audited pages whose visits come from the proxy
    shares: dict[Persona, float]
    version: str = scoring.MODEL_VERSION

    @property
    def counts_visits(self) -> bool:
        return self.traffic == "analytics"


@dataclass
class Summary:
    pages_crawled: int
    html_pages_audited: int
    browser_pages_audited: int
    browser_audits: str  # "none" (static checks only) | "some" | "all" (of the audited HTML pages)
    browser_pages_inferred: int  # audited HTML pages whose browser findings were inferred from a representative
    browser_templates: int  # templates those pages belong to
    counts: cn.Counts  # fixes to make, by severity, elements, pages, things to check: THE numbers of every output
    template_fixes: int  # of the fixes to make, those one change repairs on several pages
    could_not_check: int


@dataclass
class Report:
    run: RunInfo
    summary: Summary
    model: Model
    fixes: list[Fix]  # the order of the report: fixes to make (blockers, then by priority), then things to check
    personas: list[PersonaView]
    trend: Trend | None
    could_not_check: list[CheckError]
    pages: list[Page]
    coverage: Coverage
    bandwidth: Any = None  # HOOK: the low-bandwidth view (media issue); None until that lands

    @property
    def blockers(self) -> list[Fix]:
        return [f for f in self.fixes if f.lane == "blocker"]

    @property
    def ranked(self) -> list[Fix]:
        """The fixes to make that do not block a key task, by priority."""
        return [f for f in self.fixes if f.lane == "ranked"]

    @property
    def failing(self) -> list[Fix]:
        """The fixes to make: blockers, then ranked."""
        return [f for f in self.fixes if not f.to_check]

    @property
    def to_check(self) -> list[Fix]:
        """Things to check by a person, after every fix to make."""
        return [f for f in self.fixes if f.to_check]

    @property
    def top(self) -> list[Fix]:
        return self.failing[:5]
