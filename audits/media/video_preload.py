"""video-preload: videos load nothing until played (preload none or metadata) and show a poster meanwhile."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.media import _network as net
from empathy_audit.audits.media._model import MediaInventory
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="video-preload",
    title="Videos wait to be played, with a poster",
    failure_title="Videos preload or show no poster",
    severity=Severity.MODERATE,
    best_practice=True,
    personas=(Persona.SLOW_CONNECTION, Persona.PREPAID_DATA),
    how_to_fix='Give every <video> preload="none" (or "metadata") and a poster image: '
    '<video controls preload="none" poster="film.jpg">.',
)
def video_preload(inv: MediaInventory) -> Iterator[Finding]:
    """What it checks: every <video> that does not autoplay (media-autoplay covers those) declares
    `preload="none"` or `preload="metadata"`, and has a `poster`. A missing `preload` fails too: its default is
    left to the browser, and some download the whole file.
    Who it affects: visitors on slow or prepaid connections download video they may never play; without a poster,
    a video that waits shows an empty or black box.
    How to fix: add `preload="none"` (or `"metadata"` to show the duration) and a small poster image.
    References: HTML standard, the preload attribute ("none", "metadata", "auto"); web.dev "Fast playback with
    audio and video preload"; MDN <video>.
    """
    if inv.soup is None:
        return
    media = {id(r.ref.element): r for r in inv.by_type("media") if r.ref.element is not None}
    for video in inv.soup.find_all("video"):
        if video.has_attr("autoplay") or any(p.name in ("noscript", "template") for p in video.parents):
            continue
        preload = video.get("preload")
        preload = None if preload is None else str(preload).strip().lower()
        problems = []
        if preload not in ("none", "metadata"):
            problems.append('it has no preload="none" or "metadata"' if preload is None
                            else f'it has preload="{preload}", so the browser downloads the video at once')
        if not str(video.get("poster") or "").strip():
            problems.append("it has no poster image to show until it plays")
        if not problems:
            continue
        r = media.get(id(video))
        saving = None
        if r is not None and preload in ("auto", "") and r.m.measured and r.m.bytes:
            saving = r.m.bytes
        size = f" ({net.size_label(r.m.bytes)})" if r is not None and r.m.bytes else ""
        yield inv.finding(
            r,
            f"This video{size} waits badly: {' and '.join(problems)}.",
            bytes_saved=saving,
            severity=None if saving else Severity.MODERATE,
            element=video,
        )
