"""Secrets a run was given (staging passwords, tokens, cookies) and their masking: every string this process
writes to a log, the run history or a report goes through mask(). The storage layer and the staging-access
code both use this module; it imports nothing of the project."""

from __future__ import annotations

import logging
import threading
from typing import Any
from urllib.parse import quote, quote_plus, urlsplit, urlunsplit

MASK = "********"
MIN_SECRET = 4  # shorter values are not masked: replacing every "ci" or "1" in a report would garble it

_secrets: set[str] = set()
_sorted: list[str] = []
_lock = threading.Lock()


def register_secret(value: Any) -> None:
    """Mask `value` (and its URL- and form-encoded forms) from now on, everywhere this process writes."""
    if value is None:
        return
    text = str(value)
    if len(text) < MIN_SECRET:
        return
    global _sorted
    with _lock:
        new = {text, quote(text, safe=""), quote_plus(text)} - _secrets
        if not new:
            return
        _secrets.update(new)
        _sorted = sorted(_secrets, key=len, reverse=True)


def clear_secrets() -> None:
    """For tests."""
    global _sorted
    with _lock:
        _secrets.clear()
        _sorted = []


def mask(text: Any) -> Any:
    """`text` with every registered secret replaced by ********; non-strings are returned unchanged."""
    if not _sorted or not isinstance(text, str) or not text:
        return text
    for secret in _sorted:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


def mask_any(value: Any) -> Any:
    """mask() applied to every string inside dicts, lists and tuples."""
    if not _sorted:
        return value
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {mask_any(k): mask_any(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(mask_any(v) for v in value)
    return value


def redact_url(url: str) -> str:
    """A URL with its password (if any) replaced by ********, e.g. for a postgresql:// URL in a message."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if not parts.password:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    user = parts.username or ""
    return urlunsplit((parts.scheme, f"{user}:{MASK}@{host}", parts.path, parts.query, parts.fragment))


_log_masking_installed = False


def install_log_masking() -> None:
    """Mask secrets in every log record this process creates, whatever handler writes it (idempotent)."""
    global _log_masking_installed
    if _log_masking_installed:
        return
    _log_masking_installed = True
    base = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = base(*args, **kwargs)
        if not _sorted:
            return record
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string is the handler's problem, not ours
            return record
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info and not record.exc_text:
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
        return record

    logging.setLogRecordFactory(factory)
