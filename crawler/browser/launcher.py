"""Exec a browser binary (chromedriver, Chromium) so that it is SIGKILLed when its parent dies, even by SIGKILL.

Run by the wrapper scripts `wrapper()` writes (crawler/browser/driver.py points Selenium's Service and Chromium's
binary_location at them), by file path and with the standard library only (`python -I -S launcher.py MARKER
BINARY ARGS...`: no package import, so it adds about 10 ms, not the seconds an import of the crawler would):

1. prctl(PR_SET_PDEATHSIG, SIGKILL): the kernel kills this process when the thread that started it exits. It
   survives the exec below, so the browser itself carries it.
2. The parent is checked after that: it must be the crawl the marker names (for chromedriver) or a process carrying
   the same marker (for Chromium, started by our chromedriver). A parent that died before step 1 would never send
   the signal: then the binary is not started at all.
3. The marker goes into the environment (EMPATHY_AUDIT_OWNER), so the binary and everything it starts carry it,
   and the binary is exec'd in place (same pid: Selenium and chromedriver see the process they started).

Linux only; nothing here runs on other systems (the wrappers are not used there).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

ENV = "EMPATHY_AUDIT_OWNER"
PR_SET_PDEATHSIG = 1


def parent_is_ours(marker: str) -> bool:
    """The parent is the crawl the marker names, or a process started for it (its environment has the marker)."""
    ppid = os.getppid()
    if str(ppid) == marker.split("-", 1)[0]:
        return True
    try:
        with open(f"/proc/{ppid}/environ", "rb") as fh:
            return f"{ENV}={marker}".encode() in fh.read().split(b"\0")
    except OSError:
        return False


def supported() -> bool:
    """The launcher can work here: Linux (prctl, /proc) and a Python to run it with."""
    return sys.platform.startswith("linux") and bool(sys.executable) and os.path.isfile(__file__)


def wrapper(directory: str, name: str, binary: str, marker: str) -> str | None:
    """Write an executable script `directory/name` that runs `binary` through this launcher; its path, or None
    when the directory does not let it run (mounted noexec): then the binary is started as it is."""
    import shlex

    path = os.path.join(directory, name)
    command = [sys.executable, "-I", "-S", os.path.abspath(__file__), marker, binary]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(f'#!/bin/sh\nexec {" ".join(shlex.quote(c) for c in command)} "$@"\n')
    os.chmod(path, 0o700)
    return path if os.access(path, os.X_OK) else None


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: launcher.py MARKER BINARY [ARGS...]", file=sys.stderr)
        return 2
    marker, binary, *args = argv
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        print(f"empathy-audit launcher: prctl failed: {os.strerror(ctypes.get_errno())}", file=sys.stderr)
        return 1
    if not parent_is_ours(marker):
        print("empathy-audit launcher: the process that started this one is gone; not starting", file=sys.stderr)
        return 1
    os.environ[ENV] = marker
    os.execv(binary, [binary, *args])
    return 1  # not reached


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
