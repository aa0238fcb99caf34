"""DriverPool: N Chromium WebDrivers owned by one object, leased to threads, replaced when they crash or hang.

The pool is the only owner of browsers (ARCHITECTURE.md rule of thumb 5). `DriverPool.audit(url, allowed_hosts)`
is blocking: call it from a worker thread (the pipeline uses asyncio.to_thread-style executors), never from the
reactor. A page whose browser crashed or hung is retried once on a fresh driver, then reported as failed.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import os
import queue
import shutil
import signal
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from selenium import webdriver
from selenium.common.exceptions import InvalidSessionIdException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.client_config import ClientConfig

from audits.browser.axe_map import findings_from_axe
from audits.gather.axe import (
    AXE_VERSION,
    STANDARD_TAGS,
    AxePage,
    AxeTimeout,
    PageLoadTimeout,
    axe_options,
    capture_element,
    gather,
)
from audits.artifacts import RenderedPage
from audits.gather.probes import BUDGETS, DEFAULT_PROBES
from audits.gather.probes import ordered as probe_order
from audits.model import Finding, Outcome
from audits.runner import run_checks

log = logging.getLogger(__name__)

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
SCREENSHOTS_PER_CHECK = 3  # per check and page, serious/critical failures only
SCREENSHOT_MAX = (600, 400, 150_000)  # CSS px wide, high, bytes
# Remote WebDriver / Selenium Grid: how long a new session may wait in the Grid's queue, and the HTTP margin over the
# page timeout for one command (no command legitimately lasts longer than the page timeout; a Grid that does not
# answer within it is treated as a hung browser instead of blocking a worker thread forever).
REMOTE_START_TIMEOUT = 120.0
REMOTE_COMMAND_MARGIN = 15.0


class BrowserUnavailable(RuntimeError):
    """No browser could be leased (the pool is closed or every browser is busy past the timeout)."""


@dataclass(frozen=True)
class BrowserConfig:
    """Every AUDIT_* setting the browser audit reads, read once and validated."""

    browsers: int = 1  # AUDIT_BROWSERS: Chromium instances; 0 = no browser audit
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
    def from_settings(cls, settings: Any) -> "BrowserConfig":
        """From Scrapy settings (or a plain dict of the same names)."""
        if isinstance(settings, Mapping):
            from scrapy.settings import Settings

            settings = Settings(dict(settings))
        out_dir = settings.get("AUDIT_OUT_DIR")
        args = settings.getlist("AUDIT_BROWSER_ARGS") or []
        return cls(
            browsers=settings.getint("AUDIT_BROWSERS", 1),
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
        )

    def missing_prerequisite(self) -> str | None:
        """Why a local browser cannot start, as a sentence that says how to fix it; None when all is there."""
        if self.webdriver_url:
            return None
        for path, what in ((self.chromium_path, "Chromium"), (self.chromedriver_path, "chromedriver")):
            if not (os.path.isfile(path) and os.access(path, os.X_OK)):
                return (
                    f"{what} was not found at {path}: install it (Debian/Ubuntu: apt-get install chromium "
                    f"chromium-driver), set AUDIT_CHROMIUM_PATH / AUDIT_CHROMEDRIVER_PATH, or set AUDIT_BROWSERS = 0"
                )
        return None

    @property
    def axe_options(self) -> dict[str, Any]:
        return axe_options(self.standard, self.best_practices)

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


@dataclass
class BrowserResult:
    """One page as the browser audited it. `error` set means not audited (never read as a pass)."""

    url: str
    final_url: str = ""
    title: str = ""
    axe_version: str | None = None
    findings: list[Finding] = field(default_factory=list)
    error: str | None = None
    browser_version: str | None = None
    attempts: int = 1
    seconds: float = 0.0
    screenshots: int = 0
    artifact: AxePage | None = None

    @property
    def audited(self) -> bool:
        return self.error is None


# --- processes ------------------------------------------------------------------------------------------------


def _children() -> dict[int, list[int]]:
    """ppid -> pids, read from /proc (no psutil)."""
    tree: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                stat = fh.read().decode("utf-8", "replace")
        except OSError:
            continue
        # pid (comm) state ppid ...; comm may contain spaces and parentheses
        rest = stat[stat.rfind(")") + 2 :].split()
        if len(rest) > 1:
            tree.setdefault(int(rest[1]), []).append(int(name))
    return tree


def descendants(pid: int) -> list[int]:
    """Every process below pid, parents first."""
    tree = _children()
    out: list[int] = []
    todo = [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read().decode("utf-8", "replace")
    except OSError:
        return False
    return stat[stat.rfind(")") + 2 :][:1] not in ("Z", "X")


def _cmdline(pid: int) -> list[str]:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return [a.decode("utf-8", "replace") for a in fh.read().split(b"\0") if a]
    except OSError:
        return []


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    msg = text[0] if text else ""
    msg = msg.removeprefix("Message: ").strip()
    return f"{type(exc).__name__}: {msg}"[:300] if msg else type(exc).__name__


_DEAD_MARKERS = (
    "session deleted",
    "invalid session id",
    "chrome not reachable",
    "disconnected",
    "tab crashed",
    "target crashed",
    "no such window",
    "target window already closed",
    "unable to receive message from renderer",
    "cannot determine loading status",
    "session not created",
    "connection refused",
    "max retries exceeded",
)


# --- one browser ------------------------------------------------------------------------------------------------


class PooledDriver:
    """One WebDriver and the processes and profile directory behind it. Owned by DriverPool; leased to one thread."""

    def __init__(self, index: int, config: BrowserConfig) -> None:
        self.index = index
        self.config = config
        self.driver: Any = None
        self.service: Service | None = None
        self.user_data_dir: str | None = None
        self.browser_pid: int | None = None
        self.browser_version: str | None = None
        self.starts = 0
        self.cdp: bool | None = None  # Chrome DevTools commands work through this driver (None: not tried yet)
        self._lock = threading.Lock()

    @property
    def remote(self) -> bool:
        return bool(self.config.webdriver_url)

    # lifecycle
    def start(self) -> None:
        cfg = self.config
        self.cdp = None
        opts = webdriver.ChromeOptions()
        args = list(BASE_ARGS)
        if not any(a.startswith("--window-size") for a in cfg.browser_args):
            args.append(f"--window-size={WINDOW_SIZE[0]},{WINDOW_SIZE[1]}")
        if not any(a.startswith("--js-flags") for a in cfg.browser_args):
            args.append(JS_FLAGS)
        args += list(cfg.browser_args)
        opts.page_load_strategy = "normal"
        opts.set_capability("unhandledPromptBehavior", "dismiss")
        if cfg.auth is not None:  # staging access: --insecure
            cfg.auth.configure(opts)
        if cfg.webdriver_url:
            for a in args:
                opts.add_argument(a)
            # The Grid's node owns the profile and the Chromium binary (configured in its stereotype). Our own HTTP
            # timeout: without one, a command to a hung node blocks this thread for good (urllib3 waits forever).
            client = ClientConfig(remote_server_addr=cfg.webdriver_url, timeout=REMOTE_START_TIMEOUT)
            driver = webdriver.Remote(command_executor=cfg.webdriver_url, options=opts, client_config=client)
            client.timeout = cfg.page_timeout + REMOTE_COMMAND_MARGIN
            service = None
            user_data_dir = None
        else:
            user_data_dir = tempfile.mkdtemp(prefix="empathy-audit-chromium-")
            args.append(f"--user-data-dir={user_data_dir}")
            for a in args:
                opts.add_argument(a)
            opts.binary_location = cfg.chromium_path
            # Own session: chromedriver and every Chromium process share one process group we can kill.
            service = Service(executable_path=cfg.chromedriver_path, popen_kw={"start_new_session": True})
            try:
                driver = webdriver.Chrome(service=service, options=opts)
            except BaseException:
                self._kill_service(service)
                shutil.rmtree(user_data_dir, ignore_errors=True)
                raise
        driver.set_page_load_timeout(cfg.page_timeout)
        driver.set_script_timeout(cfg.page_timeout)
        if cfg.auth is not None:  # staging access: credentials for the site's hosts only (crawler/auth.py)
            try:
                cfg.auth.attach(driver)
            except BaseException:
                _quiet(driver.quit)
                self._kill_service(service)
                if user_data_dir:
                    shutil.rmtree(user_data_dir, ignore_errors=True)
                raise
        with self._lock:
            self.driver, self.service, self.user_data_dir = driver, service, user_data_dir
            caps = driver.capabilities or {}
            self.browser_version = caps.get("browserVersion") or caps.get("version") or _chrome_version(caps)
            self.browser_pid = self._find_browser_pid()
            self.starts += 1

    def _find_browser_pid(self) -> int | None:
        if self.service is None or self.service.process is None:
            return None
        for pid in descendants(self.service.process.pid):
            cmd = _cmdline(pid)
            if cmd and not any(a.startswith("--type=") for a in cmd) and any(
                a == f"--user-data-dir={self.user_data_dir}" for a in cmd
            ):
                return pid
        return None

    def alive(self) -> bool:
        """Cheap local check: chromedriver and the Chromium browser process still run."""
        if self.driver is None:
            return False
        if self.service is None:  # remote: only a command can tell
            return True
        proc = self.service.process
        if proc is None or proc.poll() is not None:
            return False
        return self.browser_pid is None or _alive(self.browser_pid)

    def responsive(self, timeout: float = 10.0) -> bool:
        """The browser answers a trivial script within timeout seconds (the driver is killed if it does not)."""
        if not self.alive():
            return False
        timer = threading.Timer(timeout, self.kill)
        timer.daemon = True
        timer.start()
        try:
            return self.driver.execute_script("return 1") == 1
        except Exception:  # noqa: BLE001 - any failure means unusable
            return False
        finally:
            timer.cancel()

    def pids(self) -> list[int]:
        if self.service is None or self.service.process is None:
            return []
        root = self.service.process.pid
        return [root, *descendants(root)]

    @staticmethod
    def _kill_service(service: Service | None, pids: Iterable[int] = ()) -> None:
        if service is None or service.process is None:
            return
        proc = service.process
        targets = list(pids) or [proc.pid, *descendants(proc.pid)]
        for pid in reversed(targets):
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        # Started with start_new_session: the group id is chromedriver's pid, and it also catches Chromium
        # processes orphaned when the browser process died first (they are no longer our descendants).
        if proc.pid != os.getpgrp():
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError, OSError):
                pass
        try:
            proc.wait(timeout=5)
        except Exception:  # noqa: BLE001
            pass
        try:
            service.stop()  # process is dead: only closes its pipes
        except Exception:  # noqa: BLE001
            pass

    def kill(self) -> None:
        """SIGKILL chromedriver and every Chromium process; forget the driver. Safe from any thread, idempotent."""
        with self._lock:
            driver, service, udd = self.driver, self.service, self.user_data_dir
            self.driver = self.service = self.user_data_dir = None
            self.browser_pid = None
        if service is not None:
            self._kill_service(service)
        elif driver is not None:  # remote: ask the Grid to end the session, without waiting on a hung node
            _quit_remote(driver)
        if udd:
            shutil.rmtree(udd, ignore_errors=True)

    def quit(self, timeout: float = 10.0) -> None:
        """Quit politely (bounded), then make sure nothing is left running."""
        with self._lock:
            driver, service = self.driver, self.service
            pids = self.pids()
        if driver is not None:
            t = threading.Thread(target=lambda: _quiet(driver.quit), daemon=True)
            t.start()
            t.join(timeout)
        with self._lock:
            udd = self.user_data_dir
            self.driver = self.service = self.user_data_dir = None
            self.browser_pid = None
        if service is not None:
            leftovers = [p for p in pids if _alive(p)]
            if leftovers or (service.process is not None and service.process.poll() is None):
                self._kill_service(service, leftovers)
        if udd:
            shutil.rmtree(udd, ignore_errors=True)


def _quiet(fn: Any) -> None:
    try:
        fn()
    except Exception:  # noqa: BLE001
        pass


def _quit_remote(driver: Any, wait: float = 3.0) -> None:
    """End a remote session in the background (short HTTP timeout); the Grid reaps it itself if it cannot answer."""

    def quit_() -> None:
        try:
            driver.command_executor.client_config.timeout = 20
        except Exception:  # noqa: BLE001
            pass
        _quiet(driver.quit)

    t = threading.Thread(target=quit_, name="remote-quit", daemon=True)
    t.start()
    t.join(wait)


def _chrome_version(caps: Mapping[str, Any]) -> str | None:
    """Chromium's version from a Grid's extra capabilities when browserVersion is missing."""
    v = caps.get("se:cdpVersion")
    return str(v) if v else None


def _http_timeout(exc: BaseException) -> bool:
    """The WebDriver server (chromedriver or a Grid) did not answer within our HTTP timeout."""
    import socket

    from urllib3.exceptions import MaxRetryError, ProtocolError, ReadTimeoutError

    seen: set[int] = set()
    e: BaseException | None = exc
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        if isinstance(e, (ReadTimeoutError, socket.timeout, TimeoutError)):
            return True
        if isinstance(e, MaxRetryError) and isinstance(e.reason, ReadTimeoutError):
            return True
        if isinstance(e, ProtocolError) and "timed out" in str(e).lower():
            return True
        e = e.__cause__ or e.__context__
    return False


# --- the pool ---------------------------------------------------------------------------------------------------


class DriverPool:
    """N browsers, thread-safe lease/release, replaced when they crash or hang; `audit()` is the main entry point."""

    def __init__(self, config: BrowserConfig) -> None:
        if config.browsers < 1:
            raise ValueError("DriverPool needs AUDIT_BROWSERS >= 1")
        self.config = config
        self._axe_options = config.axe_options
        self._slots = [PooledDriver(i, config) for i in range(config.browsers)]
        self._idle: queue.Queue[PooledDriver] = queue.Queue()
        self._closed = False
        self._started = False
        self._lock = threading.Lock()
        self.stats: dict[str, int] = {"audits": 0, "failed": 0, "retried": 0, "replaced": 0, "screenshots": 0}
        self.browser_version: str | None = None
        self.axe_version: str = AXE_VERSION
        atexit.register(self._kill_all)

    # lifecycle
    def start(self) -> "DriverPool":
        """Start every browser (in parallel). Raises if none can start.

        A local browser that fails is retried on lease. A remote session the Grid would not give (it has fewer free
        slots than AUDIT_BROWSERS) is left out of the pool instead: retrying it on every lease would make pages wait
        for the Grid's queue and then fail.
        """
        errors: list[BaseException] = []
        failed: list[PooledDriver] = []

        def boot(slot: PooledDriver) -> None:
            try:
                slot.start()
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)
                failed.append(slot)

        threads = [threading.Thread(target=boot, args=(s,), daemon=True) for s in self._slots]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if len(errors) == len(self._slots):
            self.close()
            raise RuntimeError(f"no browser could start: {_short(errors[0])}") from errors[0]
        self.browser_version = next((s.browser_version for s in self._slots if s.browser_version), None)
        if failed and self.config.webdriver_url:
            log.warning("the Grid at %s gave %d of %d browser sessions (%s); auditing with %d",
                        self.config.webdriver_url, len(self._slots) - len(failed), len(self._slots),
                        _short(errors[0]), len(self._slots) - len(failed))
            self._slots = [s for s in self._slots if s not in failed]
        for s in self._slots:
            self._idle.put(s)
        self._started = True
        return self

    def close(self) -> None:
        """Quit every idle browser now; browsers still leased are quit when released."""
        with self._lock:
            self._closed = True
        slots = []
        while True:
            try:
                slots.append(self._idle.get_nowait())
            except queue.Empty:
                break
        threads = [threading.Thread(target=s.quit, daemon=True) for s in slots]
        for t in threads:
            t.start()
        for t in threads:
            t.join(15)
        atexit.unregister(self._kill_all)

    def _kill_all(self) -> None:
        for s in self._slots:
            _quiet(s.kill)

    def __enter__(self) -> "DriverPool":
        if not self._started:
            self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @property
    def size(self) -> int:
        return len(self._slots)

    # leasing
    def lease(self, timeout: float | None = None) -> PooledDriver:
        """Take a browser for this thread's exclusive use (blocks while all are busy); started if it is not."""
        if self._closed:
            raise BrowserUnavailable("the browser pool is closed")
        try:
            slot = self._idle.get(timeout=timeout)
        except queue.Empty:
            raise BrowserUnavailable(f"no browser became free within {timeout:g} s") from None
        if self._closed:
            slot.quit()
            raise BrowserUnavailable("the browser pool is closed")
        return slot

    def release(self, slot: PooledDriver, *, broken: bool = False) -> None:
        """Give a browser back; broken=True kills it (it is restarted on its next lease)."""
        if broken:
            slot.kill()
        if self._closed:
            slot.quit()
            return
        self._idle.put(slot)

    @contextmanager
    def leased(self, timeout: float | None = None) -> Iterator[PooledDriver]:
        slot = self.lease(timeout)
        broken = False
        try:
            self._ensure(slot)
            yield slot
        except WebDriverException:
            broken = not slot.alive()
            raise
        finally:
            self.release(slot, broken=broken)

    def _ensure(self, slot: PooledDriver) -> None:
        """(Re)start the slot's browser if it is not running."""
        if slot.driver is not None and slot.alive():
            return
        if slot.starts:
            log.warning("browser %d is gone; starting a fresh one", slot.index)
            with self._lock:
                self.stats["replaced"] += 1
        slot.kill()
        slot.start()
        if self.browser_version is None:
            self.browser_version = slot.browser_version

    # auditing
    def audit(self, url: str, allowed_hosts: Iterable[str] | None = None) -> BrowserResult:
        """Load url in a browser, run axe, map to findings, take screenshots. Blocking; thread-safe.

        Never raises for page or browser problems: the result's `error` says why the page was not audited.
        """
        t0 = time.monotonic()
        hosts = set(allowed_hosts) if allowed_hosts else None
        try:
            slot = self.lease(timeout=max(60.0, self.config.deadline * 2))
        except BrowserUnavailable as exc:
            return self._count(BrowserResult(url=url, error=str(exc), attempts=0), t0)
        reasons: list[str] = []
        try:
            for attempt in (1, 2):
                if attempt == 2:
                    with self._lock:
                        self.stats["retried"] += 1
                try:
                    self._ensure(slot)
                except Exception as exc:  # noqa: BLE001
                    reasons.append(f"the browser could not start ({_short(exc)})")
                    slot.kill()
                    continue
                try:
                    result = self._audit_once(slot, url, hosts)
                except _BrowserBroken as exc:
                    log.warning("browser %d broke on %s: %s", slot.index, url, exc)
                    reasons.append(str(exc))
                    slot.kill()
                    continue
                result.attempts = attempt
                return self._count(result, t0)
            return self._count(
                BrowserResult(url=url, error="; then ".join(reasons) + " (tried twice)", attempts=2), t0
            )
        finally:
            self.release(slot)

    def _count(self, result: BrowserResult, t0: float) -> BrowserResult:
        result.seconds = round(time.monotonic() - t0, 3)
        result.browser_version = result.browser_version or self.browser_version
        with self._lock:
            self.stats["audits"] += 1
            if result.error:
                self.stats["failed"] += 1
            self.stats["screenshots"] += result.screenshots
        return result

    def _audit_once(self, slot: PooledDriver, url: str, hosts: set[str] | None) -> BrowserResult:
        cfg = self.config
        hung = threading.Event()

        def on_deadline() -> None:
            hung.set()
            slot.kill()

        timer = threading.Timer(cfg.deadline, on_deadline)
        timer.daemon = True
        timer.start()
        driver = slot.driver
        try:
            try:
                if cfg.auth is not None:  # the login's session cookies, once they exist
                    cfg.auth.before_page(driver)
                page = gather(
                    driver, url, allowed_hosts=hosts, options=self._axe_options, script_timeout=cfg.page_timeout,
                    probes=cfg.probes,
                )
            except PageLoadTimeout:
                self._recover(slot)
                return BrowserResult(url=url, error=f"the page did not finish loading within {cfg.page_timeout:g} s")
            except AxeTimeout as exc:
                self._recover(slot)
                return BrowserResult(url=url, error=str(exc))
            except Exception as exc:  # noqa: BLE001
                if hung.is_set():
                    raise _BrowserBroken(f"the browser stopped responding for {cfg.deadline:g} s") from exc
                reason = self._broken_reason(slot, exc)
                if reason:
                    raise _BrowserBroken(reason) from exc
                return BrowserResult(url=url, error=f"the page could not be audited ({_short(exc)})")
            result = BrowserResult(
                url=url,
                final_url=page.final_url,
                title=page.title,
                axe_version=page.axe_version,
                error=page.error,
                browser_version=slot.browser_version,
                artifact=page,
            )
            if page.error:
                return result
            result.findings = findings_from_axe(page, url) + browser_check_findings(page, url)
            if cfg.screenshots and cfg.out_dir is not None:
                try:
                    result.screenshots = self._screenshots(slot, driver, url, result.findings)
                except Exception as exc:  # noqa: BLE001 - a missing picture never fails the audit
                    log.info("screenshots failed on %s: %s", url, _short(exc))
            if hung.is_set():  # finished, but only just: the browser was killed and restarts on next lease
                log.warning("browser %d hit the deadline right after auditing %s", slot.index, url)
            return result
        finally:
            timer.cancel()

    def _broken_reason(self, slot: PooledDriver, exc: BaseException) -> str | None:
        """Why the browser (not the page) is unusable after exc, or None when only this page failed."""
        text = str(exc).lower()
        if _http_timeout(exc):
            return (f"the browser stopped responding (no answer within "
                    f"{self.config.page_timeout + REMOTE_COMMAND_MARGIN:g} s)")
        if "timed out receiving message from renderer" in text:
            # The page's script keeps the renderer busy (e.g. an endless loop): the tab will not answer again.
            return f"the page hung the browser ({_short(exc)})"
        if slot.remote and (isinstance(exc, InvalidSessionIdException) or "session" in text and any(
                m in text for m in ("invalid session id", "cannot find session", "no such session",
                                    "unable to find session"))):
            return f"the remote browser session ended ({_short(exc)})"
        if self._looks_dead(slot, exc):
            return f"the browser crashed ({_short(exc)})"
        return None

    def _looks_dead(self, slot: PooledDriver, exc: BaseException) -> bool:
        if not slot.alive():
            return True
        if not isinstance(exc, WebDriverException):
            return True  # connection errors to chromedriver or the Grid, protocol errors
        if any(m in str(exc).lower() for m in _DEAD_MARKERS):
            return True
        return not slot.responsive()

    def _recover(self, slot: PooledDriver) -> None:
        """After a timeout: stop loading and go blank; a browser that cannot is killed (restarted on next lease)."""
        driver = slot.driver
        if driver is None:
            return
        try:
            _quiet(lambda: driver.execute_script("window.stop();"))
            driver.get("about:blank")
        except Exception as exc:  # noqa: BLE001
            log.info("browser %d could not recover after a timeout (%s); replacing it", slot.index, _short(exc))
            slot.kill()

    def _screenshots(self, slot: PooledDriver, driver: Any, url: str, findings: list[Finding]) -> int:
        out_dir = self.config.out_dir
        assert out_dir is not None
        shots_dir = out_dir / "screenshots"
        page_key = hashlib.sha1(url.encode("utf-8")).hexdigest()[:12]
        per_check: dict[str, int] = {}
        taken = 0
        w, h, max_bytes = SCREENSHOT_MAX
        wanted = [f for f in findings if f.outcome is Outcome.FAIL and f.severity.rank >= 3
                  and f.selector not in ("html", "body", "head")]
        if not wanted:
            return 0
        if slot.cdp is None:
            slot.cdp = _cdp_works(driver)
            if not slot.cdp:
                log.info("browser %d: no DevTools commands through %s; element screenshots instead of cropped ones",
                         slot.index, self.config.webdriver_url or "chromedriver")
        shooter = driver if slot.cdp else _WithoutCdp(driver)
        for f in wanted:
            n = per_check.get(f.check_id, 0)
            if n >= SCREENSHOTS_PER_CHECK:
                continue
            name = f"{page_key}-{f.check_id}-{n + 1}.png"
            try:
                ok = capture_element(shooter, f.selector, shots_dir / name, max_width=w, max_height=h,
                                     max_bytes=max_bytes)
                if ok and not slot.cdp:
                    ok = _png_within(shots_dir / name, w, h)  # an element screenshot is not cropped
            except WebDriverException as exc:
                log.debug("no screenshot of %s on %s: %s", f.selector, url, _short(exc))
                ok = False
            if ok:
                per_check[f.check_id] = n + 1
                f.data["screenshot"] = f"screenshots/{name}"  # relative to AUDIT_OUT_DIR
                taken += 1
        return taken


