"""The processes behind a local browser, read from /proc (no psutil): descendants, liveness, command lines, kill."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterable, Iterator
from typing import Any


def proc_stats() -> Iterator[tuple[int, list[str]]]:
    """(pid, the fields of /proc/PID/stat after the command name: state ppid pgrp session ...) of every process."""
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as fh:
                stat = fh.read().decode("utf-8", "replace")
        except OSError:
            continue
        # pid (comm) state ppid ...; comm may contain spaces and parentheses
        yield int(name), stat[stat.rfind(")") + 2 :].split()


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
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            stat = fh.read().decode("utf-8", "replace")
    except OSError:
        return False
    return stat[stat.rfind(")") + 2 :][:1] not in ("Z", "X")


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
