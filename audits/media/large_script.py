"""large-script: no single script is very large."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.media import _network as net
from empathy_audit.audits.media._model import MediaInventory
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="large-script",
    title="Scripts are a reasonable size",
    failure_title="Scripts are very large",
    severity=Severity.MODERATE,
    best_practice=True,
    personas=(Persona.SLOW_CONNECTION, Persona.PREPAID_DATA, Persona.KEYBOARD),
    how_to_fix="Split the bundle so each page loads only the code it uses, remove unused libraries, and load "
    "the rest with defer or on interaction.",
)
def large_script(inv: MediaInventory) -> Iterator[Finding]:
    """What it checks: each script the page loads whose compressed size is above 500 KB (for a script served
    uncompressed, its measured gzip size counts, so text-compression and this check do not blame the same bytes).
    Who it affects: visitors on slow connections wait for the download and then for the phone to parse and run it
    (Lighthouse simulates a 4x slower CPU); until it runs, buttons and menus may not respond, also to keyboard
    users; prepaid visitors pay for code the page may not use.
    How to fix: code-split per page, drop unused dependencies, defer what is not needed for the first screen.
    References: HTTP Archive Web Almanac 2025, JavaScript (median 632 KB per mobile home page); Lighthouse
    unused-javascript and bootup-time; web.dev "Reduce JavaScript payloads with code splitting".
    """
    seen: set[str] = set()
    for r in inv.by_type("script"):
        if r.url in seen or not r.ref.in_weight or not r.m.ok:
            continue
        seen.add(r.url)
        size = r.m.compressed_estimate
        if size is None or size <= net.LARGE_SCRIPT_BYTES:
            continue
        yield inv.finding(
            r,
            f"This script weighs {net.size_label(size)} compressed, more than most pages' whole JavaScript; a "
            f"phone must download, parse and run all of it.",
            severity=Severity.MODERATE,
            compressed_bytes=size,
        )
