"""The pins agree with pyproject.toml, the one list of what Letterpress depends on directly.

requirements*.txt are written by `make requirements` (pip-compile); these tests fail when someone
edits one side only: a dependency declared but not pinned, a pin outside its declared range, or a
pin that nothing declared needs any more. What each pinned package needs is read from the
installed packages' own metadata (make test installs exactly the pins), so no network is used.
"""

import ast
import re
import sys
import tomllib
from dataclasses import dataclass
from importlib import metadata
from itertools import pairwise

import pytest
from packaging.requirements import Requirement
from packaging.utils import NormalizedName, canonicalize_name

from tests.support import ROOT

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
EXTRAS: dict[str, list[str]] = PROJECT["optional-dependencies"]


@dataclass(frozen=True)
class PinFile:
    name: str
    extras: tuple[str, ...]


# Each file and the extras it is compiled with (the Makefile's `requirements` target).
PIN_FILES = (
    PinFile("requirements.txt", ()),
    PinFile("requirements-preview.txt", ("preview",)),
    PinFile("requirements-dev.txt", tuple(EXTRAS)),
)
COMPILE_COMMAND = "#    make requirements\n"


def direct_requirements(extras: tuple[str, ...]) -> list[Requirement]:
    return [Requirement(line) for line in PROJECT["dependencies"]] + [
        Requirement(line) for extra in extras for line in EXTRAS[extra]
    ]


def read_pins(text: str) -> dict[NormalizedName, str]:
    """name -> version for each `name==version` line; annotations and options are skipped."""
    pins: dict[NormalizedName, str] = {}
    for line in text.splitlines():
        if not line or line[0] in "# -":
            continue
        requirement = Requirement(line)
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", f"{line!r} is not an exact pin"
        pins[canonicalize_name(requirement.name)] = specifier.version
    return pins


def needs_of(requirement: Requirement) -> list[Requirement]:
    """What the installed distribution needs, given the extras asked of it, on this machine."""
    needs = []
    for line in metadata.requires(requirement.name) or []:
        need = Requirement(line)
        asked = requirement.extras or {""}
        if need.marker is None or any(need.marker.evaluate({"extra": e}) for e in asked):
            needs.append(need)
    return needs


def closure(direct: list[Requirement]) -> set[NormalizedName]:
    """The direct requirements and everything they need, transitively."""
    seen: set[tuple[NormalizedName, frozenset[str]]] = set()
    names: set[NormalizedName] = set()
    todo = [r for r in direct if r.marker is None or r.marker.evaluate()]
    while todo:
        requirement = todo.pop()
        key = (canonicalize_name(requirement.name), frozenset(requirement.extras))
        if key in seen:
            continue
        seen.add(key)
        names.add(key[0])
        todo.extend(needs_of(requirement))
    return names


@pytest.fixture(scope="module")
def installed() -> dict[NormalizedName, str]:
    return {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}


@pytest.mark.parametrize("pin_file", PIN_FILES, ids=lambda f: f.name)
def test_every_direct_dependency_is_pinned_within_its_declared_range(pin_file):
    pins = read_pins((ROOT / pin_file.name).read_text("utf-8"))
    for requirement in direct_requirements(pin_file.extras):
        name = canonicalize_name(requirement.name)
        assert name in pins, (
            f"pyproject.toml declares {requirement} but {pin_file.name} does not pin it: "
            "run make requirements."
        )
        assert requirement.specifier.contains(pins[name], prereleases=True), (
            f"{pin_file.name} pins {name}=={pins[name]}, outside pyproject.toml's "
            f"{requirement}: run make requirements."
        )


@pytest.mark.parametrize("pin_file", PIN_FILES, ids=lambda f: f.name)
def test_every_pin_is_declared_or_needed_by_another_pin(pin_file, installed):
    pins = read_pins((ROOT / pin_file.name).read_text("utf-8"))
    # The metadata read below must be that of the pinned versions.
    stale = {n: v for n, v in pins.items() if n in installed and installed[n] != v}
    absent = set(read_pins((ROOT / "requirements-dev.txt").read_text("utf-8"))) - set(installed)
    assert not stale and not absent, (
        f"this environment is not installed from the pins (differs: {stale}, missing: "
        f"{sorted(absent)}): .venv/bin/pip install -r requirements-dev.txt"
    )
    needed = closure(direct_requirements(pin_file.extras))
    unneeded, missing = sorted(set(pins) - needed), sorted(needed - set(pins))
    assert unneeded == [], (
        f"{pin_file.name} pins {unneeded}, which nothing in pyproject.toml needs: "
        "run make requirements."
    )
    assert missing == [], (
        f"{pin_file.name} lacks {missing}, which pyproject.toml's dependencies need: "
        "run make requirements."
    )


