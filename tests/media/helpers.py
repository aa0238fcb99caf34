"""Build a MediaInventory from a fixture page and a table of measurements, with no network (as the pipeline would)."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urljoin

from empathy_audit.audits.artifacts import parse_html
from empathy_audit.audits.media._css import parse_css
from empathy_audit.audits.media._inventory import css_resources, extract, inline_styles, page_shape, stylesheets
from empathy_audit.audits.media._model import MediaInventory, MediaResource, Measurement
from empathy_audit.audits.registry import family

FIXTURES = family("media").fixture_root
ORIGIN = "https://fixture.test"
_TYPES = {".webp": "image/webp", ".avif": "image/avif", ".jpg": "image/jpeg", ".png": "image/png",
          ".gif": "image/gif", ".svg": "image/svg+xml", ".css": "text/css", ".js": "text/javascript",
          ".woff2": "font/woff2", ".ttf": "font/ttf", ".mp4": "video/mp4", ".mp3": "audio/mpeg",
          ".html": "text/html"}
DOCUMENT = {"bytes": 2000, "encoding": "gzip", "content_type": "text/html", "cache_control": "no-cache"}


def measurement(url: str, spec: dict[str, Any] | None) -> Measurement:
    """A measured resource from a fixture spec (bytes, encoding, cache_control, info...); unmeasured if None."""
    if spec is None:
        return Measurement(url=url, reason="not in the fixture's resources.json")
    ext = "." + url.rsplit(".", 1)[-1].lower() if "." in url.rsplit("/", 1)[-1] else ""
    return Measurement(
        url=url,
        measured=spec.get("measured", True),
        bytes=spec.get("bytes"),
        status=spec.get("status", 200),
        content_type=spec.get("content_type", _TYPES.get(ext, "application/octet-stream")),
        encoding=spec.get("encoding", ""),
        cache_control=spec.get("cache_control", "public, max-age=31536000"),
        expires=spec.get("expires"),
        gzip_bytes=spec.get("gzip_bytes"),
        reason=spec.get("reason"),
        method="fixture",
        info=dict(spec.get("info") or {}),
    )


def inventory(html: str, url: str, resources: dict[str, dict[str, Any]], *, budget_kib: int | None = None,
              browser: dict[str, Any] | None = None) -> MediaInventory:
    table = {urljoin(ORIGIN, k): v for k, v in resources.items() if k != "document"}
    soup = parse_html(html)
    refs = extract(soup, url)
    sheets = [(style, url, parse_css(style.get_text(), url)) for style in inline_styles(soup)]
    for ref in stylesheets(refs):
        css = (table.get(ref.url) or {}).get("css")
        if css is not None:
            sheets.append((ref.element, ref.url, parse_css(css, ref.url)))
    refs += css_resources(soup, sheets)
    o_rb, depth = page_shape(url, refs)
    inv = MediaInventory(
        url=url,
        soup=soup,
        resources=[MediaResource(r, measurement(r.url, table.get(r.url))) for r in refs],
        document=measurement(url, resources.get("document", DOCUMENT)),
        extra_origins=o_rb,
        chain_depth=depth,
        browser=browser,
    )
    if budget_kib is not None:
        inv.budget_bytes = budget_kib * 1024
    return inv


def fixture(check_id: str, kind: str) -> MediaInventory:
    folder = FIXTURES / check_id
    resources = json.loads((folder / "resources.json").read_text())
    url = f"{ORIGIN}/checks/{check_id}/{kind}.html"
    return inventory((folder / f"{kind}.html").read_text("utf-8"), url, resources)
