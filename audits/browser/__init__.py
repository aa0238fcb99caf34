"""Browser checks: pure functions of what the browser gathered in a rendered page (and axe-core's rules, mapped by
axe_map)."""

from __future__ import annotations

from empathy_audit.audits.families import Family, Need

FAMILY = Family(
    name="browser",
    package=__name__,
    needs=Need.RENDERED,
    source="browser",
    engines=("axe",),  # the browser pool runs axe-core's rules on the same rendered page
    confidence="confirmed",  # seen in the rendered page, styles and scripts applied
    reads="a page rendered in Chromium: computed styles, layout, and real key presses",
    order=20,
)
