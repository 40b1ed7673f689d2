"""Fails when the project's apps import each other in a circle, or `core` imports another app.

Dependencies between apps must point one way, so that each app can be read (and changed) with
only the apps below it in mind. `core` is the floor every app stands on: it imports none of
them. `config` wires the project together and may import anything; no app imports it.

Every import in an app's code counts, including those inside functions (a lazy import is
still a dependency). Tests are left out: a test builds the data it needs with the factories of
whichever apps that data belongs to (a text message needs a photo request to be about).
Migrations are left out too: Django writes them, and they name other apps' models by string.

Run by `make check`; prints the apps from the floor up when all is well.
"""

import ast
import sys
from collections import defaultdict
from pathlib import Path

PACKAGE = "clinical_photos"
ROOT = Path(__file__).resolve().parent.parent / PACKAGE
# Not apps: the project's wiring, which may import any app.
WIRING = {"config"}
FLOOR = "core"


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) >= 2 and parts[0] == PACKAGE:
        return parts[1]
    return None


def _imported_modules(path: Path, package: list[str]) -> list[tuple[int, str]]:
    """(line, module) for every import of the project's code in one file, whose package is
    `package` (["clinical_photos", "records", "inbox"]): relative imports are resolved, so
    `from ...accounts import x` counts as an import of accounts."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.append((node.lineno, module))
            # `from clinical_photos import records` (or `from ... import records`) names the
            # app in the alias.
            if module == PACKAGE:
                found += [(node.lineno, f"{PACKAGE}.{alias.name}") for alias in node.names]
    return found


def import_graph(root: Path = ROOT) -> tuple[dict[str, set[str]], dict[tuple[str, str], str]]:
    """Each app's imports of other apps, and one place that shows each such import."""
    graph: dict[str, set[str]] = defaultdict(set)
    where: dict[tuple[str, str], str] = {}
    for path in sorted(root.glob("**/*.py")):
        relative = path.relative_to(root)
        if {"migrations", "tests"} & set(relative.parts) or len(relative.parts) < 2:
            continue
        app = relative.parts[0]
        graph.setdefault(app, set())  # an app that imports nothing is still an app
        for line, module in _imported_modules(path, [PACKAGE, *relative.parts[:-1]]):
            other = _app_of(module)
            if other is None or other == app:
                continue
            graph[app].add(other)
            where.setdefault((app, other), f"{PACKAGE}/{relative.as_posix()}:{line}")
    return graph, where


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of apps that reach each other (Tarjan's strongly connected components)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(app: str) -> None:
        index[app] = low[app] = len(index)
        stack.append(app)
        on_stack.add(app)
        for other in sorted(graph.get(app, ())):
            if other not in index:
                visit(other)
                low[app] = min(low[app], low[other])
            elif other in on_stack:
                low[app] = min(low[app], index[other])
        if low[app] == index[app]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == app:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for app in sorted(graph):
        if app not in index:
            visit(app)
    return groups


def layers(graph: dict[str, set[str]]) -> list[list[str]]:
    """Apps from the floor up: each layer imports only apps in the layers below it."""
    placed: dict[str, int] = {}

    def depth(app: str) -> int:
        if app not in placed:
            placed[app] = 0  # cycles are reported elsewhere; this only stops the recursion
            placed[app] = 1 + max((depth(o) for o in graph.get(app, ())), default=-1)
        return placed[app]

    result: dict[int, list[str]] = defaultdict(list)
    for app in graph:
        if app not in WIRING:
            result[depth(app)].append(app)
    return [sorted(result[level]) for level in sorted(result)]


def problems(root: Path = ROOT) -> list[str]:
    graph, where = import_graph(root)
    found = []
    for other in sorted(graph.get(FLOOR, ())):
        found.append(
            f"{where[(FLOOR, other)]}: core imports {other}; core must import no other app. "
            f"Move the code that needs {other} into {other} (or an app above it)."
        )
    for app in sorted(graph):
        for other in sorted(graph[app] & WIRING):
            found.append(f"{where[(app, other)]}: {app} imports {other}, the project's wiring.")
    app_graph = {app: deps - WIRING for app, deps in graph.items() if app not in WIRING}
    for group in _cycles(app_graph):
        edges = [
            f"  {app} -> {other} ({where[(app, other)]})"
            for app in group
            for other in sorted(app_graph[app] & set(group))
        ]
        found.append(
            f"These apps import each other in a circle: {', '.join(group)}\n" + "\n".join(edges)
        )
    return found


if __name__ == "__main__":
    issues = problems()
    if issues:
        print("\n".join(issues))
        sys.exit(1)
    graph, _ = import_graph()
    print("App imports point one way. From the floor up:")
    for number, layer in enumerate(layers(graph)):
        print(f"  {number}: {', '.join(layer)}")
