"""PooledDriver: one WebDriver and the processes and profile directory behind it, started, checked and killed."""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from collections.abc import Iterable, Mapping
from typing import Any

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.remote.client_config import ClientConfig

from empathy_audit.crawler.browser import config as _config
from empathy_audit.crawler.browser.config import BASE_ARGS, JS_FLAGS, REMOTE_COMMAND_MARGIN, WINDOW_SIZE, BrowserConfig
from empathy_audit.crawler.browser import launcher
from empathy_audit.crawler.browser.processes import (
    MARKER_ARG,
    alive,
    cmdline,
    descendants,
    kill_tree,
    on_lasting_thread,
    own_marker,
    quiet,
    sweep_once,
)


class PooledDriver:
    """One WebDriver and the processes and profile directory behind it. Owned by DriverPool; leased to one thread."""

    def __init__(self, index: int, config: BrowserConfig) -> None:
        self.index = index
        self.config = config
        self.driver: Any = None
        self.service: Service | None = None
        self.user_data_dir: str | None = None
        self.temp_dir: str | None = None  # holds the profile (user_data_dir) and the launcher's wrapper scripts
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
            # Read from the module at call time, so a test can shorten it.
            client = ClientConfig(remote_server_addr=cfg.webdriver_url, timeout=_config.REMOTE_START_TIMEOUT)
            driver = webdriver.Remote(command_executor=cfg.webdriver_url, options=opts, client_config=client)
            client.timeout = cfg.page_timeout + REMOTE_COMMAND_MARGIN
            service = None
            user_data_dir = temp_dir = None
        else:
            sweep_once()  # browsers a crawl that is gone left behind (processes.py), before ours start
            temp_dir = tempfile.mkdtemp(prefix="empathy-audit-chromium-")
            service = None
            try:  # the temp folder goes whatever fails: writing the launch wrappers or starting the browser
                user_data_dir = os.path.join(temp_dir, "profile")
                args.append(f"--user-data-dir={user_data_dir}")
                chromedriver, chromium, marker_args = _launch_paths(cfg, temp_dir)
                for a in (*args, *marker_args):
                    opts.add_argument(a)
                opts.binary_location = chromium
                # Own session: chromedriver and every Chromium process share one process group we can kill.
                service = _LaunchedService(executable_path=chromedriver, service_args=marker_args,
                                           popen_kw={"start_new_session": True})
                driver = webdriver.Chrome(service=service, options=opts)
            except BaseException:
                if service is not None:
                    self._kill_service(service)
                shutil.rmtree(temp_dir, ignore_errors=True)
                raise
        driver.set_page_load_timeout(cfg.page_timeout)
        driver.set_script_timeout(cfg.page_timeout)
        if cfg.auth is not None:  # staging access: credentials for the site's hosts only (crawler/auth.py)
            try:
                cfg.auth.attach(driver)
            except BaseException:
                quiet(driver.quit)
                self._kill_service(service)
                if temp_dir:
                    shutil.rmtree(temp_dir, ignore_errors=True)
                raise
        with self._lock:
            self.driver, self.service, self.user_data_dir, self.temp_dir = driver, service, user_data_dir, temp_dir
            caps = driver.capabilities or {}
            self.browser_version = caps.get("browserVersion") or caps.get("version") or _chrome_version(caps)
            self.browser_pid = self._find_browser_pid()
            self.starts += 1

    def _find_browser_pid(self) -> int | None:
        if self.service is None or self.service.process is None:
            return None
        for pid in descendants(self.service.process.pid):
            cmd = cmdline(pid)
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
        return self.browser_pid is None or alive(self.browser_pid)

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
        kill_tree(service.process, pids)
        try:
            service.stop()  # process is dead: only closes its pipes
        except Exception:  # noqa: BLE001
            pass

    def kill(self) -> None:
        """SIGKILL chromedriver and every Chromium process; forget the driver. Safe from any thread, idempotent."""
        with self._lock:
            driver, service, udd = self.driver, self.service, self.temp_dir
            self.driver = self.service = self.user_data_dir = self.temp_dir = None
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
            t = threading.Thread(target=lambda: quiet(driver.quit), daemon=True)
            t.start()
            t.join(timeout)
        with self._lock:
            udd = self.temp_dir
            self.driver = self.service = self.user_data_dir = self.temp_dir = None
            self.browser_pid = None
        if service is not None:
            leftovers = [p for p in pids if alive(p)]
            if leftovers or (service.process is not None and service.process.poll() is None):
                self._kill_service(service, leftovers)
        if udd:
            shutil.rmtree(udd, ignore_errors=True)


class _LaunchedService(Service):
    """chromedriver's Service, its process started from one thread that lives as long as the crawl: the launcher's
    PR_SET_PDEATHSIG fires when the thread that started it exits (the pool starts browsers from short-lived
    threads)."""

    def _start_process(self, path: str) -> None:
        on_lasting_thread(lambda: Service._start_process(self, path))


def _launch_paths(cfg: BrowserConfig, directory: str) -> tuple[str, str, list[str]]:
    """(chromedriver, Chromium, marker arguments): wrappers that start the configured binaries through
    crawler/browser/launcher.py, so both die with this process even when it is killed with SIGKILL, and carry its
    marker (the sweep's only way of telling our orphans from anyone else's browsers). The binaries as configured,
    unmarked, where that cannot work (not Linux, a temp directory mounted noexec)."""
    marker = own_marker()
    if marker is None or not launcher.supported():
        return cfg.chromedriver_path, cfg.chromium_path, []
    driver = launcher.wrapper(directory, "chromedriver", cfg.chromedriver_path, str(marker))
    chromium = launcher.wrapper(directory, "chromium", cfg.chromium_path, str(marker))
    if driver is None or chromium is None:
        return cfg.chromedriver_path, cfg.chromium_path, []
    return driver, chromium, [f"{MARKER_ARG}{marker}"]


def _quit_remote(driver: Any, wait: float = 3.0) -> None:
    """End a remote session in the background (short HTTP timeout); the Grid reaps it itself if it cannot answer."""

    def quit_() -> None:
        try:
            driver.command_executor.client_config.timeout = 20
        except Exception:  # noqa: BLE001
            pass
        quiet(driver.quit)

    t = threading.Thread(target=quit_, name="remote-quit", daemon=True)
    t.start()
    t.join(wait)


def _chrome_version(caps: Mapping[str, Any]) -> str | None:
    """Chromium's version from a Grid's extra capabilities when browserVersion is missing."""
    v = caps.get("se:cdpVersion")
    return str(v) if v else None
