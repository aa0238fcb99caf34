"""The check registry: the @check decorator, discovery of families and their checks, plug-ins, and selection.

A family is a package that declares `FAMILY = Family(...)` (audits.families): the sub-packages of `audits` that do,
and the packages named by `empathy_audit.families` entry points. Each module of a family's package whose name does
not start with "_" is one check. `empathy_audit.checks` entry points add single check modules to any family.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
from importlib.metadata import entry_points
from types import ModuleType
from typing import Callable, Iterable, Mapping

import empathy_audit.audits as audits
from empathy_audit.audits.families import Family, Need
from empathy_audit.audits.model import Check, Persona, Severity

REGISTRY: dict[str, Check] = {}
FAMILIES: dict[str, Family] = {}

FAMILY_ENTRY_POINTS = "empathy_audit.families"  # name = package declaring FAMILY (a whole family of checks)
CHECK_ENTRY_POINTS = "empathy_audit.checks"  # name = module holding @check functions of an existing family
_loaded = False


def check(
    *,
    id: str,
    title: str,
    failure_title: str,
    severity: Severity,
    personas: Iterable[Persona],
    wcag: Iterable[str] = (),
    how_to_fix: str = "",
    best_practice: bool = False,
    kind: str | None = None,
    task: str = "",
    how: Mapping[Persona, str] | None = None,
    roles: Mapping[Persona, str] | None = None,
    exposure: float = 1.0,
    colour_pair: bool = False,
    budget: bool = False,
    act: Iterable[str] = (),
) -> Callable[[Callable], Callable]:
    """Register a check function under its metadata. The docstring becomes `checks explain ID`.

    `kind` (the family) defaults to the family of the package the function's module lives in; give it only for a
    plug-in check that joins a family from outside its package. The other fields are documented on audits.model.Check.
    """

    def register(func: Callable) -> Callable:
        if id in REGISTRY and REGISTRY[id].func is not func:
            raise ValueError(f"two checks are registered as {id!r}")
        family = _family_of(func.__module__, kind, id)
        REGISTRY[id] = Check(
            id=id,
            title=title,
            failure_title=failure_title,
            kind=family.name if family else str(kind),
            severity=severity,
            wcag=tuple(wcag),
            personas=tuple(personas),
            func=func,
            how_to_fix=how_to_fix,
            best_practice=best_practice,
            doc=inspect.cleandoc(func.__doc__ or ""),
            task=task or (family.task if family else ""),
            how=tuple((how or {}).items()),
            roles=tuple((roles or {}).items()),
            exposure=exposure,
            colour_pair=colour_pair,
            budget=budget,
            act=tuple(act),
        )
        func.check_id = id  # type: ignore[attr-defined]
        return func

    return register


def _family_of(module: str, kind: str | None, check_id: str) -> Family | None:
    """The family named `kind`, else the FAMILY of the nearest package above `module`."""
    if kind is not None:
        return FAMILIES.get(kind)
    parts = module.split(".")
    for n in range(len(parts) - 1, 0, -1):
        family = getattr(sys.modules.get(".".join(parts[:n])), "FAMILY", None)
        if isinstance(family, Family):
            return family
    raise ValueError(f"check {check_id}: {module} is in no family package (one declaring FAMILY); pass kind=")


def _add_family(package: ModuleType) -> None:
    """Register the FAMILY a package declares and import each of its check modules."""
    family = getattr(package, "FAMILY", None)
    if not isinstance(family, Family):
        raise ValueError(f"{package.__name__} declares no FAMILY = audits.families.Family(...)")
    if family.package != package.__name__:
        raise ValueError(f"family {family.name}: package {family.package!r} is not {package.__name__!r}")
    other = FAMILIES.get(family.name)
    if other is not None and other != family:
        raise ValueError(f"two families are named {family.name!r}")
    FAMILIES[family.name] = family
    for info in pkgutil.iter_modules(package.__path__):
        if not info.name.startswith("_"):
            importlib.import_module(f"{package.__name__}.{info.name}")


def load_checks(plugins: bool = True) -> dict[str, Check]:
    """Discover every family under `audits` and its checks, then (with `plugins`) the entry points' families and
    checks. Every check must belong to a known family."""
    global _loaded
    if not _loaded:
        for info in sorted(pkgutil.iter_modules(audits.__path__), key=lambda i: i.name):
            if info.ispkg and not info.name.startswith("_"):
                package = importlib.import_module(f"empathy_audit.audits.{info.name}")
                if isinstance(getattr(package, "FAMILY", None), Family):
                    _add_family(package)
        if plugins:
            for ep in entry_points(group=FAMILY_ENTRY_POINTS):
                _add_family(ep.load())
            for ep in entry_points(group=CHECK_ENTRY_POINTS):
                ep.load()
        orphans = sorted(c.id for c in REGISTRY.values() if c.kind not in FAMILIES)
        if orphans:
            raise ValueError(f"checks of no known family: {', '.join(orphans)}")
        _loaded = True
    return REGISTRY


def families() -> list[Family]:
    """Every discovered family, in their declared order."""
    load_checks()
    return sorted(FAMILIES.values(), key=lambda f: (f.order, f.name))


def by_need(need: Need) -> list[tuple[str, list[Check]]]:
    """Each family whose checks need `need`, with its checks, in family order: what one crawler component runs (a
    family declared with that need runs there with no crawler edit)."""
    return [(f.name, select(f.name)) for f in families() if f.needs is need]


def family(name: str) -> Family | None:
    load_checks()
    return FAMILIES.get(name)


def select(kind: str | None = None, ids: Iterable[str] | None = None) -> list[Check]:
    """Registered checks of one family (or all), optionally limited to some ids, in id order."""
    load_checks()
    wanted = set(ids) if ids is not None else None
    return sorted(
        (c for c in REGISTRY.values() if (kind is None or c.kind == kind) and (wanted is None or c.id in wanted)),
        key=lambda c: c.id,
    )


def get(check_id: str) -> Check | None:
    load_checks()
    return REGISTRY.get(check_id)
