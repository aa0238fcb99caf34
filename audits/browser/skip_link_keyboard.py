"""skip-link-keyboard: the skip link works from the keyboard, or long navigation can be bypassed."""

from __future__ import annotations

import re
from typing import Iterator

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.browser._keyboard import finding, keyboard_data
from empathy_audit.audits.model import Finding, Outcome, Persona, Severity
from empathy_audit.audits.registry import check

LONG_NAVIGATION = 15  # tab stops before the main content
# Words of skip links ("Skip to main content", "Aller au contenu", "Zum Inhalt springen", "本文へ移動"...).
SKIP_WORDS = re.compile(
    r"\b(skip|jump|bypass|main|content|contenu|aller|inhalt|springen|zum|contenido|saltar|contenuto|salta|vai|"
    r"conte[uú]do|pular|ir|inhoud|naar|hopp|siirry|przejd\w*|tre[sś]\w*|obsah\w*)\b|"
    r"содерж|перейти|本文|メイン|コンテンツ|スキップ|跳|主要内容|正文|본문|건너",
    re.I,
)


@check(
    id="skip-link-keyboard",
    title="Keyboard users can skip to the main content",
    failure_title="Skip links are broken or missing",
    severity=Severity.MODERATE,
    wcag=("2.4.1",),
    personas=(Persona.KEYBOARD, Persona.SCREEN_READER, Persona.MOTOR),
    how_to_fix='Make the first focusable element a link such as <a href="#main">Skip to main content</a> whose '
    'target exists (<main id="main">) and is not overridden by a script.',
)
def skip_link_keyboard(page: RenderedPage) -> Iterator[Finding]:
    """What it checks: the first three stops of the real Tab walk. An in-page link there (href="#id", not a
    client-side route like #/shop) is taken as a skip link. It fails when no element has the id (or name) it points
    to and the link reads like a skip link (skip, jump, main, content, contenu, Inhalt, contenido, 本文...) or is
    hidden until focused; or when pressing Enter on it and then
    Tab moves focus to an element before its target: the link did not move the keyboard's starting point (usually
    a script cancels the jump and only scrolls). Links that are widgets (role, aria-controls, aria-expanded,
    aria-haspopup, data-toggle) are not tested.
    When there is no skip link but the page has at least 15 tab stops before its main content (<main>,
    role="main", or the first h1), it is left for review with minor severity: 2.4.1 can also be met with landmarks
    and headings, which screen-reader users have, but sighted keyboard users still press Tab many times.
    Who it affects: keyboard and switch users, who must Tab through every navigation link on every page.
    How to fix: a first focusable "Skip to main content" link whose target exists; do not preventDefault it.
    References: WCAG 2.4.1 Bypass Blocks (technique G1; failure when the mechanism does not work).
    """
    data = keyboard_data(page)
    if data is None:
        return
    skip = data.get("skip")
    if skip and not skip.get("widget"):
        frag = skip.get("frag") or ""
        looks_like_skip = bool(SKIP_WORDS.search(skip.get("n") or "")) or skip.get("hiddenUnfocused")
        if frag and frag.lower() != "top" and not skip.get("target") and looks_like_skip:
            yield finding(
                page, skip["p"], skip.get("html", ""),
                f"This skip link points to #{frag}, but no element on the page has that id, so it does nothing for "
                "keyboard users. Give the main content that id.",
            )
            return
        res = skip.get("result") or {}
        if skip.get("target") and res.get("where") == "before" and (res.get("ti") or 0) <= 0:
            yield finding(
                page, skip["p"], skip.get("html", ""),
                f"Activating this skip link does not move keyboard focus: the next Tab goes to {_name(res)} before "
                f"its target. Let the link's default action run instead of only scrolling the page.",
                next_focus=res.get("active"),
            )
        return
    if skip is None and data.get("main") and data.get("end") in ("body", "wrapped", "cycle", "budget", "limit"):
        before = int(data.get("tabbables_before_main") or 0)
        if before >= LONG_NAVIGATION:
            yield finding(
                page, "html", "",
                f"Keyboard users must press Tab {before} times to get past the links before the main content, "
                "and there is no skip link. Add a \"Skip to main content\" link as the first focusable element.",
                outcome=Outcome.REVIEW, severity=Severity.MINOR, stops_before_main=before,
            )


def _name(res: dict) -> str:
    name = (res.get("n") or "").replace('"', "'").strip()
    return f'"{name}"' if name else f"a <{res.get('t') or 'element'}>"
