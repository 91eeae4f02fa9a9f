"""The benchmark's own tools: wrk (a Debian package) and a separate venv for Isso and py-spy.

Isso and gevent are pinned in bench/requirements.txt and live in bench/.venv, so the product's
pins in requirements*.txt never carry a comparison target.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1]
REQUIREMENTS = BENCH / "requirements.txt"
VENV = BENCH / ".venv"


class ToolError(RuntimeError):
    """A tool the benchmark needs is missing and could not be installed; says how to get it."""


def ensure_wrk() -> str:
    """The path of wrk, installing Debian's package when missing and we are root."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise ToolError("wrk is not installed: run `sudo apt-get install -y wrk` and try again.")
    print("Installing wrk (apt-get install -y wrk)...", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for step in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
        if subprocess.run(step, env=env).returncode != 0:
            raise ToolError(f"`{' '.join(step)}` failed: install wrk by hand and try again.")
    found = shutil.which("wrk")
    if not found:
        raise ToolError("apt-get installed wrk but it is not on PATH.")
    return found


def _stamp() -> Path:
    return VENV / ".requirements"


def ensure_bench_venv() -> Path:
    """bench/.venv's Python with bench/requirements.txt installed (again when the file changed)."""
    python = VENV / "bin" / "python"
    wanted = REQUIREMENTS.read_text("utf-8")
    stamp = _stamp()
    if python.exists() and stamp.exists() and stamp.read_text("utf-8") == wanted:
        return python
    print(f"Setting up {VENV} from {REQUIREMENTS.name} (Isso, gevent, py-spy)...", file=sys.stderr)
    base = shutil.which("python3.11") or sys.executable
    steps = [[base, "-m", "venv", str(VENV)]] if not python.exists() else []
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    steps.append([*pip, "-r", str(REQUIREMENTS)])
    for step in steps:
        if subprocess.run(step).returncode != 0:
            raise ToolError(f"`{' '.join(step)}` failed: see the message above.")
    stamp.write_text(wanted, "utf-8")
    return python


def py_spy() -> Path:
    return ensure_bench_venv().parent / "py-spy"
