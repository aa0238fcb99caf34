"""URL canonicalisation and scope: one page is audited once, whatever fragment or tracking tag a link carries."""

from __future__ import annotations

import re
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


def scope_hosts(start_url: str) -> set[str]:
    """The start URL's host and its www. twin."""
    host = host_of(start_url)
    twin = host[4:] if host.startswith("www.") else f"www.{host}"
    return {host, twin} if not _is_ip(host) and host != "localhost" else {host}


def _is_ip(host: str) -> bool:
    return bool(re.match(r"^\d{1,3}(\.\d{1,3}){3}$", host)) or ":" in host


def origin_of(url: str) -> str:
    p = urlsplit(url)
    return f"{p.scheme}://{p.netloc}"


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
