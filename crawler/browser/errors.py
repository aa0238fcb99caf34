"""What can go wrong with a browser, and how it is told apart from a page that is merely slow or broken."""

from __future__ import annotations

import socket

from urllib3.exceptions import MaxRetryError, ProtocolError, ReadTimeoutError


class BrowserUnavailable(RuntimeError):
    """No browser could be leased (the pool is closed or every browser is busy past the timeout)."""


class BrowserBroken(Exception):
    """The browser crashed or hung (as opposed to the page being slow or broken)."""


# WebDriver error texts that mean the browser or its session is gone.
DEAD_MARKERS = (
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


def short(exc: BaseException) -> str:
    """The exception as one short line: its type and the first line of its message."""
    text = str(exc).strip().splitlines()
    msg = text[0] if text else ""
    msg = msg.removeprefix("Message: ").strip()
    return f"{type(exc).__name__}: {msg}"[:300] if msg else type(exc).__name__


def http_timeout(exc: BaseException) -> bool:
    """The WebDriver server (chromedriver or a Grid) did not answer within our HTTP timeout."""
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
