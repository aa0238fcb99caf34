"""One audit run, once: crawl -> store -> report -> gate, for `crawl`, `demo`, `report`, `history` and `baseline`."""

from __future__ import annotations

import ctypes
import gc
import json
import logging
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from typing import Any

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from empathy_audit.audits.model import Severity
from empathy_audit.crawler import settings as defaults
from empathy_audit.crawler.auth import AuthError, AuthSession, StagingAccess
from empathy_audit.crawler import inputs
from empathy_audit.crawler.devserver import DEMO_SITE, SiteServer, serve
from empathy_audit.crawler.inputs import InputError, UrlList
from empathy_audit.crawler.options import (  # noqa: F401 - the CLI and tests read them from here
    EXIT_GATE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    CrawlOptions,
    ReportOptions,
    UserError,
)
from empathy_audit.crawler.secrets import install_log_masking
from empathy_audit.crawler.signals import Stop
from empathy_audit.crawler.spiders.site import SiteSpider
from empathy_audit.crawler.storage_pipeline import audit_settings, versions
from empathy_audit.crawler.store import (
    FindingRecord,
    PageRecord,
    RunRecord,
    Store,
    StoreError,
    open_store,
)
from empathy_audit.crawler.urls import BadURL, origin_of, site_origins, validate_start_url
from empathy_audit.reports import baseline as bl
from empathy_audit.reports import gates
from empathy_audit.reports.aggregate import build_report, http_url
from empathy_audit.reports.bandwidth import build_bandwidth
from empathy_audit.reports import counts as cn
from empathy_audit.reports.history import history_rows, previous_run, record_counts
from empathy_audit.reports.model import Report
from empathy_audit.reports.traffic import Traffic, TrafficError
from empathy_audit.reports.traffic import load as load_traffic
from empathy_audit.reports.writers import write_all
from empathy_audit.reports.writers.markdown import ci_report_url

DEMO_PORT = 8765  # the demo site's usual address, so the history compares one demo run with the next
DEFAULT_BASELINE = ".empathy-audit-baseline.json"
DEFAULT_FORMATS = ("html", "json")  # always written: --format adds to them
SCORE_STAT = "report/impact_score"  # in the run's stats: what `history` shows as the score
BROWSER_PIPELINE = "empathy_audit.crawler.browser_pipeline.BrowserAuditPipeline"


@dataclass
class CrawlResult:
    run_id: int
    status: str  # finished | interrupted | failed
    pages: int
    audited: int
    seconds: float
    reports: dict[str, str]
    counts: cn.Counts | None = None  # what every report counts (fixes to make by severity, things to check)
    gate: gates.GateResult | None = None
    warnings: list[str] = field(default_factory=list)  # printed before the result: the run itself went on


@dataclass
class ReportResult:
    reports: dict[str, str]
    gate: gates.GateResult
    warnings: list[str] = field(default_factory=list)


@dataclass
class BaselineResult:
    path: str
    change: bl.Change
    run_id: int
    status: str  # of the run the baseline was read from


# --- the crawl -------------------------------------------------------------------------------------------------


def browser_count(opts: CrawlOptions) -> int:
    if opts.no_browser:
        return 0
    if opts.browsers is not None:
        return opts.browsers
    return defaults.default_browsers()


