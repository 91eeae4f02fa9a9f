"""`invoke newsletter.push` and `newsletter.status` as the author runs them: a real process, the
real client, the local Mailchimp, and a git repository for the ledger."""

import base64
import dataclasses
import email.parser
import email.policy
import json
import os
import subprocess

import pytest
from invoke import Context, Exit
from mailing_helpers import API_KEY, write_issue

from commands import newsletter_push
from tests.support import run_invoke

MAILCHIMP_VARIABLES = ("MAILCHIMP_API_KEY", "MAILCHIMP_LIST_ID", "MAILCHIMP_API_BASE")


def invoke(*args: str, env: dict) -> subprocess.CompletedProcess:
    """A task that sees no Mailchimp setting of the developer's, only those in `env`."""
    clean = {k: v for k, v in os.environ.items() if k not in MAILCHIMP_VARIABLES}
    return run_invoke(*args, env={**clean, **env}, timeout=120)


@dataclasses.dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str


@pytest.fixture
def task(monkeypatch, capsys):
    """Run a task in this process, as invoke would (an Exit becomes the exit code and message
    on stderr); much faster than a new interpreter for each run."""

    def run(name: str, env: dict, **options) -> Run:
        with monkeypatch.context() as patched:
            for variable in MAILCHIMP_VARIABLES:
                patched.delenv(variable, raising=False)
            for variable, value in env.items():
                patched.setenv(variable, value)
            code, message = 0, ""
            try:
                getattr(newsletter_push, name)(Context(), **options)
            except Exit as exit:
                code, message = exit.code, exit.message
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err + message)

    return run


@pytest.fixture
def env(mailchimp, build, repository):
    return {
        **mailchimp.env,
        "LETTERPRESS_BUILD_DIR": str(build),
        "LETTERPRESS_LEDGER": str(repository / "newsletter-ledger.json"),
    }