@pytest.mark.parametrize("pin_file", PIN_FILES[:2], ids=lambda f: f.name)
def test_the_smaller_pin_files_hold_the_development_versions(pin_file):
    """One version of each package everywhere: what CI tests is what production runs."""
    everything = read_pins((ROOT / "requirements-dev.txt").read_text("utf-8"))
    pins = read_pins((ROOT / pin_file.name).read_text("utf-8"))
    differ = {n: (v, everything.get(n)) for n, v in pins.items() if everything.get(n) != v}
    assert differ == {}, f"{pin_file.name} and requirements-dev.txt differ: run make requirements."


@pytest.mark.parametrize("pin_file", PIN_FILES, ids=lambda f: f.name)
def test_the_pins_are_written_by_the_tool(pin_file):
    text = (ROOT / pin_file.name).read_text("utf-8")
    assert "autogenerated by pip-compile" in text and COMPILE_COMMAND in text, (
        f"{pin_file.name} was not written by make requirements"
    )


# Imported only where the extra is installed, with a sentence saying how to install it otherwise.
OPTIONAL_IMPORTS = {
    "playwright": "preview",  # letterpress/newsletter/preview.py
    "matplotlib": "bench/requirements-plot.txt",  # commands/bench.py, installed on first use
    "pip": "every virtual environment",  # python -m pip, run by the tasks that install extras
}


def imported_modules(paths) -> set[str]:
    """The top-level names that every `import` and `from ... import` in these files reaches,
    less the standard library's and our own (a module or package of the repository, some
    imported through sys.path, as the plugins and the tests' helpers are)."""
    ours = {
        part.removesuffix(".py")
        for path in ROOT.rglob("*.py")
        if ".venv" not in path.parts
        for part in path.relative_to(ROOT).parts
    }
    names = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_bytes(), str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
            elif isinstance(node, ast.List | ast.Tuple):
                names.update(modules_run_with_dash_m(node.elts))
    return names - set(sys.stdlib_module_names) - ours


def modules_run_with_dash_m(items) -> set[str]:
    """The modules a command line in the code runs as `python -m NAME`
    ([sys.executable, "-m", "ghp_import"]): they are dependencies as much as an import is."""
    if not items or not _is_python(items[0]):
        return set()
    words = [item.value if isinstance(item, ast.Constant) else None for item in items]
    return {
        str(name).split(".")[0]
        for flag, name in pairwise(words)
        if flag == "-m" and isinstance(name, str)
    }


def _is_python(node) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr == "executable"
    return isinstance(node, ast.Constant) and str(node.value).rsplit("/", 1)[-1].startswith(
        "python"
    )


@pytest.mark.parametrize(
    ("folders", "extras"),
    [
        (("letterpress", "plugins", "commands", "tasks.py", "pelicanconf.py"), ()),
        (("tests",), ("test",)),
    ],
    ids=["runtime", "tests"],
)
def test_every_package_the_code_imports_is_declared(folders, extras):
    """Not merely installed because something else needs it: a direct import is declared."""
    files = [
        path
        for folder in folders
        for path in ([ROOT / folder] if folder.endswith(".py") else (ROOT / folder).rglob("*.py"))
    ]
    declared = {canonicalize_name(r.name) for r in direct_requirements(extras)}
    providers = metadata.packages_distributions()
    undeclared = {}
    for module in sorted(imported_modules(files) - set(OPTIONAL_IMPORTS)):
        distributions = {canonicalize_name(d) for d in providers.get(module, [module])}
        if not distributions & declared:
            undeclared[module] = sorted(distributions)
    assert undeclared == {}, (
        "imported but not declared in pyproject.toml (module: distributions): "
        f"{undeclared}; declare them, then make requirements."
    )


def test_the_preview_names_the_pins_that_install_what_it_lacks(tmp_path, monkeypatch):
    """make build installs the runtime alone: the preview's error names the file that adds it."""
    from letterpress.newsletter.model import NewsletterError
    from letterpress.newsletter.preview import take_previews

    (tmp_path / "email.html").write_text("<p>Hello</p>", "utf-8")
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)  # import fails as if absent
    with pytest.raises(NewsletterError) as refused:
        take_previews(tmp_path, tmp_path, "https://example.org/", executable=sys.executable)
    named = re.search(r"-r (requirements[\w-]*\.txt)", str(refused.value))
    assert named, str(refused.value)
    pins = read_pins((ROOT / named[1]).read_text("utf-8"))
    assert "playwright" in pins
    assert "pytest" not in pins, "the author needs the preview, not the test tools"
    assert "playwright" not in read_pins((ROOT / "requirements.txt").read_text("utf-8"))
