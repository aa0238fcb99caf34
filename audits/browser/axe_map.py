"""The one mapping table from axe-core to ours: impact -> Severity, tags -> WCAG criteria, rule -> personas, and
the report's words for axe's rules (the task each gets in the way of, how it hurts a persona).

axe-core's rules are not our checks: what our checks declare in their @check metadata, axe's rules get here, as
data. `rule_check` turns a rule and what axe reported about it into a Check for the report.

`findings_from_axe` is a pure function of the artifact `empathy_audit.audits.gather.axe.AxePage` (no browser), and
`merge_findings` keeps one finding per barrier when a static check and axe saw the same element.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any, Iterable

from empathy_audit.audits.model import Check, Finding, Outcome, Persona, Severity

# axe impact -> our Severity (the scales are the same; see docs/checks.md and audits.model.Severity).
IMPACT_TO_SEVERITY: dict[str, Severity] = {
    "critical": Severity.CRITICAL,
    "serious": Severity.SERIOUS,
    "moderate": Severity.MODERATE,
    "minor": Severity.MINOR,
}
DEFAULT_SEVERITY = Severity.MODERATE  # axe gave no impact (some "incomplete" results)

_CODES: dict[str, Persona] = {
    "SR": Persona.SCREEN_READER,
    "LV": Persona.LOW_VISION,
    "CVD": Persona.COLOUR_VISION,
    "KB": Persona.KEYBOARD,
    "SLOW": Persona.SLOW_CONNECTION,
    "DATA": Persona.PREPAID_DATA,
    "DHH": Persona.DEAF,
    "COG": Persona.COGNITIVE,
    "MOT": Persona.MOTOR,
}

# Rule id -> personas with their share: P primary, S secondary, M minor (IMPACT.md section 4). First = hurt most.
# Rules not listed default to screen-reader users (primary).
_PERSONA_TABLE = """
image-alt                      SR:P LV:M SLOW:M
input-image-alt                SR:P KB:S
area-alt                       SR:P
role-img-alt                   SR:P
svg-img-alt                    SR:P
object-alt                     SR:P
server-side-image-map          KB:P SR:S
color-contrast                 LV:P CVD:S
color-contrast-enhanced        LV:S
link-in-text-block             CVD:P LV:S
label                          SR:P KB:S LV:S
select-name                    SR:P
form-field-multiple-labels     SR:S
autocomplete-valid             COG:S MOT:S SR:M
button-name                    SR:P KB:S
input-button-name              SR:P
link-name                      SR:P KB:S
aria-command-name              SR:P
identical-links-same-purpose   SR:M
html-has-lang                  SR:P
html-lang-valid                SR:P
valid-lang                     SR:S
html-xml-lang-mismatch         SR:M
document-title                 SR:P LV:M COG:M
frame-title                    SR:S
frame-title-unique             SR:S
frame-focusable-content        KB:P
heading-order                  SR:S
page-has-heading-one           SR:S
empty-heading                  SR:M
empty-table-header             SR:M
landmark-one-main              SR:S KB:M
region                         SR:M
landmark-banner-is-top-level   SR:M
landmark-complementary-is-top-level SR:M
landmark-contentinfo-is-top-level   SR:M
landmark-main-is-top-level     SR:M
landmark-no-duplicate-banner   SR:M
landmark-no-duplicate-contentinfo SR:M
landmark-no-duplicate-main     SR:M
landmark-unique                SR:M
bypass                         KB:P SR:S
skip-link                      KB:S
tabindex                       KB:P SR:S
accesskeys                     KB:M SR:M
scrollable-region-focusable    KB:P
nested-interactive             SR:P KB:S
aria-hidden-focus              SR:P KB:S
aria-hidden-body               SR:P
aria-roles                     SR:P
aria-valid-attr                SR:P
aria-valid-attr-value          SR:P
aria-allowed-attr              SR:P
aria-required-attr             SR:P
aria-prohibited-attr           SR:S
aria-conditional-attr          SR:S
aria-required-children         SR:S
aria-required-parent           SR:S
aria-input-field-name          SR:P
aria-toggle-field-name         SR:P
aria-tooltip-name              SR:P
aria-progressbar-name          SR:P
aria-meter-name                SR:P
aria-treeitem-name             SR:P
aria-dialog-name               SR:S
duplicate-id-aria              SR:S
presentation-role-conflict     SR:M
list                           SR:M
listitem                       SR:M
dlitem                         SR:M
definition-list                SR:M
td-headers-attr                SR:S
th-has-data-cells              SR:S
image-redundant-alt            SR:M
video-caption                  DHH:P
meta-viewport                  LV:P
meta-viewport-large            LV:P
meta-refresh                   SR:P KB:S COG:S
meta-refresh-no-exceptions     SR:P KB:S COG:S
target-size                    MOT:P LV:S
blink                          LV:S COG:S
marquee                        LV:S COG:S
no-autoplay-audio              SR:P COG:S DHH:M
avoid-inline-spacing           LV:P COG:S
css-orientation-lock           MOT:P LV:S
"""


def _parse_table(text: str) -> dict[str, tuple[tuple[Persona, str], ...]]:
    table: dict[str, tuple[tuple[Persona, str], ...]] = {}
    for line in text.strip().splitlines():
        rule, *cells = line.split()
        table[rule] = tuple((_CODES[c.split(":")[0]], c.split(":")[1]) for c in cells)
    return table


AXE_PERSONAS: dict[str, tuple[tuple[Persona, str], ...]] = _parse_table(_PERSONA_TABLE)
DEFAULT_PERSONAS: tuple[tuple[Persona, str], ...] = ((Persona.SCREEN_READER, "P"),)

# Task each rule gets in the way of (IMPACT.md 3.3), for the rules that are not also one of our checks (those
# declare it in their @check). Every aria-* rule without its own phrase gets ARIA_TASK.
AXE_TASKS: dict[str, str] = {
    "object-alt": "understanding embedded content",
    "color-contrast": "reading text",
    "link-in-text-block": "spotting links",
    "empty-heading": "navigating by headings",
    "bypass": "skipping to the main content",
    "th-has-data-cells": "reading tables",
    "target-size": "tapping controls",
    "nested-interactive": "using controls",
}
ARIA_TASK = "using interactive controls"

# How a rule hurts each persona (IMPACT.md section 4), for the rules that are not also one of our checks.
AXE_HOW: dict[tuple[str, Persona], str] = {
    ("color-contrast", Persona.LOW_VISION): "The text is too faint to read; zooming does not add contrast.",
    ("color-contrast", Persona.COLOUR_VISION): "Text and background blur together for some colour pairs.",
    ("aria-valid-attr-value", Persona.SCREEN_READER): "A control's state is announced wrongly or not at all.",
}

# Contrast rules: one colour change fixes every place the same pair meets (IMPACT.md 3.1), so their fixes group by
# the (foreground, background, text size) axe reports, and their harm follows the contrast ratio.
COLOUR_RULES = frozenset({"color-contrast", "color-contrast-enhanced", "link-in-text-block"})


def rule_task(rule_id: str) -> str | None:
    if rule_id in AXE_TASKS:
        return AXE_TASKS[rule_id]
    return ARIA_TASK if rule_id.startswith("aria-") else None


def rule_how(rule_id: str, persona: Persona) -> str | None:
    return AXE_HOW.get((rule_id, persona))


def rule_roles(rule_id: str) -> tuple[tuple[Persona, str], ...] | None:
    return AXE_PERSONAS.get(rule_id)


_IMPACTS = ("critical", "serious", "moderate", "minor")
_SC = re.compile(r"^[1-4]\.\d+\.\d+$")


def rule_check(rule_id: str, data: dict[str, Any]) -> Check | None:
    """A Check for an axe rule that is not one of ours, from what axe reported about it (a finding's data) and the
    tables above; None when the data does not say what the rule is (no help text)."""
    help_text = data.get("help")
    if not isinstance(help_text, str) or not help_text:
        return None
    wcag = tuple(sc for sc in data.get("wcag") or () if isinstance(sc, str) and _SC.match(sc))
    personas = []
    for p in data.get("personas") or ():
        try:
            personas.append(Persona(p))
        except ValueError:
            pass
    impact = str(data.get("axe_impact"))
    try:
        severity = Severity(data.get("severity_declared") or (impact if impact in _IMPACTS else "moderate"))
        url = data.get("help_url")
        return Check(
            id=rule_id,
            title=help_text,
            failure_title=help_text,
            kind="browser",
            severity=severity,
            wcag=wcag,
            personas=tuple(personas) or (Persona.SCREEN_READER,),
            func=lambda *_: (),
            how_to_fix=f"See axe-core's guidance: {url}" if isinstance(url, str) and url.startswith("https://") else "",
            best_practice=bool(data.get("best_practice")) or not wcag,
            task=rule_task(rule_id) or "",
            how=tuple((p, text) for (r, p), text in AXE_HOW.items() if r == rule_id),
            roles=rule_roles(rule_id) or (),
            colour_pair=rule_id in COLOUR_RULES,
        )
    except ValueError:
        return None


_WCAG_TAG = re.compile(r"^wcag([1-4])([1-9])([1-9][0-9]?)$")
SNIPPET_MAX = 300


def severity_of(impact: str | None) -> Severity:
    return IMPACT_TO_SEVERITY.get((impact or "").lower(), DEFAULT_SEVERITY)


def wcag_of(tags: Iterable[str]) -> tuple[str, ...]:
    """axe tags -> success criteria: "wcag111" -> "1.1.1", "wcag1410" -> "1.4.10"; level tags are ignored."""
    out = []
    for tag in tags:
        m = _WCAG_TAG.match(tag)
        if m:
            out.append(".".join(m.groups()))
    return tuple(dict.fromkeys(out))


def personas_of(rule_id: str) -> tuple[Persona, ...]:
    return tuple(p for p, _ in AXE_PERSONAS.get(rule_id, DEFAULT_PERSONAS))


def plain_summary(summary: str | None) -> str:
    """axe's failureSummary ("Fix any of the following:\\n  a\\n  b") as one plain sentence."""
    if not summary:
        return ""
    parts = []
    for block in re.split(r"\n\s*\n", summary.strip()):
        lines = [ln.strip() for ln in block.strip().splitlines() if ln.strip()]
        if not lines:
            continue
        head, items = lines[0], lines[1:]
        if head.lower().startswith("fix any of the following"):
            lead = "Any one of these fixes it" if len(items) > 1 else "To fix"
        elif head.lower().startswith("fix all of the following"):
            lead = "All of these need fixing" if len(items) > 1 else "To fix"
        else:
            lead, items = "", lines
        text = "; ".join(i.rstrip(".") for i in items)
        parts.append(f"{lead}: {text}." if lead else f"{text}.")
    return " ".join(parts)


def short_snippet(html: str | None, limit: int = SNIPPET_MAX) -> str:
    """Like audits.artifacts.snippet: whitespace collapsed; when long, the start tag and an ellipsis."""
    html = re.sub(r"\s+", " ", html or "").strip()
    if len(html) <= limit:
        return html
    m = re.match(r"<[^>]*>", html)
    start = m.group(0) if m else html
    if len(start) > limit:
        return start[: limit - 1] + "…"
    return start + "…"


def _finding(rule: dict[str, Any], node: dict[str, Any], url: str, outcome: Outcome) -> Finding:
    rule_id = rule["id"]
    help_text = (rule.get("help") or "").rstrip(".")
    summary = plain_summary(node.get("failureSummary"))
    if outcome is Outcome.REVIEW:
        message = f"Needs a person to check: {help_text}. axe could not decide. {summary}".strip()
    else:
        message = f"{help_text}. {summary}".strip()
    impact = node.get("impact") or rule.get("impact")
    levels = AXE_PERSONAS.get(rule_id, DEFAULT_PERSONAS)
    tags = rule.get("tags") or []
    return Finding(
        check_id=rule_id,
        url=url,
        selector=node.get("selector") or "html",
        snippet=short_snippet(node.get("html")),
        message=message,
        severity=severity_of(impact),
        outcome=outcome,
        sources=("axe",),
        data={
            "help_url": rule.get("helpUrl", ""),
            "axe_impact": impact,
            "help": rule.get("help", ""),
            "wcag": list(wcag_of(tags)),
            "best_practice": "best-practice" in tags,
            "personas": [str(p) for p, _ in levels],
            "persona_levels": {str(p): lvl for p, lvl in levels},
            "axe_target": node.get("target", ""),
            **({"contrast": c} if (c := contrast_data(node)) else {}),
        },
    )


# The check data of axe's colour-contrast checks that the report uses to group fixes by colour pair and to set the
# harm from the actual ratio (reports.fixes.contrast_of, reports.scoring.contrast_harm).
CONTRAST_KEYS = ("fgColor", "bgColor", "contrastRatio", "expectedContrastRatio", "fontSize", "fontWeight")


def contrast_data(node: dict[str, Any]) -> dict[str, Any] | None:
    """fgColor, bgColor, contrastRatio... of the first "any" check of a node that reports colours, else None."""
    for check in node.get("any") or []:
        data = check.get("data") if isinstance(check, dict) else None
        if isinstance(data, dict) and ("fgColor" in data or "contrastRatio" in data):
            out = {k: data[k] for k in CONTRAST_KEYS if data.get(k) not in (None, "")}
            if out:
                return out
    return None


# axe-core rules that our browser checks implement in their place, because axe-core disagrees with the W3C ACT rule
# they implement (false alarms): axe rule -> (probe, key), the part of our probes' data those checks read. Where that
# part was gathered on the page, axe's findings for the rule are dropped, so one finding per barrier remains, in our
# words; where it was not (the probe off or failed), axe's findings stand.
SUPERSEDED: dict[str, tuple[str, str]] = {
    # important-letter-spacing, important-word-spacing, important-line-height (ACT 24afc2, 9e45ec, 78fd32): axe
    # flags an !important spacing that no text of the element uses, and compares with the wrong font size.
    "avoid-inline-spacing": ("render", "important"),
    # frame-focusable-content (ACT akn7bn): axe flags frames whose content is itself out of the tab order, and
    # frames made inert by an open modal dialog.
    "frame-focusable-content": ("render", "frames"),
    # scrollable-region-focusable (ACT 0ssw9k): axe counts content hidden only by the box's own padding as
    # scrollable.
    "scrollable-region-focusable": ("render", "scrollers"),
}


def superseded(probes: dict[str, Any] | None) -> set[str]:
    """The axe rules of SUPERSEDED whose replacement checks have their data in these probes' results."""
    out = set()
    for rule, (probe, key) in SUPERSEDED.items():
        data = (probes or {}).get(probe)
        part = data.get(key) if isinstance(data, dict) and not data.get("error") else None
        if part is not None and not (isinstance(part, dict) and part.get("error")):
            out.add(rule)
    return out


def findings_from_axe(page: Any, url: str | None = None) -> list[Finding]:
    """Violations -> FAIL findings, incomplete -> REVIEW findings (never failures nor passes), one per node; none for
    the rules our own checks supersede on this page (SUPERSEDED).

    `page` is an AxePage or its dict; `url` (default: the requested URL) goes into every finding.
    """
    d = page if isinstance(page, dict) else page.to_dict()
    url = url or d.get("requested_url") or d.get("final_url") or ""
    dropped = superseded(d.get("probes"))
    out: list[Finding] = []
    for key, outcome in (("violations", Outcome.FAIL), ("incomplete", Outcome.REVIEW)):
        for rule in d.get(key) or []:
            if rule.get("id") in dropped:
                continue
            for node in rule.get("nodes") or []:
                out.append(_finding(rule, node, url, outcome))
    return out


# --- one finding per barrier ----------------------------------------------------------------------------------


class _StartTag(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tag: tuple[str, tuple[tuple[str, str], ...]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.tag is None:
            norm = tuple(sorted((k.lower(), " ".join((v or "").split())) for k, v in attrs))
            self.tag = (tag.lower(), norm)

    handle_startendtag = handle_starttag


def start_tag_key(snippet: str) -> tuple[str, tuple[tuple[str, str], ...]] | None:
    """The element's start tag, normalised (tag and attributes lower-cased and sorted, whitespace collapsed)."""
    if not snippet or not snippet.lstrip().startswith("<"):
        return None
    p = _StartTag()
    try:
        p.feed(snippet.lstrip())
        p.close()
    except Exception:  # noqa: BLE001 - a broken snippet simply does not match
        return None
    return p.tag


def merge_findings(existing: list[Finding], axe_findings: Iterable[Finding]) -> list[Finding]:
    """existing + axe_findings with one finding per barrier.

    An axe finding is folded into a static finding with the same check_id and the same element (same selector, or
    - since lxml does not insert <tbody> as browsers do - the same normalised start tag), or, where axe names the
    container of the static findings' elements (a <table>, <html>), into every one of them. The kept finding has
    sources ("static", "axe"), the static message and severity, axe's data added, and FAIL if either says FAIL.
    """
    result = list(existing)
    statics = [f for f in existing if "static" in f.sources and "axe" not in f.sources]
    by_selector: dict[tuple[str, str], Finding] = {}
    by_tag: dict[tuple[str, Any], list[Finding]] = {}
    for f in statics:
        by_selector.setdefault((f.check_id, f.selector), f)
        key = start_tag_key(f.snippet)
        if key is not None:
            by_tag.setdefault((f.check_id, key), []).append(f)
    used: set[int] = set()
    for a in axe_findings:
        match = by_selector.get((a.check_id, a.selector))
        if match is not None and id(match) in used:
            match = None
        if match is None:
            key = start_tag_key(a.snippet)
            if key is not None:
                match = next((f for f in by_tag.get((a.check_id, key), []) if id(f) not in used), None)
        if match is None:
            # axe reports some barriers on the container (td-headers-attr on the <table>, document-title on
            # <html>) where the static check names the exact element inside it: the static findings stand, confirmed.
            inside = [f for f in statics if f.check_id == a.check_id and id(f) not in used
                      and f.url == a.url and f.selector.startswith(a.selector + " > ")]
            for f in inside:
                used.add(id(f))
                f.sources = tuple(dict.fromkeys((*f.sources, *a.sources)))
                for k, v in a.data.items():
                    f.data.setdefault(k, v)
                f.data.setdefault("axe_selector", a.selector)
            if not inside:
                result.append(a)
            continue
        used.add(id(match))
        match.sources = tuple(dict.fromkeys((*match.sources, *a.sources)))
        for k, v in a.data.items():
            match.data.setdefault(k, v)
        if a.selector != match.selector:
            match.data.setdefault("axe_selector", a.selector)  # where the browser found it (e.g. with <tbody>)
        if a.outcome is Outcome.FAIL and match.outcome is Outcome.REVIEW:
            match.outcome = Outcome.FAIL
    return result
