"""What the user hands a run besides the start URL, checked before anything is fetched: the --urls list, the
Chromium and chromedriver binaries, the axe-core script, the checks to ignore, the CSS selectors to exclude and the
history database's name. Every problem is an InputError whose message is one sentence naming the file, line, flag
or id at fault; crawler.run prints it and exits with 2.
"""

from __future__ import annotations

import difflib
import os
import shutil
import sys
from dataclasses import dataclass
from typing import Any, TextIO
from urllib.parse import urlsplit

import soupsieve

from empathy_audit.audits.gather.axe import BUNDLED, AxeScript, AxeScriptError, load_axe_script
from empathy_audit.audits.registry import load_checks
from empathy_audit.crawler.urls import BadURL, origin, validate_start_url

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_ENV = "EMPATHY_CHROMIUM"
CHROMEDRIVER_ENV = "EMPATHY_CHROMEDRIVER"


class InputError(ValueError):
    """Something the user gave cannot be used; the message is one sentence saying which and why."""


# --- --urls: the exact list of pages to audit -------------------------------------------------------------------


@dataclass(frozen=True)
class UrlList:
    urls: tuple[str, ...]  # canonical, in the order given, each once
    source: str  # the file's name ("standard input", "the config file") for messages


def read_url_list(spec: str | list[str], stdin: TextIO | None = None) -> UrlList:
    """The URLs of a --urls FILE (one a line; blank lines and lines starting with # skipped; "-" is standard input)
    or of a `urls = [...]` list from the config file. Raises InputError naming the file and line at fault."""
    if isinstance(spec, list):
        source, lines = "urls in the config file", [str(u) for u in spec]
        where = "urls in the config file, entry {n}"
    elif spec == "-":
        source, where = "standard input", "standard input line {n}"
        lines = (stdin or sys.stdin).read().splitlines()
    else:
        source, where = spec, f"{spec} line {{n}}"
        if not spec:
            raise InputError("--urls is empty: give a file with one URL a line, or - to read them from standard "
                             "input.")
        try:
            with open(spec, encoding="utf-8-sig") as fh:
                lines = fh.read().splitlines()
        except FileNotFoundError:
            raise InputError(f"--urls {spec}: there is no such file.") from None
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            raise InputError(f"--urls {spec}: the file cannot be read ({reason}).") from None
    urls: dict[str, None] = {}
    for n, line in enumerate(lines, start=1):
        text = line.strip()
        if not text or text.startswith("#"):
            continue
        try:
            urls.setdefault(validate_start_url(text), None)
        except BadURL as exc:
            reason = str(exc)
            raise InputError(f"{where.format(n=n)}: {reason[0].lower() + reason[1:]}") from None
    if not urls:
        raise InputError(f"{source} lists no URL (one a line; blank lines and # comments are skipped).")
    return UrlList(tuple(urls), source)


# --- more origins of the site -------------------------------------------------------------------------------------


def also_origins(values: list[str]) -> tuple[str, ...]:
    """--also-origin values as origins (`scheme://host[:port]`); a value that is not an http(s) URL, or that carries
    a path, is an InputError (an origin has none: the whole origin is the site)."""
    out: dict[str, None] = {}
    for value in values:
        text = str(value).strip()
        try:
            url = validate_start_url(text)
        except BadURL as exc:
            reason = str(exc)
            raise InputError(f"--also-origin: {reason[0].lower() + reason[1:]}") from None
        if urlsplit(url).path not in ("", "/") or urlsplit(url).query:
            raise InputError(f"--also-origin {text!r} has a path: give an origin such as {origin(url)}, which "
                             f"makes the whole origin part of the site.")
        out.setdefault(origin(url), None)
    return tuple(out)


# --- the browser's binaries ---------------------------------------------------------------------------------------


