"""`invoke doctor`: the settings in force with their sources, secrets hidden, and every gap for
production named, with a non-zero exit while there is one."""

import os
import subprocess

from pydantic import SecretStr

from letterpress.doctor import Observed, _secrets_in_git, production_problems
from letterpress.settings import Settings, explain
from tests.support import free_port, run_invoke

READY = Settings(
    site_url="https://essays.example.org",
    inbox_url="https://inbox.essays.example.org",
    smtp_url=SecretStr("smtps://user:pw@mail.example.org:465"),
    secret=SecretStr("x" * 40),
    admin_token=SecretStr("y" * 40),
    mail_from="Miriam <notes@essays.example.org>",
)


def test_a_complete_production_setup_has_no_problem():
    assert production_problems(READY, Observed()) == []


def test_each_gap_is_one_sentence_that_says_what_to_do():
    bare = Settings(site_url="http://essays.example.org")
    problems = production_problems(bare, Observed(inbox_problem="The inbox at … is down"))
    starts = [problem.split(" ")[0] for problem in problems]
    assert starts == [
        "site_url",
        "inbox_url",
        "smtp_url",
        "secret",
        "admin_token",
        "mail_from",
        "The",
    ]
    assert "LETTERPRESS_SMTP_URL_FILE" in problems[2]
    plain = READY.model_copy(update={"inbox_url": "http://inbox.essays.example.org"})
    assert production_problems(plain, Observed())[0].startswith("inbox_url http://")


def test_doctor_shows_sources_hides_secrets_and_names_an_unreachable_inbox(tmp_path):
    settings_file = tmp_path / "letterpress.toml"
    inbox_url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    settings_file.write_text(
        f'site_url = "https://essays.example.org"\ninbox_url = "{inbox_url}"\n'
    )
    env = {
        **os.environ,
        "LETTERPRESS_SETTINGS": str(settings_file),
        "LETTERPRESS_ADMIN_TOKEN": "very-secret-admin-token",
    }
    result = run_invoke("doctor", env=env)
    assert result.returncode == 1
    assert "very-secret-admin-token" not in result.stdout + result.stderr
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.startswith("  ")}
    assert lines["admin_token"].endswith("(set, hidden)  [environment (LETTERPRESS_ADMIN_TOKEN)]")
    assert lines["inbox_url"].endswith(f"[{settings_file}]")
    assert lines["comment_rate"].endswith("[default]")
    assert f"The inbox at {inbox_url} cannot be reached" in result.stdout


def test_doctor_reports_the_inbox_healthy_when_it_answers(start_inbox, tmp_path):
    inbox = start_inbox()
    settings_file = tmp_path / "letterpress.toml"
    settings_file.write_text(f'inbox_url = "{inbox.url}"\n')
    result = run_invoke("doctor", env={**os.environ, "LETTERPRESS_SETTINGS": str(settings_file)})
    assert result.returncode == 1  # not https, no SMTP...: still not ready
    assert "cannot be reached" not in result.stdout and "/healthz with" not in result.stdout


def test_doctor_exits_2_with_the_sentence_for_a_bad_setting(tmp_path):
    env = {**os.environ, "LETTERPRESS_COMMENT_RATE": "many"}
    result = run_invoke("doctor", env=env)
    assert result.returncode == 2
    assert "LETTERPRESS_COMMENT_RATE in the environment" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_secret_in_a_settings_file_git_tracks_is_a_problem(tmp_path):
    repo = tmp_path / "site"
    repo.mkdir()
    settings_file = repo / "letterpress.toml"
    settings_file.write_text('admin_token = "committed-by-mistake"\n')
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "letterpress.toml"], check=True)
    origins = explain({"LETTERPRESS_SETTINGS": str(settings_file)}, root=repo)
    found = _secrets_in_git(origins, repo)
    assert found == [f"admin_token@{settings_file}"]
    [problem] = [
        p
        for p in production_problems(READY, Observed(secrets_in_git=tuple(found)))
        if "git tracks" in p
    ]
    assert "LETTERPRESS_ADMIN_TOKEN_FILE" in problem
