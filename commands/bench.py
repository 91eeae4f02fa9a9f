"""`invoke bench`: the build benchmark (bench/speed.py) against plain Pelican with its defaults,
figures into bench/results.json. Thin: the script does the measuring; this task installs the plot's
dependencies on first use and passes the flags on."""

import shlex
import sys

from invoke import Collection, Exit, task

from commands.site import ROOT

PLOT_REQUIREMENTS = ROOT / "bench" / "requirements-plot.txt"


def _plot_tools(c) -> None:
    # Only the scaling plot needs matplotlib; it is pinned apart so `make test` never fetches it.
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        pip = [sys.executable, "-m", "pip", "install", "--quiet", "-r", str(PLOT_REQUIREMENTS)]
        c.run(shlex.join(pip))


@task(
    default=True,
    help={
        "essays": "essays in the benchmark corpus (10 comments each)",
        "rounds": "rounds of each kind, taken in turn",
        "edits": "saves of each kind (essay, comment, workshop) in each round's writing loop",
        "rebuilds": "essay edits in the memory loop (one Pelican kept alive), once a size",
        "screen": "also time save-to-screen under make serve (bench/save_to_screen.py, a browser)",
        "scaling": "also these sizes, e.g. 250,1000,4000: a table and bench/results/scaling.png",
    },
)
def speed(c, essays=1000, rounds=3, edits=3, rebuilds=10, screen=True, scaling=""):
    """Time cold builds and the writing loop against plain Pelican; write bench/results.json."""
    args = [sys.executable, str(ROOT / "bench" / "speed.py"), "--essays", str(essays)]
    args += ["--rounds", str(rounds), "--edits", str(edits), "--rebuilds", str(rebuilds)]
    if not screen:
        args.append("--no-screen")
    if scaling:
        _plot_tools(c)
        args += ["--scaling", scaling]
    with c.cd(str(ROOT)):
        result = c.run(shlex.join(args), warn=True, pty=False)
    if result.failed:
        raise Exit("The benchmark failed: the message above says where.", code=1)


ns = Collection("bench", speed)
