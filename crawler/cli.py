"""The empathy-audit command line: crawl | demo | report | history | baseline | init | checks.

Thin: it parses the options, merges the config file, hands a typed options object to crawler.run, and prints what
comes back and turns it into an exit code.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import fields
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from empathy_audit.audits.gather.axe import STANDARD_TAGS
from empathy_audit.audits.registry import get, select
from empathy_audit.crawler import config, run
from empathy_audit.crawler import settings as defaults
from empathy_audit.crawler.run import (
    DEFAULT_BASELINE,
    DEMO_PORT,
    EXIT_GATE,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_USAGE,
    SCORE_STAT,
    CrawlOptions,
    CrawlResult,
    ReportOptions,
    Started,
    UserError,
)
from empathy_audit.crawler.secrets import mask
from empathy_audit.reports.counts import number, terminal_line
from empathy_audit.reports.writers import FORMATS

DEFAULT_DB = defaults.AUDIT_DB
FORMAT_CHOICES = tuple(FORMATS)  # the writers registry: a new format needs no edit here
SEVERITY_CHOICES = ("critical", "serious", "moderate", "minor")
FORMAT_HELP = ("another report format to write besides report.html and report.json, which are always written "
               "(repeatable): sarif (report.sarif), junit (report.junit.xml), markdown (summary.md)")
__all__ = ["EXIT_GATE", "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_USAGE", "SCORE_STAT", "UserError", "build_parser", "main"]


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
    g.add_argument("--out", default=defaults.AUDIT_OUT_DIR,
                   help=f"folder for report.html, report.json and screenshots (default: {defaults.AUDIT_OUT_DIR})")
    g.add_argument("--db", default=DEFAULT_DB, help=f"run history database (default: {DEFAULT_DB})")
    g.add_argument("--urls", default=None, metavar="FILE",
                   help="audit exactly the URLs in FILE, one a line (blank lines and # comments skipped; - reads "
                   "standard input): no link is followed, no sitemap read; no start URL needed")
    g.add_argument("--max-pages", type=_positive_int, default=None, metavar="N",
                   help=f"fetch at most N pages (default: {defaults.AUDIT_MAX_PAGES}; with --urls, every URL listed)")
    g.add_argument("--max-depth", type=_non_negative_int, default=defaults.AUDIT_MAX_DEPTH,
                   help=f"follow links at most D clicks from the start page (default: {defaults.AUDIT_MAX_DEPTH})")
    g.add_argument("--include", action="append", type=_regex, default=[], metavar="RE",
                   help="only crawl URLs matching this regular expression (repeatable; the start URL always is)")
    g.add_argument("--exclude", action="append", type=_regex, default=[], metavar="RE",
                   help="never crawl URLs matching this regular expression (repeatable)")
    g.add_argument("--also-origin", action="append", default=[], metavar="URL",
                   help="this origin (scheme://host:port) is part of the site too: crawled, audited and sent the "
                   "credentials (repeatable); other ports and schemes of the site's host are not")
    g.add_argument("--ignore-robots", action="store_true",
                   help="do not obey robots.txt (only for sites you own, e.g. staging)")
    g.add_argument("--no-sitemaps", action="store_true", help="do not seed the crawl from robots.txt and /sitemap.xml")
    g.add_argument("--concurrency", type=_positive_int, default=defaults.CONCURRENT_REQUESTS_PER_DOMAIN,
                   help=f"parallel requests to the site, at most (default: {defaults.CONCURRENT_REQUESTS_PER_DOMAIN}; "
                   "AutoThrottle may use fewer)")
    g.add_argument("--timeout", type=_positive_int, default=defaults.DOWNLOAD_TIMEOUT,
                   help=f"seconds to wait for a response (default: {defaults.DOWNLOAD_TIMEOUT})")
    g.add_argument("--max-time", type=_non_negative_int, default=defaults.CLOSESPIDER_TIMEOUT,
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
    b.add_argument("--chromium", default=None, metavar="PATH",
                   help="the Chromium (or Chrome) executable to audit with (default: $EMPATHY_CHROMIUM, else "
                   "chromium on PATH)")
    b.add_argument("--chromedriver", default=None, metavar="PATH",
                   help="the chromedriver executable, of the same version as Chromium (default: "
                   "$EMPATHY_CHROMEDRIVER, else chromedriver on PATH)")
    b.add_argument("--standard", choices=tuple(STANDARD_TAGS), default=defaults.AUDIT_STANDARD,
                   help=f"WCAG rules axe-core applies (default: {defaults.AUDIT_STANDARD}, i.e. WCAG 2.0, 2.1 and 2.2 "
                   "A and AA; wcag2aaa and wcag22aaa add the AAA rules, such as enhanced contrast)")
    b.add_argument("--axe-script", default=None, metavar="FILE",
                   help="inject this axe-core build (axe.min.js, e.g. a newer axe-core) instead of the one "
                   "axe-selenium-python bundles")
    b.add_argument("--best-practices", action="store_true", help="also run axe-core's best-practice rules")
    b.add_argument("--no-screenshots", action="store_true", help="do not take screenshots of failing elements")
    b.add_argument("--no-keyboard", action="store_true",
                   help="do not walk each page with Tab and Shift+Tab (the keyboard checks then do not run)")
    b.add_argument("--no-render-checks", action="store_true",
                   help="do not run the CSS and rendering checks (text spacing, reflow, 200%% text, focus styles...)")
    b.add_argument("--try-forms", action="store_true",
                   help="submit each form empty in the browser to check that errors are tied to their fields; "
                        "the submission itself is stopped, but use it on staging only (off by default)")
    b.add_argument("--sample", type=_sample_arg, default=None, metavar="auto|off|N",
                   help="browser-audit a few pages per page template and infer the rest (auto: on above "
                        "a few hundred pages), off: audit every page, N: N representatives per template "
                        f"(default: {defaults.AUDIT_SAMPLE}; with --urls, off)")
    s_ = p.add_argument_group("what to leave out")
    s_.add_argument("--ignore-check", action="append", default=[], metavar="ID",
                    help="do not run this check (one of ours, or an axe-core rule id) and drop its findings "
                    "(repeatable, or comma-separated)")
    s_.add_argument("--exclude-selector", action="append", default=[], metavar="CSS",
                    help="do not audit the elements matching this CSS selector, nor anything inside them "
                    "(repeatable), e.g. a third-party widget")
    w = p.add_argument_group("low-bandwidth audits")
    w.add_argument("--no-media", action="store_true",
                   help="do not measure what each page downloads (no low-bandwidth checks; fewer requests)")
    w.add_argument("--page-weight-budget", type=_positive_int, default=defaults.AUDIT_PAGE_WEIGHT_BUDGET, metavar="KB",
                   help="flag pages whose HTML and resources weigh more than KB kilobytes of 1,024 bytes "
                   f"(default: {defaults.AUDIT_PAGE_WEIGHT_BUDGET}, where Lighthouse's total-byte-weight scores 0.9)")
    a = p.add_argument_group("staging access (credentials go only to the audited site's origins; ${VAR} is read "
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
                   help=FORMAT_HELP)
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
                       help="start URL, e.g. https://www.example.com/ (or `url` in the config file; not with --urls)")
    _add_crawl_options(crawl)
    demo = sub.add_parser("demo", help="serve the bundled demo site on 127.0.0.1 and audit it")
    _add_crawl_options(demo)
    demo.add_argument("--port", type=_non_negative_int, default=None,
                      help=f"port for the demo site (default: {DEMO_PORT} when free, so runs compare; else any free port)")
    rep = sub.add_parser("report", help="write the report of a stored run again, without crawling")
    rep.add_argument("run", help="run id, or 'latest'")
    rep.add_argument("--db", default=DEFAULT_DB, help=f"run history database (default: {DEFAULT_DB})")
    rep.add_argument("--out", default=defaults.AUDIT_OUT_DIR,
                     help=f"folder to write the reports to (default: {defaults.AUDIT_OUT_DIR})")
    rep.add_argument("--format", action="append", choices=FORMAT_CHOICES, default=None, help=FORMAT_HELP)
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
    for action, text in (("save", ("write the baseline file from a stored run: its failing fixes are accepted "
                                   "(notes of entries already in the file are kept)")),
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
        return version("empathy-audit")
    except PackageNotFoundError:
        return "0+unknown"


def _out(text: str = "") -> None:
    """A line on stdout. Once its reader has gone (`empathy-audit checks | head -1`), the rest is dropped quietly:
    a closed pipe is not an error, and the command keeps its own exit code."""
    global _stdout_gone
    if _stdout_gone:
        return
    try:
        print(text)
    except BrokenPipeError:
        _stdout_gone = True
        _drop_stdout()


_stdout_gone = False


def _drop_stdout() -> None:
    """Point stdout at /dev/null, so that nothing left in its buffer fails again when Python flushes it at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except BrokenPipeError:  # argparse's --help into a closed pipe
        _drop_stdout()
        return EXIT_OK
    finally:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _drop_stdout()
        except (OSError, ValueError):
            pass


