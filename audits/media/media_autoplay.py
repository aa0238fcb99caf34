"""media-autoplay: video and audio do not start playing (and downloading) by themselves."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.media import _network as net
from empathy_audit.audits.media._model import MediaInventory
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="media-autoplay",
    title="Video and audio start only when the visitor asks",
    failure_title="Video or audio plays by itself",
    severity=Severity.SERIOUS,
    wcag=("1.4.2",),
    personas=(Persona.SCREEN_READER, Persona.SLOW_CONNECTION, Persona.PREPAID_DATA, Persona.COGNITIVE),
    how_to_fix='Remove autoplay and show a poster with a play button (preload="none"); if the motion is '
    "essential, mute it, keep it short and give it a visible pause control.",
)
def media_autoplay(inv: MediaInventory) -> Iterator[Finding]:
    """What it checks: <video> and <audio> elements with the `autoplay` attribute. One with sound (not `muted`)
    fails WCAG 1.4.2 when it plays for more than 3 seconds with no way to stop it; a muted video fails as a
    bandwidth problem only (moderate or lower), because the browser downloads it whether anyone watches or not.
    Who it affects: sound that starts by itself drowns out screen readers; video that starts by itself spends the
    data of visitors on prepaid plans and slows the page on slow connections; motion distracts people with
    attention disorders.
    How to fix: let the visitor start the media: remove `autoplay`, set `preload="none"` and a `poster`; if the
    video must move, mute it, keep it short and provide a pause button.
    References: WCAG 1.4.2 Audio Control (technique G170, failure F93); axe-core rule no-autoplay-audio; HTML
    standard, the autoplay attribute; Chrome autoplay policy.
    """
    for r in inv.by_type("media"):
        if not r.ref.attrs.get("autoplay"):
            continue
        el = r.ref.element
        kind = "video" if el is not None and el.name == "video" else "audio"
        size = f"{net.size_label(r.m.bytes)} " if r.m.measured and r.m.bytes is not None else ""
        saving = r.m.bytes if r.m.measured and r.m.bytes else None
        if kind == "video" and r.ref.attrs.get("muted"):
            severity = None if saving else Severity.MINOR
            if saving and net.slow_harm(net.transfer_seconds(saving)) >= 0.6:
                severity = Severity.MODERATE  # data cost only: never above moderate
            yield inv.finding(
                r,
                f"This muted video plays by itself, so every visitor downloads its {size}before choosing to "
                f"watch it.",
                bytes_saved=saving,
                severity=severity,
                muted=True,
            )
        else:
            yield inv.finding(
                r,
                f"This {kind} starts playing with sound by itself: it drowns out screen readers unless it stops "
                f"within 3 seconds or can be paused (WCAG 1.4.2), and it downloads its {size}before anyone asks.",
                bytes_saved=saving,
                severity=Severity.SERIOUS,
                muted=False,
            )
