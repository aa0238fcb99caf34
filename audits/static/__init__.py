"""Static checks: the HTML as served, parsed once per page and read by every check of this family."""

from __future__ import annotations

from empathy_audit.audits.families import Family, Need

FAMILY = Family(
    name="static",
    package=__name__,
    needs=Need.HTML,
    source="static",
    confidence="static",  # a stylesheet or script could change what the served HTML says
    reads="the HTML as served",
    order=10,
)