def _main(argv: Sequence[str] | None) -> int:
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
        for line in str(exc).splitlines():  # several problems (a config file's): one sentence a line
            print(mask(f"empathy-audit: {line}"), file=sys.stderr)
        return exc.code
    except KeyboardInterrupt:
        print("empathy-audit: interrupted.", file=sys.stderr)
        return EXIT_INTERRUPTED
    return EXIT_USAGE


# --- config file ---------------------------------------------------------------------------------------------

CONFIGURED_COMMANDS = ("crawl", "demo", "report", "history", "baseline")


def _config_keys(parser: argparse.ArgumentParser) -> dict[str, Any]:
    commands = parser._empathy_commands  # type: ignore[attr-defined]
    return config.schema([commands["crawl"], commands["demo"]])


def _apply_config(parser: argparse.ArgumentParser, args: argparse.Namespace, argv: list[str]) -> argparse.Namespace:
    """Fill every option not given on the command line from the config file; ${VAR} in credential flags too."""
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


def _options[T](cls: type[T], args: argparse.Namespace) -> T:
    """The typed options crawler.run takes, from the parsed (and config-merged) arguments of the same names."""
    return cls(**{f.name: getattr(args, f.name) for f in fields(cls) if hasattr(args, f.name)})  # type: ignore[arg-type]