def scrapy_settings(opts: CrawlOptions, checked: inputs.Checked | None = None) -> dict[str, Any]:
    """Options (and the inputs checked from them) -> Scrapy settings (the AUDIT_* ones and Scrapy's own)."""
    listed = len(checked.urls.urls) if checked is not None and checked.urls is not None else 0
    settings: dict[str, Any] = {
        "AUDIT_DB": opts.db,
        "AUDIT_OUT_DIR": os.path.abspath(opts.out),
        "AUDIT_MAX_PAGES": opts.max_pages if opts.max_pages is not None else listed or defaults.AUDIT_MAX_PAGES,
        "AUDIT_MAX_DEPTH": opts.max_depth,
        "AUDIT_INCLUDE": list(opts.include),
        "AUDIT_EXCLUDE": list(opts.exclude),
        "AUDIT_ALSO_ORIGINS": list(checked.also if checked else opts.also_origin),
        "AUDIT_SITEMAPS": not opts.no_sitemaps and not listed,
        "ROBOTSTXT_OBEY": not opts.ignore_robots,
        "CONCURRENT_REQUESTS_PER_DOMAIN": opts.concurrency,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(opts.concurrency),
        "DOWNLOAD_TIMEOUT": opts.timeout,
        "CLOSESPIDER_TIMEOUT": opts.max_time,
        "AUDIT_BROWSERS": browser_count(opts),
        "AUDIT_BROWSER_ARGS": list(opts.browser_arg),
        "AUDIT_WEBDRIVER_URL": opts.webdriver_url,
        "AUDIT_STANDARD": opts.standard,
        "AUDIT_BEST_PRACTICES": opts.best_practices,
        "AUDIT_SCREENSHOTS": not opts.no_screenshots,
        "AUDIT_PAGE_TIMEOUT": max(10, opts.timeout),
        "AUDIT_PAGE_WEIGHT_BUDGET": opts.page_weight_budget,
        "AUDIT_MEDIA": not opts.no_media,
        "AUDIT_PROBES": [p for p, off in (("render", opts.no_render_checks), ("keyboard", opts.no_keyboard)) if not off],
        "AUDIT_TRY_FORMS": opts.try_forms,
        # A list is audited page by page in the browser unless --sample says otherwise (no page stands for another).
        "AUDIT_SAMPLE": opts.sample if opts.sample is not None else "off" if listed else defaults.AUDIT_SAMPLE,
        "AUDIT_INSECURE": bool(opts.insecure),
        "AUDIT_PROGRESS": not opts.quiet,
        "AUDIT_IGNORE_CHECKS": list(checked.ignore if checked else inputs.split_ids(opts.ignore_check)),
        "AUDIT_EXCLUDE_SELECTORS": list(checked.exclude if checked else opts.exclude_selector),
    }
    if checked is not None:
        if checked.urls is not None:
            settings["AUDIT_URL_LIST"] = f"{checked.urls.source} ({listed} URL{'s' if listed != 1 else ''})"
        if opts.axe_script:
            settings["AUDIT_AXE_SCRIPT"] = str(checked.axe.path.resolve())
        if checked.chromium:
            settings["AUDIT_CHROMIUM_PATH"] = checked.chromium
            settings["AUDIT_CHROMEDRIVER_PATH"] = checked.chromedriver
    if os.environ.get("EMPATHY_AUDIT_PROGRESS_INTERVAL"):
        settings["AUDIT_PROGRESS_INTERVAL"] = float(os.environ["EMPATHY_AUDIT_PROGRESS_INTERVAL"])
    if opts.user_agent:
        settings["USER_AGENT"] = opts.user_agent
    if opts.verbose:
        settings["LOG_LEVEL"] = "INFO"
    elif opts.quiet:
        settings["LOG_LEVEL"] = "ERROR"  # -q: stderr carries errors, our warnings and the gate's lines only
    return settings


def _staging_session(opts: CrawlOptions, checked: inputs.Checked) -> AuthSession | None:
    """The AuthSession for --basic-auth/--header/--cookie/--login-*/--insecure, or None when none is given; its
    scope is the site's origins (the start URL's, the --urls list's, --also-origin)."""
    origins = site_origins(checked.start_url, checked.urls.urls if checked.urls else (), checked.also)
    try:
        access = StagingAccess.from_args(opts, checked.start_url, opts.config_secrets, origins)
    except AuthError as exc:
        raise UserError(str(exc)) from None
    return AuthSession(access) if access.active else None


@dataclass(frozen=True)
class Started:
    """What the crawl is about to do, for the CLI's first line."""

    start_url: str
    run_id: int
    max_pages: int
    listed: int = 0  # with --urls: how many URLs the list holds
    source: str | None = None  # with --urls: where the list came from


