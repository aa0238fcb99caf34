"""justified-text: blocks of text are not justified (aligned to both margins)."""

from __future__ import annotations

from typing import Iterator

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.browser._render_common import finding, items
from empathy_audit.audits.model import Finding, Outcome, Persona, Severity
from empathy_audit.audits.registry import check


@check(
    id="justified-text",
    title="Text is not justified",
    failure_title="Blocks of text are justified",
    severity=Severity.MINOR,
    wcag=("1.4.8",),
    personas=(Persona.COGNITIVE, Persona.LOW_VISION),
    how_to_fix="Use text-align: start (or left / right) for running text instead of justify.",
)
def justified_text(page: RenderedPage) -> Iterator[Finding]:
    """What it checks: blocks of text that the browser renders with `text-align: justify` and that take three
    rendered lines or more. One finding per place the justification comes from (the outermost justified element,
    since text-align is inherited), naming how many blocks it affects. Shorter justified snippets (one or two
    lines) are not reported. A WCAG AAA criterion, so the severity is minor. Text in scripts written without
    spaces between words (Chinese, Japanese, Thai...) needs review instead: justification there spreads letters
    evenly rather than opening gaps between words.
    Who it affects: people with dyslexia and other reading or cognitive disabilities, and low-vision readers using
    magnification: justified text opens uneven "rivers" of white space between words that make lines hard to
    track.
    How to fix: use `text-align: start` (or left / right) for running text instead of justify.
    References: WCAG 1.4.8 Visual Presentation (AAA), failure F88 (text justified).
    """
    groups: dict[str, list[dict]] = {}
    heads: dict[str, dict] = {}
    for item in items(page, "justified"):
        origin = item.get("origin") if isinstance(item.get("origin"), dict) and item["origin"].get("selector") else item
        groups.setdefault(origin["selector"], []).append(item)
        heads.setdefault(origin["selector"], origin)
    for selector, blocks in groups.items():
        lines = sum(int(b.get("lines") or 0) for b in blocks)
        where = "This block of text is" if len(blocks) == 1 else f"These {len(blocks)} blocks of text are"
        if all(b.get("unspaced_script") for b in blocks):
            yield finding(
                page, heads[selector],
                f"{where} justified ({lines} lines) in a script written without spaces between words, where "
                "justification spaces letters rather than words. Check that the lines stay easy to follow; "
                "aligning to the start is safest.",
                outcome=Outcome.REVIEW, blocks=[b["selector"] for b in blocks[:10]], lines=lines,
            )
            continue
        yield finding(
            page, heads[selector],
            f"{where} justified ({lines} lines), which leaves uneven gaps between words that make lines hard to "
            "follow for many readers. Align the text to the start instead.",
            blocks=[b["selector"] for b in blocks[:10]], lines=lines,
        )
