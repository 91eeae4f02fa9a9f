"""The deploy kit's files are valid for the tools that read them, and say what docs/deploy.md
promises: systemd-analyze verifies the unit, Caddy validates the Caddyfile with a server's values,
nginx -t accepts the nginx alternative (same headers and policy as Caddy's), and the container
image's files are enough to run the inbox."""

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.deploy.kit import (
    CADDY,
    CADDYFILE,
    DEPLOY,
    UNIT,
    UNITS,
    ServiceProcess,
    caddy_validate,
    csp_directives,
    install_settings,
    local_paths,
    stop_process,
    unit_entries,
    values,
    wait_until,
)
from tests.support import ROOT, free_port, require_tool, write_test_manifest

SYSTEMD_ANALYZE = shutil.which("systemd-analyze") or "/usr/bin/systemd-analyze"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CONTAINERFILE = DEPLOY / "Containerfile"
NGINX_CONF = DEPLOY / "nginx.conf"
CADDY_ENV = DEPLOY / "caddy.env"


# -- the systemd unit ------------------------------------------------------------------------


def rendered_unit(tmp_path: Path, text: str | None = None, unit: Path = UNIT) -> Path:
    """A unit with this machine's paths (see ServerPaths.render), named as on a server."""
    paths = local_paths(tmp_path)
    rendered = tmp_path / unit.name
    rendered.write_text(paths.render(text if text is not None else unit.read_text("utf-8")))
    return rendered


def verify(unit: Path) -> str:
    require_tool(Path(SYSTEMD_ANALYZE).exists(), "systemd-analyze", "apt-get install -y systemd")
    result = subprocess.run(
        [SYSTEMD_ANALYZE, "verify", str(unit)], capture_output=True, text=True, timeout=60
    )
    # systemd-analyze exits 0 on a value it cannot parse, saying "ignoring": every line counts.
    return (result.stdout + result.stderr).strip() + ("" if result.returncode == 0 else " (failed)")


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_systemd_analyze_verifies_the_units(tmp_path, unit):
    assert verify(rendered_unit(tmp_path, unit=unit)) == ""


def test_the_guides_drop_in_for_paid_workshops_verifies(tmp_path):
    """docs/deploy.md's drop-in (Stripe's secrets as credentials) beside the unit, as systemd
    reads it from letterpress-inbox.service.d/."""
    guide = (ROOT / "docs" / "deploy.md").read_text("utf-8")
    drop_in = re.search(r"stripe\.conf <<'EOF'\n(.*?)^EOF$", guide, re.S | re.M).group(1)
    assert "STRIPE_SECRET_KEY_FILE=%d/" in drop_in
    unit = rendered_unit(tmp_path)
    folder = tmp_path / f"{UNIT.name}.d"
    folder.mkdir()
    (folder / "stripe.conf").write_text(drop_in)
    assert verify(unit) == ""
    (folder / "stripe.conf").write_text(drop_in.replace("LoadCredential=", "LoadCredentials="))
    assert "Unknown key 'LoadCredentials'" in verify(unit)


def test_systemd_analyze_would_catch_a_broken_unit(tmp_path):
    broken = UNIT.read_text("utf-8").replace("ProtectSystem=strict", "ProtectSystem=stricter")
    assert "ignoring: stricter" in verify(rendered_unit(tmp_path, broken))
    missing = UNIT.read_text("utf-8").replace(".venv/bin/python", ".venv/bin/pithon")
    assert "is not executable" in verify(rendered_unit(tmp_path, missing))