def crawl(url: str | None, opts: CrawlOptions, on_start: Callable[[Started], None] | None = None,
          on_report: Callable[[int], None] | None = None) -> CrawlResult:
    """Crawl and audit `url` (or exactly the pages of --urls) in this process, store the run, write the reports,
    apply the gates.

    Everything the user can get wrong (the database, the URL or list, --traffic, the baseline, credentials, Chromium,
    the axe script, check ids, selectors) is checked before anything is fetched. `on_start` is called just before the
    crawl begins, `on_report(pages)` before the report is built. The first Ctrl-C stops auditing and the report is
    written from what was audited; the second quits at once (crawler/signals.py).
    """
    n_browsers = browser_count(opts)
    try:
        checked = inputs.check_crawl(url, opts, defaults.AUDIT_DB, n_browsers > 0 and not opts.webdriver_url)
    except InputError as exc:
        raise UserError(str(exc)) from None
    start_url = checked.start_url
    traffic = _load_traffic(opts.traffic)
    policy = _gate_policy(opts)  # a bad baseline file stops here, before anything is crawled
    install_log_masking()
    if opts.quiet and not opts.verbose:
        _errors_only()
    overrides = scrapy_settings(opts, checked)
    session = _staging_session(opts, checked)
    if session is not None:
        overrides["AUDIT_AUTH"] = session  # shared by the middleware (login, headers) and the browsers
        overrides["AUDIT_AUTH_SUMMARY"] = json.dumps(session.access.summary(), sort_keys=True)
        if session.access.sends_credentials and not session.access.insecure:
            overrides["DOWNLOAD_VERIFY_CERTIFICATES"] = True  # no password to a server we cannot verify

    settings = Settings()
    settings.setmodule("empathy_audit.crawler.settings", priority="project")
    settings.update(overrides, priority="cmdline")
    pipelines = dict(settings.getdict("ITEM_PIPELINES"))
    if overrides["AUDIT_BROWSERS"] > 0:
        pipelines[BROWSER_PIPELINE] = 300
    settings.set("ITEM_PIPELINES", pipelines, priority="cmdline")

    store = _open_store(opts.db, must_exist=False)
    try:  # the one store of the run, closed once whatever happens after it is opened
        run_id = store.start_run(origin_of(start_url), start_url, {}, versions())
        settings.set("AUDIT_RUN_ID", run_id, priority="cmdline")
        store.set_run_settings(run_id, audit_settings(settings))
        settings.set("AUDIT_STORE", store, priority="cmdline")  # the crawl's components write through this one store
        stop = Stop()
        settings.set("AUDIT_STOP", stop, priority="cmdline")  # Ctrl-C: read by the spider, the gates and the pool
        if on_start is not None:
            listed = checked.urls
            on_start(Started(start_url, run_id, overrides["AUDIT_MAX_PAGES"], len(listed.urls) if listed else 0,
                             listed.source if listed else None))
        started = time.monotonic()
        settings.set("LOG_INSTALL_ROOT_HANDLER", bool(opts.verbose), priority="cmdline")
        with stop.installed():  # from here on a Ctrl-C is ours, even while Scrapy sets the crawl up
            process = CrawlerProcess(settings)
            process.crawl(SiteSpider, url=start_url, urls=list(checked.urls.urls) if checked.urls else None)
            _run_until_stopped(process, stop)
        seconds = time.monotonic() - started
        del process
        _release_memory()  # the crawl's garbage, before the whole run is loaded for the report

        stored = store.get_run(run_id)
        if stored is not None and stored.status == "running":  # forced stop (second Ctrl-C) before the spider could close
            store.finish_run(run_id, "interrupted")
        if stop.forced:
            raise UserError(f"interrupted: run {run_id} is kept in the history as far as it went; 'empathy-audit "
                            f"report {run_id}' writes its report.", code=EXIT_INTERRUPTED)
        if session is not None and session.login_error:
            store.finish_run(run_id, "failed")
            raise UserError(session.login_error)
        limits = _record_limits(store, run_id)
        run, pages, findings = store.load_run(run_id)
        if (run.status == "interrupted" or stop.requested) and not pages:
            raise UserError(f"interrupted before any page was audited (run {run_id}).", code=EXIT_INTERRUPTED)
        if checked.urls is not None:
            _raise_for_list(checked.urls, pages, store, run_id)
        elif run.status != "interrupted":
            _raise_for_start_page(start_url, pages, store, run_id)
        if on_report is not None:
            on_report(len(pages))
        n_pages = len(pages)
        audited = sum(1 for p in pages if _is_audited(p))
        built = _build_report(run, pages, findings, store=store, traffic=traffic)
        del pages, findings  # the report holds what it needs: the raw rows go before the reports are written
        _release_memory()
        gate, written, warnings = _gate_and_write(built, policy, opts, store, run_id)
        return CrawlResult(run_id, run.status, n_pages, audited, seconds, written, built.summary.counts, gate,
                           [f"empathy-audit: warning: {w}" for w in cn.limit_sentences(limits)] + warnings)
    finally:
        store.close()


