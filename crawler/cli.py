"""The empathy-audit command line: crawl | demo | report | checks. Thin: it parses, runs Scrapy, writes reports."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
import time
from dataclasses import dataclass
from typing import Any, Sequence

EXIT_OK = 0
EXIT_GATE = 1  # reserved for CI gates (--fail-on): the audit ran and found what the gate forbids
EXIT_USAGE = 2  # bad arguments, or the site could not be crawled at all
EXIT_INTERRUPTED = 130  # Ctrl-C: what was audited is kept and reported

DEMO_PORT = 8765  # the demo site's usual address, so the history compares one demo run with the next
DEFAULT_DB = os.path.join(".empathy-audit", "history.db")
DEFAULT_BASELINE = ".empathy-audit-baseline.json"
FORMAT_CHOICES = ("html", "json", "sarif", "junit", "markdown")
SEVERITY_CHOICES = ("critical", "serious", "moderate", "minor")
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class UserError(Exception):
    """A problem the user can fix; printed as one sentence, never as a traceback."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def _int_at_least(minimum: int):
    """An argparse type: a whole number no smaller than `minimum`, with a sentence saying what is wrong."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"{text!r} must be {minimum} or more")
        return value

    return parse


_positive_int = _int_at_least(1)
_non_negative_int = _int_at_least(0)


def _non_negative_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"{text!r} must be a number, 0 or more")
    return value


def _add_gate_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("CI gates (exit code 1 when a gate fails; see 'Running in CI' in the README)")
    g.add_argument("--fail-on", choices=SEVERITY_CHOICES, default=None, metavar="SEVERITY",
                   help="fail when a failing fix is this severe or worse: critical, serious, moderate or minor")
    g.add_argument("--max-score", type=_non_negative_float, default=None, metavar="N",
                   help="fail when the run's impact score (the sum of its failing fixes' blocked-visit equivalents "
                   "per 1,000 visits) is above N")
    g.add_argument("--fail-on-budget", action="store_true",
                   help="fail when a page is over --page-weight-budget, whatever --fail-on says")
    g.add_argument("--baseline", default=None, metavar="FILE",
                   help="gates apply only to fixes not in this baseline file ('empathy-audit baseline save' writes "
                   "it); alone, it fails on any new failing fix")
    g.add_argument("--report-url", default=None, metavar="URL",
                   help="where the full report will be (e.g. the CI artifact), linked from the Markdown summary "
                   "(default: the GitHub Actions run or GitLab job, when run there)")


def _regex(text: str) -> str:
    try:
        re.compile(text)
    except re.error as exc:
        raise argparse.ArgumentTypeError(f"{text!r} is not a valid regular expression ({exc})") from None
    return text


def _sample_arg(text: str) -> str | int:
    """--sample: "auto", "off", or a positive number of representatives per page template."""
    value = text.strip().lower()
    if value in ("auto", "off"):
        return value
    if value.isdigit() and int(value) >= 1:
        return int(value)
    raise argparse.ArgumentTypeError(f"{text!r} is not auto, off or a positive number of pages per template")


def _add_crawl_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("crawl")
    g.add_argument("--out", default="out", help="folder for report.html, report.json and screenshots (default: out)")
    g.add_argument("--db", default=DEFAULT_DB, help=f"run history database (default: {DEFAULT_DB})")
    g.add_argument("--max-pages", type=_positive_int, default=500, help="fetch at most N pages (default: 500)")
    g.add_argument("--max-depth", type=_non_negative_int, default=10,
                   help="follow links at most D clicks from the start page (default: 10)")
    g.add_argument("--include", action="append", type=_regex, default=[], metavar="RE",
                   help="only crawl URLs matching this regular expression (repeatable; the start URL always is)")
    g.add_argument("--exclude", action="append", type=_regex, default=[], metavar="RE",
                   help="never crawl URLs matching this regular expression (repeatable)")
    g.add_argument("--ignore-robots", action="store_true",
                   help="do not obey robots.txt (only for sites you own, e.g. staging)")
    g.add_argument("--no-sitemaps", action="store_true", help="do not seed the crawl from robots.txt and /sitemap.xml")
    g.add_argument("--concurrency", type=_positive_int, default=4,
                   help="parallel requests to the site, at most (default: 4; AutoThrottle may use fewer)")
    g.add_argument("--timeout", type=_positive_int, default=20, help="seconds to wait for a response (default: 20)")
    g.add_argument("--max-time", type=_non_negative_int, default=0,
                   help="stop the crawl after this many seconds and report what was audited (default: no limit)")
    g.add_argument("--user-agent", default=None, help="User-Agent header to send")
    b = p.add_argument_group("browser audits")
    b.add_argument("--browsers", type=_non_negative_int, default=None,
                   help="Chromium instances auditing pages in parallel (default: the number of CPU cores)")
    b.add_argument("--no-browser", action="store_true",
                   help="static checks only: no Chromium needed, but contrast and script-built content go unchecked")
    b.add_argument("--browser-arg", action="append", default=[], metavar="ARG",
                   help="extra Chromium command-line argument (repeatable), e.g. --browser-arg=--proxy-server=...")
    b.add_argument("--webdriver-url", default=None, metavar="URL",
                   help="send browser work to a remote WebDriver / Selenium Grid instead of local Chromium")
    b.add_argument("--standard", choices=("wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"), default="wcag22aa",
                   help="WCAG rules axe-core applies (default: wcag22aa, i.e. WCAG 2.0, 2.1 and 2.2 A and AA)")
    b.add_argument("--best-practices", action="store_true", help="also run axe-core's best-practice rules")
    b.add_argument("--no-screenshots", action="store_true", help="do not take screenshots of failing elements")
    b.add_argument("--no-keyboard", action="store_true",
                   help="do not walk each page with Tab and Shift+Tab (the keyboard checks then do not run)")
    b.add_argument("--no-render-checks", action="store_true",
                   help="do not run the CSS and rendering checks (text spacing, reflow, 200%% text, focus styles...)")
    b.add_argument("--try-forms", action="store_true",
                   help="submit each form empty in the browser to check that errors are tied to their fields; "
                        "the submission itself is stopped, but use it on staging only (off by default)")
    b.add_argument("--sample", type=_sample_arg, default="auto", metavar="auto|off|N",
                   help="browser-audit a few pages per page template and infer the rest (auto: on above "
                        "a few hundred pages), off: audit every page, N: N representatives per template")
    w = p.add_argument_group("low-bandwidth audits")
    w.add_argument("--no-media", action="store_true",
                   help="do not measure what each page downloads (no low-bandwidth checks; fewer requests)")
    w.add_argument("--page-weight-budget", type=_positive_int, default=2667, metavar="KB",
                   help="flag pages whose HTML and resources weigh more than KB kilobytes of 1,024 bytes "
                   "(default: 2667, where Lighthouse's total-byte-weight scores 0.9)")
    a = p.add_argument_group("staging access (credentials go only to the audited site's hosts; ${VAR} is read "
                             "from the environment)")
    a.add_argument("--basic-auth", metavar="USER:PASSWORD", default=None,
                   help="HTTP basic auth, e.g. 'ci:${STAGING_PASSWORD}' (quote it so the shell leaves ${...} to us)")
    a.add_argument("--header", action="append", default=[], metavar="'NAME: VALUE'",
                   help="extra request header for the site (repeatable)")
    a.add_argument("--cookie", action="append", default=[], metavar="NAME=VALUE",
                   help="cookie for the site (repeatable)")
    a.add_argument("--login-url", default=None, metavar="URL",
                   help="log in once before crawling by submitting the form on this page")
    a.add_argument("--login-field", action="append", default=[], metavar="NAME=VALUE",
                   help="a login form field, e.g. 'password=${STAGING_PASSWORD}' (repeatable)")
    a.add_argument("--login-form", default=None, metavar="CSS",
                   help="CSS selector of the login form (default: the form with a password field)")
    a.add_argument("--login-hook", default=None, metavar="MODULE:FUNCTION",
                   help="log in with your own Python function; it returns the session cookies")
    a.add_argument("--insecure", action="store_true",
                   help="accept self-signed TLS certificates (staging); also in Chromium")
    o = p.add_argument_group("output")
    o.add_argument("--format", action="append", choices=FORMAT_CHOICES, default=None,
                   help="report formats to write (repeatable; default: html and json): html, json, sarif "
                   "(report.sarif), junit (report.junit.xml), markdown (summary.md)")
    o.add_argument("--traffic", default=None, metavar="FILE",
                   help="CSV of url,visits (a month, e.g. an analytics export) to rank fixes by real visits "
                   "(default: estimate each page's share from depth, links and sitemap priority)")
    o.add_argument("-q", "--quiet", action="store_true", help="print only errors and the report path")
    o.add_argument("-v", "--verbose", action="store_true", help="show Scrapy's log")
    o.add_argument("--config", default=None, metavar="PATH",
                   help="config file (default: ./empathy-audit.toml, else [tool.empathy-audit] in ./pyproject.toml)")
    _add_gate_options(p)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="empathy-audit",
        description="Crawl a website and report, in order of impact, what keeps blind, low-vision, keyboard "
        "and low-bandwidth visitors from using it.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_own_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    crawl = sub.add_parser("crawl", help="crawl a site, audit every page, write the report")
    crawl.add_argument("url", nargs="?", default=None,
                       help="start URL, e.g. https://www.example.com/ (or `url` in the config file)")
    _add_crawl_options(crawl)
    demo = sub.add_parser("demo", help="serve the bundled demo site on 127.0.0.1 and audit it")
    _add_crawl_options(demo)
    demo.add_argument("--port", type=_non_negative_int, default=None,
                      help=f"port for the demo site (default: {DEMO_PORT} when free, so runs compare; else any free port)")
    rep = sub.add_parser("report", help="write the report of a stored run again, without crawling")
    rep.add_argument("run", help="run id, or 'latest'")
    rep.add_argument("--db", default=DEFAULT_DB, help=f"run history database (default: {DEFAULT_DB})")
    rep.add_argument("--out", default="out", help="folder to write the reports to (default: out)")
    rep.add_argument("--format", action="append", choices=FORMAT_CHOICES, default=None)
    rep.add_argument("--traffic", default=None, metavar="FILE", help="CSV of url,visits to rank fixes by real visits")
    rep.add_argument("--config", default=None, metavar="PATH", help="config file to read --db and --out from")
    _add_gate_options(rep)
    hist = sub.add_parser("history", help="list past runs with their status, pages and problem counts")
    hist.add_argument("--site", default=None, metavar="URL", help="only runs of this site (its origin)")
    hist.add_argument("--db", default=DEFAULT_DB, help=f"run history database (default: {DEFAULT_DB})")
    hist.add_argument("--limit", type=_positive_int, default=20, help="show at most N runs, newest first (default: 20)")
    hist.add_argument("--json", action="store_true", help="print JSON instead of a table")
    hist.add_argument("--config", default=None, metavar="PATH", help="config file to read --db from")
    base = sub.add_parser("baseline", help="save or prune the baseline file of accepted fixes (for CI gates)")
    base_sub = base.add_subparsers(dest="baseline_action", metavar="ACTION", required=True)
    base_commands = {}
    for action, text in (("save", "write the baseline file from a stored run: its failing fixes are accepted "
                                  "(notes of entries already in the file are kept)"),
                         ("prune", "remove the entries a stored run found fixed from the baseline file")):
        b = base_sub.add_parser(action, help=text, description=text)
        b.add_argument("--db", default=DEFAULT_DB, help=f"run history database (default: {DEFAULT_DB})")
        b.add_argument("--run", default="latest", metavar="ID",
                       help="run id, or 'latest' (default: the newest finished run, of --site when given)")
        b.add_argument("--site", dest="url", default=None, metavar="URL",
                       help="with --run latest: the newest finished run of this site (default: `url` of the config "
                       "file, else any site)")
        b.add_argument("--file", dest="baseline", default=None, metavar="FILE",
                       help=f"the baseline file (default: `baseline` of the config file, else {DEFAULT_BASELINE})")
        b.add_argument("--config", default=None, metavar="PATH", help="config file to read db, url and baseline from")
        base_commands[f"baseline {action}"] = b
    ini = sub.add_parser("init", help="write a commented starter config file (empathy-audit.toml)")
    ini.add_argument("--config", default=None, metavar="PATH", help="where to write it (default: ./empathy-audit.toml)")
    ini.add_argument("--force", action="store_true", help="overwrite an existing file")
    parser._empathy_commands = {  # type: ignore[attr-defined]
        "crawl": crawl, "demo": demo, "report": rep, "history": hist, **base_commands}
    chk = sub.add_parser("checks", help="list the checks, or explain one")
    chk.add_argument("explain", nargs="*", metavar="[list | explain] ID",
                     help="'checks' or 'checks list' lists every check; 'checks explain ID...' (or 'checks ID...') "
                          "explains them")
    return parser


def _own_version() -> str:
    try:
        from importlib.metadata import version

        return version("empathy-audit")
    except Exception:
        return "0+unknown"


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        if args.command in CONFIGURED_COMMANDS:
            args = _apply_config(parser, args, list(sys.argv[1:] if argv is None else argv))
        if args.command == "crawl":
            return cmd_crawl(args)
        if args.command == "demo":
            return cmd_demo(args)
        if args.command == "report":
            return cmd_report(args)
        if args.command == "checks":
            return cmd_checks(args)
        if args.command == "history":
            return cmd_history(args)
        if args.command == "init":
            return cmd_init(parser, args)
        if args.command == "baseline":
            return cmd_baseline(args)
    except UserError as exc:
        from crawler.secrets import mask

        print(mask(f"empathy-audit: {exc}"), file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("empathy-audit: interrupted.", file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_USAGE


# --- config file ---------------------------------------------------------------------------------------------

CONFIGURED_COMMANDS = ("crawl", "demo", "report", "history", "baseline")


def _config_keys(parser: argparse.ArgumentParser) -> dict[str, Any]:
    from crawler.config import schema

    commands = parser._empathy_commands  # type: ignore[attr-defined]
    return schema([commands["crawl"], commands["demo"]])


def _apply_config(parser: argparse.ArgumentParser, args: argparse.Namespace, argv: list[str]) -> argparse.Namespace:
    """Fill every option not given on the command line from the config file; ${VAR} in credential flags too."""
    from crawler import config

    subparser = parser._empathy_commands[_command_name(args)]  # type: ignore[attr-defined]
    sub_argv = argv[argv.index(args.command) + 1:] if args.command in argv else argv
    if args.command == "baseline" and args.baseline_action in sub_argv:  # the options after "baseline save"
        sub_argv = sub_argv[sub_argv.index(args.baseline_action) + 1:]
    try:
        path, is_pyproject = config.find_config(getattr(args, "config", None))
        loaded = config.load(path, is_pyproject, _config_keys(parser))
        explicit = config.explicit_dests(subparser, sub_argv)
        args = config.apply(args, loaded, explicit)
        keys = config.options_of(subparser)
        for key in config.AUTH_OPTIONS:  # ${VAR} typed on the command line (quoted) is expanded here
            opt = keys.get(key)
            if opt is not None and opt.dest in explicit:
                value, used = config.expand_env(getattr(args, opt.dest), key, "the command line", os.environ)
                setattr(args, opt.dest, value)
                args.config_secrets |= used
    except config.ConfigError as exc:
        raise UserError(str(exc)) from None
    return args


def _command_name(args: argparse.Namespace) -> str:
    return f"baseline {args.baseline_action}" if args.command == "baseline" else args.command


def cmd_init(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from crawler.config import CONFIG_FILE, starter

    path = args.config or CONFIG_FILE
    if os.path.exists(path) and not args.force:
        raise UserError(f"{path} already exists: edit it, or pass --force to overwrite it with a fresh starter file.")
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(starter(_config_keys(parser)))
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}.") from None
    print(path)
    return EXIT_OK


# --- history -------------------------------------------------------------------------------------------------


def _open_store(db: str, must_exist: bool = True) -> Any:
    from crawler.storage import Store, StoreError

    if must_exist and not db.startswith(("postgresql://", "postgres://")) and not os.path.exists(db):
        raise UserError(f"there is no history database at {db}: run 'empathy-audit crawl URL' first.")
    try:
        return Store(db)
    except StoreError as exc:
        raise UserError(str(exc)) from None


def _site_arg(url: str | None) -> str | None:
    """The site (origin) a --site/--url option names, or None; a bad URL is one sentence."""
    if not url:
        return None
    from crawler.urls import BadURL, origin_of, validate_start_url

    try:
        return origin_of(validate_start_url(url))
    except BadURL as exc:
        raise UserError(str(exc)) from None


def cmd_history(args: argparse.Namespace) -> int:
    import json


    site = _site_arg(args.site)
    store = _open_store(args.db)
    try:
        runs = store.run_summaries(site=site, limit=args.limit)
        for r in runs:  # the impact score is recorded in the run's stats when its report is written
            stats = (store.get_run(r["id"]) or {}).get("stats") or {}
            score = stats.get(SCORE_STAT)
            r["score"] = score if isinstance(score, (int, float)) and not isinstance(score, bool) else None
    finally:
        store.close()
    if args.json:
        print(json.dumps(runs, indent=2))
        return EXIT_OK
    if not runs:
        print(f"No runs{' of ' + site if site else ''} in {getattr(store, 'path', args.db)} yet.", file=sys.stderr)
        return EXIT_OK
    header = ("run", "date (UTC)", "status", "pages", "problems", "critical", "serious", "moderate", "minor",
              "score", "site")
    rows = [(str(r["id"]), (r["started_at"] or "")[:16].replace("T", " "), r["status"], str(r["pages"]),
             str(r["problems"]), str(r["critical"]), str(r["serious"]), str(r["moderate"]), str(r["minor"]),
             "-" if r["score"] is None else f"{r['score']:.2f}", r["site"]) for r in runs]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    for row in (header, *rows):
        print("  ".join(c.ljust(w) if i in (1, 2, 10) else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
              .rstrip())
    return EXIT_OK


# --- crawl ---------------------------------------------------------------------------------------------------


@dataclass
class CrawlResult:
    run_id: int
    status: str  # finished | interrupted | failed
    pages: int
    audited: int
    seconds: float
    reports: dict[str, str]
    problems: int = 0
    gate: Any = None  # reports.gates.GateResult


def find_chromium() -> tuple[str | None, str | None]:
    chromium = next((p for p in map(shutil.which, CHROMIUM_CANDIDATES) if p), None)
    driver = shutil.which("chromedriver")
    return chromium, driver


def browser_count(args: argparse.Namespace) -> int:
    if args.no_browser:
        return 0
    if args.browsers is not None:
        return args.browsers
    return max(1, min(os.cpu_count() or 1, 4))


def scrapy_settings(args: argparse.Namespace) -> dict[str, Any]:
    """CLI options -> Scrapy settings (the AUDIT_* ones and Scrapy's own)."""
    settings: dict[str, Any] = {
        "AUDIT_DB": args.db,
        "AUDIT_OUT_DIR": os.path.abspath(args.out),
        "AUDIT_MAX_PAGES": args.max_pages,
        "AUDIT_MAX_DEPTH": args.max_depth,
        "AUDIT_INCLUDE": list(args.include),
        "AUDIT_EXCLUDE": list(args.exclude),
        "AUDIT_SITEMAPS": not args.no_sitemaps,
        "ROBOTSTXT_OBEY": not args.ignore_robots,
        "CONCURRENT_REQUESTS_PER_DOMAIN": args.concurrency,
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(args.concurrency),
        "DOWNLOAD_TIMEOUT": args.timeout,
        "CLOSESPIDER_TIMEOUT": args.max_time,
        "AUDIT_BROWSERS": browser_count(args),
        "AUDIT_BROWSER_ARGS": list(args.browser_arg),
        "AUDIT_WEBDRIVER_URL": args.webdriver_url,
        "AUDIT_STANDARD": args.standard,
        "AUDIT_BEST_PRACTICES": args.best_practices,
        "AUDIT_SCREENSHOTS": not args.no_screenshots,
        "AUDIT_PAGE_TIMEOUT": max(10, args.timeout),
        "AUDIT_PAGE_WEIGHT_BUDGET": args.page_weight_budget,
        "AUDIT_MEDIA": not args.no_media,
        "AUDIT_PROBES": [p for p, off in (("render", args.no_render_checks), ("keyboard", args.no_keyboard)) if not off],
        "AUDIT_TRY_FORMS": args.try_forms,
        "AUDIT_SAMPLE": args.sample,
    }
    settings["AUDIT_INSECURE"] = bool(getattr(args, "insecure", False))
    settings["AUDIT_PROGRESS"] = not args.quiet
    if os.environ.get("EMPATHY_AUDIT_PROGRESS_INTERVAL"):
        settings["AUDIT_PROGRESS_INTERVAL"] = float(os.environ["EMPATHY_AUDIT_PROGRESS_INTERVAL"])
    if args.user_agent:
        settings["USER_AGENT"] = args.user_agent
    if args.verbose:
        settings["LOG_LEVEL"] = "INFO"
    return settings


def _staging_session(args: argparse.Namespace, start_url: str) -> Any:
    """The AuthSession for --basic-auth/--header/--cookie/--login-*/--insecure, or None when none is given."""
    from crawler.auth import AuthError, AuthSession, StagingAccess

    try:
        access = StagingAccess.from_args(args, start_url, getattr(args, "config_secrets", ()))
    except AuthError as exc:
        raise UserError(str(exc)) from None
    return AuthSession(access) if access.active else None


def _check_browser_available(args: argparse.Namespace, n: int) -> None:
    if n == 0 or args.webdriver_url:
        return
    chromium, driver = find_chromium()
    if not chromium or not driver:
        raise UserError(
            "browser audits need Chromium and ChromeDriver (Debian/Ubuntu: 'apt-get install chromium "
            "chromium-driver'); install them, or pass --no-browser for static checks only."
        )


def run_crawl(url: str, args: argparse.Namespace) -> CrawlResult:
    """Crawl and audit `url` in this process, store the run, write the reports."""
    from crawler.urls import BadURL, origin_of, validate_start_url

    try:
        start_url = validate_start_url(url)
    except BadURL as exc:
        raise UserError(str(exc)) from None
    traffic = _load_traffic(getattr(args, "traffic", None))
    policy = _gate_policy(args)  # a bad baseline file stops here, before anything is crawled
    from crawler.secrets import install_log_masking

    install_log_masking()
    overrides = scrapy_settings(args)
    _check_browser_available(args, overrides["AUDIT_BROWSERS"])
    session = _staging_session(args, start_url)
    if session is not None:
        overrides["AUDIT_AUTH"] = session  # shared by the middleware (login, headers) and the browsers
        overrides["AUDIT_AUTH_SUMMARY"] = __import__("json").dumps(session.access.summary(), sort_keys=True)
        if session.access.sends_credentials and not session.access.insecure:
            overrides["DOWNLOAD_VERIFY_CERTIFICATES"] = True  # no password to a server we cannot verify

    from scrapy.crawler import CrawlerProcess
    from scrapy.settings import Settings

    from crawler.storage_pipeline import versions
    from crawler.spiders.site import SiteSpider
    from crawler.storage import Store, StoreError

    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.update(overrides, priority="cmdline")
    pipelines = dict(settings.getdict("ITEM_PIPELINES"))
    if overrides["AUDIT_BROWSERS"] > 0:
        pipelines["crawler.browser_pipeline.BrowserAuditPipeline"] = 300
    settings.set("ITEM_PIPELINES", pipelines, priority="cmdline")

    try:
        store = Store(args.db)
    except StoreError as exc:
        raise UserError(str(exc)) from None
    from crawler.storage_pipeline import audit_settings

    run_id = store.start_run(origin_of(start_url), start_url, {}, versions())
    settings.set("AUDIT_RUN_ID", run_id, priority="cmdline")
    store.set_run_settings(run_id, audit_settings(settings))
    if not args.quiet:
        print(f"Crawling {start_url} (run {run_id}; at most {args.max_pages} pages)...", file=sys.stderr)
    started = time.monotonic()
    settings.set("LOG_INSTALL_ROOT_HANDLER", bool(args.verbose), priority="cmdline")
    process = CrawlerProcess(settings)
    process.crawl(SiteSpider, url=start_url)
    process.start()  # blocks until the crawl ends; Ctrl-C stops it gracefully (spider closes as "shutdown")
    seconds = time.monotonic() - started
    del process
    _release_memory()  # the crawl's garbage, before the whole run is loaded for the report

    run = store.get_run(run_id) or {}
    if run.get("status") == "running":  # forced stop (second Ctrl-C) before the spider could close
        store.finish_run(run_id, "interrupted")
    if session is not None and session.login_error:
        store.finish_run(run_id, "failed")
        store.close()
        raise UserError(session.login_error)
    run, pages, findings = store.load_run(run_id)
    _raise_for_start_page(start_url, pages, store, run_id)
    n_pages = len(pages)
    audited = sum(1 for p in pages if p["status"] and 200 <= p["status"] < 300 and _is_html_type(p["content_type"]))
    problems = len({f["check_id"] for f in findings if f["outcome"] == "fail"})
    report = _build_report(run, pages, findings, store=store, traffic=traffic)
    del pages, findings  # the report holds what it needs: the raw rows go before the reports are written
    _release_memory()
    gate = _apply_gate(report, policy, args)
    written = _write_reports(report, args.out, args.format)
    _record_score(store, run_id, gate)
    store.close()
    return CrawlResult(run_id, run["status"], n_pages, audited, seconds, written, problems, gate)


def _is_html_type(ct: str) -> bool:
    return ct.split(";")[0].strip().lower() in ("text/html", "application/xhtml+xml", "")


def _raise_for_start_page(start_url: str, pages: list[dict[str, Any]], store: Any, run_id: int) -> None:
    """One clear sentence when the site could not be crawled at all."""
    start = next((p for p in pages if p["found_via"] == "start"), None)
    message = None
    if start is None:
        message = f"{start_url} was not crawled (the crawl stopped before the start page was fetched)."
    elif start["error"] and "robots.txt" in start["error"]:
        message = (f"the robots.txt of {start_url} forbids crawling it; for a site you own (e.g. staging) "
                   f"pass --ignore-robots.")
    elif start["error"] and start["status"] is None:
        message = f"cannot reach {start_url}: {start['error']}."
    elif start["status"] is not None and start["status"] >= 400:
        message = f"the start page {start_url} answered HTTP {start['status']}, so there is nothing to audit."
    elif start["error"]:
        message = f"the start page {start_url} {start['error']}."
    elif not _is_html_type(start["content_type"]) or not any(
        p["status"] and 200 <= p["status"] < 300 and _is_html_type(p["content_type"]) for p in pages
    ):
        kind = start["content_type"].split(";")[0] or "of an unknown type"
        message = f"the start page {start_url} is not an HTML page (it is {kind}), so there is nothing to audit."
    if message:
        store.finish_run(run_id, "failed")
        store.close()
        raise UserError(message)


def _load_traffic(path: str | None) -> Any:
    """The --traffic CSV, read before crawling so a bad file fails fast; None without the option."""
    if not path:
        return None
    from reports.traffic import TrafficError, load

    try:
        return load(path)
    except TrafficError as exc:
        raise UserError(str(exc)) from None


def _build_report(run: dict, pages: list, findings: list, store: Any = None, traffic: Any = None) -> Any:
    """The run's Report (with its low-bandwidth section when the store has one). Built one part at a time, each
    part's inputs dropped before the next is loaded: the resource rows before the report is built, the previous
    run (for the trend) as soon as the report has compared with it."""
    from reports.aggregate import build_report
    from reports.history import previous_run

    bandwidth = None
    if store is not None and run.get("id") is not None:
        from reports.bandwidth import build_bandwidth

        bandwidth = build_bandwidth(run, pages, store.load_resources(run["id"]), findings)
    previous = (lambda: previous_run(store, run)) if store is not None else None
    report = build_report(run, pages, findings, traffic=traffic, previous=previous)
    if store is not None and run.get("id") is not None:
        report.bandwidth = bandwidth
    return report


def _release_memory() -> None:
    """Collect garbage and hand the freed heap back to the system (glibc's malloc keeps it otherwise: ~70 MB after
    a 1,000-page crawl), so building and writing a large report reuses it instead of growing the process."""
    import gc

    gc.collect()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc (macOS, musl): nothing to trim
        pass


def _write_reports(report: Any, out_dir: str, formats: list[str] | None) -> dict[str, str]:
    from reports.writers import write_all

    try:
        os.makedirs(out_dir, exist_ok=True)
        return {k: os.path.abspath(v) for k, v in write_all(report, out_dir, tuple(formats or ("html", "json"))).items()}
    except OSError as exc:
        raise UserError(f"cannot write the report to {out_dir}: {exc.strerror or exc}.") from None


# --- gates ----------------------------------------------------------------------------------------------------

SCORE_STAT = "report/impact_score"  # in the run's stats: what `history` shows as the score


def _gate_policy(args: argparse.Namespace) -> Any:
    """The gates of --fail-on, --max-score, --fail-on-budget and --baseline (read and checked here)."""
    from audits.model import Severity
    from reports import baseline as bl
    from reports.gates import Policy

    base = None
    path = getattr(args, "baseline", None)
    if path:
        try:
            base = bl.load(path, missing_ok=True)
        except bl.BaselineError as exc:
            raise UserError(str(exc)) from None
    url = getattr(args, "report_url", None)
    if url:
        from reports.aggregate import http_url

        if http_url(url) is None:
            raise UserError(f"--report-url {url!r} is not an http(s) URL.")
    fail_on = getattr(args, "fail_on", None)
    return Policy(fail_on=Severity(fail_on) if fail_on else None, max_score=getattr(args, "max_score", None),
                  fail_on_budget=bool(getattr(args, "fail_on_budget", False)), baseline=base)


def _apply_gate(report: Any, policy: Any, args: argparse.Namespace) -> Any:
    from reports import gates
    from reports.writers.markdown import ci_report_url

    result = gates.evaluate(report, policy, getattr(args, "report_url", None) or ci_report_url())
    gates.attach(report, result)
    return result


def _record_score(store: Any, run_id: int, gate: Any) -> None:
    """Keep the run's impact score in its stats, so `history` lists it without rebuilding every report."""
    import json

    try:
        stats = dict((store.get_run(run_id) or {}).get("stats") or {})
        stats[SCORE_STAT] = round(gate.score, 6)
        store.conn.execute("UPDATE runs SET stats = ? WHERE id = ?",
                           (json.dumps(stats, default=str, sort_keys=True), run_id))
    except Exception as exc:  # noqa: BLE001 - the history column is a convenience: never fail a run for it
        print(f"empathy-audit: could not record the impact score of run {run_id}: {exc}", file=sys.stderr)


def _print_gate(gate: Any, reports: dict[str, str], quiet: bool) -> None:
    """stderr: warnings, one line per fix that failed the gate, the verdict. stdout: baseline entries gone."""
    from crawler.secrets import mask

    if gate is None:
        return
    for w in gate.warnings:
        print(mask(f"empathy-audit: warning: {w}"), file=sys.stderr)
    if gate.active and not gate.passed:
        for v in gate.failing:
            print(mask(f"empathy-audit: FAIL {gate.fix_line(v)}"), file=sys.stderr)
        where = reports.get("html") or next(iter(reports.values()), "")
        print(mask(f"empathy-audit: {gate.summary()}" + (f" The report: {where}" if where else "")), file=sys.stderr)
    elif gate.active and not quiet:
        print(mask(f"empathy-audit: {gate.summary()}"), file=sys.stderr)
    if gate.gone:
        n = len(gate.gone)
        path = gate.policy.baseline.path if gate.policy.baseline is not None else DEFAULT_BASELINE
        print(mask(f"baseline: {n} entr{'ies are' if n != 1 else 'y is'} gone (fixed): 'empathy-audit baseline "
                   f"prune --file {path}' removes {'them' if n != 1 else 'it'}"))
        for e in gate.gone:
            print(mask(f"baseline gone: {e.fingerprint} {e.heading}"))


def _print_result(result: CrawlResult, quiet: bool) -> None:
    if not quiet:
        rate = result.pages / result.seconds if result.seconds > 0 else 0.0
        state = "" if result.status == "finished" else f" ({result.status}: partial results)"
        print(
            f"Run {result.run_id}{state}: {result.pages} URLs fetched, {result.audited} HTML pages audited in "
            f"{result.seconds:.1f} s ({rate:.1f} pages/s); {result.problems} kinds of problem found.",
            file=sys.stderr,
        )
    for path in result.reports.values():
        print(path)
    _print_gate(result.gate, result.reports, quiet)


def _exit_code(result: CrawlResult) -> int:
    if result.status == "interrupted":
        return EXIT_INTERRUPTED
    if result.gate is not None and result.gate.active and not result.gate.passed:
        return EXIT_GATE
    return EXIT_OK


def cmd_crawl(args: argparse.Namespace) -> int:
    if not args.url:
        raise UserError("no start URL: pass it (empathy-audit crawl https://www.example.com/) or set url in "
                        "empathy-audit.toml.")
    result = run_crawl(args.url, args)
    _print_result(result, args.quiet)
    return _exit_code(result)


def cmd_demo(args: argparse.Namespace) -> int:
    from crawler.devserver import DEMO_SITE, serve

    ports = [args.port] if args.port is not None else [DEMO_PORT, 0]
    for port in ports:
        try:
            server_cm = serve(DEMO_SITE, port=port)
            server = server_cm.__enter__()
            break
        except OSError as exc:
            if port == ports[-1]:
                raise UserError(f"cannot serve the demo site on 127.0.0.1:{port}: {exc.strerror or exc}.") from None
    try:
        if not args.quiet:
            print(f"Serving the bundled demo site at {server.base_url}/", file=sys.stderr)
        result = run_crawl(server.base_url + "/", args)
    finally:
        server_cm.__exit__(None, None, None)
    _print_result(result, args.quiet)
    return _exit_code(result)


def cmd_report(args: argparse.Namespace) -> int:
    store = _open_store(args.db)
    ids = store.run_ids()
    if not ids:
        raise UserError(f"the history database {args.db} holds no runs yet.")
    if args.run == "latest":
        run_id = ids[-1]
    else:
        try:
            run_id = int(args.run)
        except ValueError:
            raise UserError(f"{args.run!r} is not a run id: give a number or 'latest'.") from None
        if run_id not in ids:
            raise UserError(f"there is no run {run_id} in {args.db} (runs {ids[0]} to {ids[-1]} exist).")
    traffic = _load_traffic(getattr(args, "traffic", None))
    policy = _gate_policy(args)
    run, pages, findings = store.load_run(run_id)
    report = _build_report(run, pages, findings, store=store, traffic=traffic)
    del pages, findings  # the report holds what it needs: the raw rows go before the reports are written
    _release_memory()
    gate = _apply_gate(report, policy, args)
    written = _write_reports(report, args.out, args.format)
    _record_score(store, run_id, gate)
    store.close()
    for path in written.values():
        print(path)
    _print_gate(gate, written, quiet=False)
    return EXIT_GATE if gate.active and not gate.passed else EXIT_OK


# --- baseline ------------------------------------------------------------------------------------------------


def _baseline_run(store: Any, args: argparse.Namespace) -> int:
    """The run `baseline save|prune` reads: --run ID, or the newest finished run (of --site / the config's url)."""
    from crawler.urls import origin_of

    ids = store.run_ids()
    if not ids:
        raise UserError(f"the history database {args.db} holds no runs yet: run 'empathy-audit crawl' first.")
    if args.run != "latest":
        try:
            run_id = int(args.run)
        except ValueError:
            raise UserError(f"{args.run!r} is not a run id: give a number or 'latest'.") from None
        if run_id not in ids:
            raise UserError(f"there is no run {run_id} in {args.db} (runs {ids[0]} to {ids[-1]} exist).")
        return run_id
    site = _site_arg(args.url)
    for rid in reversed(ids):
        run = store.get_run(rid) or {}
        if run.get("status") != "finished":
            continue
        if site and site not in (run.get("site"), origin_of(run.get("start_url") or "")):
            continue
        return rid
    raise UserError(f"there is no finished run{' of ' + site if site else ''} in {args.db}: a baseline is saved "
                    f"from a complete crawl (or pass --run ID).")


def cmd_baseline(args: argparse.Namespace) -> int:
    from reports import baseline as bl

    path = args.baseline or DEFAULT_BASELINE
    try:
        previous = bl.load(path, missing_ok=args.baseline_action == "save")
    except bl.BaselineError as exc:
        raise UserError(str(exc)) from None
    store = _open_store(args.db)
    try:
        run_id = _baseline_run(store, args)
        run, pages, findings = store.load_run(run_id)
        report = _build_report(run, pages, findings)
    finally:
        store.close()
    if args.baseline_action == "save":
        change = bl.from_report(report, previous)
    else:
        change = bl.prune(report, previous)
    try:
        change.baseline.save(path)
    except bl.BaselineError as exc:
        raise UserError(str(exc)) from None
    status = "" if report.run.status == "finished" else f" ({report.run.status}: pages are missing)"
    n = len(change.baseline.entries)
    print(f"{path}: {n} accepted fix{'es' if n != 1 else ''} from run "
          f"{run_id}{status}; {len(change.added)} added, {len(change.removed)} removed.", file=sys.stderr)
    for fp in change.added:
        print(f"added {fp}")
    for fp in change.removed:
        print(f"removed {fp}")
    return EXIT_OK


def cmd_checks(args: argparse.Namespace) -> int:
    from audits.registry import get, select

    words = list(args.explain)
    if words and words[0] in ("list", "explain"):
        words = words[1:]  # `checks list`, `checks explain ID` and `checks ID` all work
    args.explain = words
    if args.explain:
        for check_id in args.explain:
            chk = get(check_id)
            if chk is None:
                raise UserError(f"there is no check {check_id!r}: 'empathy-audit checks' lists them.")
            print(f"{chk.id}: {chk.title}")
            print(f"  severity {chk.severity}; kind {chk.kind}; WCAG {', '.join(chk.wcag) or 'best practice'}; "
                  f"personas {', '.join(chk.personas)}")
            print()
            print(chk.doc)
            print()
        return EXIT_OK
    for chk in select():
        print(f"{chk.id:28} {chk.kind:8} {chk.severity:9} {','.join(chk.wcag) or 'best-practice':16} {chk.title}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
