"""`modctl bench-ingest`: POST /v1/comments beside the stack's floor, in one run, as a ratio.

The floor (`../shared/bench/floor_ingest.py`, kept outside the repo so every project measures against
the same file) is the least a Flask + gunicorn route can do per accepted comment: parse JSON, check a
key hash, insert one row, push one Redis item. Both run as deployed (gunicorn, 4 processes of 1 thread
from the bench's settings), on the same PostgreSQL and Redis, loaded by wrk (a C load generator, so the
client costs little of the machine) with the same script, every request a new comment. Rounds
alternate between the two so the machine's other load falls on both alike; the figures are summed
over the rounds (requests/s) and the median of the rounds (p99).
"""

import re
import shutil
import socket
import statistics
import subprocess
import time
import uuid
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import make_url, text

from services.bench.pipeline import cpu_seconds, new_site, process_env, py_spy, running, wait_ready
from services.processes import BIN, web_command
from shared.db import make_engine
from shared.settings import Settings

SCRIPT = Path(__file__).with_name("ingest.lua")
_RESULT = re.compile(r"RESULT requests=(\d+) seconds=([\d.]+) p50_ms=([\d.]+) p99_ms=([\d.]+) errors=(\d+)")
FLOOR_TABLE = (
    "CREATE TABLE IF NOT EXISTS comments (id BIGSERIAL PRIMARY KEY, external_id TEXT UNIQUE, author_id TEXT, text TEXT)"
)


@dataclass(frozen=True)
class Round:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int
    cpu_s: float = 0.0  # CPU time the server's processes used in the round

    @property
    def per_s(self) -> float:
        return self.requests / self.seconds


@dataclass(frozen=True)
class Side:
    """One server's rounds."""

    rounds: list[Round]

    @property
    def per_s(self) -> float:
        return sum(r.requests for r in self.rounds) / sum(r.seconds for r in self.rounds)

    @property
    def p50_ms(self) -> float:
        return statistics.median(r.p50_ms for r in self.rounds)

    @property
    def p99_ms(self) -> float:
        return statistics.median(r.p99_ms for r in self.rounds)

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.rounds)

    @property
    def per_cpu_s(self) -> float:
        """Requests per second of the server's own CPU time: what it would answer with the
        machine to itself, the figure other people's load moves least."""
        cpu = sum(r.cpu_s for r in self.rounds)
        return sum(r.requests for r in self.rounds) / cpu if cpu > 0 else 0.0


def _server_cpu_seconds(pid: int) -> float:
    """CPU time of a gunicorn master and its workers so far (Linux /proc; 0 where unknown)."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    return cpu_seconds(pid) + sum(cpu_seconds(int(child)) for child in children)


def _measured(pid: int, base: str, key: str, *, connections: int, seconds: float) -> Round:
    before = _server_cpu_seconds(pid)
    result = _wrk(base, key, connections=connections, seconds=seconds)
    return replace(result, cpu_s=_server_cpu_seconds(pid) - before)


def _wrk(base: str, key: str, *, connections: int, seconds: float) -> Round:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed: scripts/ensure-wrk")
    run = uuid.uuid4().hex[:8]  # every round posts new external ids
    command = [wrk, "-t2", f"-c{connections}", f"-d{seconds:g}s", "-s", str(SCRIPT), base, "--", key, run]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = _RESULT.search(output)
    if match is None:
        raise RuntimeError(f"wrk said:\n{output}")
    requests, duration, p50, p99, errors = match.groups()
    return Round(int(requests), float(duration), float(p50), float(p99), int(errors))


def floor_database_url(settings: Settings) -> str:
    """The floor's own database beside the bench's (`<name>_floor`; it must exist: the Makefile creates it)."""
    url = make_url(settings.database_url)
    return url.set(database=f"{url.database}_floor").render_as_string(hide_password=False)


def _floor_command(floor: Path, port: int, workers: int) -> list[str]:
    # As the floor's own docstring runs it.
    return [
        str(BIN / "gunicorn"),
        "--chdir",
        str(floor.parent),
        "-w",
        str(workers),
        "--threads",
        "1",
        "-b",
        f"127.0.0.1:{port}",
        f"{floor.stem}:app",
    ]


def _wait_listening(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port}")


def ingest_beside_floor(
    settings: Settings,
    *,
    floor: Path,
    connections: int,
    seconds: float,
    rounds: int,
    port: int,
    floor_port: int,
    profile: Path | None = None,
) -> tuple[Side, Side]:
    """Alternating wrk rounds against the real API and the floor: (api, floor). With `profile`, one
    more API round afterwards, under py-spy (not counted: the profiler slows what it watches)."""
    _, key = new_site(settings)
    floor_db = floor_database_url(settings)
    engine = make_engine(floor_db)
    with engine.begin() as connection:
        connection.execute(text(FLOOR_TABLE))
    engine.dispose()
    floor_env = process_env(settings, FLOOR_DB=floor_db, FLOOR_KEYS=key)  # FLOOR_REDIS: from the environment
    api, base = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{floor_port}"
    with (
        running(web_command(), process_env(settings, MOD_PORT=str(port))) as web,
        running(_floor_command(floor, floor_port, settings.web_workers), floor_env) as floor_server,
    ):
        wait_ready(api)
        _wait_listening(floor_port)
        for url in (api, base):  # warm up: connections, compiled statements, first-request imports
            _wrk(url, key, connections=connections, seconds=2)
        sides: tuple[list[Round], list[Round]] = ([], [])
        for _ in range(rounds):
            sides[0].append(_measured(web.pid, api, key, connections=connections, seconds=seconds))
            sides[1].append(_measured(floor_server.pid, base, key, connections=connections, seconds=seconds))
        if profile is not None:
            spy = py_spy(web.pid, seconds, profile)
            _wrk(api, key, connections=connections, seconds=seconds)
            spy.wait()
    return Side(sides[0]), Side(sides[1])