def _executable(path: str, what: str, flag: str) -> str:
    if not os.path.exists(path):
        raise InputError(f"{flag} {path}: there is no such file (give the path of the {what} executable).")
    if os.path.isdir(path) or not os.access(path, os.X_OK):
        raise InputError(f"{flag} {path}: this is not an executable file (give the path of the {what} "
                         f"executable).")
    return os.path.abspath(path)


def browser_binaries(chromium: str | None, chromedriver: str | None,
                     env: dict[str, str] | os._Environ | None = None) -> tuple[str | None, str | None]:
    """(Chromium, chromedriver) to start: --chromium/--chromedriver, else $EMPATHY_CHROMIUM/$EMPATHY_CHROMEDRIVER,
    else the first found on PATH (None when none is). A path given but unusable is an InputError."""
    env = os.environ if env is None else env
    found: list[str | None] = []
    for given, var, flag, what, names in (
        (chromium, CHROMIUM_ENV, "--chromium", "Chromium", CHROMIUM_CANDIDATES),
        (chromedriver, CHROMEDRIVER_ENV, "--chromedriver", "chromedriver", ("chromedriver",)),
    ):
        if given:
            found.append(_executable(given, what, flag))
        elif env.get(var):
            found.append(_executable(env[var], what, f"${var}"))
        else:
            found.append(next((p for p in map(shutil.which, names) if p), None))
    return found[0], found[1]


# --- axe-core ------------------------------------------------------------------------------------------------------


def axe_script(path: str | None) -> AxeScript:
    """The axe-core to inject: --axe-script FILE, else the one bundled with axe-selenium-python."""
    if not path:
        return BUNDLED
    try:
        return load_axe_script(path)
    except AxeScriptError as exc:
        raise InputError(f"--axe-script {path}: {exc}.") from None


# --- checks to ignore ------------------------------------------------------------------------------------------------


def split_ids(values: list[str]) -> list[str]:
    """--ignore-check values: repeatable and comma-separated; order kept, each once."""
    out: dict[str, None] = {}
    for value in values:
        for part in str(value).split(","):
            part = part.strip()
            if part:
                out.setdefault(part, None)
    return list(out)


def ignored_checks(values: list[str], axe: AxeScript) -> tuple[str, ...]:
    """The check ids of --ignore-check, each one of our checks or one of axe-core's rules; an unknown id is an
    InputError naming the closest known ids."""
    ids = split_ids(values)
    known = set(load_checks()) | set(axe.rule_ids or BUNDLED.rule_ids)
    for check_id in ids:
        if check_id not in known:
            close = difflib.get_close_matches(check_id, sorted(known), n=3, cutoff=0.5)
            hint = (" (did you mean " + " or ".join(f"'{c}'" for c in close) + "?)") if close else ""
            raise InputError(f"--ignore-check: there is no check or axe-core rule '{check_id}'{hint}; "
                             f"'empathy-audit checks' lists our checks.")
    return tuple(ids)


# --- elements to leave out -------------------------------------------------------------------------------------------


