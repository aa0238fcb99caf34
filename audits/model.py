"""Typed records shared by every check: severities, personas, check metadata and findings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Callable


class Severity(StrEnum):
    """How badly a barrier hurts the people it affects (axe-core's impact scale, defined in docs/checks.md)."""

    CRITICAL = "critical"  # blocks a task outright for the personas affected
    SERIOUS = "serious"  # a task is very hard or needs a workaround
    MODERATE = "moderate"  # friction, confusion, extra effort
    MINOR = "minor"  # an annoyance

    @property
    def rank(self) -> int:
        """Higher is worse: critical 4 ... minor 1."""
        return {"critical": 4, "serious": 3, "moderate": 2, "minor": 1}[self.value]


class Persona(StrEnum):
    """The visitors a barrier hurts. Codes and default shares are in ../shared/design/IMPACT.md section 1.11."""

    SCREEN_READER = "screen-reader"
    LOW_VISION = "low-vision"
    COLOUR_VISION = "colour-vision"
    KEYBOARD = "keyboard"
    SLOW_CONNECTION = "slow-connection"
    PREPAID_DATA = "prepaid-data"
    DEAF = "deaf-hard-of-hearing"
    COGNITIVE = "cognitive"
    MOTOR = "motor"
    EVERYONE = "everyone"

    @property
    def label(self) -> str:
        return PERSONA_LABELS[self]


PERSONA_LABELS: dict[Persona, str] = {
    Persona.SCREEN_READER: "Blind and screen-reader users",
    Persona.LOW_VISION: "Low-vision visitors (zoom, magnifier, high contrast)",
    Persona.COLOUR_VISION: "Visitors with colour-vision deficiency",
    Persona.KEYBOARD: "Keyboard, switch and voice-control users",
    Persona.SLOW_CONNECTION: "Visitors on slow mobile connections",
    Persona.PREPAID_DATA: "Visitors on prepaid or metered data",
    Persona.DEAF: "Deaf and hard-of-hearing visitors",
    Persona.COGNITIVE: "Visitors with cognitive or learning disabilities",
    Persona.MOTOR: "Visitors with motor impairments",
    Persona.EVERYONE: "Every visitor",
}


class Outcome(StrEnum):
    """What a finding says. Only FAIL counts as a failure; REVIEW is never a failure nor a pass."""

    FAIL = "fail"
    REVIEW = "needs-review"
    ERROR = "error"  # the check itself could not run: never read as a pass


_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_WCAG_RE = re.compile(r"^[1-4]\.[1-9]\.[1-9][0-9]?$")
_ACT_RE = re.compile(r"^[0-9a-z]{6}$")


ROLES = ("P", "S", "M")  # how much a persona is hurt (IMPACT.md section 4): primary, secondary, minor mention


@dataclass(frozen=True)
class Check:
    """Declared metadata of one check plus the function that runs it.

    Besides what docs/checks.md lists, a check carries the words and harm model the report uses for it, so that no
    code elsewhere is keyed by its id: the task it gets in the way of, how it hurts each persona, each persona's
    role, the share of a page's visitors who meet it, and how its fixes group.
    """

    id: str
    title: str  # the passing condition: "Images have a text alternative"
    failure_title: str  # what a visitor meets: "Images have no text alternative"
    kind: str  # the name of its family (audits.families.Family.name): "static", "browser", ...
    severity: Severity
    wcag: tuple[str, ...]  # success criteria, e.g. ("1.1.1",); empty for best practices
    personas: tuple[Persona, ...]  # first is the persona hurt most
    func: Callable[..., Any] = field(compare=False, repr=False)
    how_to_fix: str = ""
    best_practice: bool = False
    doc: str = ""
    # The task it gets in the way of (IMPACT.md 3.3: "Blocks {task}") when the page or form gives no key task;
    # empty: the report's generic words.
    task: str = ""
    # How it hurts each persona, one plain sentence each (IMPACT.md section 4); a persona left out gets the
    # failure title.
    how: tuple[tuple[Persona, str], ...] = ()
    # Each persona's role for the harm model (P, S or M, IMPACT.md section 4), most hurt first; empty: the first
    # of `personas` is P and the others S.
    roles: tuple[tuple[Persona, str], ...] = ()
    # Share of a page's visits that meet the barrier at all (the X of reports.scoring): 1 for what is on the page,
    # less for what only the visitors who follow a link meet.
    exposure: float = 1.0
    # One colour change fixes it wherever the same colour pair appears: its fixes group by the pair and its harm
    # follows the contrast ratio (IMPACT.md 3.1).
    colour_pair: bool = False
    # A page's byte budget: --fail-on-budget fails on it, and its bytes are the page's bytes no file fix saves.
    budget: bool = False
    # The W3C ACT rules it implements (ids like "23a2a8"), alone or with others: tests/act runs their test cases
    # against it. axe's rules declare theirs in axe-core (actIds); ours declare them here.
    act: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not _ID_RE.match(self.id):
            raise ValueError(f"check id {self.id!r} is not kebab-case")
        if not _ID_RE.match(self.kind):
            raise ValueError(f"check {self.id}: family {self.kind!r} is not a kebab-case family name")
        for sc in self.wcag:
            if not _WCAG_RE.match(sc):
                raise ValueError(f"check {self.id}: {sc!r} is not a WCAG success criterion like 1.1.1")
        if not self.personas:
            raise ValueError(f"check {self.id}: declare at least one persona")
        if not self.wcag and not self.best_practice:
            raise ValueError(f"check {self.id}: give WCAG criteria or mark it best_practice")
        for persona, text in self.how:
            if not isinstance(persona, Persona) or not text.strip():
                raise ValueError(f"check {self.id}: `how` maps a Persona to a sentence")
        for persona, role in self.roles:
            if not isinstance(persona, Persona) or role not in ROLES:
                raise ValueError(f"check {self.id}: `roles` maps a Persona to one of {ROLES}")
        for rule in self.act:
            if not _ACT_RE.match(rule):
                raise ValueError(f"check {self.id}: {rule!r} is not a W3C ACT rule id like 23a2a8")
        if not 0.0 < self.exposure <= 1.0:
            raise ValueError(f"check {self.id}: exposure is a share of visits, above 0 and at most 1")

    def how_for(self, persona: Persona) -> str | None:
        """How it hurts `persona`, when the check says."""
        return next((text for p, text in self.how if p is persona), None)

    def persona_roles(self) -> list[tuple[Persona, str]]:
        """(persona, role) for the harm model: the declared roles, else P for the first persona and S for the rest."""
        if self.roles:
            return list(self.roles)
        return [(p, "P" if i == 0 else "S") for i, p in enumerate(self.personas)]

    @property
    def wcag_links(self) -> list[tuple[str, str]]:
        return [(sc, wcag_url(sc)) for sc in self.wcag]


# WCAG 2.2 success criteria by number -> the slug of their "Understanding" page.
WCAG_SLUGS: dict[str, str] = {
    "1.1.1": "non-text-content",
    "1.2.1": "audio-only-and-video-only-prerecorded",
    "1.2.2": "captions-prerecorded",
    "1.2.3": "audio-description-or-media-alternative-prerecorded",
    "1.2.5": "audio-description-prerecorded",
    "1.3.1": "info-and-relationships",
    "1.3.2": "meaningful-sequence",
    "1.3.4": "orientation",
    "1.3.5": "identify-input-purpose",
    "1.4.1": "use-of-color",
    "1.4.2": "audio-control",
    "1.4.3": "contrast-minimum",
    "1.4.4": "resize-text",
    "1.4.5": "images-of-text",
    "1.4.6": "contrast-enhanced",
    "1.4.8": "visual-presentation",
    "1.4.9": "images-of-text-no-exception",
    "1.4.10": "reflow",
    "1.4.11": "non-text-contrast",
    "1.4.12": "text-spacing",
    "1.4.13": "content-on-hover-or-focus",
    "2.1.1": "keyboard",
    "2.1.2": "no-keyboard-trap",
    "2.1.3": "keyboard-no-exception",
    "2.1.4": "character-key-shortcuts",
    "2.2.1": "timing-adjustable",
    "2.2.2": "pause-stop-hide",
    "2.2.4": "interruptions",
    "2.4.1": "bypass-blocks",
    "2.4.2": "page-titled",
    "2.4.3": "focus-order",
    "2.4.4": "link-purpose-in-context",
    "2.4.6": "headings-and-labels",
    "2.4.7": "focus-visible",
    "2.4.9": "link-purpose-link-only",
    "2.4.11": "focus-not-obscured-minimum",
    "2.5.3": "label-in-name",
    "2.5.8": "target-size-minimum",
    "3.1.1": "language-of-page",
    "3.1.2": "language-of-parts",
    "3.2.4": "consistent-identification",
    "3.2.5": "change-on-request",
    "3.3.1": "error-identification",
    "3.3.2": "labels-or-instructions",
    "4.1.1": "parsing",
    "4.1.2": "name-role-value",
    "4.1.3": "status-messages",
}


def wcag_url(sc: str) -> str:
    slug = WCAG_SLUGS.get(sc)
    if slug:
        return f"https://www.w3.org/WAI/WCAG22/Understanding/{slug}.html"
    return "https://www.w3.org/WAI/WCAG22/quickref/"


@dataclass
class Finding:
    """One element (or page) that fails one check on one page."""

    check_id: str
    url: str
    selector: str  # CSS selector path of the element; "html" for page-level findings
    snippet: str  # short HTML of the element, untrusted: escape when shown
    message: str  # what the visitor meets, in plain words
    severity: Severity
    outcome: Outcome = Outcome.FAIL
    sources: tuple[str, ...] = ("static",)  # engines that saw it (a family's source, or "axe"); runner sets it
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "check_id": self.check_id,
            "url": self.url,
            "selector": self.selector,
            "snippet": self.snippet,
            "message": self.message,
            "severity": str(self.severity),
            "outcome": str(self.outcome),
            "sources": list(self.sources),
            "data": self.data,
        }
