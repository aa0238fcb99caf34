"""The probes' in-page JavaScript (audits/gather/js/*.js, package data), read once and combined with its helpers."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

# Script name -> the .js files it is made of, shared helpers first. Each script is a WebDriver execute_script (or
# execute_async_script) body: it may `return` and reads `arguments`. Function declarations are hoisted, so a helper
# file only has to come before the top-level statements that call it.
SCRIPTS: dict[str, tuple[str, ...]] = {
    # audits.gather.axe
    "axe_run": ("css_path", "axe_run"),
    "frame_paths": ("css_path", "frame_paths"),
    "resources": ("css_path", "resources"),
    "mark_element": ("mark_element",),
    "unmark_element": ("unmark_element",),
    # audits.gather.keyboard
    "keyboard": ("css_path", "focus_common", "keyboard"),
    # audits.gather.render
    "render_read": ("css_path", "render_common", "render_important", "focus_common", "render_focus", "render_read"),
    "render_measure": ("css_path", "render_common", "render_measure"),
    "render_reflow": ("css_path", "render_common", "render_reflow"),
    "render_svgtext": ("css_path", "render_common", "render_svgtext"),
    "next_frame": ("next_frame",),
    # audits.gather.forms
    "forms_list": ("css_path", "forms_common", "forms_list"),
    "forms_try": ("css_path", "forms_common", "forms_try"),
    "forms_guard": ("forms_guard",),
    "forms_unguard": ("forms_unguard",),
    "blur_active": ("blur_active",),
}

JS_DIR = files("empathy_audit.audits.gather") / "js"


def source(name: str) -> str:
    """One .js file of audits/gather/js, by name without its extension."""
    return (JS_DIR / f"{name}.js").read_text(encoding="utf-8")


@cache
def script(name: str) -> str:
    """The script sent to the browser: its files (SCRIPTS[name]) joined, helpers first. Raises KeyError if unknown."""
    return "\n".join(source(part) for part in SCRIPTS[name])
