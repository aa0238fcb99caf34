"""Shared by important-letter-spacing, important-word-spacing and important-line-height: text spacing that a style
attribute locks with !important below what WCAG 1.4.12 asks readers must be able to set (W3C ACT rules 24afc2,
9e45ec, 78fd32). The render probe lists each such declaration ("important") with its used value and font size."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.browser._render_common import finding, items, quote
from empathy_audit.audits.model import Finding

TOLERANCE_PX = 0.02  # the probe rounds values to 0.01 px


def locked_spacing(page: RenderedPage, prop: str, minimum: float, what: str) -> Iterator[Finding]:
    """A finding for each element whose own visible text gets `prop` from an !important style attribute with a used
    value below `minimum` times its font size (line-height: only text that wraps onto several lines)."""
    for item in items(page, "important"):
        if item.get("prop") != prop:
            continue
        try:
            value, font = float(item["value"]), float(item["font"])
        except (KeyError, TypeError, ValueError):
            continue
        if font <= 0 or value >= minimum * font - TOLERANCE_PX:
            continue
        if prop == "line-height" and item.get("wraps") is not True:
            continue  # one line of text has no space between lines to widen
        ratio = value / font
        declared = str(item.get("declared") or "")
        now = f"{value:g} px ({ratio:.2f} times its {font:g} px font size)" if value > 0 else "0 (no extra space)"
        least = f"{minimum:g}" if prop == "line-height" else f"{minimum:g}em"
        yield finding(
            page, item,
            f"The style attribute fixes the {what} of the text {quote(item.get('sample') or '', 60)} at {now} with "
            f"!important, so visitors who need more {what} to read (at least {minimum:g} times the font size) "
            f"cannot get it: no style sheet of theirs overrides it. Remove !important from {prop}: {declared}, or "
            f"make it at least {least}.",
            prop=prop, declared=declared, value_px=value, font_px=font, ratio=round(ratio, 3),
        )
