"""`modctl bench-pipeline`: the real processes on PostgreSQL + Redis, measured from outside.

Two figures: how fast one moderation worker drains a backlog (batched vs one comment per model
call), and the time from POST to stored verdict at a steady request rate.
"""

import os
import shutil
import signal
import statistics
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import func, select

from ingest.sites import create_site
from services.processes import BIN, web_command, worker_command
from shared.db import session_scope
from shared.models import Comment, Verdict, as_utc
from shared.settings import Settings
from shared.vocabulary import CommentStatus


def _body(n: int) -> dict[str, Any]:
    rude = n % 3 == 0  # a third abusive, as a busy comment section might be
    return {
        "external_id": f"bench-{uuid.uuid4().hex}",
        "article": {"id": "a-1", "url": "https://luki.ru/news/1"},
        "author": {"id": f"u-{n % 50}", "name": "Читатель"},
        "text": "Заткнись, тупая мразь, ты ничего не понимаешь"
        if rude
        else f"Спасибо за новость номер {n}, очень интересно",
    }


@contextmanager
def running(command: list[str], env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=30)


def process_env(settings: Settings, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "MOD_DATABASE_URL": settings.database_url,
        "MOD_BROKER_URL": settings.broker_url,
        "MOD_LOG_LEVEL": "WARNING",
        **extra,
    }


def _count(settings: Settings, site_id: int, status: str | None = None) -> int:
    query = select(func.count()).select_from(Comment).where(Comment.site_id == site_id)
    if status:
        query = query.where(Comment.status == status)
    with session_scope(settings.database_url) as session:
        return session.scalar(query) or 0


def wait_ready(base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/healthz", timeout=1).ok:
                return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError("the API did not come up")


def _post_all(base: str, key: str, count: int, rate: float | None) -> None:
    """POST `count` comments from 8 threads, paced to `rate` per second when given."""
    started, lock, sent = time.monotonic(), threading.Lock(), [0]

    def run() -> None:
        session = requests.Session()
        while True:
            with lock:
                n = sent[0]
                sent[0] += 1
            if n >= count:
                return
            if rate:
                time.sleep(max(0.0, started + n / rate - time.monotonic()))
            session.post(
                f"{base}/v1/comments", json=_body(n), headers={"Authorization": f"Bearer {key}"}, timeout=10
            ).raise_for_status()

    threads = [threading.Thread(target=run) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


# The site is owed a callback for every verdict (an outbox row and a task for the notify queue, which
# no worker drains here), as a site that wants to be told is.
CALLBACK_URL = "http://127.0.0.1:9/modsys-callback"


def new_site(settings: Settings, callback_url: str | None = None) -> tuple[int, str]:
    with session_scope(settings.database_url) as session:
        issued = create_site(session, name=f"bench-{uuid.uuid4().hex[:8]}", callback_url=callback_url)
        return issued.site.id, issued.api_key


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux /proc), 0 where unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def drain_rate(
    settings: Settings, *, comments: int, batch_size: int, port: int, profile: Path | None = None
) -> tuple[float, float]:
    """Comments/s one moderation worker process decides, everything on (toxicity, spam, policy,
    verdict rows, callbacks owed), starting from a backlog of `comments`, and comments per second
    of the worker's own CPU time (what it would drain with a core to itself: the figure a shared,
    loaded machine moves least). With `profile`, py-spy records the worker while it drains (which
    slows it: profile and measure in separate runs)."""
    site_id, key = new_site(settings, callback_url=CALLBACK_URL)
    base = f"http://127.0.0.1:{port}"
    with running(web_command(), process_env(settings, MOD_PORT=str(port))):
        wait_ready(base)
        _post_all(base, key, comments, rate=None)
    worker = worker_command("moderation", ("--pool", "solo"))
    with running(worker, process_env(settings, MOD_TOXICITY__BATCH_SIZE=str(batch_size))) as process:
        while _count(settings, site_id, CommentStatus.PENDING) == comments:
            time.sleep(0.01)  # the clock starts with the first verdict, after the model loaded
        started, cpu = time.monotonic(), cpu_seconds(process.pid)
        spy = None if profile is None else py_spy(process.pid, 60, profile)
        while _count(settings, site_id, CommentStatus.PENDING):
            time.sleep(0.05)
        elapsed, cpu = time.monotonic() - started, cpu_seconds(process.pid) - cpu
        if spy is not None:
            spy.send_signal(signal.SIGINT)  # py-spy writes what it has when interrupted
            spy.wait()
        return comments / elapsed, comments / cpu if cpu > 0 else 0.0


def scorer_rate(settings: Settings, *, comments: int) -> float:
    """Comments/s the toxicity scorer alone scores in this process, in the worker's batches, on the
    drain's texts: the same-run reference for the drain rate (the machine's load moves both)."""
    from moderation.scoring.backends import get_scorer

    scorer, batch = get_scorer(settings.toxicity), settings.toxicity.batch_size
    texts = [_body(n)["text"] for n in range(comments)]
    scorer.score_batch(texts[:batch])  # warm up
    started = time.perf_counter()
    for start in range(0, len(texts), batch):
        scorer.score_batch(texts[start : start + batch])
    return len(texts) / (time.perf_counter() - started)


def post_to_verdict_latency(settings: Settings, *, rate: float, seconds: float, port: int) -> dict[str, float]:
    """p50/p99 seconds from a comment's creation to its verdict, posting at `rate` per second."""
    site_id, key = new_site(settings, callback_url=CALLBACK_URL)
    base = f"http://127.0.0.1:{port}"
    total = int(rate * seconds)
    with (
        running(web_command(), process_env(settings, MOD_PORT=str(port))),
        running(worker_command("moderation", ("--pool", "solo")), process_env(settings)),
    ):
        wait_ready(base)
        time.sleep(5)  # let the worker load its model
        _post_all(base, key, total, rate=rate)
        deadline = time.monotonic() + 60
        while _count(settings, site_id, CommentStatus.PENDING) and time.monotonic() < deadline:
            time.sleep(0.1)
    with session_scope(settings.database_url) as session:
        rows = session.execute(
            select(Comment.created_at, Verdict.created_at)
            .join(Verdict, Verdict.comment_id == Comment.id)
            .where(Comment.site_id == site_id)
        ).all()
    latencies = sorted((as_utc(v) - as_utc(c)).total_seconds() for c, v in rows)
    return {
        "n": len(latencies),
        "decided": len(latencies) / total,
        "p50": statistics.median(latencies),
        "p99": latencies[int(len(latencies) * 0.99) - 1],
    }


def py_spy(pid: int, seconds: float, output: Path) -> subprocess.Popen[bytes]:
    """py-spy recording a process and its children (gunicorn's workers) into collapsed stacks."""
    spy = shutil.which("py-spy", path=str(BIN)) or shutil.which("py-spy")
    if spy is None:
        raise RuntimeError("py-spy is not installed: make .venv/.installed-test (the test extra has it)")
    command = [spy, "record", "--pid", str(pid), "--subprocesses", "--nonblocking", "--format", "raw"]
    return subprocess.Popen(
        [*command, "--rate", "200", "--duration", f"{seconds:g}", "--output", str(output)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
