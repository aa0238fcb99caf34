"""The processes behind a local browser, read from /proc (no psutil): descendants, liveness, command lines, kill;
the marker every browser process we start carries, and the sweep of the ones a crawl that is gone left behind."""

from __future__ import annotations

import logging
import os
import queue
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from typing import Any, NamedTuple

from empathy_audit.crawler.browser.launcher import ENV
from empathy_audit.crawler.store.owner import pid_namespace, running, start_time, stat_fields

log = logging.getLogger(__name__)
# Chromium and chromedriver ignore a switch they do not know: this one names the crawl that started them.
MARKER_ARG = "--empathy-audit-owner="


def proc_stats() -> Iterator[tuple[int, list[str]]]:
    """(pid, the fields of /proc/PID/stat after the command name: state ppid pgrp session ...) of every process."""
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        fields = stat_fields(int(name))  # the one /proc/PID/stat reader (crawler/store/owner.py)
        if fields is not None:
            yield int(name), fields


def _children() -> dict[int, list[int]]:
    """ppid -> pids, read from /proc."""
    tree: dict[int, list[int]] = {}
    for pid, fields in proc_stats():
        if len(fields) > 1:
            tree.setdefault(int(fields[1]), []).append(pid)
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


def alive(pid: int | None) -> bool:
    """The process exists and is neither a zombie nor dead."""
    if not pid:
        return False
    fields = stat_fields(pid)
    return fields is not None and fields[0] not in ("Z", "X")


def cmdline(pid: int) -> list[str]:
    """The process's arguments; [] when it is gone."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as fh:
            return [a.decode("utf-8", "replace") for a in fh.read().split(b"\0") if a]
    except OSError:
        return []


def kill_tree(proc: Any, pids: Iterable[int] = ()) -> None:
    """SIGKILL `pids` (default: proc and every descendant), then proc's process group, and reap proc.

    proc is a subprocess.Popen started with start_new_session: its group id is its pid, which also catches
    processes orphaned when their parent died first (they are no longer its descendants)."""
    targets = list(pids) or [proc.pid, *descendants(proc.pid)]
    for pid in reversed(targets):
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    if proc.pid != os.getpgrp():
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError, OSError):
            pass
    try:
        proc.wait(timeout=5)
    except Exception:  # noqa: BLE001 - unkillable (uninterruptible sleep): nothing more to do from here
        pass


def quiet(fn: Callable[[], Any]) -> None:
    """Call fn, ignoring any error (clean-up of something that may already be gone)."""
    try:
        fn()
    except Exception:  # noqa: BLE001
        pass


# --- the marker: which crawl started a browser process --------------------------------------------------------------


class Marker(NamedTuple):
    """The crawl process that started a browser: its pid, its start time and its pid namespace (so a pid is only
    ever compared with the pids of the same namespace)."""

    pid: int
    start: int
    pidns: int

    def __str__(self) -> str:
        return f"{self.pid}-{self.start}-{self.pidns}"

    @classmethod
    def parse(cls, text: str) -> Marker | None:
        try:
            pid, start, pidns = (int(part) for part in text.split("-"))
        except ValueError:
            return None
        return cls(pid, start, pidns)

    def owner_alive(self) -> bool:
        """The crawl may still run: its pid runs with the same start time, or runs where we cannot read it."""
        if not running(self.pid):
            return False
        started = start_time(self.pid)
        return started is None or started == self.start


def own_marker() -> Marker | None:
    """This process's marker; None where it cannot be made (no /proc: not Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    pid, ns = os.getpid(), pid_namespace()
    start = start_time(pid)
    return Marker(pid, start, ns) if start is not None and ns is not None else None


def marker_of(pid: int) -> Marker | None:
    """The marker a process carries on its command line (MARKER_ARG) or in its environment (ENV); None if none."""
    for arg in cmdline(pid):
        if arg.startswith(MARKER_ARG):
            return Marker.parse(arg[len(MARKER_ARG):])
    try:
        with open(f"/proc/{pid}/environ", "rb") as fh:
            env = fh.read().split(b"\0")
    except OSError:  # gone, or another user's
        return None
    prefix = f"{ENV}=".encode()
    for entry in env:
        if entry.startswith(prefix):
            return Marker.parse(entry[len(prefix):].decode("ascii", "replace"))
    return None


