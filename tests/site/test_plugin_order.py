"""Plugins that read another plugin's results say so when PLUGINS lists them too early."""

import pytest

from letterpress.context_keys import PluginOrderError, check_plugin_order
from tests.support import TODAY, copy_content, run_build


def test_a_reader_listed_after_its_providers_passes():
    check_plugin_order(["comments", "workshops", "feeds"], "feeds", ("comments", "workshops"))


def test_a_provider_left_out_is_fine():
    check_plugin_order(["schedule", "feeds"], "feeds", ("comments", "workshops"))


def test_a_reader_listed_first_is_refused_naming_both_plugins():
    with pytest.raises(PluginOrderError, match=r"'feeds' before 'workshops'.*move 'feeds' after"):
        check_plugin_order(["comments", "feeds", "plugins.workshops"], "feeds", ("workshops",))


def test_the_build_stops_with_the_sentence_when_plugins_are_out_of_order(tmp_path):
    settings = tmp_path / "misordered.py"
    settings.write_text(
        "import os, sys\nsys.path.append(os.curdir)\nfrom pelicanconf import *  # noqa\n"
        # Relative paths in settings are read from the settings file's folder.
        "PLUGIN_PATHS = [os.path.abspath('plugins')]\nTHEME = os.path.abspath('theme')\n"
        "PLUGINS = ['feeds', *[p for p in PLUGINS if p != 'feeds']]\n",
        "utf-8",
    )
    content = copy_content(tmp_path / "content")
    result = run_build(
        content, tmp_path / "output", tmp_path / "build", today=TODAY, settings=str(settings)
    )
    assert result.returncode != 0
    assert "PLUGINS in pelicanconf.py lists 'feeds' before 'newsletter'" in result.stdout + (
        result.stderr
    )
