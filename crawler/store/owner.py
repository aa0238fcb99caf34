"""Who owns a run: the crawl process that started it, and whether that process is certainly gone.

A run row keeps its owner (host name, boot, pid namespace, pid, process start time). A run still "running" whose
owner is gone was stopped by something that gave it no chance to say so (kill -9, out of memory, a crash): the
store shows it as "stopped unexpectedly". "Gone" is only ever said when this machine can tell: the same host name,
the same boot and the same pid namespace as the owner, and no process with its pid, or one with its pid but another
start time (the pid was reused). Anything else (another host, a container's own pids, a reboot) stays "running".

The process start time is also what the browser launcher's marker carries (crawler/browser/processes.py), so the
orphan sweep and the history agree on which crawl is alive.
"""

from __future__ import annotations

import os
import socket
from dataclasses import asdict, dataclass
from typing import Any

STATUS_STOPPED = "stopped unexpectedly"


def _read(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return fh.read().decode("utf-8", "replace")
    except OSError:
        return None


def stat_fields(pid: int) -> list[str] | None:
    """/proc/PID/stat after the command name (state ppid pgrp ...); None when there is no such process."""
    stat = _read(f"/proc/{pid}/stat")
    return stat[stat.rfind(")") + 2:].split() if stat else None


def start_time(pid: int) -> int | None:
    """When the process started, in clock ticks after boot (/proc/PID/stat field 22); None if it is gone."""
    fields = stat_fields(pid)
    try:
        return int(fields[19]) if fields else None
    except (IndexError, ValueError):
        return None


def pid_namespace() -> int | None:
    """The inode of this process's pid namespace: two processes compare pids only within one namespace."""
    try:
        return os.stat("/proc/self/ns/pid").st_ino
    except OSError:
        return None


def boot_id() -> str | None:
    text = _read("/proc/sys/kernel/random/boot_id")
    return text.strip() if text else None


def running(pid: int) -> bool:
    """A process with this pid exists and is not a zombie (a killed crawl not yet reaped is gone)."""
    if pid <= 0:
        return False
    fields = stat_fields(pid)
    if fields is not None:
        return fields[0] not in ("Z", "X")
    try:  # no /proc (not Linux), or one that hides other users' processes: only "no such process" is certain
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


@dataclass(frozen=True)
class Owner:
    host: str
    pid: int
    start: int | None  # start_time(pid) when the run started; None where there is no /proc
    boot: str | None
    pidns: int | None

    @classmethod
    def current(cls) -> Owner:
        pid = os.getpid()
        return cls(socket.gethostname(), pid, start_time(pid), boot_id(), pid_namespace())

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, value: Any) -> Owner | None:
        """The owner stored with a run; None for a run stored before owners were (or an unreadable value)."""
        if not isinstance(value, dict):
            return None
        try:
            return cls(str(value["host"]), int(value["pid"]), _int(value.get("start")), value.get("boot"),
                       _int(value.get("pidns")))
        except (KeyError, TypeError, ValueError):
            return None

    def gone(self) -> bool:
        """True only when this machine can tell the owner process no longer runs."""
        here = Owner.current()
        if (self.host, self.boot, self.pidns) != (here.host, here.boot, here.pidns):
            return False  # another machine, boot or container: we cannot know
        if not running(self.pid):
            return True
        return self.start is not None and start_time(self.pid) not in (None, self.start)


def _int(value: Any) -> int | None:
    return int(value) if value is not None else None


def status_of(status: str, owner: Any) -> str:
    """A run's status as the history shows it: "running" with its owner gone is STATUS_STOPPED ("stopped unexpectedly")."""
    if status != "running":
        return status
    found = Owner.from_dict(owner)
    return STATUS_STOPPED if found is not None and found.gone() else status
