"""Plain words for the report: persona names, the task each check gets in the way of, how it hurts each persona.

Phrases follow IMPACT.md 3.3 (task per rule) and section 4 ("how it hurts", one line per rule). Everything here
is our own text: crawled text never goes into these tables.
"""

from __future__ import annotations

from audits.model import Persona

# Who, in the one-line reason ("for screen-reader users").
PERSONA_WORDS: dict[Persona, str] = {
    Persona.SCREEN_READER: "screen-reader users",
    Persona.LOW_VISION: "low-vision visitors",
    Persona.COLOUR_VISION: "colour-blind visitors",
    Persona.KEYBOARD: "keyboard-only visitors",
    Persona.SLOW_CONNECTION: "visitors on slow mobile connections",
    Persona.PREPAID_DATA: "visitors on prepaid data",
    Persona.DEAF: "deaf and hard-of-hearing visitors",
    Persona.COGNITIVE: "visitors with cognitive disabilities",
    Persona.MOTOR: "visitors with motor impairments",
    Persona.EVERYONE: "every visitor",
}

# One view per persona: "What a screen-reader user meets on this site".
PERSONA_SINGULAR: dict[Persona, str] = {
    Persona.SCREEN_READER: "a screen-reader user",
    Persona.LOW_VISION: "a low-vision visitor",
    Persona.COLOUR_VISION: "a colour-blind visitor",
    Persona.KEYBOARD: "a keyboard-only visitor",
    Persona.SLOW_CONNECTION: "a visitor on a slow mobile connection",
    Persona.PREPAID_DATA: "a visitor on prepaid data",
    Persona.DEAF: "a deaf or hard-of-hearing visitor",
    Persona.COGNITIVE: "a visitor with a cognitive disability",
    Persona.MOTOR: "a visitor with a motor impairment",
    Persona.EVERYONE: "any visitor",
}

# Order of the persona views and of the chart.
PERSONA_ORDER: tuple[Persona, ...] = (
    Persona.SCREEN_READER,
    Persona.LOW_VISION,
    Persona.COLOUR_VISION,
    Persona.KEYBOARD,
    Persona.SLOW_CONNECTION,
    Persona.DEAF,
    Persona.COGNITIVE,
    Persona.MOTOR,
    Persona.EVERYONE,
)

# Task a check gets in the way of (IMPACT.md 3.3), when the page or form gives no key task.
TASKS: dict[str, str] = {
    "image-alt": "understanding images",
    "input-image-alt": "using image buttons",
    "area-alt": "choosing image-map links",
    "role-img-alt": "understanding images",
    "svg-img-alt": "understanding images",
    "object-alt": "understanding embedded content",
    "label": "filling in forms",
    "select-name": "choosing options",
    "link-name": "choosing links",
    "button-name": "using buttons",
    "input-button-name": "using buttons",
    "color-contrast": "reading text",
    "link-in-text-block": "spotting links",
    "html-has-lang": "hearing text in the right language",
    "html-lang-valid": "hearing text in the right language",
    "valid-lang": "hearing text in the right language",
    "heading-order": "navigating by headings",
    "page-has-heading-one": "finding the main heading",
    "empty-heading": "navigating by headings",
    "document-title": "knowing which page they are on",
    "bypass": "skipping to the main content",
    "meta-viewport": "zooming in",
    "meta-refresh": "reading before the page changes",
    "frame-title": "knowing what embedded content is",
    "video-caption": "following videos",
    "duplicate-id-aria": "filling in forms",
    "td-headers-attr": "reading tables",
    "th-has-data-cells": "reading tables",
    "empty-table-header": "reading tables",
    "tabindex": "moving through the page by keyboard",
    "aria-hidden-body": "reaching any content",
    "blink": "reading moving text",
    "marquee": "reading moving text",
    "broken-link": "following links",
    "target-size": "tapping controls",
    "nested-interactive": "using controls",
    "scrollable-region-focusable": "scrolling content by keyboard",
}
DEFAULT_TASK = "using the page"
MEDIA_TASK = "loading the page"  # every bandwidth (media) fix
ARIA_TASK = "using interactive controls"  # every aria-* rule without its own phrase

