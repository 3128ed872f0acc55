"""`modctl bench-faults`: the compose process layout under a steady stream, with faults injected in turn.

Everything runs on this machine, on servers of the bench's own so that nobody else's are disturbed:
a PostgreSQL cluster (initdb + pg_ctl in a temporary folder, stopped for 10 s by one fault), a
redis-server with an append-only file as compose runs it (restarted by another), gunicorn, a
moderation worker, a notify worker, beat, and a callback receiver. For each fault a stream of
comments is posted (a site retries a 503 as its Retry-After asks: every POST is idempotent), the
fault is injected mid-stream, and once the stream ends the bench waits for one sweep past the
requeue delay. Then, for the comments accepted (202) during that fault:

    lost        accepted but not stored
    duplicated  more than one automatic verdict for one comment version
    stuck       still pending (and not quarantined) after the sweep
    overwritten a moderator's decision replaced by the machine's
    http_5xx    answers 500-599 other than 503 with Retry-After (those are counted as http_503)

and, besides, callbacks not delivered by then (undelivered_callbacks) and how many comments a
moderator decided while the worker was scoring them (raced).
"""

import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import partial
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import requests
from sqlalchemy import func, select

from ingest.sites import create_site
from services.processes import ROOT, beat_command, web_command, worker_command
from shared.db import get_sessionmaker, session_scope
from shared.migrate import upgrade
from shared.models import Comment, ModerationAction, Notification, Verdict
from shared.vocabulary import CommentStatus, NotificationStatus

REQUEUE_AFTER_S = 5  # MOD_PENDING_REQUEUE_AFTER_S for the bench: one sweep comes quickly
SWEEP_S = 2
RUDE = "Заткнись, тупая мразь, ты ничего не понимаешь"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _as_postgres(command: list[str]) -> list[str]:
    # initdb and postgres refuse to run as root.
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class Postgres:
    """A PostgreSQL cluster of the bench's own, in `folder`, on `port`."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port, self.data = folder, port, folder / "pgdata"
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"

    def init(self) -> None:
        self.folder.mkdir(mode=0o755)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        subprocess.run(
            _as_postgres(["initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync"]),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self.start()

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = self.folder / "postgres.log"
        subprocess.run(
            _as_postgres(["pg_ctl", "-D", str(self.data), "-o", options, "-l", str(log), "-w", "start"]),
            check=True,
            stdout=subprocess.DEVNULL,
        )

    def stop(self) -> None:
        subprocess.run(
            _as_postgres(["pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop"]),
            check=True,
            stdout=subprocess.DEVNULL,
        )


class Redis:
    """A redis-server of the bench's own, persisting its queues like compose's (appendonly)."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder, port
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.folder.mkdir(exist_ok=True)
        command = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--dir", str(self.folder)]
        command += ["--appendonly", "yes", "--save", ""]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        ping = ["redis-cli", "-p", str(self.port), "ping"]
        _wait(lambda: subprocess.run(ping, capture_output=True, check=False).returncode == 0)

    def kill(self) -> None:
        if self.process is not None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()