def browser_check_findings(page: AxePage, url: str) -> list[Finding]:
    """Our own browser checks (audits.browser, the "browser" family) over the probes' data; sources ("browser",)."""
    if not page.probes:
        return []
    rendered = RenderedPage(url=url, final_url=page.final_url, probes=page.probes)
    found = run_checks("browser", rendered, url)
    for f in found:
        f.url = url
        f.sources = ("browser",)
    return found


class _BrowserBroken(Exception):
    """The browser crashed or hung (as opposed to the page being slow or broken)."""


def _cdp_works(driver: Any) -> bool:
    """Chrome DevTools commands reach the browser (chromedriver does; a Grid node or a cloud service may not)."""
    try:
        return bool(driver.execute_cdp_cmd("Browser.getVersion", {}))
    except Exception:  # noqa: BLE001
        return False


class _WithoutCdp:
    """The driver, minus execute_cdp_cmd: capture_element then falls back to WebDriver element screenshots."""

    def __init__(self, driver: Any) -> None:
        self._driver = driver

    def __getattr__(self, name: str) -> Any:
        if name == "execute_cdp_cmd":
            raise AttributeError(name)
        return getattr(self._driver, name)


def _png_within(path: Path, max_width: int, max_height: int) -> bool:
    """Keep the PNG only when it fits the size cap (its IHDR says how large it is); delete it otherwise."""
    try:
        head = path.read_bytes()[:24]
        width, height = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
    except OSError:
        return False
    if 0 < width <= max_width and 0 < height <= max_height:
        return True
    path.unlink(missing_ok=True)
    return False
