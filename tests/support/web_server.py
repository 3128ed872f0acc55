"""The real web app on a loopback port, in a thread: for clients that need a socket (browsers, CLIs)."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from werkzeug.serving import make_server

from tests.support.processes import free_port


@contextmanager
def serve(app: Flask) -> Iterator[str]:
    """The app's base URL while the block runs."""
    server = make_server("127.0.0.1", free_port(), app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
