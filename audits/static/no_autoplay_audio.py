"""no-autoplay-audio: audio and video do not start playing sound by themselves."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.accname import is_inert_container
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Outcome, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="no-autoplay-audio",
    title="Media does not play sound automatically",
    failure_title="Media plays sound automatically",
    severity=Severity.SERIOUS,
    wcag=("1.4.2",),
    personas=(Persona.SCREEN_READER, Persona.COGNITIVE),
    how_to_fix="Remove autoplay, or add muted (and let visitors unmute); if sound must start by itself, stop it "
    "within 3 seconds or put a pause or mute button first on the page.",
    roles={Persona.SCREEN_READER: "P", Persona.COGNITIVE: "S", Persona.DEAF: "M"},  # IMPACT.md section 4
)
def no_autoplay_audio(page: StaticPage) -> Iterator[Finding]:
    """What it checks: from the accessibility angle (bandwidth is media-autoplay's concern), `<audio>` and
    `<video>` elements with `autoplay` and without `muted`, hidden ones included, since hidden audio still plays.
    Reported as needs review, as axe-core does when it cannot measure the duration: WCAG allows sound that stops
    within 3 seconds or that the visitor can pause or mute from a control near the start of the page, and a
    video may have no sound track at all. The evidence says whether the element loops and has native controls.
    Who it affects: screen-reader users cannot hear their screen reader over the sound, and cannot find the
    control to stop it; visitors with attention or cognitive disabilities are distracted.
    How to fix: `<video autoplay muted loop playsinline>` for decorative motion, or no autoplay for anything with
    sound.
    References: WCAG 1.4.2 Audio Control (failure F23; technique G170, G171); axe-core rule no-autoplay-audio;
    ACT rules 80f0bf, 4c31df, aaa1bf.
    """
    for media in page.soup.find_all(["audio", "video"]):
        if is_inert_container(media) or not media.has_attr("autoplay") or media.has_attr("muted"):
            continue
        facts = []
        facts.append("it loops" if media.has_attr("loop") else "it does not loop")
        facts.append("it shows the browser's controls" if media.has_attr("controls") else "it has no controls")
        yield page.finding(
            media,
            f"This {media.name} starts by itself and is not muted ({', '.join(facts)}): its sound would drown out "
            "screen readers. Check that it is silent, stops within 3 seconds, or can be paused from the start of "
            "the page.",
            outcome=Outcome.REVIEW,
            loop=media.has_attr("loop"),
            controls=media.has_attr("controls"),
        )
