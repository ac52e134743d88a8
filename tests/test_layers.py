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
