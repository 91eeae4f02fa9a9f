"""Templates are not checked for changes within a build (JINJA_ENVIRONMENT's auto_reload is off),
yet a template edited while `make serve` runs shows on its next rebuild: Pelican makes new Jinja
environments for every build. One Pelican is kept alive as `pelican --autoreload` keeps it."""

import shutil
import subprocess
import sys
from pathlib import Path

from bench import corpus
from tests.support import build_env

ROOT = Path(__file__).resolve().parents[2]

KEPT_ALIVE = """
import sys
from pelican import get_instance, parse_arguments

content, output, settings = sys.argv[1:4]
pelican, _ = get_instance(parse_arguments([content, "-s", settings, "-o", output, "-q"]))
pelican.run()
print("built", flush=True)
for _line in sys.stdin:
    pelican.run()
    print("built", flush=True)
"""


def wait_built(loop: subprocess.Popen) -> None:
    # Pelican prints its own "Done: ..." lines before ours.
    for line in loop.stdout:
        if line.strip() == "built":
            return
    raise AssertionError(f"the kept-alive Pelican ended with status {loop.wait()}")


def test_a_template_edited_under_make_serve_shows_on_the_next_rebuild(tmp_path):
    content = corpus.generate(tmp_path / "content", 2, seed=3)
    theme = shutil.copytree(ROOT / "theme", tmp_path / "theme")
    settings = tmp_path / "settings.py"
    settings.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
        "from pelicanconf import *  # noqa: F403\n"
        f"PLUGIN_PATHS = [{str(ROOT / 'plugins')!r}]\nTHEME = {str(theme)!r}\n",
        "utf-8",
    )
    output = tmp_path / "output"
    loop = subprocess.Popen(
        [sys.executable, "-c", KEPT_ALIVE, str(content), str(output), str(settings)],
        cwd=ROOT,
        env=build_env(tmp_path / "build"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        wait_built(loop)
        pages = sorted(output.glob("essays/*/*/*/index.html"))
        assert pages and "Edited while serving" not in pages[0].read_text("utf-8")
        article = theme / "templates" / "article.html"
        article.write_text(
            article.read_text("utf-8").replace(
                "<header>", "<header><p>Edited while serving</p>", 1
            ),
            "utf-8",
        )
        loop.stdin.write("rebuild\n")
        loop.stdin.flush()
        wait_built(loop)
        assert "Edited while serving" in pages[0].read_text("utf-8")
    finally:
        loop.stdin.close()
        loop.wait(timeout=60)
