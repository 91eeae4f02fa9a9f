"""The docs cannot rot: every command they show exists and takes the flags shown, every link to
a file of the repository leads to one, and the README stays a front door."""

import concurrent.futures
import re
import shlex
import subprocess
import textwrap
from functools import cache
from pathlib import Path

import pytest

from tests.support import ROOT, run_invoke

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# Fenced blocks, also those indented under a list item.
FENCE = re.compile(r"^[ \t]*```[^\n]*\n(.*?)^[ \t]*```", re.S | re.M)
INVOKE = re.compile(r"(?:^|[\s;&|(`])\.venv/bin/invoke\s+([^#`\n]+)")
MAKE = re.compile(r"(?:^|[\s;&|(`])make\s+([a-z][\w-]*)")
LINK = re.compile(r"\]\((?!https?:|mailto:|#)([^)#\s]+)")


def shown_code(path: Path) -> list[str]:
    """Lines of the fenced blocks and `inline code` of a Markdown file."""
    text = path.read_text("utf-8")
    blocks = [line for block in FENCE.findall(text) for line in block.splitlines()]
    inline = re.findall(r"`([^`\n]+)`", FENCE.sub("", text))
    return blocks + inline


def invocations() -> set[tuple[str, tuple[str, ...]]]:
    """(task, flags) for every `.venv/bin/invoke TASK --flag …` the docs show."""
    found = set()
    for path in DOCS:
        for line in shown_code(path):
            for command in INVOKE.findall(line):
                try:
                    words = shlex.split(command.replace("…", ""))
                except ValueError:
                    words = command.split()
                if not words or not re.fullmatch(r"[a-z][\w.-]*", words[0]):
                    continue  # a placeholder such as TASK
                flags = tuple(
                    w.split("=")[0] for w in words[1:] if w.startswith("--") and w != "--help"
                )
                found.add((words[0], flags))
    return found


@cache
def task_help(task: str) -> str:
    answer = run_invoke(task, "--help")
    return answer.stdout if answer.returncode == 0 else ""


def test_the_docs_show_commands_one_way():
    """Tasks are shown as .venv/bin/invoke TASK (README says so once), never a bare `invoke`
    that works only in an activated environment."""
    bare = [
        f"{path.relative_to(ROOT)}: {line.strip()}"
        for path in DOCS
        for line in shown_code(path)
        if re.match(r"\s*(?:[A-Z_]+=\S+\s+)*invoke\s+[a-z]", line)
    ]
    assert bare == []


def test_every_task_and_flag_the_docs_show_exists():
    shown = invocations()
    assert len(shown) > 10, "the docs should show the author's tasks"
    tasks = sorted({task for task, _ in shown})
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(task_help, tasks))
    problems = []
    for task, flags in sorted(shown):
        text = task_help(task)
        if not text:
            problems.append(f"invoke {task}: no such task")
            continue
        problems += [f"invoke {task} {flag}: no such flag" for flag in flags if flag not in text]
    assert problems == []


def test_every_make_target_the_docs_show_exists():
    makefile = (ROOT / "Makefile").read_text("utf-8")
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, re.M))
    shown = {t for path in DOCS for line in shown_code(path) for t in MAKE.findall(line)}
    assert {"build", "test", "serve"} <= shown
    assert shown - targets == set()


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_links_to_repository_files_lead_somewhere(doc):
    missing = [
        target
        for target in LINK.findall(re.sub(r"`[^`\n]*`", "", FENCE.sub("", doc.read_text("utf-8"))))
        if not (doc.parent / target).exists()
    ]
    assert missing == []


def test_the_readme_is_a_front_door():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert len(readme.splitlines()) <= 200
    for needed in ("make build", "make test", "docs/architecture.md", "letterpress.json"):
        assert needed in readme


# docs/deploy.md: the routine a person follows on a server. Its commands run as root on another
# machine, so they are checked for what can be checked here: the kit's files they install exist,
# each file of the kit is covered, the shell parses, the units named are the kit's, and the
# settings shown are ones Letterpress reads.
DEPLOY_GUIDE = ROOT / "docs" / "deploy.md"
SHELL_BLOCK = re.compile(r"^([ \t]*)```sh\n(.*?)^[ \t]*```", re.S | re.M)
TOML_BLOCK = re.compile(r"^[ \t]*```toml\n(.*?)^[ \t]*```", re.S | re.M)


def test_the_deploy_guide_installs_every_file_of_the_kit_and_only_real_ones():
    text = DEPLOY_GUIDE.read_text("utf-8")
    # deploy/X and /srv/letterpress/deploy/X, not /home/deploy/.ssh
    named = set(re.findall(r"(?:(?<=[\s`([])|(?<=letterpress/)|(?<=\.\./))deploy/([\w.-]+)", text))
    kit = {path.name for path in (ROOT / "deploy").iterdir()}
    assert named - kit == set(), "the guide names files the kit lacks"
    assert kit - named == set(), "files of the kit the guide never mentions"


def test_the_deploy_guides_shell_blocks_parse():
    blocks = [textwrap.dedent(block) for _, block in SHELL_BLOCK.findall(DEPLOY_GUIDE.read_text())]
    assert len(blocks) >= 10
    for block in blocks:
        result = subprocess.run(["bash", "-n"], input=block, capture_output=True, text=True)
        assert result.returncode == 0, f"{result.stderr}\n{block}"


def test_the_deploy_guide_starts_the_kits_units():
    text = DEPLOY_GUIDE.read_text("utf-8")
    kit = {path.stem for path in (ROOT / "deploy").glob("*.service")}
    started = {
        unit
        for line in re.findall(
            r"systemctl (?:enable --now|start|stop|restart|status) ([^\n]+)", text
        )
        for unit in line.split()
    }
    assert kit <= started
    assert started - kit <= {"caddy", "nginx"}


def test_the_settings_the_deploy_guide_shows_are_settings():
    import tomllib

    from letterpress.settings import Settings

    blocks = TOML_BLOCK.findall(DEPLOY_GUIDE.read_text("utf-8"))
    keys = {key for block in blocks for key in tomllib.loads(textwrap.dedent(block))}
    assert keys and keys <= set(Settings.model_fields)
