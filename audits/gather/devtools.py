"""A small client for Chromium's own DevTools socket (CDP JSON-RPC over websocket-client, a Selenium dependency).

chromedriver runs its commands one at a time and waits after each input command; a connection of our own beside
it answers in about a millisecond, lets commands be pipelined (send several, then wait for their replies) and can
answer events while chromedriver is busy (a request paused during `driver.get`). With an `on_event` callback,
messages are read on a reader thread and events handled there (the callback must not wait for a reply itself: hand
such work to another thread); without one, the thread that waits reads its replies itself and events are dropped,
which spares two thread switches per reply (the keyboard walk's presses take a few milliseconds each). Used by the
keyboard walk (audits.gather.keyboard) and staging access (crawler.auth).
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

import websocket

log = logging.getLogger(__name__)

_LOOPBACK = ("127.0.0.1", "localhost", "::1")

EventHandler = Callable[[str, dict[str, Any], "str | None"], None]


class DevToolsError(RuntimeError):
    """The browser answered a command with an error, did not answer in time, or the connection is gone."""


class DevToolsClosed(DevToolsError, ConnectionError):
    """The connection closed before the reply came."""


def debugger_address(driver: Any) -> str | None:
    """host:port of the DevTools server of a chromedriver-started Chromium (None for other drivers)."""
    caps = getattr(driver, "capabilities", None) or {}
    opts = caps.get("goog:chromeOptions") or caps.get("ms:edgeOptions") or {}
    return opts.get("debuggerAddress") or None


def local_devtools_url(driver: Any) -> str | None:
    """ws:// URL of the current tab on a local chromedriver's Chromium, or None (remote Grid, other browsers)."""
    try:
        addr = debugger_address(driver)
        executor = getattr(driver, "command_executor", None)
        config = getattr(executor, "client_config", None) or getattr(executor, "_client_config", None)
        executor = getattr(config, "remote_server_addr", None) or getattr(executor, "_url", "") or ""
        if not addr or urlsplit(executor).hostname not in _LOOPBACK:
            return None
        host = addr.split(":")[0]
        if host not in ("127.0.0.1", "localhost"):
            return None
        handle = driver.current_window_handle
        return f"ws://{addr}/devtools/page/{handle}"
    except Exception:  # noqa: BLE001 - any driver that cannot say has no local DevTools for us
        return None


def browser_devtools_url(address: str, timeout: float = 10.0) -> str:
    """The browser-wide ws:// URL of the DevTools server at host:port (targets are reached through flat sessions)."""
    with urllib.request.urlopen(f"http://{address}/json/version", timeout=timeout) as resp:  # loopback only
        return json.load(resp)["webSocketDebuggerUrl"]


class _Pending:
    __slots__ = ("event", "reply")

    def __init__(self) -> None:
        self.event = threading.Event()
        self.reply: dict[str, Any] | None = None


