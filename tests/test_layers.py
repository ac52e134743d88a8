"""The layers of docs/architecture.md, as the code has them.

CI checks the whole contract with import-linter (``.ci/run``, over a regular install where every konsey package
sits in one folder); these tests keep the parts a developer trips over first, on the source itself:
the ground floors import nothing above them, and an import inside a function says why it is there.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {"konsey": ROOT / "platform", "konsey.plugins": ROOT / "plugins", "konsey.worker": ROOT / "worker"}


def _modules():
    for package, folder in SOURCES.items():
        for path in sorted(folder.rglob("*.py")):
            relative = path.relative_to(folder).with_suffix("")
            if "migrations" in relative.parts:
                continue
            name = ".".join([package, *[p for p in relative.parts if p != "__init__"]])
            if package == "konsey" and relative.parts[0] in ("plugins",):
                continue
            yield name, path


def _imports(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node, node.module
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield node, alias.name


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for inner in ast.walk(node):
                if hasattr(inner, "lineno"):
                    lines.add(inner.lineno)
    return lines


def _imported_by(prefix: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for name, path in _modules():
        if not (name == prefix or name.startswith(prefix + ".")):
            continue
        tree = ast.parse(path.read_text())
        skip = _type_checking_lines(tree)
        found[name] = {module for node, module in _imports(tree) if node.lineno not in skip}
    return found


def _violations(source: str, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(f"{module} imports {imported}" for module, imported_set in _imported_by(source).items()
                  for imported in imported_set
                  if any(imported == f or imported.startswith(f + ".") for f in forbidden))


def test_the_core_knows_no_front_and_no_form_library():
    assert _violations("konsey.core", ("konsey.api", "konsey.web", "konsey.app", "konsey.worker",
                                       "konsey.usecases", "konsey.schemas", "marshmallow", "celery")) == []


def test_tenancy_is_the_ground_floor():
    assert _violations("konsey.tenants", ("konsey.core", "konsey.usecases", "konsey.schemas", "konsey.api",
                                          "konsey.web", "konsey.app", "konsey.worker")) == []


def test_use_cases_and_schemas_know_no_front():
    fronts = ("konsey.api", "konsey.web", "konsey.app", "konsey.worker", "konsey.pluginkit")
    assert _violations("konsey.usecases", fronts) == []
    assert _violations("konsey.schemas", (*fronts, "konsey.usecases")) == []


def test_the_plugin_kit_hands_no_front_internals():
    assert _violations("konsey.pluginkit", ("konsey.api", "konsey.web", "konsey.app", "konsey.worker")) == []


def test_an_import_inside_a_function_says_why():
    unexplained = []
    for name, path in _modules():
        source = path.read_text()
        lines = source.splitlines()
        tree = ast.parse(source)
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if function.name == "_import_models":
                continue  # imported for what importing does (the models' mapping), said in the function
            for node, module in _imports(function):
                if not module.startswith("konsey"):
                    continue
                text = "\n".join(lines[node.lineno - 1:node.end_lineno])
                if "#" not in text:
                    unexplained.append(f"{name}:{node.lineno} {module}")
    assert unexplained == [], "an import inside a function needs its reason beside it: " + ", ".join(unexplained)


def _core_graph() -> dict[str, set[str]]:
    """Which module of the core imports which other, type-only imports and imports inside functions counted."""
    graph: dict[str, set[str]] = {}
    core = {name for name, _path in _modules() if name.startswith("konsey.core.")}
    for name, path in _modules():
        if name not in core:
            continue
        tree = ast.parse(path.read_text())
        targets = set()
        for node, module in _imports(tree):
            names = [module]
            if isinstance(node, ast.ImportFrom):
                names += [f"{module}.{alias.name}" for alias in node.names]
            targets |= {_sibling(target) for target in names if _sibling(target) in core}
        graph[_sibling(name)] = targets - {_sibling(name)}
    return graph


def _sibling(module: str) -> str:
    """A module of the core as the core's siblings count it (``konsey.core.rules.meetings`` is ``rules``)."""
    return ".".join(module.split(".")[:3])


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import one another round a circle (Tarjan's strongly connected parts)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in graph.get(module, ()):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            part = []
            while (top := stack.pop()) != module:
                part.append(top)
            part.append(module)
            if len(part) > 1:
                found.append(sorted(part))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_the_cores_modules_form_no_cycle():
    """A step across two domains lives in the use case that composes them, not in one domain reaching back
    into another (import-linter's acyclic_siblings contract holds the same in CI)."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]  # it sees one
    assert _cycles(_core_graph()) == []


def test_the_core_imports_nothing_inside_a_function():
    inside = []
    for name, path in _modules():
        if not name.startswith("konsey.core"):
            continue
        tree = ast.parse(path.read_text())
        for function in ast.walk(tree):
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                inside += [f"{name}:{node.lineno} {module}" for node, module in _imports(function)
                           if module.startswith("konsey")]
    assert inside == []


def test_the_architecture_names_only_files_that_exist():
    """docs/architecture.md is where a newcomer looks for where things go: every file it names is there."""
    import re

    text = (ROOT / "docs" / "architecture.md").read_text()
    named = set(re.findall(r"`([\w./-]+\.(?:py|html|js|css|md|toml|yaml|json))`", text))
    missing = [path for path in sorted(named)
               if "/" in path and not any((base / path).exists()
                                                    for base in (ROOT, ROOT / "platform", ROOT / "platform" / "web"))]
    assert len(named) > 40 and missing == []
