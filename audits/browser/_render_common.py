"""Shared by the rendering checks (audits/browser/*.py that read the "render" probe): findings from probe items."""

from __future__ import annotations

from typing import Any, Iterator

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.model import Finding, Outcome, Severity


def render_data(page: RenderedPage, key: str | None = None) -> Any:
    """The render probe's dict (or one of its parts); None when the probe, or that step of it, did not run."""
    data = page.probe("render")
    if data is None:
        return None
    if key is None:
        return data
    part = data.get(key)
    if isinstance(part, dict) and part.get("error"):
        return None
    return part


def items(page: RenderedPage, key: str, sub: str | None = None) -> Iterator[dict[str, Any]]:
    """The probe's list at data[key] (or data[key][sub]), only well-formed items (a selector each)."""
    part = render_data(page, key)
    if sub is not None:
        part = part.get(sub) if isinstance(part, dict) else None
    for item in part or ():
        if isinstance(item, dict) and isinstance(item.get("selector"), str) and item["selector"]:
            yield item


def finding(page: RenderedPage, item: dict[str, Any], message: str, *, outcome: Outcome = Outcome.FAIL,
            severity: Severity | None = None, **data: Any) -> Finding:
    """A finding about the probe item's element; check id and default severity are filled in by the runner."""
    extra = {k: v for k, v in data.items() if v is not None}
    if severity is not None:
        extra["_severity_set"] = True
    return Finding(
        check_id="",
        url=page.url,
        selector=item["selector"],
        snippet=str(item.get("snippet") or ""),
        message=message,
        severity=severity or Severity.MINOR,
        outcome=outcome,
        data=extra,
    )


def quote(text: str, limit: int = 80) -> str:
    """Text for a message: whitespace collapsed, shortened, in quotation marks."""
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"“{text}”"