@pytest.mark.parametrize("unit", UNITS, ids=lambda p: p.name)
def test_the_units_run_as_their_own_user_in_a_read_only_system(unit):
    service = unit_entries(unit.read_text("utf-8"))["Service"]
    one = {key: value for key, value in service}
    assert one["User"] == "letterpress" and one["ProtectSystem"] == "strict"
    assert values(service, "ReadWritePaths") == ["/var/lib/letterpress"]
    assert one["Restart"] == "on-failure"
    environment = dict(assignment.split("=", 1) for assignment in values(service, "Environment"))
    assert environment["LETTERPRESS_SETTINGS"] == "/etc/letterpress/letterpress.toml"
    # Every credential is handed over as a *_FILE variable, never as a value.
    for spec in values(service, "LoadCredential"):
        name = spec.split(":")[0]
        assert f"%d/{name}" in environment.values()


def test_the_unit_runs_the_inbox_sandboxed_with_its_secrets_as_credentials():
    service = unit_entries(UNIT.read_text("utf-8"))["Service"]
    one = {key: value for key, value in service}
    assert one["User"] == "letterpress" and one["Group"] == "letterpress"
    assert one["ProtectSystem"] == "strict"
    assert one["Restart"] == "on-failure"
    assert values(service, "ReadWritePaths") == ["/var/lib/letterpress"]
    assert one["StateDirectory"] == "letterpress"
    assert one["NoNewPrivileges"] == "true" and one["CapabilityBoundingSet"] == ""
    # Listening on loopback only: Caddy or nginx is the one door.
    assert "--host 127.0.0.1" in one["ExecStart"]
    # No secret in the unit: each *_FILE variable points into the credentials directory.
    environment = dict(assignment.split("=", 1) for assignment in values(service, "Environment"))
    credentials = {spec.split(":")[0] for spec in values(service, "LoadCredential")}
    assert credentials == {"admin-token", "secret", "smtp-url"}
    for name in ("ADMIN_TOKEN", "SECRET", "SMTP_URL"):
        assert f"LETTERPRESS_{name}" not in environment
        pointer = environment[f"LETTERPRESS_{name}_FILE"]
        assert pointer.startswith("%d/") and pointer[3:] in credentials


