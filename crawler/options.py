"""What a run is told, as the CLI fills it in (field names are the CLI's option names, defaults from
crawler/settings.py), the exit codes, and the error a user can fix."""

from __future__ import annotations

from dataclasses import dataclass, field

from empathy_audit.crawler import settings as defaults

EXIT_OK = 0
EXIT_GATE = 1  # reserved for CI gates (--fail-on): the audit ran and found what the gate forbids
EXIT_USAGE = 2  # bad arguments, or the site could not be crawled at all
EXIT_INTERRUPTED = 130  # Ctrl-C: what was audited is kept and reported


class UserError(Exception):
    """A problem the user can fix; printed as one sentence, never as a traceback."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


# --- options: what the CLI fills in (defaults from crawler/settings.py) ----------------------------------------


@dataclass
class ReportOptions:
    """Where the report of a run goes and what it gates on."""

    db: str = defaults.AUDIT_DB
    out: str = defaults.AUDIT_OUT_DIR
    format: list[str] | None = None  # report formats besides html and json, which are always written
    traffic: str | None = None  # CSV of url,visits
    fail_on: str | None = None  # a Severity value
    max_score: float | None = None
    fail_on_budget: bool = False
    baseline: str | None = None  # baseline file: gates apply only to fixes not in it
    report_url: str | None = None


@dataclass
class CrawlOptions(ReportOptions):
    """Everything a crawl is told; field names are the CLI's option names (--no-browser: no_browser)."""

    urls: str | list[str] | None = None  # --urls FILE ("-": stdin), or the config file's list: exactly these pages
    max_pages: int | None = None  # None: defaults.AUDIT_MAX_PAGES, or the number of --urls
    max_depth: int = defaults.AUDIT_MAX_DEPTH
    include: list[str] = field(default_factory=list)
    also_origin: list[str] = field(default_factory=list)  # more origins of the site (crawled, audited, credentials)
    exclude: list[str] = field(default_factory=list)
    ignore_robots: bool = False
    no_sitemaps: bool = False
    concurrency: int = defaults.CONCURRENT_REQUESTS_PER_DOMAIN
    timeout: int = defaults.DOWNLOAD_TIMEOUT
    max_time: int = defaults.CLOSESPIDER_TIMEOUT
    user_agent: str | None = None
    browsers: int | None = None  # None: crawler.settings.default_browsers()
    no_browser: bool = False
    browser_arg: list[str] = field(default_factory=list)
    webdriver_url: str | None = None
    chromium: str | None = None  # None: $EMPATHY_CHROMIUM, else the first found on PATH
    chromedriver: str | None = None  # None: $EMPATHY_CHROMEDRIVER, else chromedriver on PATH
    axe_script: str | None = None  # None: the axe-core bundled with axe-selenium-python
    ignore_check: list[str] = field(default_factory=list)  # check ids and axe rule ids (also comma-separated)
    exclude_selector: list[str] = field(default_factory=list)  # CSS selectors of elements not to audit
    standard: str = defaults.AUDIT_STANDARD
    best_practices: bool = False
    no_screenshots: bool = False
    no_keyboard: bool = False
    no_render_checks: bool = False
    try_forms: bool = False
    sample: str | int | None = None  # None: defaults.AUDIT_SAMPLE, or "off" with --urls
    no_media: bool = False
    page_weight_budget: int = defaults.AUDIT_PAGE_WEIGHT_BUDGET
    # staging access (crawler.auth.StagingAccess.from_args reads these names)
    basic_auth: str | None = None
    header: list[str] = field(default_factory=list)
    cookie: list[str] = field(default_factory=list)
    login_url: str | None = None
    login_field: list[str] = field(default_factory=list)
    login_form: str | None = None
    login_hook: str | None = None
    insecure: bool = False
    config_secrets: set[str] = field(default_factory=set)  # values that came from ${VAR}: never written anywhere
    quiet: bool = False
    verbose: bool = False
