"""Screenshots of failing elements, embedded in the HTML report as data: URIs when they are small PNGs."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

SCREENSHOT_MAX_BYTES = 200 * 1024  # larger screenshots are not embedded (the HTML report must stay small)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def screenshot_data_uri(path: Any, max_bytes: int = SCREENSHOT_MAX_BYTES) -> str | None:
    """A data: URI of the PNG at absolute `path`, or None when it is missing, not a PNG, or too large."""
    if not isinstance(path, str) or not path:
        return None
    p = Path(path)
    if not p.is_absolute():
        return None
    try:
        if not p.is_file() or p.stat().st_size >= max_bytes:
            return None
        raw = p.read_bytes()
    except OSError:
        return None
    if not raw.startswith(PNG_MAGIC) or len(raw) >= max_bytes:
        return None
    return "data:image/png;base64," + base64.b64encode(raw).decode("ascii")
