"""Imports only go down (docs/architecture.md, "Layers"): the library never imports Pelican,
invoke, the plugins or the tasks; the e-mail code (notify, mailing) never imports the inbox that
uses it; the pure newsletter checks import no task. Read from the source, so a new import that
goes up fails here, naming the file and line."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# (the folder or module, the imports it must not make, why)
RULES = [
    ("letterpress", ("pelican", "invoke", "plugins", "commands", "tasks"), "the library"),
    ("letterpress/notify", ("letterpress.inbox", "letterpress.moderation"), "the e-mail code"),
    ("letterpress/mailing", ("letterpress.inbox", "letterpress.moderation"), "the mailing code"),
    ("letterpress/clock.py", ("letterpress.",), "the clock, below everything"),
    ("letterpress/paths.py", ("letterpress.",), "the hand-off paths, below everything"),
]


def imported_names(path: Path) -> list[tuple[int, str]]:
    """Every module `path` imports (absolute names; relative imports resolved), with lines."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found += [(node.lineno, base)] + [
                (node.lineno, f"{base}.{alias.name}") for alias in node.names
            ]
    return found


def files_of(where: str) -> list[Path]:
    target = ROOT / where
    return [target] if target.suffix == ".py" else sorted(target.rglob("*.py"))


def goes_up(name: str, forbidden: tuple[str, ...]) -> bool:
    return any(name == f.rstrip(".") or name.startswith(f.rstrip(".") + ".") for f in forbidden)


@pytest.mark.parametrize("where,forbidden,what", RULES, ids=[rule[0] for rule in RULES])
def test_imports_only_go_down(where, forbidden, what):
    offenders = sorted(
        {
            f"{path.relative_to(ROOT)}:{line} imports {name}"
            for path in files_of(where)
            for line, name in imported_names(path)
            if goes_up(name, forbidden)
        }
    )
    assert offenders == [], f"{what} ({where}) must not import {', '.join(forbidden)}"


def test_the_rule_sees_an_import_that_goes_up(tmp_path):
    """The check itself can fail: a relative import into the inbox is resolved and caught."""
    module = ROOT / "letterpress" / "notify" / "sending.py"
    names = [name for _, name in imported_names(module)]
    assert "letterpress.notify.store" in names  # `from . import store`, resolved
    assert goes_up("letterpress.inbox.config", RULES[1][1])
    assert not goes_up("letterpress.inboxes", RULES[1][1])


def test_people_lives_under_the_inbox():
    assert not (ROOT / "letterpress" / "people.py").exists()
    assert (ROOT / "letterpress" / "inbox" / "personal_data.py").is_file()
