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


def test_the_wheel_carries_every_file_of_the_source_tree(tmp_path):
    """What production installs (`pip install .`, a wheel) holds every template, font, translation, data and
    static file of the packages: a template left out is a 500 on every regular install (the Atom feed's was),
    which the editable install the suite runs from never shows."""
    import shutil
    import subprocess
    import zipfile

    # From a clean copy: setuptools' build/ folder in the work tree keeps what an earlier build copied there.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "platform", "plugins", "worker", "verifier"):
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy
        copy(ROOT / name, source / name, **({"ignore": shutil.ignore_patterns("__pycache__")}
                                           if (ROOT / name).is_dir() else {}))
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet",
                            "-w", str(tmp_path), str(source)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = tmp_path.glob("konsey-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
    missing = []
    for package, folder in config.items():
        for path in (ROOT / folder).rglob("*"):
            relative = path.relative_to(ROOT / folder)
            if path.is_dir() or "__pycache__" in relative.parts or path.suffix == ".pyc":
                continue
            owner = max((p for p in config if (".".join([package, *relative.parts[:-1]]) + ".").startswith(p + ".")),
                        key=len)
            if owner != package:
                continue  # a sub-folder mapped on its own (plugins/, worker/) is checked under its own mapping
            name = "/".join([*package.split("."), *relative.parts])
            if name not in shipped:
                missing.append(name)
    assert missing == [], f"left out of the wheel: {missing}"
