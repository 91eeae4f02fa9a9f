"""Every task answers `invoke TASK --help` with its own help, positional arguments or not."""

import concurrent.futures

from tests.support import run_invoke


def task_names() -> list[str]:
    listed = run_invoke("--list", "--list-format", "flat")
    assert listed.returncode == 0, listed.stderr
    # A task's line starts two spaces in; its docstring may wrap onto lines indented further.
    lines = listed.stdout.splitlines()[1:]
    return [line.split()[0] for line in lines if line.startswith("  ") and line[2] != " "]


def test_every_task_shows_its_help_for_help_after_its_name():
    names = task_names()
    assert {"build", "comments.approve", "newsletter.check", "workshops.roster"} <= set(names)
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        helps = pool.map(lambda name: run_invoke(name, "--help"), names)
        answers = dict(zip(names, helps, strict=True))
    for name, answer in answers.items():
        assert answer.returncode == 0, f"invoke {name} --help: {answer.stdout}{answer.stderr}"
        assert f"inv[oke] [--core-opts] {name} " in answer.stdout, name
        assert "Docstring:" in answer.stdout, name