def test_the_units_exposure_stays_low(tmp_path):
    """systemd's own score of the sandbox (0 best, 10 worst); the unit measured 1.7."""
    require_tool(Path(SYSTEMD_ANALYZE).exists(), "systemd-analyze", "apt-get install -y systemd")
    result = subprocess.run(
        [SYSTEMD_ANALYZE, "security", "--offline=true", str(rendered_unit(tmp_path))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    found = re.search(r"Overall exposure level for \S+: (\d+\.\d)", result.stdout + result.stderr)
    assert found, result.stdout + result.stderr
    print(f"\nsystemd-analyze security: exposure {found.group(1)}")
    assert float(found.group(1)) <= 2.0


def test_the_inbox_refuses_to_start_when_a_secret_file_is_unreadable(tmp_path):
    """As under systemd with a credential missing: the unit's start fails with a sentence."""
    paths = local_paths(tmp_path)
    install_settings(paths, {"admin-token": "a-token", "secret": "a-secret", "smtp-url": ""})
    service = ServiceProcess(paths, {"LETTERPRESS_ADMIN_TOKEN_FILE": str(tmp_path / "nowhere")})
    argv, environment, cwd = service.command()
    result = subprocess.run(
        argv, cwd=cwd, env=environment, capture_output=True, text=True, timeout=30
    )
    assert result.returncode != 0
    assert "LETTERPRESS_ADMIN_TOKEN_FILE" in result.stderr
    assert "Traceback" not in result.stderr


# -- Caddy -----------------------------------------------------------------------------------


def caddy_env_file() -> dict[str, str]:
    """deploy/caddy.env, the values a server gives Caddy."""
    pairs = {}
    for line in CADDY_ENV.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, value = line.partition("=")
            pairs[key] = value
    return pairs


def test_caddy_validates_the_caddyfile_with_a_servers_values(tmp_path):
    require_tool(Path(CADDY).exists(), "Caddy", "apt-get install -y caddy (or run bash .ci/run)")
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
    result = caddy_validate({**environment, **caddy_env_file()})
    assert result.returncode == 0, result.stderr
    assert "Valid configuration" in result.stdout + result.stderr

    # Without the addresses Caddy refuses to start rather than serve something else.
    partial = {k: v for k, v in caddy_env_file().items() if k != "LETTERPRESS_INBOX_ADDRESS"}
    assert caddy_validate({**environment, **partial}).returncode != 0


def test_caddy_env_sets_every_value_the_caddyfile_needs():
    text = CADDYFILE.read_text("utf-8")
    needed = set(re.findall(r"\{\$([A-Z_]+)\}", text))  # no default after a colon
    assert needed <= set(caddy_env_file()), needed - set(caddy_env_file())
    drop_in = (DEPLOY / "caddy-letterpress.conf").read_text("utf-8")
    assert "EnvironmentFile=/etc/letterpress/caddy.env" in drop_in


# -- nginx -----------------------------------------------------------------------------------


def caddy_policy(block_start: str, **names: str) -> dict[str, list[str]]:
    """The Content-Security-Policy of one Caddyfile block, its placeholders filled in."""
    text = CADDYFILE.read_text("utf-8")
    block = text[text.index(block_start) :]
    header = re.search(r'header \??Content-Security-Policy "([^"]+)"', block).group(1)
    for name, value in names.items():
        header = header.replace("{$" + name + "}", value)
    return csp_directives(header)


def nginx_policies() -> list[dict[str, list[str]]]:
    """The site's policy (an add_header) and the inbox's (the default of a map)."""
    text = NGINX_CONF.read_text("utf-8")
    site = re.search(r'add_header Content-Security-Policy "([^"]+)"', text).group(1)
    inbox = re.search(r'\$letterpress_inbox_csp \{\s*"" "([^"]+)"', text).group(1)
    return [csp_directives(site), csp_directives(inbox)]


def test_nginx_sends_the_same_policies_as_caddy():
    names = {
        "LETTERPRESS_INBOX_ADDRESS": "inbox.letterpress.example",
        "LETTERPRESS_SITE_URL": "https://letterpress.example",
    }
    site, inbox = nginx_policies()
    assert site == caddy_policy("{$LETTERPRESS_SITE_ADDRESS} {", **names)
    assert inbox == caddy_policy("{$LETTERPRESS_INBOX_ADDRESS} {", **names)


def test_nginx_accepts_the_configuration(tmp_path):
    """nginx -t with the file included in an http block, as Debian's nginx.conf includes
    sites-enabled/, its certificate paths pointing at a throwaway self-signed certificate."""
    require_tool(Path(NGINX).exists(), "nginx", "apt-get install -y nginx (or run bash .ci/run)")
    require_tool(shutil.which("openssl") is not None, "openssl", "apt-get install -y openssl")
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=letterpress.example", "-keyout", str(key), "-out", str(certificate)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    text = NGINX_CONF.read_text("utf-8")
    text = re.sub(r"/etc/letsencrypt/live/[^/]+/fullchain\.pem", str(certificate), text)
    text = re.sub(r"/etc/letsencrypt/live/[^/]+/privkey\.pem", str(key), text)
    site = tmp_path / "letterpress.conf"
    site.write_text(text)
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log stderr;\nevents {{}}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  access_log off;\n"
        f"  client_body_temp_path {tmp_path}/body;\n  proxy_temp_path {tmp_path}/proxy;\n"
        f"  include {site};\n}}\n"
    )
    result = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(main), "-e", "stderr"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
    # The control: a directive nginx does not know is caught.
    site.write_text(text.replace("client_max_body_size 160k;", "client_max_body 160k;"))
    result = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(main), "-e", "stderr"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0 and "client_max_body" in result.stderr


# -- the container image ---------------------------------------------------------------------


def containerfile() -> list[tuple[str, str]]:
    """The Containerfile's instructions, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", CONTAINERFILE.read_text("utf-8"))
    found = []
    for line in joined.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            instruction, _, rest = line.strip().partition(" ")
            found.append((instruction.upper(), rest.strip()))
    return found


def test_the_container_runs_as_its_own_user_with_secrets_as_files():
    instructions = containerfile()
    users = [rest for instruction, rest in instructions if instruction == "USER"]
    assert users == ["letterpress"]
    environment = " ".join(rest for instruction, rest in instructions if instruction == "ENV")
    assert "LETTERPRESS_ADMIN_TOKEN_FILE=/run/secrets/admin-token" in environment
    assert not re.search(r"LETTERPRESS_(ADMIN_TOKEN|SECRET|SMTP_URL)=", environment)


def test_the_images_files_are_enough_to_run_the_inbox(tmp_path):
    """What the image holds (its COPY lines, into its WORKDIR) runs the inbox with the image's
    environment and CMD: nothing it imports lives outside them. No image is built here (no
    registry to pull the base from); the interpreter is this machine's."""
    instructions = containerfile()
    (workdir,) = [Path(rest) for instruction, rest in instructions if instruction == "WORKDIR"]
    image = tmp_path / workdir.relative_to("/")
    for instruction, rest in instructions:
        if instruction == "COPY":
            source, destination = rest.split()
            target = image / destination
            if (ROOT / source).is_dir():
                shutil.copytree(ROOT / source, target, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                if destination.endswith("/"):
                    target = target / Path(source).name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(ROOT / source, target)
    environment = {}
    for instruction, rest in instructions:
        if instruction == "ENV":
            environment.update(pair.split("=", 1) for pair in shlex.split(rest))
    # The container's paths, on this machine: its settings file and secrets.
    paths = local_paths(tmp_path)
    install_settings(paths, {"admin-token": "a-token", "secret": "a-secret", "smtp-url": ""})
    port = free_port()
    for name in ("ADMIN_TOKEN", "SECRET", "SMTP_URL"):
        file_name = environment[f"LETTERPRESS_{name}_FILE"].rsplit("/", 1)[1]
        environment[f"LETTERPRESS_{name}_FILE"] = str(paths.config / file_name)
    environment["LETTERPRESS_SETTINGS"] = str(paths.config / "letterpress.toml")
    write_test_manifest(paths.site)
    environment["PATH"] = str(Path(sys.executable).parent) + ":/usr/bin:/bin"
    (command,) = [json.loads(rest) for instruction, rest in instructions if instruction == "CMD"]
    assert command[:3] == ["python", "-m", "letterpress.inbox"]
    command = [sys.executable, *command[1:]]
    command[command.index("--port") + 1] = str(port)
    process = subprocess.Popen(
        command, cwd=image, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:

        def healthy() -> bool:
            try:
                return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200
            except httpx.TransportError:
                return False

        wait_until(
            healthy,
            20,
            lambda: f"the inbox did not start:\n{process.stdout.read().decode()}",
            lambda: process.poll() is not None,
        )
    finally:
        stop_process(process)
    assert not (image / "pelicanconf.py").exists()


@pytest.mark.parametrize("path", sorted(DEPLOY.iterdir()), ids=lambda p: p.name)
def test_no_kit_file_holds_a_secret(path):
    """Secrets reach the inbox as files; the kit's files (in git) name them, never hold one."""
    assignments = re.findall(
        r"^\s*(admin_token|secret|smtp_url)\s*=", path.read_text("utf-8"), re.M
    )
    assert assignments == []


def test_the_servers_settings_file_is_one_letterpress_reads(tmp_path):
    from letterpress.settings import load_settings

    paths = local_paths(tmp_path)
    install_settings(paths, {})
    settings = load_settings({"LETTERPRESS_SETTINGS": str(paths.config / "letterpress.toml")})
    assert settings.inbox_db == paths.state / "inbox.sqlite3"
    assert settings.site_manifest == str(paths.site / "letterpress.json")
    assert settings.site_url == "https://letterpress.example"
    assert settings.inbox_url == "https://inbox.letterpress.example"