def _record_limits(store: Store, run_id: int) -> dict[str, Any]:
    """The limits that cut the crawl short (the spider's `audit/limits_hit` stat), kept as the run's `limits_hit`
    stat for the report: {"max_pages": {"limit", "frontier_left"}, "max_depth": {"limit", "links_not_followed"},
    "max_time": {"limit", "frontier_left"}}, only those hit."""
    stored = store.get_run(run_id)
    limits = (stored.stats or {}).get("audit/limits_hit") if stored is not None else None
    if not isinstance(limits, dict) or not limits:
        return {}
    store.set_run_stat(run_id, "limits_hit", limits)
    return limits


def _errors_only() -> None:
    """-q: of the log (Scrapy's, Selenium's, the pipelines'), only errors reach stderr, as lines of ours; without a
    handler, Python would print every warning record there."""
    root = logging.getLogger()
    if not any(getattr(h, "_empathy_quiet", False) for h in root.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.ERROR)
        handler.setFormatter(logging.Formatter("empathy-audit: %(message)s"))
        handler._empathy_quiet = True  # type: ignore[attr-defined]
        root.addHandler(handler)


def _run_until_stopped(process: CrawlerProcess, stop: Stop) -> None:
    """Run the crawl (blocking) with our Ctrl-C handling (installed by the caller) instead of Scrapy's
    (crawler/signals.py): the first signal stops the engine (nothing new is fetched) and the gates stop new audits;
    the second kills the browsers and stops the reactor."""
    from twisted.internet import reactor  # the reactor CrawlerProcess installed (asyncio's)

    def stop_reactor() -> None:
        try:
            reactor.stop()
        except RuntimeError:  # already stopping
            pass

    stop.attach(reactor.callFromThread)
    stop.on_request(process.stop)
    stop.on_force(lambda: reactor.callFromThread(stop_reactor))
    if stop.requested:  # Ctrl-C while Scrapy was setting up: nothing was fetched, nothing is started
        return
    process.start(install_signal_handlers=False)  # blocks until the crawl ends, or the reactor is stopped


@contextmanager
def demo_site(port: int | None) -> Iterator[SiteServer]:
    """The bundled demo site on 127.0.0.1: on `port`, else DEMO_PORT when free (so runs compare), else any port."""
    ports = [port] if port is not None else [DEMO_PORT, 0]
    with ExitStack() as stack:
        for p in ports:
            try:
                server = stack.enter_context(serve(DEMO_SITE, port=p))
                break
            except OSError as exc:
                if p == ports[-1]:
                    raise UserError(f"cannot serve the demo site on 127.0.0.1:{p}: {exc.strerror or exc}.") from None
        yield server


def _is_html_type(ct: str | None) -> bool:
    return (ct or "").split(";")[0].strip().lower() in ("text/html", "application/xhtml+xml", "")


def _is_audited(page: PageRecord) -> bool:
    """An HTML page that answered 2xx: what the checks ran on."""
    return page.status is not None and 200 <= page.status < 300 and _is_html_type(page.content_type)


def _raise_for_start_page(start_url: str, pages: list[PageRecord], store: Store, run_id: int) -> None:
    """One clear sentence when the site could not be crawled at all."""
    start = next((p for p in pages if p.found_via == "start"), None)
    message = None
    if start is None:
        message = f"{start_url} was not crawled (the crawl stopped before the start page was fetched)."
    elif start.error and "robots.txt" in start.error:
        message = (f"the robots.txt of {start_url} forbids crawling it; for a site you own (e.g. staging) "
                   f"pass --ignore-robots.")
    elif start.error and start.status is None:
        message = f"cannot reach {start_url}: {start.error}."
    elif start.status is not None and start.status >= 400:
        message = f"the start page {start_url} answered HTTP {start.status}, so there is nothing to audit."
    elif start.error:
        message = f"the start page {start_url} {start.error}."
    elif not _is_html_type(start.content_type) or not any(_is_audited(p) for p in pages):
        kind = (start.content_type or "").split(";")[0] or "of an unknown type"
        message = f"the start page {start_url} is not an HTML page (it is {kind}), so there is nothing to audit."
    if message:
        store.finish_run(run_id, "failed")
        raise UserError(message)


def _raise_for_list(listed: UrlList, pages: list[PageRecord], store: Store, run_id: int) -> None:
    """One clear sentence when not one page of the --urls list could be audited."""
    if any(_is_audited(p) for p in pages):
        return
    first = next((p for p in pages if p.error or (p.status or 0) >= 400), None)
    why = ""
    if first is not None:
        why = f" (the first, {first.url}, {first.error or f'answered HTTP {first.status}'})"
    store.finish_run(run_id, "failed")
    raise UserError(f"not one of the {len(listed.urls)} URLs of {listed.source} could be audited{why}.")


