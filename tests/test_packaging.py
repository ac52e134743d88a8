"""The layout promise: platform/ is installed as `konsey` and never shadows the standard library."""

import importlib
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_platform_folder_has_no_init():
    assert not (ROOT / "platform" / "__init__.py").exists(), "platform/__init__.py would shadow the stdlib"


def test_packages_list_covers_every_package():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    listed = set(config["packages"])
    package_dir = config["package-dir"]
    expected = {"konsey"}
    for package, folder in package_dir.items():
        base = ROOT / folder
        for init in base.rglob("__init__.py"):
            relative = init.parent.relative_to(base)
            if "__pycache__" in relative.parts:
                continue
            # A sub-folder that is mapped on its own (plugins/, worker/) belongs to that mapping.
            name = ".".join([package, *relative.parts]) if relative.parts else package
            owner = max((p for p in package_dir if name == p or name.startswith(p + ".")), key=len)
            if owner == package:
                expected.add(name)
    missing = expected - listed
    assert not missing, f"packages missing from pyproject.toml: {sorted(missing)}"


def test_stdlib_platform_is_intact_after_importing_konsey():
    importlib.import_module("konsey.app")
    import platform

    assert platform.python_version() == ".".join(map(str, sys.version_info[:3]))
    assert "konsey" not in (platform.__file__ or "")
