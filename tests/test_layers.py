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


# What the fronts may name of the core without a use case between: its vocabulary. From these modules only enums,
# constants and errors (the words a page or a task speaks); from the others nothing at all.
FRONTS = ("konsey.web", "konsey.api", "konsey.worker")
# wholly the vocabulary (redis_servers: where Redis is, which the worker's transport and beat read too)
VOCABULARY_MODULES = {"errors", "labels", "permissions", "urls", "hooktypes", "i18n", "redis_servers"}
MIXED_MODULES = {"accounts", "applications", "bodies", "bylaws", "delivery", "federation", "floor_motions",
                 "meetings", "membership", "municipal_calendar", "notifications", "representatives"}
NOT_A_FRONT = {"konsey.api.baseline"}  # the benchmark's hand-written baseline: the machinery is what it skips


def _fronts_contract() -> dict:
    import tomllib

    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    return next(c for c in contracts if c["name"].startswith("The fronts reach the core's services"))


def _is_vocabulary(module_name: str, name: str) -> bool:
    import enum
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    return (isinstance(value, type) and issubclass(value, enum.Enum | Exception)) or name.isupper()


def test_every_core_module_is_vocabulary_or_out_of_the_fronts_reach():
    """The import-linter contract forbids the fronts every core module but the vocabulary's: a new module of the
    core is forbidden too, or said to be vocabulary here."""
    contract = _fronts_contract()
    assert tuple(contract["source_modules"]) == FRONTS
    forbidden = {m.removeprefix("konsey.core.") for m in contract["forbidden_modules"] if m.startswith("konsey.core.")}
    core = {path.stem for path in (ROOT / "platform" / "core").glob("*.py") if path.stem != "__init__"} | {"rules"}
    assert forbidden & (VOCABULARY_MODULES | MIXED_MODULES) == set()
    assert core - forbidden == VOCABULARY_MODULES | MIXED_MODULES


def _reached(tree: ast.AST) -> list[str]:
    """What an importing module takes of the core beyond its vocabulary."""
    found = []
    for node, module in _imports(tree):
        if not module.startswith("konsey.core"):
            continue
        short = module.removeprefix("konsey.core").lstrip(".")
        names = [alias.name for alias in node.names] if isinstance(node, ast.ImportFrom) else [module]
        for name in names:
            part = short or name  # "from konsey.core import outbox" takes the module
            if part in VOCABULARY_MODULES or (part in MIXED_MODULES and short and _is_vocabulary(module, name)):
                continue
            found.append(f"{module}.{name}")
    return found


def test_the_fronts_name_only_the_cores_vocabulary():
    """From a module that also holds services, a page, an API view or a task imports only enums, constants and
    errors: what they do to the domain goes through a use case."""
    reached = [f"{name} imports {what}" for name, path in _modules()
               if name.startswith(FRONTS) and name not in NOT_A_FRONT
               for what in _reached(ast.parse(path.read_text()))]
    assert reached == []


def test_the_fronts_check_sees_a_front_reaching_a_service():
    """The check above is real: a page importing a service function, a model or a whole module is caught."""
    planted = ast.parse("from konsey.core.meetings import schedule, Meeting, VoteKind\n"
                        "from konsey.core import outbox, errors\nfrom konsey.core.labels import label")
    assert _reached(planted) == ["konsey.core.meetings.schedule", "konsey.core.meetings.Meeting",
                                 "konsey.core.outbox"]