# How a check hurts each persona (IMPACT.md section 4, one line per rule). Missing pairs fall back to the check's
# failure title.
HOW: dict[tuple[str, Persona], str] = {
    ("image-alt", Persona.SCREEN_READER): "The image is skipped or its file name is read out.",
    ("image-alt", Persona.LOW_VISION): "No text shows in place of an image that fails to load or is hard to see.",
    ("image-alt", Persona.SLOW_CONNECTION): "While the image loads, or when it never does, nothing says what it shows.",
    ("input-image-alt", Persona.SCREEN_READER): "The image button is announced as just \"button\".",
    ("input-image-alt", Persona.KEYBOARD): "Voice-control users cannot say the button's name to press it.",
    ("area-alt", Persona.SCREEN_READER): "The image-map hotspot is a link with no name.",
    ("svg-img-alt", Persona.SCREEN_READER): "The icon or graphic is announced as \"image\" and nothing else.",
    ("role-img-alt", Persona.SCREEN_READER): "The graphic is announced as \"image\" and nothing else.",
    ("label", Persona.SCREEN_READER): "The field is read as \"edit text\" with no purpose.",
    ("label", Persona.KEYBOARD): "Voice-control users cannot name the field to move to it.",
    ("label", Persona.LOW_VISION): "Magnifier users cannot see which text belongs to the field.",
    ("select-name", Persona.SCREEN_READER): "The drop-down's purpose is not announced.",
    ("select-name", Persona.KEYBOARD): "Voice-control users cannot name the drop-down to open it.",
    ("button-name", Persona.SCREEN_READER): "An icon button is announced only as \"button\".",
    ("button-name", Persona.KEYBOARD): "Voice-control users cannot say the button's name to press it.",
    ("input-button-name", Persona.SCREEN_READER): "The button is announced with no name.",
    ("input-button-name", Persona.KEYBOARD): "Voice-control users cannot say the button's name to press it.",
    ("link-name", Persona.SCREEN_READER): "\"Link\" or a raw address is read; the list of links is useless.",
    ("link-name", Persona.KEYBOARD): "Voice-control users cannot name the link to follow it.",
    ("color-contrast", Persona.LOW_VISION): "The text is too faint to read; zooming does not add contrast.",
    ("color-contrast", Persona.COLOUR_VISION): "Text and background blur together for some colour pairs.",
    ("html-has-lang", Persona.SCREEN_READER):
        "The screen reader may read the page with the wrong voice and pronunciation.",
    ("html-lang-valid", Persona.SCREEN_READER):
        "The language given is not a real language code, so the voice may be wrong.",
    ("document-title", Persona.SCREEN_READER): "The first thing announced, the page's name, is missing.",
    ("document-title", Persona.LOW_VISION): "Tabs and history entries cannot be told apart.",
    ("document-title", Persona.COGNITIVE): "Nothing confirms which page this is.",
    ("heading-order", Persona.SCREEN_READER): "The outline of headings skips a level, so the structure seems broken.",
    ("page-has-heading-one", Persona.SCREEN_READER): "There is no main heading to jump to.",
    ("meta-viewport", Persona.LOW_VISION): "Pinch-zoom is switched off on phones.",
    ("frame-title", Persona.SCREEN_READER): "An unnamed frame: the user cannot tell whether to go in.",
    ("duplicate-id-aria", Persona.SCREEN_READER): "A label points at the wrong field, so fields are announced wrongly.",
    ("td-headers-attr", Persona.SCREEN_READER): "Table cells are read without their headers.",
    ("empty-table-header", Persona.SCREEN_READER): "A table header is announced with no text.",
    ("tabindex", Persona.KEYBOARD): "Focus jumps around the page in an unexpected order.",
    ("tabindex", Persona.SCREEN_READER): "Reading order and focus order disagree.",
    ("meta-refresh", Persona.SCREEN_READER): "The page reloads or moves away while it is being read.",
    ("aria-hidden-body", Persona.SCREEN_READER): "The whole page is hidden from assistive technology.",
    ("aria-valid-attr-value", Persona.SCREEN_READER): "A control's state is announced wrongly or not at all.",
    ("broken-link", Persona.EVERYONE): "The link leads to an error page.",
    ("blink", Persona.LOW_VISION): "Moving text cannot be paused long enough to read it.",
    ("marquee", Persona.LOW_VISION): "Moving text cannot be paused long enough to read it.",
    ("video-caption", Persona.DEAF): "The video has no captions.",
}


def task_of(check_id: str) -> str:
    if check_id in TASKS:
        return TASKS[check_id]
    if check_id.startswith("aria-"):
        return ARIA_TASK
    return DEFAULT_TASK


def how(check_id: str, persona: Persona, fallback: str) -> str:
    return HOW.get((check_id, persona), fallback)


def join_words(words: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if not words:
        return ""
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " and " + words[-1]


def number(n: float) -> str:
    """'1,234' for counts; '0.4' below 10 when not whole."""
    if n >= 10 or float(n).is_integer():
        return f"{round(n):,}"
    return f"{n:.1f}"


def percent(share: float) -> str:
    """'31%', '0.4%', '<0.1%'."""
    p = share * 100
    if p == 0:
        return "0%"
    if p < 0.1:
        return "<0.1%"
    if p < 10:
        return f"{p:.1f}".rstrip("0").rstrip(".") + "%"
    return f"{round(p)}%"


PER_VISITS = 10_000  # proxy numbers are given per this many visits, the same base everywhere so fixes compare


def per_visits(share: float) -> str:
    """A share of visits as 'N in every 10,000 visits' (one base for every fix, so they compare at a glance)."""
    n = share * PER_VISITS
    if n < 0.05:
        return f"fewer than 0.1 in every {PER_VISITS:,} visits"
    return f"{number(round(n, 1) if n < 10 else round(n))} in every {PER_VISITS:,} visits"


# What the confidence of a page's findings rests on (scoring.CONFIDENCE keys).
CONFIDENCE_WORDS: dict[str, str] = {
    "confirmed": "confirmed in the rendered page by axe-core",
    "page-level": "read from the page's HTML head, which styles and scripts do not change",
    "crawl": "an HTTP fact seen by the crawler",
    "media": "measured from the files the page downloads",
    "static": "seen in the HTML as served only: a stylesheet or script could change it, so it counts half until a "
              "browser audit confirms it",
    "needs-review": "the checker could not decide: it counts half until a person confirms it",
}

# A persona's harm level in words (PersonaHarm.level).
LEVEL_WORDS: dict[str, str] = {
    "blocks": "blocked",
    "serious": "seriously hindered",
    "moderate": "hindered",
    "minor": "slightly hindered",
}

# Short labels for the chart by persona (the table beside it gives the full labels).
CHART_LABELS: dict[str, str] = {
    "screen-reader": "Screen-reader users",
    "low-vision": "Low vision",
    "colour-vision": "Colour-vision deficiency",
    "keyboard": "Keyboard, switch, voice",
    "slow-connection": "Slow connections",
    "prepaid-data": "Prepaid data",
    "deaf-hard-of-hearing": "Deaf, hard of hearing",
    "cognitive": "Cognitive",
    "motor": "Motor",
    "everyone": "Every visitor",
}
