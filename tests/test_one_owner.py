"""Facts with one owner (docs/architecture.md, "Where a rule lives"): each is written in one
module, and these tests fail when a second copy appears, naming the file and line."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODE = ("letterpress", "plugins", "commands")


def python_files() -> list[Path]:
    files = [p for folder in CODE for p in sorted((ROOT / folder).rglob("*.py"))]
    return [*files, ROOT / "tasks.py", ROOT / "pelicanconf.py", ROOT / "publishconf.py"]


def strings_in(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text("utf-8"), str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
        elif isinstance(node, ast.JoinedStr):  # an f-string, as written: f"{slug}.ics"
            found.append((node.lineno, ast.unparse(node)))
    return found


def written_outside(owner: str, wanted) -> list[str]:
    found = []
    for path in python_files():
        name = path.relative_to(ROOT).as_posix()
        if name == owner:
            continue
        found += [f"{name}:{line}" for line, text in strings_in(path) if wanted(text)]
    return found


def test_the_build_folders_default_is_written_only_in_paths_py():
    assert written_outside("letterpress/paths.py", lambda text: text == "build") == []


def test_the_workshops_calendar_address_is_written_only_in_the_workshops_plugin():
    """The e-mail and the inbox take it from the manifest (ics_url), never spell it."""
    owner = "plugins/workshops/generator.py"
    assert written_outside(owner, lambda text: ".ics" in text and "slug" in text) == []
    assert (
        written_outside(owner, lambda text: text.startswith("workshops/") and ".ics" in text) == []
    )


def test_the_day_rule_is_only_in_clock_py():
    """Nothing but letterpress/clock.py turns a moment into the site's day with astimezone and
    .date() for publishing decisions: schedule.py and newsletter/selection.py ask it."""
    for name in ("letterpress/schedule.py", "letterpress/newsletter/selection.py"):
        source = (ROOT / name).read_text("utf-8")
        assert "astimezone" not in source, name
        assert "from letterpress.clock import" in source, name


def environment_reads(path: Path) -> list[int]:
    """Lines where `path` reads one variable of the environment (os.environ.get, os.getenv,
    os.environ[...]); handing the whole environment on (to a child process) is not a read."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        target = node.func if isinstance(node, ast.Call) else None
        if isinstance(node, ast.Subscript):
            target = node.value
        text = ast.unparse(target) if target is not None else ""
        if text in ("os.environ.get", "os.getenv", "environ.get", "getenv") or (
            isinstance(node, ast.Subscript) and text in ("os.environ", "environ")
        ):
            lines.append(node.lineno)
    return lines


# commands/new.py is being moved onto commands/site.py in its own branch of issue 23.
ITS_OWN_BRANCH = {"commands/new.py"}


def test_tasks_read_settings_only_through_commands_site():
    """docs/architecture.md: every task reads its settings through commands/site.py: none
    imports pelicanconf or reads an environment variable itself."""
    offenders = []
    tasks = [ROOT / "tasks.py", *sorted((ROOT / "commands").glob("*.py"))]
    for path in tasks:
        name = path.relative_to(ROOT).as_posix()
        if name in ("commands/site.py", *ITS_OWN_BRANCH):
            continue
        imported = [
            f"{name}:{node.lineno} imports {module}"
            for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path)))
            for module in (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if module.split(".")[0] in ("pelicanconf", "publishconf")
        ]
        offenders += imported + [
            f"{name}:{line} reads the environment" for line in environment_reads(path)
        ]
    assert offenders == []


def test_clock_py_is_the_only_reader_of_letterpress_today():
    """docs/architecture.md: letterpress/clock.py is the only reader of LETTERPRESS_TODAY."""
    found = written_outside("letterpress/clock.py", lambda text: text == "LETTERPRESS_TODAY")
    assert [place for place in found if not place.startswith(tuple(ITS_OWN_BRANCH))] == []


def test_gateway_py_is_the_one_module_that_talks_to_stripe():
    """docs/architecture.md: payments/gateway.py is the one module that talks to Stripe."""
    importers = [
        path.relative_to(ROOT).as_posix()
        for path in python_files()
        for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path)))
        if (
            isinstance(node, ast.Import)
            and any(a.name.split(".")[0] == "stripe" for a in node.names)
        )
        or (isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "stripe")
    ]
    assert sorted(set(importers)) == ["letterpress/payments/gateway.py"]
