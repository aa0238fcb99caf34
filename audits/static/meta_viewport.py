"""meta-viewport: the viewport meta tag does not stop visitors zooming."""

from __future__ import annotations

import re
from typing import Iterator

from empathy_audit.audits.accname import attr_text, is_inert_container
from empathy_audit.audits.artifacts import StaticPage
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check

_USER_SCALABLE_OK = ("yes", "device-width", "device-height")
_MAX_SCALE_WORDS_OK = ("device-width", "device-height")
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)")
SCALE_MINIMUM = 2.0


def _number(value: str) -> float | None:
    """parseFloat: the leading number of `value`, or None."""
    m = _NUMBER.match(value)
    return float(m.group(0)) if m else None


def zoom_blockers(content: str) -> list[str]:
    """The `key=value` items of a viewport `content` that stop or limit zoom (axe-core's meta-viewport logic)."""
    blockers: list[str] = []
    for item in re.split(r"[;,]", content.lower()):
        key, _, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not key or not value:
            continue
        number = _number(value)
        if key == "user-scalable":
            if (number is None and value not in _USER_SCALABLE_OK) or (number is not None and -1 < number < 1):
                blockers.append(f"user-scalable={value}")
        elif key == "maximum-scale":
            if number is not None and number < 0:
                continue
            if (number is None and value not in _MAX_SCALE_WORDS_OK) or (number is not None and number < SCALE_MINIMUM):
                blockers.append(f"maximum-scale={value}")
    return blockers


@check(
    id="meta-viewport",
    title="Zooming and scaling are not disabled",
    failure_title="Zooming and scaling are disabled",
    severity=Severity.MODERATE,
    wcag=("1.4.4",),
    personas=(Persona.LOW_VISION,),
    how_to_fix='Use <meta name="viewport" content="width=device-width, initial-scale=1"> and drop '
    "user-scalable=no and any maximum-scale below 2 (better: drop maximum-scale).",
    task="zooming in",
    how={
        Persona.LOW_VISION: "Pinch-zoom is switched off on phones.",
    },
)
def meta_viewport(page: StaticPage) -> Iterator[Finding]:
    """What it checks: a `<meta name="viewport">` whose `content` sets `user-scalable` to `no` or another word
    (anything but yes/device-width/device-height) or to a number between -1 and 1, or `maximum-scale` below 2
    (negative values are ignored, as browsers ignore them). Items may be separated by commas or semicolons, with
    any spacing and case. This is axe-core's logic with its default scaleMinimum of 2.
    Who it affects: low-vision visitors on phones cannot pinch-zoom to 200%. Most current mobile browsers let
    users override this, but older ones and in-app browsers do not.
    How to fix: `<meta name="viewport" content="width=device-width, initial-scale=1">`.
    References: WCAG 1.4.4 Resize Text (failure F-ACT b4f0c3); axe-core rule meta-viewport (impact moderate since
    axe-core 4.11, critical before).
    """
    for meta in page.soup.find_all("meta"):
        if (attr_text(meta, "name") or "").strip().lower() != "viewport" or is_inert_container(meta):
            continue
        blockers = zoom_blockers(attr_text(meta, "content") or "")
        if blockers:
            yield page.finding(
                meta,
                f"Visitors on phones cannot zoom in to read ({', '.join(blockers)}): low-vision visitors who "
                "enlarge text are stuck at this size.",
                blockers=blockers,
            )