def test_push_creates_the_draft_and_commits_the_ledger(mailchimp, env, repository):
    result = invoke("newsletter.push", "--month", "2026-11", env=env)
    assert result.returncode == 0, result.stderr
    [campaign] = mailchimp.campaigns.values()
    assert f"Created campaign {campaign['id']} 'Newsletter 2026-11' on mailchimp." in result.stdout
    log = subprocess.run(
        ["git", "-C", str(repository), "log", "--format=%s", "--name-only"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert f"Newsletter 2026-11 on mailchimp: draft created (campaign {campaign['id']})" in log
    assert "newsletter-ledger.json" in log
    committed = json.loads((repository / "newsletter-ledger.json").read_text())
    assert committed["2026-11"]["campaign_id"] == campaign["id"]


def test_a_schedule_off_the_quarter_hour_is_refused_before_any_request(mailchimp, env):
    result = invoke(
        "newsletter.push", "--month", "2026-11", "--schedule", "2026-12-01T09:07", env=env
    )
    assert result.returncode == 1
    assert "Mailchimp schedules only on the quarter hour (:00, :15, :30, :45)" in result.stderr
    assert mailchimp.requests == []


@pytest.mark.parametrize(
    ("when", "reason"),
    [
        ("2020-12-01T09:00", "is in the past"),
        ("next tuesday", "is not a date and time"),
        ("2027-03-14T02:30", "does not exist in America/Los_Angeles"),
    ],
)
def test_a_bad_schedule_is_refused_before_any_request(mailchimp, env, task, when, reason):
    result = task("push", env, month="2026-11", schedule=when)
    assert result.returncode == 1
    assert reason in result.stderr
    assert mailchimp.requests == []


def test_send_needs_yes(mailchimp, env, task):
    result = task("push", env, month="2026-11", send=True)
    assert result.returncode == 2
    assert "add --yes to confirm" in result.stderr
    assert mailchimp.requests == []


def test_schedule_converts_the_authors_local_time_to_utc(mailchimp, env, task):
    # America/Los_Angeles (the TIMEZONE setting) is UTC-8 in December.
    result = task("push", env, month="2026-11", schedule="2099-12-01T09:00")
    assert result.returncode == 0, result.stderr
    [campaign] = mailchimp.campaigns.values()
    assert campaign["send_time"] == "2099-12-01T17:00:00+00:00"
    assert "= 2099-12-01 17:00 UTC" in result.stdout


def test_a_checklist_that_is_not_ready_is_printed_item_by_item(mailchimp, env, task):
    mailchimp.checklist_problems += [
        {"type": "error", "id": 7, "heading": "Sender domain", "details": "Verify your domain."},
        {"type": "warning", "id": 8, "heading": "Preview text", "details": "Looks short."},
    ]
    result = task("push", env, month="2026-11", send=True, yes=True)
    assert result.returncode == 1
    assert "  - error: Sender domain: Verify your domain." in result.stdout
    assert "  - warning: Preview text: Looks short." in result.stdout
    assert not any(r.path.endswith("/actions/send") for r in mailchimp.requests)


def test_status_shows_the_ledger_and_mailchimp(mailchimp, env, task):
    task("push", env, month="2026-11")
    result = task("status", env)
    assert result.returncode == 0, result.stderr
    [campaign] = mailchimp.campaigns.values()
    assert f"2026-11: draft, campaign {campaign['id']}" in result.stdout
    assert f"mailchimp says: 'save' (campaign {campaign['id']})" in result.stdout


def test_the_api_key_never_appears_in_output_logs_or_the_ledger(
    mailchimp, env, build, repository, task, caplog
):
    wrong_key = "abcdefabcdefabcdefabcdefabcdef12-us21"
    caplog.set_level("DEBUG")
    runs = [
        task("push", env, month="2026-11", test_to="a@example.org"),
        task("push", {**env, "MAILCHIMP_API_KEY": wrong_key}, month="2026-11"),
    ]
    mailchimp.fail("POST", "/campaigns/{campaign_id}/actions/send", status=500)
    runs.append(task("push", env, month="2026-11", send=True, yes=True))
    runs.append(task("status", {**env, "MAILCHIMP_API_BASE": "http://127.0.0.1:9/3.0"}))
    assert [run.returncode for run in runs] == [0, 1, 1, 0]
    assert "rejected the API key" in runs[1].stderr
    assert "Could not reach Mailchimp" in runs[3].stdout
    written = [p.read_text(errors="replace") for p in build.rglob("*") if p.is_file()]
    written += [p.read_text(errors="replace") for p in repository.rglob("*") if p.is_file()]
    logged = [record.getMessage() for record in caplog.records]
    everything = "\n".join([*(run.stdout + run.stderr for run in runs), *written, *logged])
    assert "Newsletter 2026-11" in everything
    for key in (API_KEY, wrong_key):
        secret = key.split("-")[0]
        assert secret not in everything
        assert base64.b64encode(f"user:{key}".encode()).decode() not in everything


def test_without_mailchimp_keys_the_push_goes_to_the_outbox(build, repository, task):
    env = {
        "LETTERPRESS_BUILD_DIR": str(build),
        "LETTERPRESS_LEDGER": str(repository / "newsletter-ledger.json"),
    }
    pushed = task("push", env, month="2026-11", test_to="miriam@letterpress.example")
    scheduled = task("push", env, month="2026-11", schedule="2099-12-01T09:00")
    assert pushed.returncode == 0, pushed.stderr
    assert scheduled.returncode == 0, scheduled.stderr
    assert "Created campaign outbox-2026-11 'Newsletter 2026-11' on outbox." in pushed.stdout
    outbox = build / "outbox"
    test_mail = email.parser.BytesParser(policy=email.policy.default).parsebytes(
        (outbox / "2026-11" / "test-1.eml").read_bytes()
    )
    assert test_mail["To"] == "miriam@letterpress.example"
    assert test_mail.get_body(("plain",)).get_content().startswith("Hello Sam,")
    assert (outbox / "2026-11" / "scheduled.eml").is_file()
    ledger = json.loads((outbox / "ledger.json").read_text())
    assert ledger["2026-11"]["state"] == "scheduled"
    # Practice runs never touch the committed ledger.
    assert not (repository / "newsletters").exists()


def test_the_newsletter_check_stops_a_schedule(mailchimp, env, build, task):
    write_issue(build, note="<script>track()</script>Four essays on slack.")
    result = task("push", env, month="2026-11", schedule="2099-12-01T09:00")
    assert result.returncode == 1
    assert "  - error: Newsletter check: error: [script]" in result.stdout
    assert not any(r.path.endswith("/actions/schedule") for r in mailchimp.requests)
