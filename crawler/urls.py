"""URL canonicalisation and scope: one page is audited once, whatever fragment or tracking tag a link carries."""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from empathy_audit.audits.urls import LINK_CACHE, join_key

# Query parameters that only track campaigns or clicks; they never change what a page shows.
TRACKING_PARAMS = re.compile(
    r"^(utm_[a-z_]+|gclid|gclsrc|dclid|gbraid|wbraid|fbclid|msclkid|mc_cid|mc_eid|yclid|igshid|_ga|_gl|"
    r"_hsenc|_hsmi|mkt_tok|oly_anon_id|oly_enc_id|vero_id|rb_clickid|s_cid|ref_src|srsltid)$",
    re.IGNORECASE,
)
_DEFAULT_PORTS = {"http": 80, "https": 443}


class BadURL(ValueError):
    """The start URL cannot be crawled; the message is one sentence for the user."""


def validate_start_url(url: str) -> str:
    """Return a canonical http(s) start URL, or raise BadURL with a sentence saying what is wrong."""
    raw = (url or "").strip()
    if not raw:
        raise BadURL("No URL was given: pass the address of the site to audit, e.g. https://www.example.com/.")
    if "://" not in raw and re.match(r"^[\w.-]+\.[a-z]{2,}(:\d+)?(/|$)", raw, re.IGNORECASE):
        raw = "https://" + raw
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        raise BadURL(f"{url!r} is not a valid URL ({exc}).") from None
    if parts.scheme not in ("http", "https"):
        raise BadURL(f"{url!r} is not an http:// or https:// URL, so there is no website to crawl.")
    if not parts.hostname:
        raise BadURL(f"{url!r} has no host name: write it like https://www.example.com/.")
    if port is not None and not (0 < port < 65536):
        raise BadURL(f"{url!r} is not a valid URL (the port must be 1 to 65535).")
    if not re.match(r"^(\[[0-9a-fA-F:.]+\]|[\w.-]+)$", parts.netloc.rsplit("@", 1)[-1].rsplit(":", 1)[0] or "x"):
        raise BadURL(f"{url!r} is not a valid URL (the host name has characters a host name cannot have).")
    return canonicalize(raw)


def canonicalize(url: str) -> str:
    """Lower-case scheme and host, drop default port, fragment and tracking parameters; keep everything else."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port
    netloc = host if port is None or _DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    if parts.username or parts.password:
        # credentials in URLs never travel further than this: they would end up in reports and logs
        pass
    path = parts.path or "/"
    query_pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAMS.match(k)]
    query = urlencode(query_pairs, doseq=True) if query_pairs else ""
    return urlunsplit((scheme, netloc, path, query, ""))


@lru_cache(maxsize=20_000)
def host_of(url: str) -> str:
    """The URL's host name, lower-cased (remembered: the crawl asks for the host of every link of every page)."""
    return (urlsplit(url).hostname or "").lower()


def _is_ip(host: str) -> bool:
    return bool(re.match(r"^\d{1,3}(\.\d{1,3}){3}$", host)) or ":" in host


def origin_of(url: str) -> str:
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}"


@lru_cache(maxsize=20_000)
def origin(url: str) -> str:
    """The URL's origin as `scheme://host[:port]` (RFC 6454: scheme, host and port), lower-cased, the default port
    left out; "" for anything that is not an http(s) URL with a host, or that carries a user name or password."""
    try:
        parts = urlsplit(str(url).strip())
        port = parts.port
    except ValueError:
        return ""
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    if scheme not in _DEFAULT_PORTS or not host or parts.username is not None or parts.password is not None:
        return ""
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}" if port is None or port == _DEFAULT_PORTS[scheme] else f"{scheme}://{host}:{port}"


def origin_parts(site_origin: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an origin from `origin()`, the port always given."""
    parts = urlsplit(site_origin)
    return parts.scheme, (parts.hostname or ""), parts.port or _DEFAULT_PORTS[parts.scheme]


def scope_origins(url: str) -> set[str]:
    """The URL's origin and its www. twin on the same scheme and port (`example.com:8443` <-> `www.example.com:8443`;
    never another port or scheme): what is crawled, audited and sent credentials as the site."""
    own = origin(url)
    if not own:
        return set()
    scheme, host, port = origin_parts(own)
    if _is_ip(host) or host == "localhost":
        return {own}
    twin = host[4:] if host.startswith("www.") else f"www.{host}"
    return {own, origin(f"{scheme}://{twin}:{port}/")}


def site_origins(start_url: str, listed: Iterable[str] = (), also: Iterable[str] = ()) -> set[str]:
    """The site as a set of origins: the start URL's origin and its www. twin, the same for every URL of a --urls
    list, and each --also-origin exactly as named (no twin)."""
    out = scope_origins(start_url) if start_url else set()
    for url in listed:
        out |= scope_origins(url)
    out |= {o for o in map(origin, also) if o}
    return out


def in_origins(url: str, origins: Iterable[str]) -> bool:
    """Is url on one of these origins (exact scheme, host and port)?"""
    own = origin(url)
    return bool(own) and own in origins


# --- link targets, remembered --------------------------------------------------------------------------------------

_targets: dict[tuple[str, str], str | None] = {}  # (base key, href) -> canonicalize(urljoin(base, href)) or None


def link_target(base: str, href: str) -> str | None:
    """canonicalize(urljoin(base, href)), or None where that raises ValueError (a malformed URL); remembered like
    join()."""
    key = join_key(base, href)
    if key is None:
        try:
            return canonicalize(urljoin(base, href))
        except ValueError:
            return None
    try:
        return _targets[key]
    except KeyError:
        pass
    try:
        target: str | None = canonicalize(urljoin(base, href))
    except ValueError:
        target = None
    if len(_targets) >= LINK_CACHE:
        _targets.clear()
    _targets[key] = target
    return target
