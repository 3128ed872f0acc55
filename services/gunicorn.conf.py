"""gunicorn settings for the ingest API, taken from MOD_* settings."""

import gc
import os
import shutil
import socket
import tempfile

# Every worker process writes its metrics here, and /metrics adds them up. prometheus_client
# picks file-backed values at import, so this must be set before anything imports it; a fresh
# folder per start, since files left from an earlier run would be counted again.
_own_metrics_dir = "PROMETHEUS_MULTIPROC_DIR" not in os.environ
if _own_metrics_dir:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="modsys-metrics-")

from gunicorn.glogging import Logger
from prometheus_client import multiprocess

from shared.logging import gunicorn_logconfig
from shared.settings import get_settings

_settings = get_settings()
bind = f"{_settings.host}:{_settings.port}"
workers = _settings.web_workers
worker_class = "gthread"
threads = _settings.web_threads
accesslog = None  # the app writes its own access line (route, request id, site), see shared/web/access_log.py


class _AppWritesAccessLines(Logger):
    """gunicorn's logger without its access line. With a logconfig_dict gunicorn builds one for every
    request even when nothing is configured to print it: 3% of a POST /v1/comments' CPU (py-spy --gil)."""

    def access(self, *_args, **_kwargs) -> None:  # type: ignore[no-untyped-def]
        return None


logger_class = _AppWritesAccessLines
logconfig_dict = gunicorn_logconfig(_settings)  # gunicorn's lines in the same format, JSON included
graceful_timeout = 10
# A worker stuck this long on one request is restarted. Slow clients are the front's to absorb
# (nginx buffers whole requests, ops/nginx/modsys.conf): gunicorn has no time limit on reading a body.
timeout = 30
keepalive = 5


def when_ready(server) -> None:  # type: ignore[no-untyped-def]
    # gunicorn sends a response's head and body in two writes. With Nagle's algorithm on, the body
    # then waits for the client's delayed ACK of the head (40 ms on Linux) on a kept-alive
    # connection: the whole latency budget. Accepted sockets inherit the option from the listener,
    # and the workers are forked after this hook.
    for listener in server.LISTENERS:
        if listener.sock.family in (socket.AF_INET, socket.AF_INET6):
            listener.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def post_worker_init(_worker) -> None:  # type: ignore[no-untyped-def]
    # The app is loaded: some 190,000 objects (the scorers, SQLAlchemy's mappings, Flask's) that
    # live as long as the worker. A full garbage collection walked them all, about 100 ms in which
    # the worker answered nothing: the p99 of the Perspective API. Frozen, collections skip them.
    gc.freeze()


def child_exit(_server, worker) -> None:  # type: ignore[no-untyped-def]
    multiprocess.mark_process_dead(worker.pid)


def on_exit(_server) -> None:  # type: ignore[no-untyped-def]
    if _own_metrics_dir:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