class Receiver:
    """The site's callback endpoint: records each delivery; `down()` closes the port."""

    def __init__(self, port: int) -> None:
        self.port, self.deliveries = port, []  # type: ignore[var-annotated]
        self.server: ThreadingHTTPServer | None = None

    def up(self) -> None:
        deliveries = self.deliveries

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                deliveries.append(self.headers.get("X-Modsys-Delivery"))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *_args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def down(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


@dataclass
class Stream:
    """Comments posted at `rate` per second from a thread; a 503 is retried as a site would."""

    base: str
    key: str
    rate: float = 20.0
    rude: bool = False
    on_accepted: Callable[[int], None] | None = None
    accepted: set[int] = field(default_factory=set)
    http_5xx: int = 0
    http_503: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def _post(self, n: int) -> None:
        body: dict[str, Any] = {
            "external_id": f"fault-{uuid.uuid4().hex}",
            "article": {"id": "a-1", "url": "https://luki.ru/news/1"},
            "author": {"id": f"u-{n % 50}", "name": "Читатель"},
            "text": RUDE if self.rude or n % 3 == 0 else f"Спасибо за новость номер {n}",
        }
        headers = {"Authorization": f"Bearer {self.key}"}
        for _ in range(200):  # about a minute of retries
            try:
                response = requests.post(f"{self.base}/v1/comments", json=body, headers=headers, timeout=10)
            except requests.RequestException:
                time.sleep(0.3)
                continue
            if response.status_code == 202:
                self.accepted.add(response.json()["id"])
                if self.on_accepted:
                    self.on_accepted(response.json()["id"])
                return
            if response.status_code == 503 and "Retry-After" in response.headers:
                self.http_503 += 1
            elif response.status_code >= 500:
                self.http_5xx += 1
            time.sleep(0.3)

    def _run(self) -> None:
        n = 0
        while not self._stop.is_set():
            n += 1
            threading.Thread(target=self._post, args=(n,), daemon=True).start()
            time.sleep(1 / self.rate)

    @contextmanager
    def running(self) -> Iterator["Stream"]:
        thread = threading.Thread(target=self._run, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            thread.join()
            time.sleep(2)  # the last posts' retries end


def _wait(probe: Callable[[], bool], timeout_s: float = 60) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if probe():
                return True
        except Exception:  # noqa: BLE001 (a server still starting)
            pass
        time.sleep(0.2)
    return False


@dataclass
class Layout:
    """The compose process layout on the bench's servers."""

    env: dict[str, str]
    logs: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def start(self, name: str) -> None:
        commands = {
            "web": web_command(),
            "moderation": worker_command("moderation", ("--concurrency", "1")),
            "notify": worker_command("notify", ("--pool", "threads", "--concurrency", "4")),
            "beat": beat_command(str(self.logs / "celerybeat-schedule")),
        }
        with (self.logs / f"{name}.log").open("ab") as log:
            self.processes[name] = subprocess.Popen(
                commands[name], env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        process = self.processes.pop(name)
        if process.poll() is None:
            os.killpg(process.pid, sig)
        process.wait()

    def stop_all(self) -> None:
        for name in list(self.processes):
            self.kill(name, signal.SIGTERM)


@dataclass
class Outcome:
    name: str
    accepted: int = 0
    stored: int = 0
    decided: int = 0
    lost: int = 0
    duplicated: int = 0
    stuck: int = 0
    overwritten: int = 0
    http_5xx: int = 0
    http_503: int = 0
    undelivered: int = 0
    raced: int = 0  # comments a moderator decided while the worker scored them

    def line(self) -> str:
        return (
            f"fault={self.name} accepted={self.accepted} stored={self.stored} decided={self.decided} "
            f"lost={self.lost} duplicated={self.duplicated} stuck={self.stuck} overwritten={self.overwritten} "
            f"http_5xx={self.http_5xx} http_503={self.http_503} undelivered_callbacks={self.undelivered} "
            f"raced={self.raced}"
        )


def _settle(database_url: str, ids: set[int], wait_s: float) -> None:
    """Wait (at most wait_s) until none of `ids` is pending and not quarantined."""

    def pending() -> int:
        with session_scope(database_url) as session:
            return _pending(session, ids)

    _wait(lambda: pending() == 0, timeout_s=wait_s)


def _pending(session: Any, ids: set[int]) -> int:
    query = select(func.count()).where(
        Comment.id.in_(ids), Comment.status == CommentStatus.PENDING, Comment.quarantined_at.is_(None)
    )
    return int(session.scalar(query) or 0)


def _measure(name: str, database_url: str, stream: Stream, humans: dict[int, str]) -> Outcome:
    ids = set(stream.accepted)
    outcome = Outcome(name, accepted=len(ids), http_5xx=stream.http_5xx, http_503=stream.http_503, raced=len(humans))
    with session_scope(database_url) as session:
        stored = set(session.scalars(select(Comment.id).where(Comment.id.in_(ids))))
        outcome.stored, outcome.lost = len(stored), len(ids - stored)
        outcome.stuck = _pending(session, ids)
        outcome.decided = int(
            session.scalar(select(func.count()).where(Comment.id.in_(ids), Comment.status != CommentStatus.PENDING))
            or 0
        )
        twice = (
            select(Verdict.comment_id)
            .where(Verdict.comment_id.in_(ids))
            .group_by(Verdict.comment_id, Verdict.version)
            .having(func.count() > 1)
        )
        outcome.duplicated = len(list(session.scalars(twice)))
        # A moderator's decision is the last word unless another human spoke since.
        last_human: dict[int, str | None] = {}
        for comment_id, new_status in session.execute(
            select(ModerationAction.comment_id, ModerationAction.new_status)
            .where(ModerationAction.comment_id.in_(humans), ModerationAction.new_status.is_not(None))
            .order_by(ModerationAction.id)
        ):
            if comment_id is not None:
                last_human[comment_id] = new_status
        statuses = dict(session.execute(select(Comment.id, Comment.status).where(Comment.id.in_(last_human))).all())
        outcome.overwritten = sum(1 for i, status in last_human.items() if statuses.get(i) != status)
        outcome.undelivered = int(
            session.scalar(
                select(func.count()).where(
                    Notification.comment_id.in_(ids), Notification.status != NotificationStatus.DELIVERED
                )
            )
            or 0
        )
    return outcome


FAULTS = ("worker_kill", "redis_restart", "postgres_stop", "receiver_down", "human_race")


def run_faults(
    *,
    rate: float,
    stream_s: float,
    receiver_down_s: float,
    echo: Callable[[str], None],
    only: tuple[str, ...] = FAULTS,
) -> list[Outcome]:
    """Start everything, inject each fault in turn under the stream, and measure; stops everything after."""
    root = Path(tempfile.mkdtemp(prefix="modsys-faults-"))
    root.chmod(0o755)
    pg, redis = Postgres(root / "pg", _free_port()), Redis(root / "redis", _free_port())
    receiver, web_port = Receiver(_free_port()), _free_port()
    pg.init()
    redis.start()
    receiver.up()
    broker = f"redis://127.0.0.1:{redis.port}"
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("MOD_")},
        "PYTHONPATH": str(ROOT),
        "MOD_DATABASE_URL": pg.url,
        "MOD_BROKER_URL": f"{broker}/0",
        "MOD_SPAM__REDIS_URL": f"{broker}/1",
        "MOD_HOST": "127.0.0.1",
        "MOD_PORT": str(web_port),
        "MOD_WEB_WORKERS": "2",
        "MOD_WEB_THREADS": "1",
        "MOD_LOG_LEVEL": "WARNING",
        "MOD_ALLOW_PRIVATE_TARGETS": "true",  # the receiver is on loopback
        "MOD_PENDING_REQUEUE_AFTER_S": str(REQUEUE_AFTER_S),
        "MOD_SWEEP_INTERVAL_S": str(SWEEP_S),
        "MOD_BROKER_VISIBILITY_TIMEOUT_S": "10",
        "MOD_CALLBACK__BACKOFF_BASE_S": "0.5",
        "MOD_CALLBACK__BACKOFF_MAX_S": "5",
        "MOD_SITE_CACHE_S": "1",
    }
    layout = Layout(env, root)
    try:
        upgrade(pg.url)
        with session_scope(pg.url) as session:
            key = create_site(session, name="luki", callback_url=f"http://127.0.0.1:{receiver.port}/cb").api_key
        for name in ("web", "moderation", "notify", "beat"):
            layout.start(name)
        base = f"http://127.0.0.1:{web_port}"
        if not _wait(lambda: requests.get(f"{base}/healthz", timeout=1).ok):
            raise RuntimeError(f"the API did not come up; see {root}/web.log")
        return _inject_all(pg, redis, receiver, layout, base, key, rate, stream_s, receiver_down_s, echo, only)
    finally:
        layout.stop_all()
        receiver.down()
        redis.kill()
        get_sessionmaker(pg.url).kw["bind"].dispose()
        with suppress(subprocess.CalledProcessError):
            pg.stop()
        shutil.rmtree(root, ignore_errors=True)


def _inject_all(
    pg: Postgres,
    redis: Redis,
    receiver: Receiver,
    layout: Layout,
    base: str,
    key: str,
    rate: float,
    stream_s: float,
    receiver_down_s: float,
    echo: Callable[[str], None],
    only: tuple[str, ...],
) -> list[Outcome]:
    settle_s = REQUEUE_AFTER_S + 3 * SWEEP_S + 30

    def worker_kill() -> None:
        layout.kill("moderation")
        time.sleep(1)
        layout.start("moderation")  # compose's restart: unless-stopped

    def redis_restart() -> None:
        redis.kill()
        time.sleep(2)
        redis.start()

    def postgres_stop() -> None:
        pg.stop()
        time.sleep(10)
        pg.start()

    def receiver_down() -> None:
        receiver.down()
        time.sleep(receiver_down_s)
        receiver.up()

    humans: dict[int, str] = {}

    def decide(comment_id: int) -> None:  # a moderator acts while the worker scores
        response = requests.post(
            f"{base}/v1/comments/{comment_id}/decision",
            json={"decision": "approve", "moderator": "olga"},
            headers={"Authorization": f"Bearer {key}"},
            timeout=10,
        )
        if response.status_code == 200:
            humans[comment_id] = "approved"

    faults: list[tuple[str, Callable[[], None] | None]] = [
        ("worker_kill", worker_kill),
        ("redis_restart", redis_restart),
        ("postgres_stop", postgres_stop),
        ("receiver_down", receiver_down),
        ("human_race", None),
    ]
    outcomes = []
    for name, inject in faults:
        if name not in only:
            continue
        race = inject is None
        stream = Stream(base, key, rate=rate, rude=race, on_accepted=decide if race else None)
        with stream.running():
            time.sleep(min(2.0, stream_s / 3))
            if inject is not None:
                inject()
            time.sleep(max(stream_s - 2.0, 1.0))
        _settle(pg.url, stream.accepted, settle_s)
        # Callbacks in flight (and, after receiver_down, those owed while it was down) are delivered.
        _wait(partial(_all_delivered, pg.url, set(stream.accepted)), timeout_s=60)
        outcome = _measure(name, pg.url, stream, humans if race else {})
        echo(outcome.line())
        outcomes.append(outcome)
    return outcomes


def _all_delivered(database_url: str, ids: set[int]) -> bool:
    return _undelivered(database_url, ids) == 0


def _undelivered(database_url: str, ids: set[int]) -> int:
    with session_scope(database_url) as session:
        query = select(func.count()).where(
            Notification.comment_id.in_(ids), Notification.status != NotificationStatus.DELIVERED
        )
        return int(session.scalar(query) or 0)


def summary(outcomes: list[Outcome]) -> Outcome:
    total = Outcome("all")
    for o in outcomes:
        for name in (
            "accepted",
            "stored",
            "decided",
            "lost",
            "duplicated",
            "stuck",
            "overwritten",
            "http_5xx",
            "http_503",
            "undelivered",
            "raced",
        ):
            setattr(total, name, getattr(total, name) + getattr(o, name))
    return total
