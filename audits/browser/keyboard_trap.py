"""keyboard-trap: keyboard focus gets stuck in part of the page."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.browser._keyboard import describe, finding, keyboard_data
from empathy_audit.audits.model import Finding, Outcome, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="keyboard-trap",
    title="Keyboard focus can always move on",
    failure_title="Keyboard focus gets trapped",
    severity=Severity.CRITICAL,
    wcag=("2.1.2",),
    personas=(Persona.KEYBOARD, Persona.SCREEN_READER, Persona.MOTOR),
    how_to_fix="Do not intercept Tab / Shift+Tab outside modal dialogs; a widget that needs Tab must let Escape (or "
    "another documented key) release focus.",
)
def keyboard_trap(page: RenderedPage) -> Iterator[Finding]:
    """What it checks: the keyboard probe presses Tab through the page in Chromium. When focus keeps cycling among
    the same few elements (twice round), or stays on one element for three presses, while tabbable elements
    elsewhere on the page were never reached, focus is trapped. The probe then tries Shift+Tab, and Escape followed
    by Tab. Nothing gets out: fails (critical). Only Shift+Tab gets out: fails (serious), since everything after
    the trap is out of reach. Escape gets out: needs review (allowed when users are told how).
    A trap inside a fixed or sticky overlay (a banner that holds focus until it is closed) or a text field that
    keeps Tab for itself (code editors) is left for review, as the way out may be a documented key or a button.
    Not reported: focus kept inside an open modal dialog (role="dialog", aria-modal or <dialog open>), which is the
    expected behaviour, and focus that cycles only after every tabbable element was visited. Focus staying inside
    an embedded frame, video player or date field for 30 presses is left for review.
    Who it affects: keyboard, switch and screen-reader users, who cannot reach the rest of the page.
    How to fix: remove the keydown handler or focus-management script that sends focus back; a widget that uses
    Tab itself must release focus with Escape and say so.
    References: WCAG 2.1.2 No Keyboard Trap (failure F10).
    """
    data = keyboard_data(page)
    if data is None:
        return
    if not data.get("trap"):
        yield from _reverse_stuck(page, data)
        return
    trap = data["trap"]
    inside = set(trap.get("paths") or [])
    stops = [s for s in data["stops"] if s.get("p") in inside]
    if not stops or all(s.get("dlg") for s in stops):
        return
    missed = int(trap.get("unvisited_count") or 0)
    if missed == 0:
        return
    exit_path = trap.get("exit") or stops[-1]["p"]
    stop = next((s for s in stops if s["p"] == exit_path), stops[-1])
    presses = int(trap.get("presses") or 0) + len(trap.get("reverse") or []) + 2
    who = describe(stop)
    rest = f"{missed} other focusable element{'s' if missed != 1 else ''} on the page cannot be reached"
    if trap.get("kind") == "stuck" and stop.get("c"):
        yield finding(
            page, stop["p"], stop.get("html", ""),
            f"Focus stayed inside {who} for {trap.get('presses')} presses of Tab and {rest} from the keyboard. "
            "Check that keyboard users can Tab out of it.",
            outcome=Outcome.REVIEW, trap=trap.get("kind"), unreachable=missed,
        )
        return
    circle = "stays on" if trap.get("kind") == "stuck" else "keeps cycling back from"
    overlay = all(s.get("fx") for s in stops)  # a fixed banner or panel that holds focus until it is closed
    editor = trap.get("kind") == "stuck" and stop.get("te")  # a code editor that types Tab characters
    if (overlay or editor) and not trap.get("escape_key_escapes"):
        yield finding(
            page, stop["p"], stop.get("html", ""),
            f"Tab never moves past {who}: focus {circle} it and {rest} until something else happens. "
            "Check that keyboard users are told how to get out, or let Tab move on.",
            outcome=Outcome.REVIEW, trap=trap.get("kind"), unreachable=missed,
        )
    elif trap.get("escape_key_escapes"):
        yield finding(
            page, stop["p"], stop.get("html", ""),
            f"Tab never moves past {who}: focus {circle} it, and only Escape lets keyboard users out. "
            "Make sure the page tells users to press Escape, or let Tab move on.",
            outcome=Outcome.REVIEW, trap=trap.get("kind"), unreachable=missed,
        )
    elif trap.get("reverse_escapes"):
        yield finding(
            page, stop["p"], stop.get("html", ""),
            f"Tab never moves past {who}: focus {circle} it after {presses} presses and {rest}. "
            "Remove the script that sends focus back so Tab moves on.",
            severity=Severity.SERIOUS, trap=trap.get("kind"), unreachable=missed,
        )
    else:
        yield finding(
            page, stop["p"], stop.get("html", ""),
            f"Keyboard focus is trapped at {who}: neither Tab, Shift+Tab nor Escape gets out after {presses} presses, "
            f"and {rest}. Let Tab and Shift+Tab move focus out of it.",
            trap=trap.get("kind"), unreachable=missed,
        )


def _reverse_stuck(page: RenderedPage, data: dict) -> Iterator[Finding]:
    """Shift+Tab pressed three times in a row left focus on the same (ordinary) element."""
    back = data.get("reverse") or []
    for i in range(len(back) - 2):
        path = back[i].get("p")
        if path and not back[i].get("c") and back[i + 1].get("p") == path and back[i + 2].get("p") == path:
            stop = next((s for s in data["stops"] if s.get("p") == path), None)
            if stop is None or stop.get("dlg") or stop is data["stops"][0]:
                return
            yield finding(
                page, path, stop.get("html", ""),
                f"Shift+Tab does not move focus backwards from {describe(stop)}: it stayed there for three presses. "
                "Let Shift+Tab move focus to the previous element.",
                outcome=Outcome.REVIEW, trap="reverse",
            )
            return
