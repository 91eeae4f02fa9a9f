"""`invoke doctor`: the settings in force, where each came from, and what production lacks."""

from invoke import Exit, task

from commands.site import ROOT


@task
def doctor(c):
    """Show the settings in force (secrets hidden) and where each came from; check production
    (HTTPS addresses, SMTP, secrets, the inbox's health, the manifest): exit 1 on a problem."""
    from letterpress.doctor import observe, production_problems
    from letterpress.settings import SettingsError, explain, load_settings, settings_file

    try:
        settings = load_settings()
        origins = explain()
        source = settings_file()
    except SettingsError as error:
        raise Exit(f"Settings: {error}", code=2) from None
    print(f"Settings file: {source or 'none (defaults and the environment only)'}")
    width = max(len(origin.name) for origin in origins)
    for origin in origins:
        print(f"  {origin.name:<{width}}  {origin.shown}  [{origin.source}]")
    problems = production_problems(settings, observe(settings, origins, ROOT))
    if not problems:
        print("Ready for production: nothing missing.")
        return
    print(f"\nNot ready for production ({len(problems)}):")
    for problem in problems:
        print(f"  - {problem}")
    raise Exit(code=1)
