"""The code's shape: imports flow one way, and no module grows past what one person reads.

views/api → services → reasoning, extraction → models. A service starts a task by its name
(`reflect.dispatch`), so only Celery's own modules import `reflect.tasks`.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "reflect"
MAX_LINES = 400


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {
        _module_name(path): path
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts
    }


def _code_modules() -> dict[str, Path]:
    """The modules code imports; the settings are read through django.conf instead, and
    settings.py takes in settings_operations.py by design."""
    return {
        name: path
        for name, path in _modules().items()
        if not name.startswith("reflect.settings")
    }


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Modules of `reflect` that `name` imports anywhere in its body, functions included."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # `from pkg import mod` imports the module; `from mod import name` the module.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base
                for alias in node.names
            ]
        else:
            continue
        found.update(t for t in targets if t in known and t != name)
    # A package's own __init__ only wires the app (reflect/__init__ loads Celery).
    return {t for t in found if t != "reflect"}


def import_graph() -> dict[str, set[str]]:
    modules = _code_modules()
    known = set(modules)
    return {name: _imports(name, path, known) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _layer(module: str) -> int:
    """0 models and the Redis connection, 1 reasoning and extraction, 2 services, 3 views
    and the API."""
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in {"models", "redis_client"}:
        return 0
    if len(parts) > 1 and parts[1] in {"reasoning", "extraction"}:
        return 1
    if len(parts) > 1 and parts[1] in {"views", "api", "urls", "admin"}:
        return 3
    return 2


def test_the_cycle_finder_sees_a_circle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_of_reflect_imports_another_in_a_circle():
    assert cycles(import_graph()) == []


def test_only_celery_modules_import_the_tasks():
    importers = {
        name for name, targets in import_graph().items() if "reflect.tasks" in targets
    }
    assert importers <= {"reflect.celery"}


def test_imports_flow_from_views_to_services_to_reasoning_to_models():
    against = [
        f"{name} → {target}"
        for name, targets in import_graph().items()
        for target in targets
        if _layer(target) > _layer(name) and not name.startswith("reflect.management")
    ]
    assert against == []


def test_no_module_is_longer_than_a_person_reads_at_once():
    long = {
        name: lines
        for name, path in _modules().items()
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}
