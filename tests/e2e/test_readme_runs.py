"""The README runs as written: a real `make run` (SQLite, no servers), then every shell example that is not
marked `<!-- not run: why -->`, in order, in a shell as a newcomer's would be, each printing what the README
shows (its JSON keys, or its first word). curl fails on an HTTP error here, so a wrong path cannot pass."""

import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.support.processes import free_port, log_contains, service_env, stop, wait_until
from tests.support.readme import blocks, matches

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple"
# What a newcomer's shell has that the README assumes: the virtualenv's commands, and a curl that
# says when an answer is an HTTP error (the examples use -s, which hides it).
PREAMBLE = """set -o pipefail
curl() { command curl --fail-with-body --show-error "$@"; }
"""
ASSIGNED = re.compile(r"(?m)^\s*([A-Z][A-Z0-9_]*)=")


def _run(command: str, base: str, env: dict[str, str], state: Path) -> subprocess.CompletedProcess[str]:
    names = sorted(set(ASSIGNED.findall(command)))
    keep = f"\nstatus=$?; declare -p {' '.join(names)} >> {state} 2>/dev/null; exit $status" if names else ""
    script = f"{PREAMBLE}source {state}\n{command.replace('http://127.0.0.1:8000', base)}{keep}"
    return subprocess.run(
        ["bash", "-c", script],
        cwd=ROOT,
        env=env,
        input=f"{PASSWORD}\n" * 20,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_every_readme_example_runs_as_written_against_make_run(tmp_path):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = service_env(
        MOD_DATABASE_URL=f"sqlite:///{tmp_path}/modsys.db",
        MOD_BROKER_URL=f"sqla+sqlite:///{tmp_path}/broker.db",
        MOD_PORT=str(port),
        MOD_DEMO_MODERATOR_PASSWORD=PASSWORD,
    )
    env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"
    log = tmp_path / "make-run.log"
    with log.open("wb") as out:
        service = subprocess.Popen(
            ["make", "--no-print-directory", "run"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until(log_contains(log, "Comment moderation is running"), timeout_s=90, what="make run's banner", log=log)
        state = tmp_path / "shell-state.sh"
        state.touch()
        ran = 0
        for block in blocks():
            for command in [] if block.not_run else block.commands:
                result = _run(command.text, base, env, state)
                # A read shows the decision once the worker has made it: ask again a few times, as a user would.
                deadline = time.monotonic() + 20
                while (
                    command.shown
                    and result.returncode == 0
                    and not matches(command.shown, result.stdout)
                    and " -X " not in command.text
                    and time.monotonic() < deadline
                ):
                    time.sleep(0.5)
                    result = _run(command.text, base, env, state)
                where = f"README.md:{command.line}: {command.text.splitlines()[0]}"
                assert result.returncode == 0, f"{where}\n{result.stdout}\n{result.stderr}"
                assert "Traceback" not in result.stderr, f"{where}\n{result.stderr}"
                if command.shown:
                    assert matches(command.shown, result.stdout), (
                        f"{where}\nshown: {command.shown}\ngot: {result.stdout}"
                    )
                ran += 1
        assert ran >= 20
    finally:
        stop(service)
