"""The layers hold: no import runs back up a layer, no module imports itself in a circle, modules stay small.

Layers, bottom to top (docs/architecture.md draws them):
  audits                                   the checks and what they read; imports nothing of ours above it
  crawler.secrets, crawler.urls, crawler.store   masking, URLs and the run history (the storage layer)
  reports                                  report model, grouping, scoring, writers (reads the store's records)
  crawler (the rest)                       spider, pipelines, browser pool, staging access (never reports)
  crawler.run                              one run: crawl -> store -> report -> gate
  crawler.cli                              arguments, messages and exit codes
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers import ROOT

PACKAGES = ("audits", "crawler", "reports")
STORE_LAYER = ("crawler.secrets", "crawler.urls", "crawler.store")
NAMESPACE = "empathy_audit."  # pyproject maps the folders to empathy_audit.audits / .crawler / .reports
MAX_LINES = 600
# One cohesive algorithm each, longer than MAX_LINES on purpose.
LONG_ON_PURPOSE = {
    "audits.accname",  # the accessible-name computation of accname-1.2, step by step
}

# Which groups a module of each group may import.
ALLOWED = {
    "audits": {"audits"},
    "store": {"audits", "store"},
    "reports": {"audits", "store", "reports"},
    "crawl": {"audits", "store", "crawl"},
    "run": {"audits", "store", "reports", "crawl", "run"},
    "cli": {"audits", "store", "reports", "crawl", "run", "cli"},
}


def _group(module: str) -> str:
    if module.startswith("audits"):
        return "audits"
    if module.startswith("reports"):
        return "reports"
    if any(module == p or module.startswith(p + ".") for p in STORE_LAYER):
        return "store"
    if module == "crawler.run":
        return "run"
    if module == "crawler.cli":
        return "cli"
    return "crawl"


def _modules() -> dict[str, Path]:
    out: dict[str, Path] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "demo_site" in path.parts or "migrations" in path.parts:
                continue
            rel = path.relative_to(ROOT).with_suffix("")
            parts = list(rel.parts)
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(module: str, path: Path) -> set[str]:
    """Our modules that `module` imports (anywhere in the file, functions included)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    found: set[str] = set()

    def resolve(name: str) -> str | None:
        name = name.removeprefix(NAMESPACE)  # the installed import names live under one namespace
        while name and name not in MODULES:
            name = name.rpartition(".")[0]
        return name or None

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                target = resolve(alias.name)
                if target:
                    found.add(target)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = module.split(".") if is_package else module.split(".")[:-1]
                base_parts = base_parts[: len(base_parts) - node.level + 1]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                full = f"{base}.{alias.name}".removeprefix(NAMESPACE)
                target = resolve(full) if full in MODULES else resolve(base)
                if target:
                    found.add(target)
    found.discard(module)
    return found


GRAPH = {m: _imports(m, p) for m, p in MODULES.items()}


def test_no_import_runs_up_a_layer():
    wrong = []
    for module, targets in sorted(GRAPH.items()):
        allowed = ALLOWED[_group(module)]
        for target in sorted(targets):
            # A package's __init__ may re-export its own modules; a module may import its own package.
            if target.startswith(module + ".") or module.startswith(target + "."):
                continue
            if _group(target) not in allowed:
                wrong.append(f"{module} ({_group(module)}) imports {target} ({_group(target)})")
    assert not wrong, "imports that run up a layer:\n" + "\n".join(wrong)


def test_no_import_cycles():
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    counter = [0]

    def edges(m: str) -> list[str]:
        # A package importing its own submodules (re-exports) is not a cycle with them.
        return [t for t in GRAPH[m] if not t.startswith(m + ".") and not m.startswith(t + ".")]

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in edges(v):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for m in sorted(GRAPH):
        if m not in index:
            visit(m)
    assert not cycles, "modules that import each other in a circle: " + "; ".join(" <-> ".join(c) for c in cycles)


def test_modules_stay_small():
    long = {m: sum(1 for _ in p.open(encoding="utf-8")) for m, p in MODULES.items()}
    too_long = {m: n for m, n in long.items() if n > MAX_LINES and m not in LONG_ON_PURPOSE}
    assert not too_long, f"modules over {MAX_LINES} lines: {too_long}"


def test_the_layer_test_sees_the_code():
    # The graph is real: the CLI reaches the run module, the run module the reports, and a check its model.
    assert "crawler.run" in GRAPH.get("crawler.cli", set())
    assert any(t.startswith("reports") for t in GRAPH.get("crawler.run", set()))
    assert "audits.model" in GRAPH["audits.static.image_alt"] or "audits.registry" in GRAPH["audits.static.image_alt"]
