"""The integration kit's receivers, really running: the Flask one in a thread, the PHP one under `php -S`."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.processes import free_port, wait_until
from tests.support.web_server import serve

KIT = Path(__file__).resolve().parents[2] / "kit"
sys.path.insert(0, str(KIT / "python"))  # the kit's Python files import each other as a site would copy them

from modsys_client import ModsysClient, verify_callback  # noqa: E402
from receiver_flask import create_receiver  # noqa: E402

__all__ = ["ModsysClient", "Receiver", "flask_receiver", "php_receiver", "verify_callback"]
Published = Callable[[str], tuple[bool, str] | None]  # external id -> (published, status), None if never told


class Receiver:
    """A running receiver: where to POST callbacks, and what it now shows for a comment."""

    def __init__(self, url: str, shown: Published):
        self.url, self.shown = url, shown


@contextmanager
def flask_receiver(secret: str, folder: Path) -> Iterator[Receiver]:
    database = folder / "site.sqlite"

    def shown(external_id: str) -> tuple[bool, str] | None:
        if not database.exists():
            return None
        with sqlite3.connect(database) as connection:
            row = connection.execute(
                "SELECT published, status FROM comments WHERE external_id = ?", (external_id,)
            ).fetchone()
        return None if row is None else (bool(row[0]), row[1])

    with serve(create_receiver(secret, database)) as url:
        yield Receiver(f"{url}/hooks/moderation", shown)


@contextmanager
def php_receiver(secret: str, folder: Path) -> Iterator[Receiver]:
    php = shutil.which("php")
    if php is None:
        pytest.fail("the PHP receiver's test needs Debian's php-cli (scripts/ensure-services installs it)")
    state, port = folder / "state.json", free_port()
    env = {**os.environ, "MODSYS_SIGNING_SECRET": secret, "MODSYS_STATE_FILE": str(state)}
    server = subprocess.Popen(
        [php, "-S", f"127.0.0.1:{port}", str(KIT / "php" / "receiver.php")],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def listening() -> bool:
        import socket

        with socket.socket() as probe:
            return probe.connect_ex(("127.0.0.1", port)) == 0

    def shown(external_id: str) -> tuple[bool, str] | None:
        if not state.exists():
            return None
        comment = json.loads(state.read_text()).get("comments", {}).get(external_id)
        return None if comment is None else (comment["published"], comment["status"])

    try:
        wait_until(listening, timeout_s=10, what="php -S")
        yield Receiver(f"http://127.0.0.1:{port}/hooks/moderation", shown)
    finally:
        server.terminate()
        server.wait(timeout=10)
