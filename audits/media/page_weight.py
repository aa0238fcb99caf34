"""page-weight: a page and everything it loads stay within the page-weight budget."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.media import _network as net
from empathy_audit.audits.media._model import MediaInventory, cost_phrase
from empathy_audit.audits.model import Finding, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="page-weight",
    title="Pages stay within the page-weight budget",
    failure_title="Pages are heavier than the page-weight budget",
    severity=Severity.SERIOUS,
    best_practice=True,
    personas=(Persona.SLOW_CONNECTION, Persona.PREPAID_DATA),
    how_to_fix="Fix the heaviest resources listed for the page first (images, video, fonts, scripts), until the "
    "page and everything it loads fit in the budget (--page-weight-budget, default 2,667 KB).",
    budget=True,
)
def page_weight(inv: MediaInventory) -> Iterator[Finding]:
    """What it checks: the bytes on the wire of the page's HTML plus every resource it loads when it opens (images,
    CSS, scripts, fonts used by its CSS, autoplaying or preloaded media, iframes), each counted once, against a
    budget. The default budget is 2,667 KB, where Lighthouse's total-byte-weight audit scores 0.9; change it with
    `--page-weight-budget KB`. Resources that could not be measured count 0, so the total is "at least".
    Who it affects: visitors on slow mobile connections wait for every byte (1 MB costs about 5 s on Lighthouse's
    Slow 4G link), and visitors on prepaid data pay for every byte.
    How to fix: start with the fixes listed for the page in the low-bandwidth section, largest saving first:
    compress and resize images, serve video on demand, subset fonts, compress text.
    References: Lighthouse total-byte-weight (p10 2,667 KiB, median 4,000 KiB); HTTP Archive Web Almanac, Page
    Weight; web.dev "Avoid enormous network payloads".
    """
    total = inv.total_bytes
    if total <= inv.budget_bytes:
        return
    over = total - inv.budget_bytes
    unmeasured = len(inv.unmeasured)
    at_least = "at least " if unmeasured else ""
    yield inv.finding(
        None,
        f"Opening this page downloads {at_least}{net.size_label(total)}, {net.size_label(over)} over the "
        f"{net.size_label(inv.budget_bytes)} budget: about {net.seconds_label(inv.load_seconds)} on a slow 4G "
        f"phone, and {cost_phrase(total)} for each visit.",
        bytes_saved=over,
        total_bytes=total,
        budget_bytes=inv.budget_bytes,
        load_seconds=round(inv.load_seconds, 2),
        unmeasured=unmeasured,
    )
