"""Small helpers that turn elements into the words a finding's message uses (not a check: starts with _)."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

MAX_SHOWN = 80


def shorten(text: str, limit: int = MAX_SHOWN) -> str:
    """`text` cut to `limit` characters with an ellipsis."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def file_name(src: object) -> str:
    """The last path segment of an image URL ("" for data: URLs or nothing), shortened."""
    if not isinstance(src, str) or not src.strip() or src.strip().lower().startswith("data:"):
        return ""
    path = urlsplit(src.strip()).path
    name = unquote(path.rstrip("/").rsplit("/", 1)[-1])
    return shorten(name, 60)


def link_target(href: object) -> str:
    """The href as shown in a message."""
    if not isinstance(href, str):
        return ""
    return shorten(href.strip(), 80)