def exclude_selectors(values: list[str]) -> tuple[str, ...]:
    """--exclude-selector values, each a valid CSS selector (checked with soupsieve, the static checks' engine)."""
    out: dict[str, None] = {}
    for value in values:
        sel = str(value).strip()
        if not sel:
            raise InputError("--exclude-selector is empty: give a CSS selector, e.g. '#cookie-banner'.")
        try:
            soupsieve.compile(sel)
        except (soupsieve.SelectorSyntaxError, ValueError, TypeError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else "invalid"
            raise InputError(f"--exclude-selector {sel!r} is not a valid CSS selector ({first}).") from None
        out.setdefault(sel, None)
    return tuple(out)


# --- the history database -------------------------------------------------------------------------------------------


def history_db(db: str | None, default: str, creating: bool = True) -> str:
    """--db as given; an empty value (an unset CI variable), a folder, or (when the run may create the database) a
    path whose folder does not exist is an InputError: no folder is made but the default's own."""
    if db is None or not str(db).strip():
        raise InputError(f"--db is empty (an unset variable?): give a file path or a postgresql:// URL, or leave "
                         f"--db out to use {default}.")
    db = str(db)
    path = db[len("sqlite:///"):] if db.startswith("sqlite:///") else None if "://" in db else db
    if path is None or path == ":memory:":
        return db
    if os.path.isdir(path):
        raise InputError(f"--db {db} is a folder: give the path of a database file, e.g. "
                         f"{os.path.join(db, 'history.db')}.")
    _no_file_in_the_way("--db", db, os.path.dirname(os.path.abspath(path)))
    folder = os.path.dirname(os.path.abspath(path))
    if creating and not os.path.exists(path) and not os.path.isdir(folder) and db != default:
        raise InputError(f"--db {db}: the folder {folder} does not exist (create it, or give a database path in "
                         f"an existing folder).")
    return db


def output_dir(out: str | None) -> str:
    """--out: a folder, or one that can be made in an existing folder; else an InputError, before anything runs."""
    if out is None or not str(out).strip():
        raise InputError("--out is empty (an unset variable?): give the folder for the reports.")
    out = str(out)
    path = os.path.abspath(out)
    if os.path.exists(path) and not os.path.isdir(path):
        raise InputError(f"--out {out} is a file: give a folder for the reports (it is made if its parent folder "
                         f"exists).")
    folder = path if os.path.isdir(path) else os.path.dirname(path)
    _no_file_in_the_way("--out", out, folder)
    if not os.path.isdir(folder):
        raise InputError(f"--out {out}: the folder {folder} does not exist, so the report folder cannot be made "
                         f"in it (create it first).")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"--out {out}: the folder {folder} is not writable.")
    return out


def _no_file_in_the_way(flag: str, given: str, folder: str) -> None:
    """A file where the path needs a folder (`report.html/out`) is one sentence naming it."""
    here = folder
    while here and not os.path.exists(here):
        parent = os.path.dirname(here)
        if parent == here:
            return
        here = parent
    if here and os.path.exists(here) and not os.path.isdir(here):
        raise InputError(f"{flag} {given}: {here} is a file, not a folder.")


# --- all of a crawl's inputs at once ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checked:
    """What a crawl was given, checked: where it starts, the --urls list, the browser, what the audits leave out."""

    start_url: str
    urls: UrlList | None = None  # --urls: exactly these pages
    also: tuple[str, ...] = ()  # --also-origin: more origins of the site (scheme://host[:port])
    chromium: str | None = None  # the binaries a local browser starts (None: no local browser)
    chromedriver: str | None = None
    axe: AxeScript = BUNDLED
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


def check_crawl(url: str | None, opts: Any, default_db: str, local_browser: bool) -> Checked:
    """Every crawl input `opts` (crawler.run.CrawlOptions) holds, checked before anything is fetched, in the order a
    user reads the command line: the database and the report folder, the URL or list, the axe script, the checks, the selectors and the
    browser's binaries (only when a local browser is used)."""
    history_db(opts.db, default_db)
    output_dir(opts.out)
    listed = read_url_list(opts.urls) if opts.urls is not None else None
    if listed is not None:
        start = listed.urls[0]
    else:
        try:
            start = validate_start_url(url or "")
        except BadURL as exc:
            raise InputError(str(exc)) from None
    also = also_origins(list(getattr(opts, "also_origin", None) or []))
    axe = axe_script(opts.axe_script)
    ignore = ignored_checks(list(opts.ignore_check), axe)
    exclude = exclude_selectors(list(opts.exclude_selector))
    chromium = chromedriver = None
    if local_browser:
        chromium, chromedriver = browser_binaries(opts.chromium, opts.chromedriver)
        if not chromium or not chromedriver:
            raise InputError("browser audits need Chromium and ChromeDriver (Debian/Ubuntu: 'apt-get install "
                             "chromium chromium-driver'); install them, pass --chromium and --chromedriver, or pass "
                             "--no-browser for static checks only.")
    return Checked(start, listed, also, chromium, chromedriver, axe, ignore, exclude)
