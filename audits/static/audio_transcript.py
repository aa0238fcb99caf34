"""audio-transcript: audio recordings have a transcript nearby."""

from __future__ import annotations

from typing import Iterator

from bs4 import Tag

from empathy_audit.audits.accname import accessible_name, idrefs, is_hidden, is_inert_container, visible_text
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Outcome, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._wording import fold, phrase_pattern

#: Words that name a transcript or text version, by language.
TRANSCRIPT_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("transcript", "transcripts", "transcription", "text version", "text alternative", "show notes in full"),
    "fr": ("transcription", "transcriptions", "version texte", "version textuelle", "texte intégral"),
    "de": ("transkript", "transkription", "abschrift", "textversion", "mitschrift", "text zum nachlesen"),
    "es": ("transcripción", "transcripciones", "versión en texto", "versión de texto", "versión textual"),
    "nl": ("transcript", "transcriptie", "uitgeschreven tekst", "tekstversie", "tekstuele versie"),
    "it": ("trascrizione", "trascrizioni", "versione testuale", "versione di testo"),
    "pt": ("transcrição", "transcrições", "versão em texto", "versão textual"),
}
_TRANSCRIPT = phrase_pattern(w for words in TRANSCRIPT_WORDS.values() for w in words)
_NEARBY = ("figure", "section", "article", "aside", "li", "main")


def _nearby(media: Tag) -> Tag | None:
    """The nearest figure, section, article, aside, list item or main around the media element, else <body>."""
    for parent in media.parents:
        if parent.name in _NEARBY:
            return parent
        if parent.name == "body":
            return parent
    return None


def has_transcript(media: Tag) -> bool:
    """True when text or a link naming a transcript is near `media`, or it points at a description."""
    for attr in ("aria-describedby", "aria-details"):
        for target in idrefs(media, attr):
            if visible_text(target):
                return True
    container = _nearby(media)
    if container is None:
        return False
    if _TRANSCRIPT.search(fold(visible_text(container))):
        return True
    return any(_TRANSCRIPT.search(fold(accessible_name(a))) for a in container.find_all("a", href=True))


@check(
    id="audio-transcript",
    title="Audio has a transcript",
    failure_title="Audio has no transcript",
    severity=Severity.SERIOUS,
    wcag=("1.2.1",),
    personas=(Persona.DEAF, Persona.COGNITIVE, Persona.SLOW_CONNECTION),
    how_to_fix="Publish a text transcript of the recording (who speaks, what is said, meaningful sounds) on the "
    "same page or link to it right next to the player.",
)
def audio_transcript(page: StaticPage) -> Iterator[Finding]:
    """What it checks: every `<audio>` element that is not hidden has, in the figure, section, article, list
    item or main region around it (or anywhere in <body> when it has none of those), a text or a link naming
    a transcript or text version in one of the languages of TRANSCRIPT_WORDS, or an `aria-describedby` /
    `aria-details` pointing at text. Reported as needs review: the transcript may be worded differently, and
    a recording with no speech (music, a jingle) needs none.
    Who it affects: deaf and hard-of-hearing visitors get nothing from a podcast or interview without its text;
    visitors on slow or metered connections can read instead of downloading it.
    How to fix: `<audio controls src="ep12.mp3"></audio> <a href="ep12-transcript.html">Read the transcript
    of episode 12</a>`.
    References: WCAG 1.2.1 Audio-only and Video-only (Prerecorded) (technique G158); W3C WAI "Transcripts".
    """
    for audio in page.soup.find_all("audio"):
        if is_inert_container(audio) or is_hidden(audio):
            continue
        if has_transcript(audio):
            continue
        yield page.finding(
            audio,
            "Deaf and hard-of-hearing visitors get nothing from this recording unless a transcript exists: none is "
            "named near the player. Check whether it has speech and where its text version is.",
            outcome=Outcome.REVIEW,
        )
