"""Plain words for the report: persona names, numbers, and where a check's own words are found.

The task a check gets in the way of and how it hurts each persona (IMPACT.md 3.3 and section 4) belong to the
check (its @check metadata) or, for axe-core's rules, to audits.browser.axe_map. Everything here is our own text:
crawled text never goes into these tables.
"""

from __future__ import annotations

from empathy_audit.audits.browser import axe_map
from empathy_audit.audits.model import Check, Persona

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

DEFAULT_TASK = "using the page"  # the task of a check that names none (Check.task)
BANDWIDTH_TASK = "loading the page"  # a fix scored by the bytes it saves whose check is not known here


def task_of(check_id: str, check: Check | None) -> str:
    """The task a check gets in the way of (IMPACT.md 3.3): its own words, else axe-core's rule table's."""
    return (check.task if check else "") or axe_map.rule_task(check_id) or DEFAULT_TASK


def how(check_id: str, check: Check | None, persona: Persona, fallback: str) -> str:
    """How the check hurts `persona` (IMPACT.md section 4): its own words, else axe-core's rule table's, else
    `fallback` (the check's failure title)."""
    return (check.how_for(persona) if check else None) or axe_map.rule_how(check_id, persona) or fallback


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


def ratio_label(r: float) -> str:
    """A contrast ratio: '4.5:1', '2.85:1'."""
    return f"{r:.2f}".rstrip("0").rstrip(".") + ":1"


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
