"""animated-gif: animations are served as video, not as large animated GIFs."""

from __future__ import annotations

import math
from typing import Iterator

from empathy_audit.audits.media import _network as net
from empathy_audit.audits.media._model import MediaInventory
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check


def video_saving(nbytes: int) -> int:
    """Lighthouse's estimate of what MPEG-4/WebM saves over a GIF: (29.1*log10(bytes) - 100.7) %."""
    if nbytes <= 0:
        return 0
    return int(nbytes * max(0.0, min(1.0, (29.1 * math.log10(nbytes) - 100.7) / 100)))


@check(
    id="animated-gif",
    title="Animations are served as video",
    failure_title="Animations are served as large GIFs",
    severity=Severity.MODERATE,
    best_practice=True,
    personas=(Persona.SLOW_CONNECTION, Persona.PREPAID_DATA, Persona.COGNITIVE),
    how_to_fix="Convert the GIF to MP4 or WebM and show it with <video autoplay muted loop playsinline> plus a "
    "pause button, or replace it with a still image.",
)
def animated_gif(inv: MediaInventory) -> Iterator[Finding]:
    """What it checks: animated GIFs (more than one frame, or a looping extension) larger than 100 KB. The saving
    is Lighthouse's estimate for the same animation as video: (29.1 x log10(bytes) - 100.7) % of the file.
    Who it affects: visitors on slow or prepaid connections download the heaviest possible form of the animation;
    moving images that do not stop also distract people with attention or vestibular disorders.
    How to fix: encode the animation as MP4 or WebM (often 80-90 % smaller), or use a still image; give any
    animation that runs for more than 5 seconds a way to pause it (WCAG 2.2.2).
    References: Lighthouse efficient-animated-content (v12.8.2: GIFs > 100 KiB); web.dev "Replace animated GIFs
    with video"; WCAG 2.2.2 Pause, Stop, Hide.
    """
    for r in inv.by_type("image"):
        info = r.m.info or {}
        if not r.m.ok or info.get("format") != "gif" or not info.get("animated"):
            continue
        if r.m.bytes is None or r.m.bytes <= net.GIF_MIN_BYTES:
            continue
        saving = video_saving(r.m.bytes)
        yield inv.finding(
            r,
            f"This animated GIF weighs {net.size_label(r.m.bytes)}; the same animation as MP4 or WebM would save "
            f"about {net.size_label(saving)}.",
            bytes_saved=saving,
        )
