"""Shared helpers of the keyboard checks (audits/browser/keyboard_*.py, focus_*.py, skip_link_keyboard.py).

They read the "keyboard" probe's dict (audits.gather.keyboard) through RenderedPage.probe("keyboard").
"""

from __future__ import annotations

from typing import Any, Iterator

from empathy_audit.audits.artifacts import RenderedPage
from empathy_audit.audits.model import Finding, Outcome, Severity


def keyboard_data(page: RenderedPage) -> dict[str, Any] | None:
    data = page.probe("keyboard")
    if not data or not isinstance(data.get("stops"), list):
        return None
    return data


def finding(
    page: RenderedPage,
    selector: str,
    snippet: str,
    message: str,
    *,
    outcome: Outcome = Outcome.FAIL,
    severity: Severity | None = None,
    **data: Any,
) -> Finding:
    """A browser finding; check_id and the default severity are filled in by the runner."""
    payload = dict(data)
    if severity is not None:
        payload["_severity_set"] = True
    return Finding(
        check_id="",
        url=page.url,
        selector=selector or "html",
        snippet=snippet or "",
        message=message,
        severity=severity or Severity.MINOR,
        outcome=outcome,
        data=payload,
    )


def describe(stop: dict[str, Any]) -> str:
    """A short way to name a focus stop in a message: 'the link "Shop"', 'the text field "Email"'."""
    tag, role, typ = stop.get("t") or "", stop.get("r") or "", stop.get("ty") or ""
    kind = {
        "a": "link", "button": "button", "select": "list box", "textarea": "text area", "summary": "summary",
        "iframe": "embedded frame", "video": "video player", "audio": "audio player", "area": "image-map link",
    }.get(tag, "element")
    if tag == "input":
        kind = {"checkbox": "checkbox", "radio": "radio button", "submit": "button", "button": "button",
                "reset": "button", "image": "image button", "range": "slider", "file": "file picker",
                "date": "date field", "color": "colour picker"}.get(typ, "text field")
    if role in ("button", "link", "checkbox", "radio", "switch", "tab", "menuitem", "option", "slider", "combobox",
                "textbox", "searchbox", "treeitem"):
        kind = {"menuitem": "menu item", "textbox": "text field", "searchbox": "search field",
                "treeitem": "tree item", "combobox": "combo box"}.get(role, role)
    name = (stop.get("n") or "").replace('"', "'").strip()
    return f'the {kind} "{name}"' if name else f"a {kind}" if kind[0] not in "aeiou" else f"an {kind}"


def unique_stops(stops: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Each focused element once (its first stop), in focus order."""
    seen: set[str] = set()
    for stop in stops:
        path = stop.get("p")
        if not path or path in seen:
            continue
        seen.add(path)
        yield stop
