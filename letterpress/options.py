"""A plugin's options: its defaults overlaid with the author's setting, unknown keys refused."""

from collections.abc import Mapping


def merge_options(
    setting: str, defaults: Mapping, user: Mapping | None, error: type[Exception]
) -> dict:
    """dict(defaults, **user), raising `error` that names the setting and the first unknown key."""
    user = user or {}
    unknown = sorted(set(user) - set(defaults))
    if unknown:
        raise error(
            f"{setting} setting: unknown key {unknown[0]!r}; the keys are {', '.join(defaults)}."
        )
    return dict(defaults, **user)
