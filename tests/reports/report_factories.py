"""Builders for the report tests: runs, pages and findings as the store returns them (records), checks, a PNG."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterable
from typing import Any

from empathy_audit.audits import registry
from empathy_audit.audits.browser import axe_map
from empathy_audit.audits.model import Check, Persona, Severity
from empathy_audit.crawler.store.records import (
    FindingRecord,
    PageRecord,
    ResourceRecord,
    RunRecord,
    outcome_of,
    severity_of,
)

SITE = "http://127.0.0.1:8000"


def make_run(**kw: Any) -> RunRecord:
    run: dict[str, Any] = {
        "id": 42,
        "site": SITE,
        "start_url": SITE + "/",
        "started_at": "2025-11-25T10:00:00+00:00",
        "finished_at": "2025-11-25T10:03:12+00:00",
        "status": "finished",
        "settings": {"AUDIT_MAX_PAGES": 500, "AUDIT_MAX_DEPTH": 10},
        "versions": {"empathy_audit": "0.1.0", "scrapy": "2.13.3", "python": "3.12.3", "axe_core": None, "chromium": None},
        "stats": {"pages": 3},
    }
    run.update(kw)
    return RunRecord(**run)


def make_page(path: str, **kw: Any) -> PageRecord:
    url = SITE + path
    page: dict[str, Any] = {
        "url": url,
        "final_url": url,
        "status": 200,
        "content_type": "text/html; charset=utf-8",
        "depth": 1,
        "found_via": "link",
        "referrer": None,
        "sitemap_priority": None,
        "title": f"Title of {path}",
        "inbound_links": 1,
        "error": None,
        "redirect_chain": (),
        "headers": None,
        "browser": None,
        "fetched_at": None,
    }
    page.update(kw)
    page["redirect_chain"] = tuple(page["redirect_chain"])
    return PageRecord(**page)


def make_finding(check_id: str, path_or_url: str, selector: str = "html", *, severity: str = "serious",
                 outcome: str = "fail", sources: Iterable[str] = ("static",), data: dict[str, Any] | None = None,
                 snippet: str = "", message: str | None = None) -> FindingRecord:
    """A finding as the store returns it; severity and outcome as stored (an unknown severity reads as moderate)."""
    url = path_or_url if "://" in path_or_url or ":" in path_or_url.split("/")[0] else SITE + path_or_url
    return FindingRecord(check_id=check_id, url=url, selector=selector, snippet=snippet,
                         message=f"{check_id} fails here" if message is None else message,
                         severity=severity_of(severity), outcome=outcome_of(outcome), sources=tuple(sources),
                         data=dict(data or {}))


def make_resource(page_url: str, url: str, type_: str, nbytes: int | None, **kw: Any) -> ResourceRecord:
    """One resource a page loads, joined with its measurement (measured when it has a size)."""
    row: dict[str, Any] = {
        "page_url": page_url, "url": url, "type": type_, "found_via": "img[src]", "in_weight": True, "selector": "",
        "data": {}, "status": None, "content_type": "", "bytes": nbytes, "decoded_bytes": None, "gzip_bytes": None,
        "encoding": "", "cache_control": None, "expires": None, "etag": None, "last_modified": None,
        "measured": nbytes is not None, "reason": None, "method": None, "info": {},
    }
    row.update(kw)
    return ResourceRecord(**row)


def _noop(*_: Any) -> None:
    return None


def _words(check_id: str) -> dict[str, Any]:
    """The task, how-it-hurts and roles the real check (or axe's rule table) declares for `check_id`."""
    real = registry.get(check_id) or axe_map.rule_check(check_id, {"help": check_id})
    assert real is not None
    return {"task": real.task, "how": real.how, "roles": real.roles or real.persona_roles(),
            "colour_pair": real.colour_pair}


CHECKS = {
    c.id: c
    for c in (
        Check(
            **_words("image-alt"),
            id="image-alt",
            title="Images have a text alternative",
            failure_title="Images have no text alternative",
            kind="static",
            severity=Severity.CRITICAL,
            wcag=("1.1.1",),
            personas=(Persona.SCREEN_READER, Persona.SLOW_CONNECTION),
            func=_noop,
            how_to_fix="Give every meaningful image an alt attribute that says what it shows.",
        ),
        Check(
            **_words("link-name"),
            id="link-name",
            title="Links have a name",
            failure_title="Links have no name",
            kind="static",
            severity=Severity.SERIOUS,
            wcag=("2.4.4", "4.1.2"),
            personas=(Persona.SCREEN_READER,),
            func=_noop,
        ),
        Check(
            **_words("heading-order"),
            id="heading-order",
            title="Heading levels go up one at a time",
            failure_title="Heading levels skip",
            kind="static",
            severity=Severity.MODERATE,
            wcag=(),
            personas=(Persona.SCREEN_READER, Persona.COGNITIVE),
            func=_noop,
            best_practice=True,
        ),
        Check(
            **_words("color-contrast"),
            id="color-contrast",
            title="Text has enough contrast",
            failure_title="Text has too little contrast",
            kind="browser",
            severity=Severity.SERIOUS,
            wcag=("1.4.3",),
            personas=(Persona.LOW_VISION, Persona.COLOUR_VISION),
            func=_noop,
        ),
    )
}


def png_bytes(width: int = 4, height: int = 2) -> bytes:
    """A valid RGB PNG (no Pillow needed)."""
    raw = b"".join(b"\x00" + bytes([200, 30, 30] * width) for _ in range(height))

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")



def sample_inputs() -> tuple[RunRecord, list[PageRecord], list[FindingRecord]]:
    """A small finished run: 6 pages (one PDF, one 404, one robots-blocked, one redirect) and mixed findings."""
    pages = [
        make_page("/", depth=0, found_via="start", title="Home", browser={"audited": True, "error": None}),
        make_page("/a", browser={"audited": True, "error": None}),
        make_page("/b", final_url=SITE + "/b2", redirect_chain=[SITE + "/b"], browser={"audited": False, "error": "timed out"}),
        make_page("/doc.pdf", content_type="application/pdf", title=None),
        make_page("/gone", status=404, title="Not found", depth=2),
        make_page("/private", status=None, content_type=None, title=None, error="blocked by robots.txt"),
    ]
    findings = [
        make_finding("image-alt", "/", "main > img:nth-of-type(10)", snippet='<img src="b.png">', severity="critical"),
        make_finding("image-alt", "/", "main > img:nth-of-type(2)", snippet='<img src="a.png">', severity="critical"),
        make_finding(
            "image-alt", "/", "main > img:nth-of-type(2)", snippet='<img src="a.png">', severity="critical", sources=["axe"]
        ),
        make_finding("image-alt", "/a", "img", severity="critical"),
        make_finding("link-name", "/", "nav > a"),
        make_finding("link-name", "/a", "nav > a"),
        make_finding("link-name", "/a", "footer > a"),
        make_finding("heading-order", "/b2", "h4", severity="moderate"),
        make_finding("color-contrast", "/a", "p.grey", outcome="needs-review", sources=["axe"]),
        make_finding("link-name", "/b2", "html", outcome="error", message="The check could not run: boom"),
    ]
    return make_run(), pages, findings
