"""The invoke tasks that publish the site: to a folder with rsync, and to a gh-pages branch."""

import json
import shutil
import subprocess

from tests.support import ROOT, build_env, require_tool
from tests.support import run_invoke as invoke

SITEURL = "https://example.test/blog"
# What a fresh clone holds; the rest is built or installed.
NOT_IN_A_CLONE = shutil.ignore_patterns(
    ".git", ".venv", "node_modules", "output", "build", "var", "__pycache__", ".*cache"
)


def git(*args, cwd) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return result.stdout


def tasks_of(collection: dict, prefix: str = ""):
    for task in collection["tasks"]:
        yield prefix + task["name"], task["help"]
    for sub in collection["collections"]:
        yield from tasks_of(sub, f"{prefix}{sub['name']}.")


def test_every_task_explains_itself_in_invoke_list():
    result = invoke("--list", "--list-format", "json")
    assert result.returncode == 0, result.stderr
    tasks = dict(tasks_of(json.loads(result.stdout)))
    for name in ("build", "rebuild", "clean", "serve", "preview", "publish"):
        assert name in tasks
    assert "gh-pages" in tasks
    assert [name for name, help_text in tasks.items() if not (help_text or "").strip()] == []


def test_publish_copies_the_production_build_to_the_target(tmp_path):
    require_tool(shutil.which("rsync") is not None, "rsync", "apt-get install -y rsync")
    target = tmp_path / "www"
    target.mkdir()
    (target / "stale.html").write_text("left from an older site", "utf-8")
    env = build_env(tmp_path / "build", SITEURL=SITEURL)
    result = invoke("publish", "--target", str(target), "--output", str(tmp_path / "out"), env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (target / "stale.html").exists()
    home = (target / "index.html").read_text("utf-8")
    assert f'href="{SITEURL}/essays/2026/' in home
    assert f'href="{SITEURL}/theme/css/letterpress.css"' in home
    assert (target / "pagefind" / "pagefind-ui.js").is_file()


def test_publish_without_a_target_says_how_to_give_one(tmp_path):
    env = build_env(tmp_path / "build", LETTERPRESS_PUBLISH_TARGET="")
    result = invoke("publish", "--output", str(tmp_path / "out"), env=env)
    assert result.returncode != 0
    assert "--target" in result.stderr + result.stdout


def test_gh_pages_pushes_the_site_to_a_branch_of_the_remote(tmp_path):
    # A throwaway clone, so the task's local gh-pages branch never lands in this repository.
    clone = tmp_path / "clone"
    shutil.copytree(ROOT, clone, ignore=NOT_IN_A_CLONE)
    git("init", "-q", cwd=clone)
    remote = tmp_path / "remote.git"
    git("init", "-q", "--bare", str(remote), cwd=tmp_path)
    identity = {
        "GIT_AUTHOR_NAME": "Letterpress Test",
        "GIT_AUTHOR_EMAIL": "test@letterpress.invalid",
        "GIT_COMMITTER_NAME": "Letterpress Test",
        "GIT_COMMITTER_EMAIL": "test@letterpress.invalid",
    }
    env = build_env(tmp_path / "build", SITEURL=SITEURL, **identity)
    result = invoke("gh-pages", "--remote", str(remote), cwd=clone, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    files = git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).splitlines()
    assert "index.html" in files
    assert ".nojekyll" in files
    assert "essays/2026/09/generative-not-competitive/index.html" in files
    home = git("show", "gh-pages:index.html", cwd=remote)
    assert f'href="{SITEURL}/essays/' in home
