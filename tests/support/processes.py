"""Starting the project's real processes (workers, web, modctl run) for end-to-end tests."""

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
T = TypeVar("T")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def service_env(**settings: str) -> dict[str, str]:
    """The environment a process gets: ours, minus other MOD_* settings, plus these."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("MOD_")}
    # The tests' callback and webhook receivers listen on loopback.
    env.update({"PYTHONPATH": str(ROOT), "MOD_ALLOW_PRIVATE_TARGETS": "true", **settings})
    return env


def start(command: list[str], env: dict[str, str], log: Path, cwd: Path = ROOT) -> subprocess.Popen[bytes]:
    with log.open("ab") as handle:  # the child keeps its own copy of the descriptor
        return subprocess.Popen(
            command, env=env, cwd=cwd, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
        )


def stop(process: subprocess.Popen[bytes], sig: int = signal.SIGTERM, timeout_s: float = 20) -> int:
    if process.poll() is None:
        os.killpg(process.pid, sig)
    try:
        return process.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        return process.wait()


def worker(queue: str, env: dict[str, str], log: Path, *extra: str) -> subprocess.Popen[bytes]:
    """A real Celery worker, started the way compose starts it (`modctl worker QUEUE`)."""
    return start([str(BIN / "modctl"), "worker", queue, *extra], env, log)


@contextmanager
def running(*processes: subprocess.Popen[bytes]) -> Iterator[tuple[subprocess.Popen[bytes], ...]]:
    try:
        yield processes
    finally:
        for process in processes:
            stop(process)


def wait_until(
    probe: Callable[[], T | None], timeout_s: float = 30, what: str = "condition", log: Path | None = None
) -> T:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.1)
    tail = log.read_text(errors="replace")[-3000:] if log and log.exists() else ""
    raise AssertionError(f"timed out waiting for {what}\n{tail}")


def log_contains(log: Path, needle: str) -> Callable[[], Any]:
    return lambda: log.exists() and needle in log.read_text(errors="replace")