def cmd_init(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    path = args.config or config.CONFIG_FILE
    if os.path.exists(path) and not args.force:
        raise UserError(f"{path} already exists: edit it, or pass --force to overwrite it with a fresh starter file.")
    try:
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(config.starter(_config_keys(parser)))
    except OSError as exc:
        raise UserError(f"cannot write {path}: {exc.strerror or exc}.") from None
    _out(path)
    return EXIT_OK


# --- history -------------------------------------------------------------------------------------------------


def cmd_history(args: argparse.Namespace) -> int:
    site = run.site_of(args.site)
    runs, where = run.history(args.db, site, args.limit)
    if args.json:
        _out(json.dumps(runs, indent=2))
        return EXIT_OK
    if not runs:
        print(f"No runs{' of ' + site if site else ''} in {where} yet.", file=sys.stderr)
        return EXIT_OK
    header = ("run", "date (UTC)", "status", "pages", "fixes", "critical", "serious", "moderate", "minor",
              "to check", "score", "site")

    def cell(value: Any) -> str:
        return "-" if value is None else str(value)

    rows = [(str(r["id"]), (r["started_at"] or "")[:16].replace("T", " "), r["status"], str(r["pages"]),
             *(cell(r[k]) for k in ("fixes", "critical", "serious", "moderate", "minor", "to_check")),
             "-" if r["score"] is None else number(r["score"]), r["site"]) for r in runs]
    widths = [max(len(h), *(len(row[i]) for row in rows)) for i, h in enumerate(header)]
    for row in (header, *rows):
        _out("  ".join(c.ljust(w) if i in (1, 2, 11) else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths)))
              .rstrip())
    return EXIT_OK


# --- crawl, demo, report ---------------------------------------------------------------------------------------


def _print_gate(gate: Any, reports: dict[str, str], quiet: bool) -> None:
    """stderr: warnings, one line per fix that failed the gate, the verdict. stdout: baseline entries gone."""
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
        _out(mask(f"baseline: {n} entr{'ies are' if n != 1 else 'y is'} gone (fixed): 'empathy-audit baseline "
                   f"prune --file {path}' removes {'them' if n != 1 else 'it'}"))
        for e in gate.gone:
            _out(mask(f"baseline gone: {e.fingerprint} {e.heading}"))


def _print_warnings(warnings: list[str]) -> None:
    for w in warnings:
        print(w, file=sys.stderr)


def _print_result(result: CrawlResult, quiet: bool) -> None:
    _print_warnings(result.warnings)
    if not quiet:
        rate = result.pages / result.seconds if result.seconds > 0 else 0.0
        state = "" if result.status == "finished" else f" ({result.status}: partial results)"
        print(
            f"Run {result.run_id}{state}: {result.pages} URLs fetched, {result.audited} HTML pages audited in "
            f"{result.seconds:.1f} s ({rate:.1f} pages/s); {terminal_line(result.counts) if result.counts else ''}",
            file=sys.stderr,
        )
    for path in result.reports.values():
        _out(path)
    _print_gate(result.gate, result.reports, quiet)


