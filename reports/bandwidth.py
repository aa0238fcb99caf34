"""The low-bandwidth section of the report: what each page costs a visitor on a slow or prepaid connection.

`build_bandwidth(run, pages, resources, findings)` takes one run as the store returns it (`Store.load_run` gives
run, pages and findings; `Store.load_resources` gives resources: crawler.store.records) and returns a `Bandwidth`,
or None when the run measured nothing (media audit off, or a run older than it). Render it with
partials/_bandwidth.html.j2 as `report.bandwidth`; `Bandwidth.to_dict()` is its JSON form.

Per page: bytes and requests by resource type, the Slow 4G load-time floor and the cost of one visit in a handful of
countries. Site-wide: the media fixes ordered by the bytes they save per visit, a file shared by many pages counted
once (a visitor downloads it once, then has it cached), and what they save together, each file once
(reports.savings, the model the ranking uses too). Constants and sources: audits/media/_network.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from statistics import median
from typing import Any
from urllib.parse import urlsplit

from empathy_audit.audits.families import Need
from empathy_audit.audits.media import _network as net
from empathy_audit.audits.media._model import TYPE_LABELS, TYPES
from empathy_audit.audits.model import Outcome
from empathy_audit.audits.registry import by_need
from empathy_audit.audits.registry import get as registry_get
from empathy_audit.crawler.store.records import FindingRecord, PageRecord, ResourceRecord, RunRecord
from empathy_audit.reports import savings

CHART_PAGES = 10  # heaviest pages drawn in the chart (the table lists them all)
# Bar colours: each at least 3:1 against white (WCAG 1.4.11), told apart by the legend and the table, not colour alone.
TYPE_COLOURS = {
    "document": "#1b4f72",
    "stylesheet": "#6c3483",
    "script": "#8a5a00",
    "font": "#0e6655",
    "image": "#a93226",
    "media": "#1d6a39",
    "other": "#4d5656",
}


@dataclass
class TypeShare:
    type: str
    label: str
    bytes: int
    requests: int

    @property
    def size(self) -> str:
        return net.size_label(self.bytes)


@dataclass
class Cost:
    country: str
    year: int
    usd: float

    @property
    def label(self) -> str:
        """Per visit: 'US$0.278', 'US$0.0011'."""
        return f"US${self.usd:.4f}" if self.usd < 0.01 else f"US${self.usd:.3f}"

    @property
    def per_thousand(self) -> str:
        """Per 1,000 visits, where small pages still show a figure: 'US$0.24', 'US$277.77'."""
        return f"US${self.usd * 1000:,.2f}"


@dataclass
class Unmeasured:
    url: str
    type: str
    reason: str


@dataclass
class PageFix:
    check_id: str
    title: str
    resource: str | None
    bytes_saved: int
    seconds_saved: float
    repeat_visits: bool = False  # caching: the saving is on return visits

    @property
    def saving(self) -> str:
        return f"{net.size_label(self.bytes_saved)}, {net.seconds_label(self.seconds_saved)}"


@dataclass
class PageWeight:
    url: str
    path: str  # short form for labels: "/products/x.html"
    title: str
    bytes: int  # measured bytes of the page and what it loads (unmeasured count 0: "at least")
    requests: int
    types: list[TypeShare]  # every type, in TYPES order (zeros included: table columns)
    unmeasured: list[Unmeasured]
    load_seconds: float
    over_budget: bool
    costs: list[Cost]
    fixes: list[PageFix]  # this page's media fixes, largest saving first

    @property
    def size(self) -> str:
        return ("at least " if self.unmeasured else "") + net.size_label(self.bytes)

    @property
    def load(self) -> str:
        return net.seconds_label(self.load_seconds)

    @property
    def dearest(self) -> Cost | None:
        return max(self.costs, key=lambda c: c.usd) if self.costs else None

    def type_bytes(self, type_: str) -> int:
        return next((t.bytes for t in self.types if t.type == type_), 0)


@dataclass
class SiteFix:
    """One change (a check on one resource, or on one page), with what it saves per visit, counted once."""

    check_id: str
    title: str
    how_to_fix: str
    resource: str | None
    pages: list[str]
    bytes_saved: int  # per visit that loads the resource (a shared file: once, however many pages use it)
    seconds_saved: float
    repeat_visits: bool  # the saving is on return visits (caching)
    message: str

    @property
    def saving(self) -> str:
        return net.size_label(self.bytes_saved)

    @property
    def seconds(self) -> str:
        return net.seconds_label(self.seconds_saved)

    @property
    def label(self) -> str:
        return _short(self.resource) if self.resource else (_short(self.pages[0]) if self.pages else "")


@dataclass
class Segment:
    type: str
    label: str
    x: float
    width: float
    colour: str
    bytes: int


@dataclass
class Bar:
    page: PageWeight
    y: float
    segments: list[Segment]
    end: float  # x where the bar ends (the value label goes after it)


@dataclass
class Chart:
    width: int
    height: int
    label_width: int
    plot_width: int
    bar_height: int
    bars: list[Bar]
    ticks: list[tuple[float, str]]  # (x, label)
    budget_x: float | None
    legend: list[tuple[str, str, str]]  # (type, label, colour)
    max_bytes: int


@dataclass
class Constant:
    name: str
    value: str
    source: str


@dataclass
class Bandwidth:
    budget_bytes: int
    pages: list[PageWeight]  # heaviest first
    fixes: list[SiteFix]  # largest saving first
    chart: Chart
    prices: list[net.DataPrice]
    constants: list[Constant]
    unmeasured: list[Unmeasured]  # every resource not measured, once per URL
    median_bytes: int
    over_budget: int  # pages over the budget
    notes: list[str] = field(default_factory=list)
    bytes_saved: int = 0  # every first-visit fix together, each file once (reports.savings.site_bytes_saved)

    @property
    def budget(self) -> str:
        return net.size_label(self.budget_bytes)

    @property
    def median(self) -> str:
        return net.size_label(self.median_bytes)

    @property
    def saved(self) -> str:
        return net.size_label(self.bytes_saved)

    @property
    def heaviest(self) -> PageWeight | None:
        return self.pages[0] if self.pages else None

    def to_dict(self) -> dict[str, Any]:
        def page(p: PageWeight) -> dict[str, Any]:
            return {
                "url": p.url, "title": p.title, "bytes": p.bytes, "requests": p.requests,
                "by_type": {t.type: {"bytes": t.bytes, "requests": t.requests} for t in p.types},
                "load_seconds_slow_4g": round(p.load_seconds, 2), "over_budget": p.over_budget,
                "cost_usd": {c.country: round(c.usd, 6) for c in p.costs},
                "unmeasured": [asdict(u) for u in p.unmeasured],
                "fixes": [asdict(f) for f in p.fixes],
            }

        return {
            "budget_bytes": self.budget_bytes,
            "median_bytes": self.median_bytes,
            "pages_over_budget": self.over_budget,
            "bytes_saved": self.bytes_saved,
            "pages": [page(p) for p in self.pages],
            "fixes": [
                {"check_id": f.check_id, "resource": f.resource, "pages": f.pages, "bytes_saved": f.bytes_saved,
                 "seconds_saved": round(f.seconds_saved, 2), "repeat_visits": f.repeat_visits}
                for f in self.fixes
            ],
            "unmeasured": [asdict(u) for u in self.unmeasured],
            "prices": [asdict(p) for p in self.prices],
            "model": {c.name: c.value for c in self.constants},
        }


def _short(url: str | None) -> str:
    if not url:
        return ""
    p = urlsplit(url)
    path = p.path or "/"
    return path + (f"?{p.query}" if p.query else "")


@cache
def _media_checks() -> frozenset[str]:
    """Ids of the checks of every family that reads what a page downloads (Need.RESOURCES): the media checks."""
    return frozenset(c.id for _, checks in by_need(Need.RESOURCES) for c in checks)


def _check_meta(check_id: str) -> tuple[str, str]:
    """(failure title, how to fix) from the registry, or the id when the check is unknown."""
    try:
        chk = registry_get(check_id)
    except Exception:  # noqa: BLE001 - a report never fails for a registry problem
        chk = None
    if chk is None:
        return check_id, ""
    return chk.failure_title, chk.how_to_fix


def constants() -> list[Constant]:
    return [
        Constant("Link", f"Slow 4G: {net.SLOW4G_RTT_S * 1000:.0f} ms round trip, "
                         f"{net.SLOW4G_BITS_PER_S / 1e6:.2f} Mbit/s",
                 "Lighthouse mobileSlow4G (core/config/constants.js, v13.4.1; ×1024 in load-simulator.js)"),
        Constant("Load time", "RTT × (5 + 4.5 × other render-blocking origins + (chain depth − 1)) + 8 × bytes ÷ "
                              "throughput",
                 "Lantern network model (Lighthouse v11.7.1): DNS 2 + TCP 1.5 + TLS 1 + first byte 0.5 round trips; "
                 "a network-only floor (no CPU, no server time)"),
        Constant("Time saved", "8 × bytes saved ÷ throughput: 1 MB saved ≈ 5.0 s",
                 "Lighthouse Simulator.computeWastedMsFromWastedBytes"),
        Constant("Budget", f"{net.PAGE_WEIGHT_BUDGET_KIB:,} KB by default (--page-weight-budget)",
                 "Lighthouse total-byte-weight: score 0.9 at 2,667 KiB, 0.5 at 4,000 KiB"),
        Constant("Cost", "bytes ÷ 10⁹ × price per GB", "Cable.co.uk average price of 1 GB of mobile data (USD); "
                                                        "the studies do not say whether a GB is 10⁹ or 2³⁰ bytes"),
        Constant("Units", "KB = 1,024 bytes, MB = 1,024 KB; GB (prices) = 10⁹ bytes", "HTTP Archive convention"),
    ]


def build_bandwidth(
    run: RunRecord,
    pages: Iterable[PageRecord],
    resources: Sequence[ResourceRecord],
    findings: Iterable[FindingRecord],
    *,
    meta: Callable[[str], tuple[str, str]] | None = None,
) -> Bandwidth | None:
    """The low-bandwidth section for one run; None when the run stored no resources."""
    if not resources:
        return None
    meta = meta or _check_meta
    settings = run.settings
    try:
        budget_kib = int(settings.get("AUDIT_PAGE_WEIGHT_BUDGET") or net.PAGE_WEIGHT_BUDGET_KIB)
    except (TypeError, ValueError):
        budget_kib = net.PAGE_WEIGHT_BUDGET_KIB
    budget = budget_kib * net.KIB
    titles = {p.url: (p.title or "") for p in pages}

    by_page: dict[str, list[ResourceRecord]] = {}
    for row in resources:
        by_page.setdefault(row.page_url, []).append(row)

    media_findings = [f for f in findings if f.check_id in _media_checks() and f.outcome == Outcome.FAIL]
    fixes_by_page: dict[str, list[PageFix]] = {}
    for f in media_findings:
        data = f.data
        if savings.is_budget(f.check_id) or not data.get("bytes_saved"):  # the page's budget is no file's fix
            continue
        fixes_by_page.setdefault(f.url, []).append(PageFix(
            check_id=f.check_id, title=meta(f.check_id)[0], resource=data.get("resource"),
            bytes_saved=int(data["bytes_saved"]), seconds_saved=net.transfer_seconds(int(data["bytes_saved"])),
            repeat_visits=bool(data.get("repeat_visit"))))

    weights: list[PageWeight] = []
    all_unmeasured: dict[str, Unmeasured] = {}
    for page_url, rows in by_page.items():
        doc = next((r for r in rows if r.found_via == "page"), None)
        if doc is None:
            continue
        seen: set[str] = set()
        counts = {t: [0, 0] for t in TYPES}
        unmeasured: list[Unmeasured] = []
        for r in rows:
            if not r.in_weight or r.url in seen:
                continue
            seen.add(r.url)
            type_ = r.type if r.type in counts else "other"
            counts[type_][1] += 1
            if r.measured and r.bytes is not None:
                counts[type_][0] += int(r.bytes)
            else:
                u = Unmeasured(url=r.url, type=type_, reason=r.reason or "not measured")
                unmeasured.append(u)
                all_unmeasured.setdefault(r.url, u)
        total = sum(b for b, _ in counts.values())
        shape = doc.data
        seconds = net.load_seconds(total, int(shape.get("extra_origins") or 0),
                                   int(shape.get("chain_depth") or net.DEFAULT_CHAIN_DEPTH))
        page_fixes = sorted(fixes_by_page.get(page_url, []), key=lambda x: (x.repeat_visits, -x.bytes_saved, x.check_id))
        weights.append(PageWeight(
            url=page_url,
            path=_short(page_url),
            title=titles.get(page_url, ""),
            bytes=total,
            requests=sum(n for _, n in counts.values()),
            types=[TypeShare(t, TYPE_LABELS[t], counts[t][0], counts[t][1]) for t in TYPES],
            unmeasured=unmeasured,
            load_seconds=seconds,
            over_budget=total > budget,
            costs=[Cost(p.country, p.year, net.cost_usd(total, p.usd_per_gb)) for p in net.DATA_PRICES],
            fixes=page_fixes,
        ))
    if not weights:
        return None
    weights.sort(key=lambda p: (-p.bytes, p.url))

    fixes = site_fixes(media_findings, meta)
    return Bandwidth(
        budget_bytes=budget,
        pages=weights,
        fixes=fixes,
        chart=chart(weights[:CHART_PAGES], budget),
        prices=list(net.DATA_PRICES),
        constants=constants(),
        unmeasured=sorted(all_unmeasured.values(), key=lambda u: u.url),
        median_bytes=int(median(p.bytes for p in weights)),
        over_budget=sum(1 for p in weights if p.over_budget),
        bytes_saved=savings.site_bytes_saved(media_findings),
        notes=[
            ("Savings of different fixes to the same file overlap (resizing and re-encoding one image both shrink "
             "it); do not add them up."),
            ("Sizes are what a client accepting gzip, Brotli and zstd receives. Files loaded only by scripts are "
             "counted only when the browser audit ran."),
        ],
    )


def site_fixes(findings: Iterable[FindingRecord],
               meta: Callable[[str], tuple[str, str]] = _check_meta) -> list[SiteFix]:
    """Media findings grouped into fixes: one per check and resource (or page, for page-level findings).

    A fix on a file shared by many pages saves its bytes once per visit, not once per page: its saving is the
    largest a single finding reports, and the pages are listed. Ordered by bytes saved, largest first.
    """
    groups: dict[tuple[str, str], list[FindingRecord]] = {}
    for f in findings:
        if savings.is_budget(f.check_id) or f.check_id not in _media_checks():
            continue
        key = (f.check_id, f.data.get("resource") or f"{f.url}#{f.selector}")
        groups.setdefault(key, []).append(f)
    out: list[SiteFix] = []
    for (check_id, _key), items in groups.items():
        data = [i.data for i in items]
        saving = max(int(d.get("bytes_saved") or 0) for d in data)
        title, how = meta(check_id)
        pages = sorted({i.url for i in items})
        out.append(SiteFix(
            check_id=check_id,
            title=title,
            how_to_fix=how,
            resource=data[0].get("resource"),
            pages=pages,
            bytes_saved=saving,
            seconds_saved=net.transfer_seconds(saving),
            repeat_visits=any(d.get("repeat_visit") for d in data),
            message=items[0].message,
        ))
    # First-visit savings first, largest first; caching (return visits only) after them.
    out.sort(key=lambda f: (f.repeat_visits, -f.bytes_saved, f.check_id, f.resource or ""))
    return out


def _nice_step(max_bytes: float) -> float:
    """A tick step of 1, 2 or 5 × 10^n KB or MB giving 3 to 6 ticks."""
    unit = net.KIB * net.KIB if max_bytes >= net.KIB * net.KIB else net.KIB
    span = max_bytes / unit
    for mult in (0.1, 0.2, 0.25, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000):
        if span / mult <= 5:
            return mult * unit
    return 1000 * unit


def chart(pages: list[PageWeight], budget: int) -> Chart:
    """Horizontal stacked bars (one per page, split by type) on a common byte scale, with the budget marked."""
    label_w, plot_w, value_w = 220, 420, 110
    bar_h, gap, top, axis_h = 20, 12, 8, 30
    max_bytes = max([p.bytes for p in pages] + [budget, 1])
    step = _nice_step(max_bytes)
    scale_max = step * (int(max_bytes / step) + (0 if max_bytes % step == 0 else 1))
    ticks = []
    v = 0.0
    while v <= scale_max + 1e-9:
        ticks.append((round(label_w + plot_w * v / scale_max, 1), net.size_label(v) if v else "0"))
        v += step
    bars = []
    for i, p in enumerate(pages):
        y = top + i * (bar_h + gap)
        x = float(label_w)
        segs = []
        for t in p.types:
            if t.bytes <= 0:
                continue
            w = plot_w * t.bytes / scale_max
            segs.append(Segment(t.type, t.label, round(x, 2), round(max(w, 0.5), 2), TYPE_COLOURS[t.type], t.bytes))
            x += w
        bars.append(Bar(page=p, y=y, segments=segs, end=round(x, 2)))
    height = top + len(pages) * (bar_h + gap) + axis_h
    used = [t for t in TYPES if any(p.type_bytes(t) for p in pages)]
    return Chart(
        width=label_w + plot_w + value_w,
        height=height,
        label_width=label_w,
        plot_width=plot_w,
        bar_height=bar_h,
        bars=bars,
        ticks=ticks,
        budget_x=round(label_w + plot_w * budget / scale_max, 1) if budget <= scale_max else None,
        legend=[(t, TYPE_LABELS[t], TYPE_COLOURS[t]) for t in used],
        max_bytes=int(scale_max),
    )
