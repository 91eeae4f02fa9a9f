"""Plugin options: defaults overlaid with the author's setting; a misspelt key is named."""

import pytest

from letterpress.options import merge_options


class OptionError(ValueError):
    pass


def test_the_authors_values_win_and_defaults_fill_the_rest():
    merged = merge_options(
        "WORKSHOPS", {"block": "next", "index": True}, {"block": "off"}, OptionError
    )
    assert merged == {"block": "off", "index": True}


def test_no_setting_means_the_defaults():
    assert merge_options("NEWSLETTER", {"a": 1}, None, OptionError) == {"a": 1}


def test_an_unknown_key_is_refused_naming_the_setting_and_the_keys():
    with pytest.raises(
        OptionError, match=r"WORKSHOPS setting: unknown key 'blok'; the keys are block"
    ):
        merge_options("WORKSHOPS", {"block": "next"}, {"blok": "off"}, OptionError)
