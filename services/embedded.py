"""`modctl run`: the whole service on one machine with no servers (SQLite + SQLite broker)."""

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests
from sqlalchemy.exc import OperationalError

from ingest.sites import create_site, find_site
from moderation.moderators.accounts import create_moderator, find_moderator, set_password
from services.broker_housekeeping import prune_taken_messages
from services.processes import beat_command, web_command, worker_command
from shared.console_urls import home_url
from shared.db import session_scope
from shared.migrate import upgrade
from shared.settings import Settings
from shared.site_lifecycle import new_api_key, reissue_api_key
from shared.vocabulary import ModeratorRole

DEMO_SITE = "demo"
DEMO_MODERATOR = "demo"
ACTOR = "modctl:run"  # who the demo site's audit rows name
PRUNE_EVERY_S = 600
PRUNE_TAKEN_AFTER_S = 3600


def ensure_demo_site(settings: Settings) -> str:
    """The demo site's API key: MOD_DEMO_SITE_KEY if set, else a new one (only hashes are kept)."""
    with session_scope(settings.database_url) as session:
        site = find_site(session, DEMO_SITE)
        if site is None:
            return create_site(session, name=DEMO_SITE, api_key=settings.demo_site_key, actor=ACTOR).api_key
        return reissue_api_key(session, site, settings.demo_site_key or new_api_key(), actor=ACTOR)


def ensure_demo_moderator(settings: Settings) -> str:
    """The demo admin's password: MOD_DEMO_MODERATOR_PASSWORD if set, else a new one at every start."""
    password = settings.demo_moderator_password or secrets.token_urlsafe(12)
    with session_scope(settings.database_url) as session:
        moderator = find_moderator(session, DEMO_MODERATOR)
        if moderator is None:
            create_moderator(session, username=DEMO_MODERATOR, password=password, role=ModeratorRole.ADMIN)
        else:
            set_password(session, moderator, password)
    return password


def _start_all(settings: Settings, var: Path) -> list[subprocess.Popen[bytes]]:
    # Children read the same settings from the environment; pin the URLs the parent used.
    env = {**os.environ, "MOD_DATABASE_URL": settings.database_url, "MOD_BROKER_URL": settings.broker_url}
    commands = [
        web_command(),
        worker_command("moderation", ("--pool", "solo", "-n", "moderation@%h")),
        worker_command("notify", ("--pool", "threads", "--concurrency", "4", "-n", "notify@%h")),
        beat_command(str(var / "celerybeat-schedule")),
    ]
    return [subprocess.Popen(command, env=env) for command in commands]


def _wait_until_up(settings: Settings, timeout_s: float = 30) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{settings.base_url}/healthz", timeout=1).ok:
                return True
        except requests.RequestException:
            time.sleep(0.2)
    return False


def _banner(settings: Settings, key: str, password: str) -> str:
    url, console = settings.base_url, home_url(settings.base_url)
    body = (
        '{"external_id":"c1","article":{"id":"a1","url":"https://luki.ru/news/1"},'
        '"author":{"id":"u1","name":"Читатель"},"text":"Спасибо за новость!"}'
    )
    return f"""
Comment moderation is running (embedded: SQLite database, SQLite broker, no servers needed).
  API         {url}   (health {url}/healthz, metrics {url}/metrics)
  demo site   API key: {key}
              {"(from MOD_DEMO_SITE_KEY)" if settings.demo_site_key else "(new at every start; set MOD_DEMO_SITE_KEY to keep one)"}
  console     {console}   user: {DEMO_MODERATOR}  password: {password}
              {"(from MOD_DEMO_MODERATOR_PASSWORD)" if settings.demo_moderator_password else "(new at every start; set MOD_DEMO_MODERATOR_PASSWORD to keep one)"}

Post a comment, then ask for its verdict:
  curl -s -X POST {url}/v1/comments -H 'Authorization: Bearer {key}' \\
       -H 'Content-Type: application/json' -d '{body}'
  curl -s {url}/v1/comments/<id> -H 'Authorization: Bearer {key}'

Ctrl-C stops everything.
"""


def _stop_all(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _prune(settings: Settings) -> None:
    try:
        prune_taken_messages(settings.broker_url, older_than_s=PRUNE_TAKEN_AFTER_S)
    except OperationalError as exc:  # a busy broker file: try again next round
        print(f"broker pruning skipped: {exc}", file=sys.stderr)


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def run_embedded(settings: Settings, var: Path) -> int:
    """Migrate, create the demo site, start every process; Ctrl-C (or one dying) stops them all."""
    var.mkdir(parents=True, exist_ok=True)
    upgrade(settings.database_url)
    key = ensure_demo_site(settings)
    password = ensure_demo_moderator(settings)
    processes = _start_all(settings, var)
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops it as cleanly as Ctrl-C
    try:
        if _wait_until_up(settings):
            print(_banner(settings, key, password), flush=True)
        next_prune = time.monotonic()
        while all(process.poll() is None for process in processes):
            if time.monotonic() >= next_prune:
                _prune(settings)
                next_prune = time.monotonic() + PRUNE_EVERY_S
            time.sleep(0.5)
        print("a process stopped unexpectedly; stopping the others", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nstopping…", file=sys.stderr)
        return 0
    finally:
        _stop_all(processes)
