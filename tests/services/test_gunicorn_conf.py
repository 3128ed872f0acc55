"""The web process's gunicorn settings."""

import runpy
import socket
from pathlib import Path
from types import SimpleNamespace

CONF = Path(__file__).parents[2] / "services" / "gunicorn.conf.py"


def test_connections_the_web_process_accepts_send_small_answers_without_nagle_delay(monkeypatch, tmp_path):
    # Without TCP_NODELAY a kept-alive client waits 40 ms (Linux's delayed ACK) for each answer's
    # body: the whole latency budget of the Perspective API. The hook runs on the real listening
    # socket, and the test checks what a connection accepted from it gets.
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))  # the config then leaves the environment alone
    conf = runpy.run_path(str(CONF))
    with socket.create_server(("127.0.0.1", 0)) as listener:
        conf["when_ready"](SimpleNamespace(LISTENERS=[SimpleNamespace(sock=listener)]))
        with socket.create_connection(listener.getsockname()), listener.accept()[0] as accepted:
            assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
