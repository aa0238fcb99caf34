"""BrowserConfig: every AUDIT_* setting the browser audit reads, read once and validated; Chromium's flags."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scrapy.settings import Settings

from empathy_audit.audits.gather.axe import BUNDLED, STANDARD_TAGS, AxeScript, axe_context, axe_options, load_axe_script
from empathy_audit.audits.gather.probes import BUDGETS, DEFAULT_PROBES
from empathy_audit.audits.gather.probes import ordered as probe_order

# Chromium flags that make it start in containers and keep it quiet on the network (no sync, updates, pings).
BASE_ARGS: tuple[str, ...] = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-extensions",
    "--mute-audio",
)
# V8 without its optimizing compilers (Ignition + Sparkplug only). axe-core and most page scripts run once per page,
# so Maglev/TurboFan compile far more than they ever pay back: on the 2-core benchmark machine this cut the
# renderer's CPU per audited page by about a fifth with identical findings (docs/performance.md). A --js-flags
# given with --browser-arg replaces it.
JS_FLAGS = "--js-flags=--max-opt=1"
WINDOW_SIZE = (1280, 1024)
# Remote WebDriver / Selenium Grid: how long a new session may wait in the Grid's queue, and the HTTP margin over the
# page timeout for one command (no command legitimately lasts longer than the page timeout; a Grid that does not
# answer within it is treated as a hung browser instead of blocking a worker thread forever).
REMOTE_START_TIMEOUT = 120.0
REMOTE_COMMAND_MARGIN = 15.0


@dataclass(frozen=True)
class BrowserConfig:
    """Every AUDIT_* setting the browser audit reads, read once and validated."""

    browsers: int  # AUDIT_BROWSERS: Chromium instances; 0 = no browser audit (its default: crawler/settings.py)
    browser_args: tuple[str, ...] = ()  # AUDIT_BROWSER_ARGS: extra Chromium flags
    webdriver_url: str | None = None  # AUDIT_WEBDRIVER_URL: remote Selenium Grid; None = local chromedriver
    standard: str = "wcag22aa"  # AUDIT_STANDARD: wcag2a | wcag2aa | wcag21aa | wcag22aa
    best_practices: bool = False  # AUDIT_BEST_PRACTICES: add axe's best-practice rules
    screenshots: bool = True  # AUDIT_SCREENSHOTS
    out_dir: Path | None = None  # AUDIT_OUT_DIR: screenshots go to <out_dir>/screenshots/
    page_timeout: float = 30.0  # AUDIT_PAGE_TIMEOUT: seconds for the page to load, and again for axe to run
    chromium_path: str = "/usr/bin/chromium"  # AUDIT_CHROMIUM_PATH
    chromedriver_path: str = "/usr/bin/chromedriver"  # AUDIT_CHROMEDRIVER_PATH
    probes: tuple[str, ...] = DEFAULT_PROBES  # AUDIT_PROBES: our own browser checks' data (audits.gather.probes)
    hang_timeout: float | None = None  # seconds before one page audit counts as a hung browser (see `deadline`)
    axe: AxeScript = field(default=BUNDLED, repr=False)  # AUDIT_AXE_SCRIPT: the axe-core build to inject
    ignore_checks: tuple[str, ...] = ()  # AUDIT_IGNORE_CHECKS: our check ids and axe rule ids not to run
    exclude: tuple[str, ...] = ()  # AUDIT_EXCLUDE_SELECTORS: CSS selectors of elements not to audit
    # AUDIT_STOP: crawler.signals.Stop of the run (Ctrl-C): no new page is audited once it is set
    stop: Any = field(default=None, compare=False, repr=False)
    # AUDIT_AUTH: crawler.auth.AuthSession (staging access: certificates, credentials scoped to the site's hosts)
    auth: Any = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.browsers < 0:
            raise ValueError(f"AUDIT_BROWSERS must be 0 or more, not {self.browsers}")
        if self.standard not in STANDARD_TAGS:
            raise ValueError(f"AUDIT_STANDARD must be one of {', '.join(STANDARD_TAGS)}, not {self.standard!r}")
        if self.page_timeout <= 0:
            raise ValueError(f"AUDIT_PAGE_TIMEOUT must be a positive number of seconds, not {self.page_timeout}")

    @classmethod
    def from_settings(cls, settings: Any) -> BrowserConfig:
        """From Scrapy settings, or a plain dict of the same names over crawler/settings.py's defaults."""
        if isinstance(settings, Mapping):
            merged = Settings()
            merged.setmodule("empathy_audit.crawler.settings", priority="default")
            merged.update(dict(settings))
            settings = merged
        out_dir = settings.get("AUDIT_OUT_DIR")
        args = settings.getlist("AUDIT_BROWSER_ARGS") or []
        return cls(
            browsers=settings.getint("AUDIT_BROWSERS"),
            browser_args=tuple(str(a) for a in args),
            webdriver_url=settings.get("AUDIT_WEBDRIVER_URL") or None,
            standard=str(settings.get("AUDIT_STANDARD") or "wcag22aa").lower(),
            best_practices=settings.getbool("AUDIT_BEST_PRACTICES", False),
            screenshots=settings.getbool("AUDIT_SCREENSHOTS", True),
            out_dir=Path(out_dir) if out_dir else None,
            page_timeout=settings.getfloat("AUDIT_PAGE_TIMEOUT", 30.0),
            chromium_path=settings.get("AUDIT_CHROMIUM_PATH") or "/usr/bin/chromium",
            chromedriver_path=settings.get("AUDIT_CHROMEDRIVER_PATH") or "/usr/bin/chromedriver",
            auth=settings.get("AUDIT_AUTH"),
            probes=_probes_setting(settings),
            axe=load_axe_script(settings.get("AUDIT_AXE_SCRIPT")) if settings.get("AUDIT_AXE_SCRIPT") else BUNDLED,
            ignore_checks=tuple(str(c) for c in settings.getlist("AUDIT_IGNORE_CHECKS")),
            exclude=tuple(str(c) for c in settings.getlist("AUDIT_EXCLUDE_SELECTORS")),
            stop=settings.get("AUDIT_STOP"),
        )

    def missing_prerequisite(self) -> str | None:
        """Why a local browser cannot start, as a sentence that says how to fix it; None when all is there."""
        if self.webdriver_url:
            return None
        for path, what in ((self.chromium_path, "Chromium"), (self.chromedriver_path, "chromedriver")):
            if not (os.path.isfile(path) and os.access(path, os.X_OK)):
                return (
                    f"{what} was not found at {path}: install it (Debian/Ubuntu: apt-get install chromium "
                    f"chromium-driver), pass --chromium / --chromedriver (AUDIT_CHROMIUM_PATH / "
                    f"AUDIT_CHROMEDRIVER_PATH), or set AUDIT_BROWSERS = 0"
                )
        return None

    @property
    def axe_options(self) -> dict[str, Any]:
        """axe.run's options: the standard's tags, with the ignored checks that are axe rules switched off."""
        rules = self.axe.rule_ids
        disabled = [c for c in self.ignore_checks if not rules or c in rules]
        return axe_options(self.standard, self.best_practices, disabled)

    @property
    def axe_context(self) -> dict[str, Any] | None:
        """axe.run's context: the document without the excluded elements (None: the whole document)."""
        return axe_context(self.exclude)

    @property
    def deadline(self) -> float:
        """Seconds after which one page audit counts as a hung browser: load + axe + screenshots + margin."""
        return self.hang_timeout or 2 * self.page_timeout + 20 + sum(BUDGETS.get(p, 3.0) for p in self.probes)


def _probes_setting(settings: Any) -> tuple[str, ...]:
    """AUDIT_PROBES (a list; default render + keyboard), plus "forms" when AUDIT_TRY_FORMS is on."""
    raw = settings.get("AUDIT_PROBES")
    names = list(DEFAULT_PROBES) if raw is None else list(settings.getlist("AUDIT_PROBES"))
    if settings.getbool("AUDIT_TRY_FORMS", False) and "forms" not in names:
        names.append("forms")
    return probe_order(names)