class DevToolsClient:
    """One DevTools WebSocket connection: `send` (no reply wanted), `request` + `wait` (pipelined), `call`, `close`.

    `session` is a flat-mode session id (Target.setAutoAttach with flatten: True) or None for the connection's own
    target. Replies nobody waits for are dropped.
    """

    def __init__(self, url: str, *, connect_timeout: float = 10.0, on_event: EventHandler | None = None,
                 name: str = "devtools") -> None:
        self.ws = websocket.create_connection(url, timeout=connect_timeout, suppress_origin=True)
        self.on_event = on_event
        self.closed = False
        self._ids = itertools.count(1)
        self._send_lock = threading.Lock()
        self._pending: dict[int, _Pending] = {}
        self._reader: threading.Thread | None = None
        if on_event is not None:
            self.ws.settimeout(None)  # the reader blocks until a message or close()
            self._reader = threading.Thread(target=self._read, name=name, daemon=True)
            self._reader.start()

    # commands ------------------------------------------------------------------------------------------------------
    def _message(self, msg_id: int, method: str, params: dict[str, Any] | None, session: str | None) -> str:
        msg: dict[str, Any] = {"id": msg_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        return json.dumps(msg)

    def _write(self, text: str) -> None:
        with self._send_lock:
            self.ws.send(text)

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> int:
        """Send a command and do not wait: its reply is dropped."""
        msg_id = next(self._ids)
        self._write(self._message(msg_id, method, params, session))
        return msg_id

    def request(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> int:
        """Send a command whose reply `wait` collects; its id."""
        msg_id = next(self._ids)
        self._pending[msg_id] = _Pending()  # before sending: the reply may come back before send() returns
        if self.closed:
            self._pending.pop(msg_id, None)
            raise DevToolsClosed(f"the DevTools connection is closed ({method})")
        try:
            self._write(self._message(msg_id, method, params, session))
        except Exception:
            self._pending.pop(msg_id, None)
            raise
        return msg_id

    def wait(self, ids: Iterable[int], timeout: float) -> dict[int, dict[str, Any]]:
        """The raw replies ({"id", "result" | "error"}) to the requests `ids`, within `timeout` seconds in all.

        Raises TimeoutError when one is late (the others stay collectable) and DevToolsClosed when the connection
        closed first."""
        end = time.monotonic() + timeout
        ids = list(ids)
        if self._reader is None:
            self._read_until(ids, end, timeout)
        out: dict[int, dict[str, Any]] = {}
        for msg_id in ids:
            pending = self._pending.get(msg_id)
            if pending is None:
                raise KeyError(f"no request {msg_id} is waiting for a reply")
            if not pending.event.wait(max(0.0, end - time.monotonic())):
                raise TimeoutError(f"no DevTools reply within {timeout:g} s")
            self._pending.pop(msg_id, None)
            if pending.reply is None:
                raise DevToolsClosed("the DevTools connection closed before the browser answered")
            out[msg_id] = pending.reply
        return out

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None,
             timeout: float = 10.0) -> dict[str, Any]:
        """Send a command and wait for its result; DevToolsError when the browser refuses it or does not answer."""
        msg_id = self.request(method, params, session)
        try:
            reply = self.wait([msg_id], timeout)[msg_id]
        except TimeoutError:
            self._pending.pop(msg_id, None)
            raise DevToolsError(f"the browser did not answer {method} within {timeout:g} s") from None
        if "error" in reply:
            raise DevToolsError(f"{method} failed: {reply['error'].get('message')}")
        return reply.get("result") or {}

    # connection ----------------------------------------------------------------------------------------------------
    def close(self) -> None:
        """Close the connection (no waiting for the browser's close frame: the reader may be reading it)."""
        self.closed = True
        try:
            self.ws.close(timeout=0)
        except Exception:  # already closed or broken: nothing left to release
            log.debug("DevTools connection closed with an error", exc_info=True)

    def _dispatch(self, message: dict[str, Any]) -> None:
        msg_id = message.get("id")
        if msg_id is not None:
            pending = self._pending.get(msg_id)
            if pending is not None:
                pending.reply = message
                pending.event.set()
        elif self.on_event is not None:
            try:
                self.on_event(message.get("method", ""), message.get("params") or {}, message.get("sessionId"))
            except Exception as exc:  # noqa: BLE001 - one event's failure never stops the reader
                log.debug("DevTools event %s failed: %s", message.get("method"), exc)

    def _read(self) -> None:
        """The reader thread (with on_event): every message, until the connection closes."""
        while not self.closed:
            try:
                message = json.loads(self.ws.recv())
            except Exception:  # noqa: BLE001 - closed by us, or the browser went away
                break
            self._dispatch(message)
        self._closed_now()

    def _read_until(self, ids: list[int], end: float, timeout: float) -> None:
        """Without a reader thread: read in this thread until every reply in ids is in, or `end`."""
        while any((p := self._pending.get(i)) is not None and not p.event.is_set() for i in ids):
            left = end - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no DevTools reply within {timeout:g} s")
            self.ws.settimeout(left)
            try:
                message = json.loads(self.ws.recv())
            except websocket.WebSocketTimeoutException:
                raise TimeoutError(f"no DevTools reply within {timeout:g} s") from None
            except Exception:  # noqa: BLE001 - the connection is gone: waiters see it in wait()
                self._closed_now()
                return
            self._dispatch(message)

    def _closed_now(self) -> None:
        self.closed = True
        for pending in list(self._pending.values()):
            pending.event.set()  # waiters see reply None: closed
