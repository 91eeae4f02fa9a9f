"""One set of settings: a TOML file, the environment over it, secrets from files; every bad value
named with where it was set; secrets never shown."""

import os
import re
import subprocess
import sys

import pytest

from letterpress.inbox.config import ConfigError, InboxConfig
from letterpress.settings import SettingsError, explain, load_settings
from tests.support import ROOT


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_the_file_is_read_and_the_environment_overrides_it(tmp_path):
    settings_file = write(
        tmp_path / "letterpress.toml",
        'inbox_url = "https://inbox.example.org/"\ncomment_rate = 3\nsignup_rate = 4\n',
    )
    environ = {"LETTERPRESS_SETTINGS": str(settings_file), "LETTERPRESS_COMMENT_RATE": "9"}
    settings = load_settings(environ)
    assert settings.inbox_url == "https://inbox.example.org"
    assert (settings.comment_rate, settings.signup_rate) == (9, 4)
    sources = {origin.name: origin.source for origin in explain(environ)}
    assert sources["comment_rate"] == "environment (LETTERPRESS_COMMENT_RATE)"
    assert sources["signup_rate"] == str(settings_file)
    assert sources["registration_rate"] == "default"


def test_a_secret_comes_from_the_file_its_variable_names_and_never_prints(tmp_path):
    token = write(tmp_path / "admin-token", "s3cret-token-value\n")
    key = write(tmp_path / "akismet", "akismet-key-value")
    environ = {
        "LETTERPRESS_SETTINGS": str(write(tmp_path / "s.toml", "")),
        "LETTERPRESS_ADMIN_TOKEN_FILE": str(token),
        "AKISMET_KEY_FILE": str(key),
    }
    settings = load_settings(environ)
    assert settings.admin_token.get_secret_value() == "s3cret-token-value"
    assert settings.akismet_key.get_secret_value() == "akismet-key-value"
    shown = repr(settings) + repr(explain(environ)) + repr(InboxConfig.from_environ(environ))
    assert "s3cret" not in shown and "akismet-key-value" not in shown
    origin = {o.name: o for o in explain(environ)}["admin_token"]
    assert (origin.shown, origin.source) == (
        "(set, hidden)",
        "file named by LETTERPRESS_ADMIN_TOKEN_FILE",
    )


@pytest.mark.parametrize(
    "toml, environ, named",
    [
        ("comment_rate = -1\n", {}, "'comment_rate' in"),
        ("", {"LETTERPRESS_COMMENT_RATE": "five"}, "LETTERPRESS_COMMENT_RATE in the environment"),
        ('smtp_url = "mail.example.org"\n', {}, "smtp://user:password@host:587"),
        ('inbox_url = "inbox.example.org"\n', {}, "http:// or https://"),
        ("comment_rat = 3\n", {}, "comment_rat (in"),
        ("comment_rate = \n", {}, "Fix the file"),
        ("", {"LETTERPRESS_SECRET_FILE": "/nonexistent/secret"}, "LETTERPRESS_SECRET_FILE="),
    ],
)
def test_a_bad_setting_is_named_with_where_it_was_set(tmp_path, toml, environ, named):
    environ = {"LETTERPRESS_SETTINGS": str(write(tmp_path / "s.toml", toml)), **environ}
    with pytest.raises(SettingsError) as raised:
        load_settings(environ)
    assert named in str(raised.value)
    with pytest.raises(ConfigError):  # the inbox refuses to start with the same sentence
        InboxConfig.from_environ(environ)


def test_a_settings_file_that_is_not_there_is_named(tmp_path):
    with pytest.raises(SettingsError, match=r"LETTERPRESS_SETTINGS=.*no such file"):
        load_settings({"LETTERPRESS_SETTINGS": str(tmp_path / "missing.toml")})


def test_smtp_without_a_secret_or_a_sender_is_refused_by_the_inbox(tmp_path):
    environ = {
        "LETTERPRESS_SETTINGS": str(write(tmp_path / "s.toml", 'smtp_url = "smtp://h:25"\n')),
    }
    with pytest.raises(ConfigError, match="set secret too"):
        InboxConfig.from_environ(environ)
    environ["LETTERPRESS_SECRET"] = "x" * 32
    with pytest.raises(ConfigError, match="set mail_from too"):
        InboxConfig.from_environ(environ)


def test_the_repository_s_own_settings_file_is_valid():
    environ = {"LETTERPRESS_SETTINGS": str(ROOT / "letterpress.toml")}
    settings = load_settings(environ)
    assert settings.dev_inbox_url == "http://127.0.0.1:8001"
    assert not settings.admin_token.get_secret_value()  # no secret is ever committed


def test_every_build_aims_the_forms_at_the_settings_inbox(tmp_path):
    """A build in another terminal reads the same file as `make serve`: same inbox address."""
    settings_file = write(
        tmp_path / "s.toml",
        'dev_inbox_url = "http://127.0.0.1:8111"\ninbox_url = "https://inbox.example.org"\n',
    )
    env = {**os.environ, "LETTERPRESS_SETTINGS": str(settings_file)}
    code = (
        "from commands.site import read_site_settings as r;"
        "print(r('pelicanconf.py')['INBOX_URL'], r('publishconf.py')['INBOX_URL'])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.stdout.split() == ["http://127.0.0.1:8111", "https://inbox.example.org"]


def test_docs_settings_lists_every_key_and_no_other():
    """docs/settings.md's table is the reference: a key added to Settings must be documented."""
    from letterpress.settings import Settings

    table = (ROOT / "docs" / "settings.md").read_text("utf-8").split("## Every key", 1)[1]
    documented = set()
    for line in table.splitlines():
        if line.startswith("| `"):
            documented.update(re.findall(r"`([a-z0-9_]+)`", line.split("|")[1]))
    assert documented == set(Settings.model_fields)
