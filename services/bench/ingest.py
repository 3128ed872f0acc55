"""`modctl bench-ingest`: how many POST /v1/comments the web process accepts per second, and how fast.

The real web process (gunicorn, as deployed) on PostgreSQL and the Redis broker, loaded by wrk
(a C load generator, so the client costs little of the machine) with every request a new comment.
"""

import re
import shutil
import subprocess
import uuid
from pathlib import Path

from services.bench.pipeline import new_site, process_env, running, wait_ready
from services.processes import web_command
from shared.settings import Settings

SCRIPT = Path(__file__).with_name("ingest.lua")


def ingest_throughput(settings: Settings, *, connections: int, seconds: int, port: int) -> dict[str, float]:
    """Requests/s, p50 and p99 ms of POST /v1/comments under `connections` keep-alive connections."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise RuntimeError("wrk is not installed: apt-get install wrk")
    _, key = new_site(settings)
    base = f"http://127.0.0.1:{port}"
    with running(web_command(), process_env(settings, MOD_PORT=str(port))):
        wait_ready(base)
        command = [
            wrk,
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "-s",
            str(SCRIPT),
            base,
            "--",
            key,
            uuid.uuid4().hex[:8],
        ]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    match = re.search(r"RESULT per_s=([\d.]+) p50_ms=([\d.]+) p99_ms=([\d.]+) errors=(\d+)", output)
    if match is None:
        raise RuntimeError(f"wrk said:\n{output}")
    per_s, p50, p99, errors = match.groups()
    return {"per_s": float(per_s), "p50_ms": float(p50), "p99_ms": float(p99), "errors": int(errors)}