def _exit_code(result: CrawlResult) -> int:
    if result.status == "interrupted":
        return EXIT_INTERRUPTED
    if result.gate is not None and result.gate.active and not result.gate.passed:
        return EXIT_GATE
    return EXIT_OK


def _crawl(url: str | None, args: argparse.Namespace) -> int:
    opts = _options(CrawlOptions, args)

    def announce(start: Started) -> None:
        if opts.quiet:
            return
        if start.listed:
            n = start.listed
            print(f"Auditing {n:,} URL{'s' if n != 1 else ''} from {start.source} (run {start.run_id}"
                  f"{f'; the first {start.max_pages:,}' if start.max_pages < n else ''})...", file=sys.stderr)
        else:
            print(f"Crawling {start.start_url} (run {start.run_id}; at most {start.max_pages} pages)...",
                  file=sys.stderr)

    def writing(pages: int) -> None:
        if not opts.quiet:
            print(f"Writing the report of {pages:,} URL{'s' if pages != 1 else ''}...", file=sys.stderr)

    result = run.crawl(url, opts, on_start=announce, on_report=writing)
    _print_result(result, opts.quiet)
    return _exit_code(result)


def cmd_crawl(args: argparse.Namespace) -> int:
    if args.urls is not None and args.url:
        from_file = getattr(args, "config_dests", set())
        if "url" in from_file and "urls" not in from_file:
            args.url = None  # --urls on the command line replaces the file's start URL
        elif "urls" in from_file and "url" not in from_file:
            args.urls = None  # and a start URL on the command line replaces the file's list
        else:
            raise UserError("give a start URL or --urls FILE, not both.")
    if not args.url and args.urls is None:
        raise UserError("no start URL: pass it (empathy-audit crawl https://www.example.com/), or a list of pages "
                        "with --urls FILE, or set url in empathy-audit.toml.")
    return _crawl(args.url, args)


def cmd_demo(args: argparse.Namespace) -> int:
    if args.urls is not None:
        raise UserError("demo audits the bundled demo site: --urls is for 'empathy-audit crawl'.")
    with run.demo_site(args.port) as server:
        if not args.quiet:
            print(f"Serving the bundled demo site at {server.base_url}/", file=sys.stderr)
        return _crawl(server.base_url + "/", args)


def cmd_report(args: argparse.Namespace) -> int:
    result = run.report(args.run, _options(ReportOptions, args))
    _print_warnings(result.warnings)
    for path in result.reports.values():
        _out(path)
    _print_gate(result.gate, result.reports, quiet=False)
    return EXIT_GATE if result.gate.active and not result.gate.passed else EXIT_OK


# --- baseline ------------------------------------------------------------------------------------------------


def cmd_baseline(args: argparse.Namespace) -> int:
    result = run.baseline(args.baseline_action, args.baseline, args.db, args.run, args.url)
    change = result.change
    status = "" if result.status == "finished" else f" ({result.status}: pages are missing)"
    n = len(change.baseline.entries)
    print(f"{result.path}: {n} accepted fix{'es' if n != 1 else ''} from run "
          f"{result.run_id}{status}; {len(change.added)} added, {len(change.removed)} removed.", file=sys.stderr)
    for fp in change.added:
        _out(f"added {fp}")
    for fp in change.removed:
        _out(f"removed {fp}")
    return EXIT_OK


# --- checks --------------------------------------------------------------------------------------------------


def cmd_checks(args: argparse.Namespace) -> int:
    words = list(args.explain)
    if words and words[0] in ("list", "explain"):
        words = words[1:]  # `checks list`, `checks explain ID` and `checks ID` all work
    if words:
        for check_id in words:
            chk = get(check_id)
            if chk is None:
                raise UserError(f"there is no check {check_id!r}: 'empathy-audit checks' lists them.")
            _out(f"{chk.id}: {chk.title}")
            _out(f"  severity {chk.severity}; kind {chk.kind}; WCAG {', '.join(chk.wcag) or 'best practice'}; "
                  f"personas {', '.join(chk.personas)}")
            _out()
            _out(chk.doc)
            _out()
        return EXIT_OK
    for chk in select():
        _out(f"{chk.id:28} {chk.kind:8} {chk.severity:9} {','.join(chk.wcag) or 'best-practice':16} {chk.title}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
