"""language-of-parts: passages in another writing system than the page's language are marked with lang."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from bs4 import NavigableString, Tag
from bs4.element import PreformattedString

from empathy_audit.audits.accname import NOT_RENDERED_ELEMENTS, attr_text, is_hidden, normalise
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Outcome, Persona, Severity
from empathy_audit.audits.registry import check
from empathy_audit.audits.static._describe import shorten
from empathy_audit.audits.static.html_lang_valid import is_valid_lang, primary_subtag

#: Writing systems of page languages. Latin is never flagged (telling French from English needs language
#: detection, not scripts), so Latin-script languages map to an empty set plus Latin.
LANGUAGE_SCRIPTS: dict[str, frozenset[str]] = {
    **{code: frozenset() for code in (
        "en af az bs ca cs cy da de eo es et eu fi fil fo fr ga gd gl ha haw hr hu id ig is it jv la lb lt lv mg "
        "mi ms mt nb nl nn no oc om pl pt qu rm ro rw sk sl sm so sq sv sw tk tl to tr uz vi wo xh yo zu").split()},
    **{code: frozenset({"CYRILLIC"}) for code in "ru uk be bg mk sr kk ky mn tg ba tt cv ce os sah".split()},
    "el": frozenset({"GREEK"}),
    **{code: frozenset({"ARABIC"}) for code in "ar fa ur ps sd ug ckb".split()},
    **{code: frozenset({"HEBREW"}) for code in "he iw yi ji".split()},
    "zh": frozenset({"CJK"}),
    "ja": frozenset({"CJK", "HIRAGANA", "KATAKANA"}),
    "ko": frozenset({"HANGUL", "CJK"}),
    "th": frozenset({"THAI"}),
    **{code: frozenset({"DEVANAGARI"}) for code in "hi mr ne sa kok mai bho".split()},
    **{code: frozenset({"BENGALI"}) for code in "bn as".split()},
    "ka": frozenset({"GEORGIAN"}),
    "hy": frozenset({"ARMENIAN"}),
    "ta": frozenset({"TAMIL"}),
    "te": frozenset({"TELUGU"}),
    "kn": frozenset({"KANNADA"}),
    "ml": frozenset({"MALAYALAM"}),
    "gu": frozenset({"GUJARATI"}),
    "pa": frozenset({"GURMUKHI"}),
    "si": frozenset({"SINHALA"}),
    "km": frozenset({"KHMER"}),
    "lo": frozenset({"LAO"}),
    "my": frozenset({"MYANMAR"}),
    **{code: frozenset({"ETHIOPIC"}) for code in "am ti".split()},
    **{code: frozenset({"TIBETAN"}) for code in "bo dz".split()},
}
#: Scripts detected, by the first matching word of a character's Unicode name.
SCRIPTS = (
    "CYRILLIC", "GREEK", "ARABIC", "HEBREW", "CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI", "DEVANAGARI",
    "BENGALI", "GEORGIAN", "ARMENIAN", "TAMIL", "TELUGU", "KANNADA", "MALAYALAM", "GUJARATI", "GURMUKHI", "SINHALA",
    "KHMER", "LAO", "MYANMAR", "ETHIOPIC", "TIBETAN",
)
_SCRIPT_NAMES = {
    "CYRILLIC": "Cyrillic", "GREEK": "Greek", "ARABIC": "Arabic", "HEBREW": "Hebrew", "CJK": "Chinese characters",
    "HIRAGANA": "Japanese kana", "KATAKANA": "Japanese kana", "HANGUL": "Korean Hangul", "THAI": "Thai",
    "DEVANAGARI": "Devanagari", "BENGALI": "Bengali", "GEORGIAN": "Georgian", "ARMENIAN": "Armenian",
    "TAMIL": "Tamil", "TELUGU": "Telugu", "KANNADA": "Kannada", "MALAYALAM": "Malayalam", "GUJARATI": "Gujarati",
    "GURMUKHI": "Gurmukhi", "SINHALA": "Sinhala", "KHMER": "Khmer", "LAO": "Lao", "MYANMAR": "Myanmar",
    "ETHIOPIC": "Ethiopic", "TIBETAN": "Tibetan",
}
#: Scripts written without spaces between words: thresholds count characters, not words.
UNSPACED = frozenset({"CJK", "HIRAGANA", "KATAKANA", "THAI", "KHMER", "LAO", "MYANMAR", "TIBETAN"})
#: A run fails at this size (alphabetic: words and letters; unspaced: characters) and is reviewed from the lower.
FAIL_WORDS, FAIL_LETTERS, REVIEW_WORDS, REVIEW_LETTERS = 3, 15, 2, 8
FAIL_CHARS_UNSPACED, REVIEW_CHARS_UNSPACED = 8, 3

_BLOCKS = frozenset(
    """
    address article aside blockquote body caption dd details dialog div dl dt fieldset figcaption figure footer form
    h1 h2 h3 h4 h5 h6 header hgroup li legend main nav ol option p pre section summary table td th ul button label
    """.split()
)
_SKIP = frozenset({"svg", "math", "code", "kbd", "samp", "var"})


@lru_cache(maxsize=4096)
def script_of(ch: str) -> str | None:
    """The script of a letter (a key of _SCRIPT_NAMES, or 'LATIN', or 'OTHER'); None for non-letters and marks."""
    if not ch.isalpha():
        return None
    if ch.isascii():
        return "LATIN"
    name = unicodedata.name(ch, "")
    for word in name.replace("-", " ").split():
        if word in SCRIPTS:
            return word
        if word in ("LATIN", "FULLWIDTH"):
            return "LATIN" if word == "LATIN" or "LATIN" in name else None
    if "KATAKANA" in name:
        return "KATAKANA"
    if "IDEOGRAPH" in name:
        return "CJK"
    return "OTHER"


@dataclass
class Run:
    script: str
    text: str
    letters: int
    words: int


def foreign_runs(text: str, allowed: frozenset[str]) -> list[Run]:
    """Runs of letters in one script outside `allowed` (and not Latin), spaces and punctuation included."""
    runs: list[Run] = []
    current: str | None = None
    start = letters = 0
    end = 0

    def close() -> None:
        if current is not None:
            chunk = text[start:end]
            # a word has two letters or more: lone letters (α, β, Δ) are symbols in science and maths
            words = sum(1 for token in chunk.split() if sum(1 for ch in token if script_of(ch) == current) >= 2)
            runs.append(Run(current, chunk, letters, words))

    for i, ch in enumerate(text):
        script = script_of(ch)
        if script is None:
            continue  # spaces, digits, punctuation, marks continue a run
        if script == current:
            letters += 1
            end = i + 1
            continue
        close()
        if script in ("LATIN", "OTHER") or script in allowed:
            current = None
        else:
            current, start, end, letters = script, i, i + 1, 1
    close()
    return runs


def verdict(run: Run) -> Outcome | None:
    if run.script in UNSPACED:
        if run.letters >= FAIL_CHARS_UNSPACED:
            return Outcome.FAIL
        return Outcome.REVIEW if run.letters >= REVIEW_CHARS_UNSPACED else None
    if run.words >= FAIL_WORDS and run.letters >= FAIL_LETTERS:
        return Outcome.FAIL
    if run.words >= REVIEW_WORDS or run.letters >= REVIEW_LETTERS:
        return Outcome.REVIEW
    return None


def _hidden_itself(el: Tag) -> bool:
    """hidden, aria-hidden="true" or an inline display:none on the element itself."""
    if el.has_attr("hidden") or (attr_text(el, "aria-hidden") or "").strip().lower() == "true":
        return True
    return "display:none" in (attr_text(el, "style") or "").replace(" ", "").lower()


def _owner(node: NavigableString, html: Tag) -> Tag | None:
    """The block element a text node belongs to, or None when it is skipped (inside an element with its own
    lang, hidden, not rendered, code or SVG)."""
    block = None
    for parent in node.parents:
        if parent is html or parent.name == "[document]":
            break
        if parent.name in NOT_RENDERED_ELEMENTS or parent.name in _SKIP or _hidden_itself(parent):
            return None
        if parent.has_attr("lang") or parent.has_attr("xml:lang"):
            return None  # marked: a wrong or invalid value is valid-lang's business, not this check's
        if block is None and parent.name in _BLOCKS:
            block = parent
    return block


@check(
    id="language-of-parts",
    title="Passages in another language are marked with lang",
    failure_title="Passages in another language are not marked with lang",
    severity=Severity.SERIOUS,
    wcag=("3.1.2",),
    personas=(Persona.SCREEN_READER, Persona.COGNITIVE),
    how_to_fix='Wrap the passage in an element with its language: <span lang="ru">…</span>, <blockquote lang="ja">; '
    "language names in a language menu too (<a lang=\"el\" hreflang=\"el\">Ελληνικά</a>).",
)
def language_of_parts(page: StaticPage) -> Iterator[Finding]:
    """What it checks: visible text in a writing system that the page's language does not use (Cyrillic, Greek,
    Arabic, Hebrew, Chinese characters, kana, Hangul, Thai, Devanagari and other Indic scripts, Georgian,
    Armenian, Ethiopic...) with no `lang` on any element between it and `<html>`: Cyrillic in an `en` page,
    Hangul in a `ja` page. Runs of one script are measured across spaces and punctuation, per block element
    (paragraph, list item, cell...); a word needs two letters (lone letters like α or Δ are symbols). A run of
    three words and 15 letters or more (8 characters in scripts written without spaces) fails; from two words or
    8 letters (3 characters unspaced) it is reviewed, since WCAG exempts proper names and technical terms;
    single short words are ignored. Latin text is never judged (telling French
    from English needs language detection), nor is text in code, SVG or MathML. Pages without a valid lang, or in
    a language whose script is not listed in LANGUAGE_SCRIPTS, are skipped.
    Who it affects: screen readers read the passage with the page language's voice, which spells it out letter
    by letter, mangles it or skips it; braille displays show the wrong contractions.
    How to fix: `<p>Our Kyiv café says <span lang="uk">Ласкаво просимо</span>.</p>`.
    References: WCAG 3.1.2 Language of Parts (technique H58); Unicode Standard Annex #24 (scripts); HTML "The lang
    and xml:lang attributes".
    """
    html = page.soup.find("html")
    if html is None:
        return
    lang = normalise(attr_text(html, "lang") or attr_text(html, "xml:lang"))
    if not lang or not is_valid_lang(lang):
        return
    allowed = LANGUAGE_SCRIPTS.get(primary_subtag(lang))
    if allowed is None:
        return
    body = page.soup.body
    if body is None:
        return
    texts: dict[int, tuple[Tag, list[str]]] = {}
    for node in body.find_all(string=True):
        if isinstance(node, PreformattedString) or node.isascii():  # str.isascii: no non-ASCII character
            continue
        owner = _owner(node, html)
        if owner is None:
            continue
        texts.setdefault(id(owner), (owner, []))[1].append(str(node))
    for owner, parts in texts.values():
        if is_hidden(owner):
            continue
        runs = [(verdict(r), r) for r in foreign_runs(" ".join(parts), allowed)]
        runs = [(v, r) for v, r in runs if v is not None]
        if not runs:
            continue
        outcome, run = max(runs, key=lambda vr: (vr[0] == Outcome.FAIL, vr[1].letters))
        script = _SCRIPT_NAMES.get(run.script, run.script.title())
        snippet = shorten(normalise(run.text), 50)
        if outcome == Outcome.FAIL:
            message = (f"Screen readers read “{snippet}” ({script}) with the voice of the page's language “{lang}”: "
                       "no lang attribute says which language it is.")
        else:
            message = (f"The text “{snippet}” is in {script}, not the page's language “{lang}”, and has no lang "
                       "attribute. Check whether it is a name or term (exempt) or a passage screen readers should switch "
                       "voice for.")
        yield page.finding(owner, message, outcome=outcome, script=script, text=normalise(run.text)[:200])
