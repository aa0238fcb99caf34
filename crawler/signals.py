"""Ctrl-C during a crawl: the first SIGINT (or SIGTERM) stops auditing, the second quits at once.

`Stop` is the run's stop request, handed to the crawl's components in the AUDIT_STOP setting:

- first signal: one line on stderr, then no new page is fetched (the spider schedules nothing more and Scrapy's
  engine closes, dropping its queue) or audited (crawler.pipelines.StopGate drops pages that have not started their
  audits; the browser pool audits no new page). Pages in a browser finish; the run ends as `interrupted` and its
  report is written from what was audited.
- second signal: the browsers are killed and the reactor stopped; crawler.run marks the run interrupted and writes no
  report. Everything stored so far stays (the store writes page by page). Should anything still hold the process
  after FORCE_GRACE seconds (or at a third signal), it exits with 130 there and then.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from empathy_audit.crawler.options import EXIT_INTERRUPTED

FORCE_GRACE = 10.0  # seconds the second Ctrl-C leaves the run to mark itself interrupted before the process exits
STOPPING_LINE = "empathy-audit: stopping after the pages in progress (press Ctrl-C again to quit at once)..."
QUITTING_LINE = "empathy-audit: quitting now; what was stored so far is kept."
STOPPED = "the run was stopped (Ctrl-C) before this page was audited"


class Stop:
    """The run's stop request (thread-safe): `requested` after the first signal, `forced` after the second."""

    def __init__(self, stream: TextIO | None = None, call: Callable[[Callable[[], Any]], Any] | None = None) -> None:
        self.stream = stream
        self._call = call  # runs a callback where it may write and touch the crawl (the reactor's thread)
        self._requested = threading.Event()
        self._forced = threading.Event()
        self._lock = threading.Lock()
        self._on_request: list[Callable[[], Any]] = []
        self._on_force: list[Callable[[], Any]] = []
        self.signals = 0

    def __deepcopy__(self, memo: dict) -> Stop:  # Scrapy copies its settings: every copy is this one request
        return self

    def __copy__(self) -> Stop:
        return self

    @property
    def requested(self) -> bool:
        return self._requested.is_set()

    @property
    def forced(self) -> bool:
        return self._forced.is_set()

    def attach(self, call: Callable[[Callable[[], Any]], Any]) -> None:
        """Run callbacks through `call` (the reactor's callFromThread) from now on."""
        self._call = call

    def on_request(self, callback: Callable[[], Any]) -> None:
        """Call `callback` (in the reactor's thread) when the stop is requested."""
        with self._lock:
            self._on_request.append(callback)

    def on_force(self, callback: Callable[[], Any]) -> None:
        """Call `callback` (from the signal handler: it must only kill or set flags) when the quit is forced."""
        with self._lock:
            self._on_force.append(callback)

    def request(self) -> None:
        if self._requested.is_set():
            return
        self._requested.set()
        with self._lock:
            callbacks = [self._say(STOPPING_LINE), *self._on_request]
        for cb in callbacks:
            self._later(cb)

    def force(self) -> None:
        self._requested.set()
        if self._forced.is_set():
            return
        self._forced.set()
        # The watchdog first: a callback that blocks (a browser slow to die) must not keep the process alive.
        watchdog = threading.Timer(FORCE_GRACE, os._exit, args=(EXIT_INTERRUPTED,))
        watchdog.daemon = True
        watchdog.start()
        with self._lock:
            callbacks = list(self._on_force)
        for cb in callbacks:
            try:
                cb()
            except Exception:  # noqa: BLE001 - quitting goes on whatever one callback does
                pass
        self._later(self._say(QUITTING_LINE))

    def _say(self, line: str) -> Callable[[], None]:
        def say() -> None:
            stream = self.stream or sys.stderr
            try:
                # A live progress line may be on screen without its newline: start on a fresh line.
                lead = "\n" if getattr(stream, "isatty", lambda: False)() else ""
                stream.write(f"{lead}{line}\n")
                stream.flush()
            except (OSError, ValueError, RuntimeError):  # closed, or re-entered from a signal handler
                pass

        return say

    def _later(self, callback: Callable[[], Any]) -> None:
        """Run `callback` out of the signal handler: writing to a stream the interrupted code may be writing to
        raises, so it is handed to the reactor when one runs."""
        if self._call is None:
            callback()
            return
        try:
            self._call(callback)
        except Exception:  # noqa: BLE001 - no reactor any more: do it here
            callback()

    def handle(self, signum: int = signal.SIGINT, frame: Any = None) -> None:
        """The signal handler: first signal requests the stop, the second forces it, a third exits on the spot."""
        self.signals += 1
        if self.signals == 1:
            self.request()
        elif self.signals == 2:
            self.force()
        else:
            os._exit(EXIT_INTERRUPTED)

    @contextmanager
    def installed(self, signums: tuple[int, ...] = (signal.SIGINT, signal.SIGTERM)) -> Iterator[Stop]:
        """This Stop handles `signums` inside the block (the main thread only); the previous handlers after it."""
        if threading.current_thread() is not threading.main_thread():
            yield self
            return
        previous = {s: signal.signal(s, self.handle) for s in signums}
        try:
            yield self
        finally:
            for s, handler in previous.items():
                signal.signal(s, handler)