def _release_memory() -> None:
    """Collect garbage and hand the freed heap back to the system (glibc's malloc keeps it otherwise: ~70 MB after
    a 1,000-page crawl), so building and writing a large report reuses it instead of growing the process."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to trim
        pass


# --- the report of a stored run ---------------------------------------------------------------------------------


def _open_store(db: str, must_exist: bool = True) -> Store:
    """The run history `db` names (a path or a database URL), opened once for the whole run."""
    try:
        db = inputs.history_db(db, defaults.AUDIT_DB, creating=not must_exist)
    except InputError as exc:
        raise UserError(str(exc)) from None
    if must_exist and "://" not in db and not os.path.exists(db):
        raise UserError(f"there is no history database at {db}: run 'empathy-audit crawl URL' first.")
    try:
        return open_store(db)
    except StoreError as exc:
        raise UserError(str(exc)) from None


def _run_id(store: Store, ref: str, db: str, empty: str) -> int | None:
    """The run `ref` names ('latest' or an id); None for 'latest', which each caller resolves its own way."""
    ids = store.run_ids()
    if not ids:
        raise UserError(f"the history database {db} holds no runs yet{empty}.")
    if ref == "latest":
        return None
    try:
        run_id = int(ref)
    except ValueError:
        raise UserError(f"{ref!r} is not a run id: give a number or 'latest'.") from None
    if run_id not in ids:
        raise UserError(f"there is no run {run_id} in {db} (runs {ids[0]} to {ids[-1]} exist).")
    return run_id


def report(ref: str, opts: ReportOptions) -> ReportResult:
    """Write the report of stored run `ref` ('latest' or an id) again, without crawling, and apply the gates."""
    try:
        inputs.output_dir(opts.out)
    except InputError as exc:
        raise UserError(str(exc)) from None
    store = _open_store(opts.db)
    try:  # closed once, whichever sentence stops the report
        run_id = _run_id(store, ref, opts.db, "")
        if run_id is None:  # 'latest': the newest run that is not still running
            run_id = store.latest_run_id()
            if run_id is None:
                raise UserError(f"every run in {opts.db} is still running: 'empathy-audit report ID' writes the "
                                f"report of a run as far as it went.")
        traffic = _load_traffic(opts.traffic)
        policy = _gate_policy(opts)
        run, pages, findings = store.load_run(run_id)
        built = _build_report(run, pages, findings, store=store, traffic=traffic)
        del pages, findings  # the report holds what it needs: the raw rows go before the reports are written
        _release_memory()
        gate, written, warnings = _gate_and_write(built, policy, opts, store, run_id)
        return ReportResult(written, gate, warnings)
    finally:
        store.close()


def _load_traffic(path: str | None) -> Traffic | None:
    """The --traffic CSV, read before crawling so a bad file fails fast; None without the option."""
    if not path:
        return None
    try:
        return load_traffic(path)
    except TrafficError as exc:
        raise UserError(str(exc)) from None


def _build_report(run: RunRecord, pages: list[PageRecord], findings: list[FindingRecord], store: Store | None = None,
                  traffic: Traffic | None = None) -> Report:
    """The run's Report (with its low-bandwidth section when the store has one). Built one part at a time, each
    part's inputs dropped before the next is loaded: the resource rows before the report is built, the previous
    run (for the trend) as soon as the report has compared with it."""
    bandwidth = None
    if store is not None and run.id is not None:
        bandwidth = build_bandwidth(run, pages, store.load_resources(run.id), findings)
    previous = (lambda: previous_run(store, run)) if store is not None else None
    built = build_report(run, pages, findings, traffic=traffic, previous=previous)
    if store is not None and run.id is not None:
        built.bandwidth = bandwidth
    return built


def _write_reports(built: Report, out_dir: str, formats: list[str] | None) -> dict[str, str]:
    """report.html and report.json always, plus the --format ones (so summary.md always has its report to link)."""
    wanted = tuple(dict.fromkeys((*DEFAULT_FORMATS, *(formats or ()))))
    try:
        os.makedirs(out_dir, exist_ok=True)
        return {k: os.path.abspath(v) for k, v in write_all(built, out_dir, wanted).items()}
    except OSError as exc:
        raise UserError(f"cannot write the report to {out_dir}: {exc.strerror or exc}.") from None


def _gate_and_write(built: Report, policy: gates.Policy, opts: ReportOptions, store: Store,
                    run_id: int) -> tuple[gates.GateResult, dict[str, str], list[str]]:
    """The report stage every run ends with: gate, write the formats, record the impact score."""
    gate = gates.evaluate(built, policy, opts.report_url or ci_report_url())
    gates.attach(built, gate)
    written = _write_reports(built, opts.out, opts.format)
    return gate, written, _record_score(store, run_id, gate, built)


# --- gates ----------------------------------------------------------------------------------------------------


def _gate_policy(opts: ReportOptions) -> gates.Policy:
    """The gates of --fail-on, --max-score, --fail-on-budget and --baseline (read and checked here)."""
    base = None
    if opts.baseline:
        try:
            base = bl.load(opts.baseline, missing_ok=True)
        except bl.BaselineError as exc:
            raise UserError(str(exc)) from None
    if opts.report_url and http_url(opts.report_url) is None:
        raise UserError(f"--report-url {opts.report_url!r} is not an http(s) URL.")
    return gates.Policy(fail_on=Severity(opts.fail_on) if opts.fail_on else None, max_score=opts.max_score,
                        fail_on_budget=bool(opts.fail_on_budget), baseline=base)


def _record_score(store: Store, run_id: int, gate: gates.GateResult, built: Report) -> list[str]:
    """Keep the run's impact score and its report's counts in its stats, so `history` lists them as the reports
    count them, without rebuilding every report."""
    try:
        store.set_run_stat(run_id, SCORE_STAT, round(gate.score, 6))
        record_counts(store, run_id, built)
    except Exception as exc:  # noqa: BLE001 - the history column is a convenience: never fail a run for it
        return [f"empathy-audit: could not record the impact score of run {run_id}: {exc}"]
    return []


# --- history and baseline ---------------------------------------------------------------------------------------


def site_of(url: str | None) -> str | None:
    """The site (origin) a --site/--url option names, or None; a bad URL is one sentence."""
    if not url:
        return None
    try:
        return origin_of(validate_start_url(url))
    except BadURL as exc:
        raise UserError(str(exc)) from None


def history(db: str, site: str | None, limit: int) -> tuple[list[dict[str, Any]], str]:
    """(the newest runs' summaries with their recorded impact score, the database's name)."""
    store = _open_store(db)
    try:
        runs = history_rows(store, site, limit)
        for r in runs:  # the impact score is recorded in the run's stats when its report is written
            score = r.pop("stats").get(SCORE_STAT)
            r["score"] = score if isinstance(score, (int, float)) and not isinstance(score, bool) else None
    finally:
        store.close()
    return runs, store.path


def _baseline_run(store: Store, ref: str, site_url: str | None, db: str) -> int:
    """The run `baseline save|prune` reads: an id, or the newest finished run (of `site_url`'s site when given)."""
    run_id = _run_id(store, ref, db, ": run 'empathy-audit crawl' first")
    if run_id is not None:
        return run_id
    site = site_of(site_url)
    for rid in reversed(store.run_ids()):
        run = store.get_run(rid)
        if run is None or run.status != "finished":
            continue
        if site and site not in (run.site, origin_of(run.start_url or "")):
            continue
        return rid
    raise UserError(f"there is no finished run{' of ' + site if site else ''} in {db}: a baseline is saved "
                    f"from a complete crawl (or pass --run ID).")


def baseline(action: str, path: str | None, db: str, ref: str, site_url: str | None) -> BaselineResult:
    """`baseline save` (accept a stored run's failing fixes) or `baseline prune` (drop the ones it found fixed)."""
    path = path or DEFAULT_BASELINE
    try:
        previous = bl.load(path, missing_ok=action == "save")
    except bl.BaselineError as exc:
        raise UserError(str(exc)) from None
    store = _open_store(db)
    try:
        run_id = _baseline_run(store, ref, site_url, db)
        run, pages, findings = store.load_run(run_id)
        built = _build_report(run, pages, findings)
    finally:
        store.close()
    change = bl.from_report(built, previous) if action == "save" else bl.prune(built, previous)
    try:
        change.baseline.save(path)
    except bl.BaselineError as exc:
        raise UserError(str(exc)) from None
    return BaselineResult(path, change, run_id, built.run.status)
