"""The web process's gunicorn settings."""

import gc
import runpy
import socket
from pathlib import Path
from types import SimpleNamespace

from shared.settings import get_settings

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


def test_processes_and_threads_come_from_the_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    monkeypatch.setenv("MOD_WEB_WORKERS", "4")
    monkeypatch.setenv("MOD_WEB_THREADS", "1")
    get_settings.cache_clear()  # read the environment above, and forget it afterwards
    try:
        conf = runpy.run_path(str(CONF))
    finally:
        get_settings.cache_clear()
    assert (conf["workers"], conf["threads"]) == (4, 1)


def test_a_worker_leaves_what_the_loaded_app_holds_out_of_garbage_collection(monkeypatch, tmp_path):
    # A full collection over the app's ~190,000 long-lived objects stalled a worker for ~100 ms.
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    conf = runpy.run_path(str(CONF))
    try:
        conf["post_worker_init"](SimpleNamespace())
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
