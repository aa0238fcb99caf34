"""video-caption: videos with sound have a captions track."""

from __future__ import annotations

from typing import Iterator
from urllib.parse import urlsplit

from bs4 import Tag

from empathy_audit.audits.accname import attr_text, is_hidden, is_inert_container
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Outcome, Persona, Severity
from empathy_audit.audits.registry import check

_STREAMING = (".m3u8", ".mpd")


def track_kinds(media: Tag) -> list[str]:
    """The kinds of the media element's own <track> children with a src ("subtitles" when kind is missing or
    invalid, as HTML says)."""
    kinds = []
    for track in media.find_all("track"):
        if track.find_parent(["video", "audio"]) is not media or not (attr_text(track, "src") or "").strip():
            continue
        kind = (attr_text(track, "kind") or "").strip().lower()
        kinds.append(kind if kind in ("subtitles", "captions", "descriptions", "chapters", "metadata") else "subtitles")
    return kinds


def _sources(media: Tag) -> list[str]:
    srcs = [attr_text(media, "src") or ""]
    srcs += [attr_text(s, "src") or "" for s in media.find_all("source")]
    return [s.strip() for s in srcs if s and s.strip()]


@check(
    id="video-caption",
    title="Videos have captions",
    failure_title="Videos have no captions",
    severity=Severity.CRITICAL,
    wcag=("1.2.2",),
    personas=(Persona.DEAF, Persona.COGNITIVE),
    how_to_fix='Add <track kind="captions" src="film.en.vtt" srclang="en" label="English"> with the dialogue and '
    "the meaningful sounds; burned-in (open) captions also satisfy WCAG.",
    task="following videos",
    how={
        Persona.DEAF: "The video has no captions.",
    },
    roles={Persona.DEAF: "P"},  # IMPACT.md section 4
)
def video_caption(page: StaticPage) -> Iterator[Finding]:
    """What it checks: every `<video>` a visitor can hear (not hidden, and not `muted` without `controls`, which
    makes its sound unreachable) has a `<track kind="captions">` with a `src`. Reported as needs review, as
    axe-core does: static HTML cannot tell whether the video has speech or meaningful sound, whether captions are
    burned into the picture, or whether a streaming manifest (HLS .m3u8, DASH .mpd) carries them in-band. A video
    with only `kind="subtitles"` tracks (also the default kind) is reviewed too: subtitles translate the dialogue
    for hearing viewers; captions also describe sounds.
    Who it affects: deaf and hard-of-hearing visitors miss everything said or heard; so do visitors in a quiet
    office or a noisy street, and people who understand better when they can read along.
    How to fix: write a WebVTT captions file with speaker names and sound cues ("[door slams]"), reference it with
    `<track kind="captions" srclang="en" label="English" default>`.
    References: WCAG 1.2.2 Captions (Prerecorded) (techniques G87, G93, H95); HTML "The track element"; axe-core
    rule video-caption; ACT rule eac66b.
    """
    for video in page.soup.find_all("video"):
        if is_inert_container(video) or is_hidden(video):
            continue
        if video.has_attr("muted") and not video.has_attr("controls"):
            continue
        kinds = track_kinds(video)
        if "captions" in kinds:
            continue
        streaming = any(urlsplit(s).path.lower().endswith(_STREAMING) for s in _sources(video))
        if "subtitles" in kinds:
            why = "it has subtitle tracks but no captions track (subtitles leave out sounds)"
        elif streaming:
            why = "it has no captions track; its streaming source may carry captions in-band"
        else:
            why = "it has no captions track"
        yield page.finding(
            video,
            f"Deaf and hard-of-hearing visitors may miss what this video says: {why}. Check whether it has speech "
            "or meaningful sound and, if so, whether captions are burned in or provided.",
            outcome=Outcome.REVIEW,
            tracks=kinds,
        )
