"""The compose front (ops/nginx/modsys.conf, real nginx) in front of real gunicorn (4 x 1, as compose runs it):
slow clients holding connections do not take the web tier down.

Four connections that send headers and one byte of a 1,000-byte body held every gunicorn worker
when gunicorn was published directly: /healthz and POST /v1/comments answered nothing.
"""

import shutil
import signal
import socket
import subprocess
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import requests

from services.processes import web_command
from tests.support.payloads import comment_body
from tests.support.processes import ROOT, free_port, service_env, start, stop, wait_until

pytestmark = pytest.mark.skipif(not shutil.which("nginx"), reason="needs nginx (apt-get install nginx)")
NGINX = shutil.which("nginx") or "nginx"
SLOW_CLIENTS = 4


def nginx_conf(tmp_path: Path, listen: int, upstream: int) -> Path:
    """The committed server block, its hosts and ports made local, in a minimal unprivileged nginx.conf."""
    server = (ROOT / "ops" / "nginx" / "modsys.conf").read_text()
    assert "server ingest:8000;" in server and "listen 8000;" in server and "listen [::]:8000;" in server
    server = server.replace("server ingest:8000;", f"server 127.0.0.1:{upstream};")
    server = server.replace("listen 8000;", f"listen 127.0.0.1:{listen};").replace("listen [::]:8000;", "")
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"""
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/nginx-error.log;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
{server}
}}
"""
    )
    return conf


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:
        return False


@contextmanager
def slow_clients(port: int, path: str) -> Iterator[list[socket.socket]]:
    """Connections that sent their headers and 1 byte of a 1,000-byte body, and then nothing."""
    with ExitStack() as stack:
        held = []
        for _ in range(SLOW_CLIENTS):
            sock = stack.enter_context(socket.create_connection(("127.0.0.1", port)))
            sock.sendall(
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                "Content-Length: 1000\r\n\r\n{".encode()
            )
            held.append(sock)
        yield held


@pytest.fixture
def front(settings, tmp_path) -> Iterator[tuple[int, int]]:
    """(front port, gunicorn port): gunicorn 4 x 1 on the tests' database, nginx in front of it."""
    gunicorn_port, front_port = free_port(), free_port()
    env = service_env(
        MOD_DATABASE_URL=settings.database_url,
        MOD_BROKER_URL=settings.broker_url,
        MOD_HOST="127.0.0.1",
        MOD_PORT=str(gunicorn_port),
        MOD_WEB_WORKERS="4",
        MOD_WEB_THREADS="1",
        MOD_TRUSTED_PROXIES="1",
        MOD_SITE_CACHE_S="0",
    )
    web = start(web_command(), env, tmp_path / "web.log")
    conf = nginx_conf(tmp_path, front_port, gunicorn_port)
    nginx = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"], start_new_session=True)
    try:
        wait_until(
            lambda: _answers(f"http://127.0.0.1:{gunicorn_port}/healthz"), what="gunicorn", log=tmp_path / "web.log"
        )
        wait_until(lambda: _answers(f"http://127.0.0.1:{front_port}/healthz"), what="nginx")
        yield front_port, gunicorn_port
    finally:
        stop(nginx, signal.SIGQUIT)
        stop(web)


@pytest.mark.parametrize("path", ["/console/login", "/v1/comments"])
def test_four_slow_clients_do_not_stop_healthz_or_posts(front, site, path):
    front_port, _ = front
    base = f"http://127.0.0.1:{front_port}"

    with slow_clients(front_port, path):
        health = [requests.get(f"{base}/healthz", timeout=5).status_code for _ in range(4)]
        posts = [
            requests.post(
                f"{base}/v1/comments", json=comment_body(external_id=f"c-{n}"), headers=site.auth, timeout=5
            ).status_code
            for n in range(8)
        ]

    assert health == [200] * 4
    assert posts == [202] * 8


def test_without_the_front_four_slow_clients_hold_every_gunicorn_worker(front):
    """What the front is for: straight to gunicorn, the same four clients leave nobody to answer."""
    _, gunicorn_port = front
    with slow_clients(gunicorn_port, "/console/login"), pytest.raises(requests.Timeout):
        requests.get(f"http://127.0.0.1:{gunicorn_port}/healthz", timeout=3)
