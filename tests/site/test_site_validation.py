"""Every built page is valid HTML according to the Nu HTML Checker."""

import shutil
import subprocess

from tests.site.pages import VNU_JAR
from tests.support import require_tool


def test_the_nu_html_checker_finds_no_errors(site):
    require_tool(
        shutil.which("java") is not None, "Java", "apt-get install -y default-jre-headless"
    )
    require_tool(VNU_JAR.is_file(), "The Nu HTML Checker (vnu.jar)", "run npm ci (make test does)")
    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--skip-non-html", str(site.output)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"vnu reported errors:\n{result.stderr}{result.stdout}"