def orphans() -> list[int]:
    """Processes a crawl that is gone left running: every process carrying a marker of our pid namespace whose crawl
    no longer runs (or whose pid now belongs to another process), owned by our user, and their descendants (Chromium's
    renderers and zygotes carry no marker of their own). Never this process nor one of its ancestors."""
    here = own_marker()
    if here is None:
        return []
    uid = os.getuid()
    parents = {pid: int(fields[1]) for pid, fields in proc_stats() if len(fields) > 1}
    protected, pid = set(), os.getpid()
    while pid > 1 and pid not in protected:
        protected.add(pid)
        pid = parents.get(pid, 0)
    marked = []
    for pid in parents:
        if pid in protected or pid <= 1:
            continue
        mark = marker_of(pid)
        if mark is None or mark.pidns != here.pidns or mark.owner_alive():
            continue
        try:
            if os.stat(f"/proc/{pid}").st_uid != uid:
                continue
        except OSError:
            continue
        marked.append(pid)
    children: dict[int, list[int]] = {}
    for pid, ppid in parents.items():
        children.setdefault(ppid, []).append(pid)
    found: dict[int, None] = {}
    todo = list(marked)
    while todo:
        pid = todo.pop()
        if pid not in found and pid not in protected:
            found[pid] = None
            todo.extend(children.get(pid, []))
    return list(found)


def sweep_orphans() -> list[int]:
    """SIGKILL the orphans(): browser processes an empathy-audit crawl that is gone left behind. Returns their pids.

    A process is killed only if it is the one that was found (same start time: a pid reused in between is left
    alone), through a pidfd where the kernel has them."""
    targets = [(pid, start_time(pid)) for pid in orphans()]
    killed = []
    for pid, started in targets:
        if started is not None and _kill_if_same(pid, started):
            killed.append(pid)
    if killed:
        log.warning("killed %d browser processes left running by an empathy-audit crawl that is gone", len(killed))
    return killed


def _kill_if_same(pid: int, started: int) -> bool:
    try:
        fd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        fd = None
    try:
        if start_time(pid) != started:
            return False
        if fd is not None:
            signal.pidfd_send_signal(fd, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGKILL)
        return True
    except OSError:  # gone meanwhile, or not ours to kill
        return False
    finally:
        if fd is not None:
            os.close(fd)


_swept = threading.Event()
_sweep_lock = threading.Lock()


def sweep_once() -> None:
    """sweep_orphans() the first time a local browser starts in this process."""
    if _swept.is_set():
        return
    with _sweep_lock:
        if not _swept.is_set():
            try:
                sweep_orphans()
            except OSError:  # never worth failing a crawl for
                log.debug("the sweep of orphaned browsers failed", exc_info=True)
            _swept.set()


# --- starting children from a thread that lives as long as the process ------------------------------------------------

_jobs: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
_spawner: threading.Thread | None = None
_spawner_lock = threading.Lock()


def on_lasting_thread[T](fn: Callable[[], T]) -> T:
    """fn() run on one thread that lives as long as this process, its result returned (its exception raised).

    PR_SET_PDEATHSIG (crawler/browser/launcher.py) fires when the *thread* that started a child exits: chromedriver
    started from a pool's short-lived boot thread would be killed as soon as that thread ends."""
    global _spawner
    with _spawner_lock:
        if _spawner is None or not _spawner.is_alive():
            _spawner = threading.Thread(target=_serve, name="browser-launcher", daemon=True)
            _spawner.start()
    if threading.current_thread() is _spawner:
        return fn()
    done = threading.Event()
    box: dict[str, Any] = {}

    def job() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            box["error"] = exc
        finally:
            done.set()

    _jobs.put(job)
    done.wait()
    if "error" in box:
        raise box["error"]
    return box["value"]


def _serve() -> None:
    while True:
        _jobs.get()()
