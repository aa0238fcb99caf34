"""urljoin, remembered: a site's pages repeat the same links hundreds of times (shared by the crawler and checks)."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

LINK_CACHE = 20_000  # entries of each memory below; emptied when full, so it stays small however large the site
_joined: dict[tuple[str, str], str] = {}  # (base key, href) -> urljoin(base, href)
_last_base: tuple[str, str] = ("", "")  # the last base URL seen and its "scheme://netloc" ("" when not http(s))


def _base_origin(base: str) -> str:
    global _last_base
    last = _last_base  # one tuple, replaced whole: safe if another thread asks too
    if last[0] == base:
        return last[1]
    try:
        parts = urlsplit(base)
        origin = f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""
    except ValueError:
        origin = ""
    _last_base = (base, origin)
    return origin


def join_key(base: str, href: str) -> tuple[str, str] | None:
    """What urljoin(base, href) depends on, when that is less than the whole base; None otherwise.

    A site's pages repeat the same navigation links hundreds of times, and most are absolute ("/shop/",
    "https://..."): where they go does not depend on the linking page's path, only on its scheme and host (for
    "/path" and "//host/path": urljoin drops the base's path and query), or only on its scheme (an http(s) URL with
    a host). Relative links ("../x", "?page=2") depend on the whole base and are not remembered.
    """
    origin = _base_origin(base)
    if not origin or "\t" in href or "\n" in href or "\r" in href:  # urlsplit drops those three anywhere
        return None
    if href[:1] == "/":
        # "//" without a host ("//", "//?q") keeps the base's path and query.
        return (origin, href) if href[1:2] != "/" or href[2:3].isalnum() else None
    head = href[:8].lower()
    start = 7 if head.startswith("http://") else 8 if head == "https://" else 0
    if start and href[start:start + 1].isalnum():
        return (origin[:origin.index(":")], href)  # the same scheme as the base's is normalised, another is not
    return None


def join(base: str, href: str) -> str:
    """urljoin(base, href), remembered for links met again on other pages (see join_key); raises ValueError as
    urljoin does."""
    key = join_key(base, href)
    if key is None:
        return urljoin(base, href)
    found = _joined.get(key)
    if found is None:
        found = urljoin(base, href)
        if len(_joined) >= LINK_CACHE:
            _joined.clear()
        _joined[key] = found
    return found


