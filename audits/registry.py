"""The check registry: the @check decorator, discovery of built-in and plug-in checks, and selection."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from importlib.metadata import entry_points
from typing import Callable, Iterable

from audits.model import Check, Kind, Persona, Severity

REGISTRY: dict[str, Check] = {}

_BUILTIN_PACKAGES = ("audits.static", "audits.crawl", "audits.media", "audits.browser")
_loaded = False


def check(
    *,
    id: str,
    title: str,
    failure_title: str,
    kind: Kind,
    severity: Severity,
    wcag: Iterable[str] = (),
    personas: Iterable[Persona],
    how_to_fix: str = "",
    best_practice: bool = False,
) -> Callable[[Callable], Callable]:
    """Register a check function under its metadata. The docstring becomes `checks explain ID`."""

    def register(func: Callable) -> Callable:
        if id in REGISTRY and REGISTRY[id].func is not func:
            raise ValueError(f"two checks are registered as {id!r}")
        REGISTRY[id] = Check(
            id=id,
            title=title,
            failure_title=failure_title,
            kind=kind,
            severity=severity,
            wcag=tuple(wcag),
            personas=tuple(personas),
            func=func,
            how_to_fix=how_to_fix,
            best_practice=best_practice,
            doc=inspect.cleandoc(func.__doc__ or ""),
        )
        func.check_id = id  # type: ignore[attr-defined]
        return func

    return register


def load_checks(plugins: bool = True) -> dict[str, Check]:
    """Import every built-in check module (one file per check) and the `empathy_audit.checks` entry points."""
    global _loaded
    if not _loaded:
        for package_name in _BUILTIN_PACKAGES:
            package = importlib.import_module(package_name)
            for info in pkgutil.iter_modules(package.__path__):
                if not info.name.startswith("_"):
                    importlib.import_module(f"{package_name}.{info.name}")
        if plugins:
            for ep in entry_points(group="empathy_audit.checks"):
                ep.load()
        _loaded = True
    return REGISTRY


def select(kind: Kind | None = None, ids: Iterable[str] | None = None) -> list[Check]:
    """Registered checks of one kind (or all), optionally limited to some ids, in id order."""
    load_checks()
    wanted = set(ids) if ids is not None else None
    return sorted(
        (c for c in REGISTRY.values() if (kind is None or c.kind == kind) and (wanted is None or c.id in wanted)),
        key=lambda c: c.id,
    )


def get(check_id: str) -> Check | None:
    load_checks()
    return REGISTRY.get(check_id)
