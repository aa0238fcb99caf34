"""Browser probes: what our own browser checks read from the rendered page, gathered after axe on the same driver.

A probe is `gather(driver, budget: float) -> dict` (JSON-safe) in its own module: "render" (computed styles, CSS
generated content, text spacing, reflow at 320 CSS px, 200% text), "keyboard" (a real Tab / Shift+Tab walk) and
"forms" (submit each form empty and read how errors are announced; only with --try-forms, never sends data unless
the page's own validation lets it through, which it stops). Probes never decide findings: the checks in
audits.browser read their dicts (gather / audit split). A probe that fails records {"error": reason}; its checks
then stay silent for the page and the page's browser record says why.
"""

from __future__ import annotations

import importlib
import logging
import time
from typing import Any, Callable, Iterable

log = logging.getLogger(__name__)

# name -> "module:function". Run in this order: non-mutating first, then focus changes, then form submission.
PROBES: dict[str, str] = {
    "render": "empathy_audit.audits.gather.render:gather",
    "keyboard": "empathy_audit.audits.gather.keyboard:gather",
    "forms": "empathy_audit.audits.gather.forms:gather",
}
DEFAULT_PROBES: tuple[str, ...] = ("render", "keyboard")
# Seconds each probe may take on one page (the keyboard walk's target is under 3 s per page).
BUDGETS: dict[str, float] = {"render": 3.0, "keyboard": 3.0, "forms": 5.0}


def _load(name: str) -> Callable[..., dict[str, Any]]:
    module, _, func = PROBES[name].partition(":")
    return getattr(importlib.import_module(module), func)


def ordered(names: Iterable[str]) -> tuple[str, ...]:
    """The given probe names in run order; unknown names raise ValueError."""
    wanted = set(names)
    unknown = wanted - set(PROBES)
    if unknown:
        raise ValueError(f"unknown browser probe(s): {', '.join(sorted(unknown))}; known: {', '.join(PROBES)}")
    return tuple(n for n in PROBES if n in wanted)


def run_probes(driver: Any, names: Iterable[str]) -> dict[str, Any]:
    """Run each probe on the loaded page; {name: data}, each data with "seconds", or {"error": ...} when it failed."""
    out: dict[str, Any] = {}
    for name in ordered(names):
        t0 = time.monotonic()
        try:
            data = _load(name)(driver, budget=BUDGETS.get(name, 3.0))
            data = dict(data) if isinstance(data, dict) else {"error": f"the {name} probe returned nothing"}
        except ImportError as exc:
            data = {"error": f"the {name} probe is not available ({exc})"}
        except Exception as exc:  # noqa: BLE001 - one probe's failure never costs the page its axe results
            text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            log.info("probe %s failed: %s", name, text)
            data = {"error": f"{type(exc).__name__}: {text[:200]}"}
        data["seconds"] = round(time.monotonic() - t0, 3)
        out[name] = data
    return out
