"""A real HTTP server on loopback: records the POSTs it receives (the news site's callback end) and
answers GETs from a map of files (a model download site)."""

import json
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Recorder:
    """What arrived, and the status codes (and bodies) to answer with, in order (then 200 "ok")."""

    statuses: list[int] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    files: Mapping[str, bytes] = field(default_factory=dict)
    get_paths: list[str] = field(default_factory=list)  # every GET, found or not
    get_agents: list[str] = field(default_factory=list)  # the User-Agent of each GET
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_status(self) -> int:
        with self.lock:
            return self.statuses.pop(0) if self.statuses else 200

    def next_body(self) -> bytes:
        with self.lock:
            return self.bodies.pop(0) if self.bodies else b"ok"

    def wait_for(self, count: int, timeout_s: float = 20) -> list[Received]:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if len(self.received) >= count:
                return list(self.received)
            time.sleep(0.05)
        raise AssertionError(f"expected {count} requests, got {len(self.received)}: {self.received}")


def _handler(recorder: Recorder) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with recorder.lock:
                recorder.received.append(Received("POST", self.path, dict(self.headers.items()), body))
            status, answer = recorder.next_status(), recorder.next_body()
            self.send_response(status)
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def do_GET(self) -> None:
            recorder.get_paths.append(self.path)
            recorder.get_agents.append(self.headers.get("User-Agent", ""))
            body = recorder.files.get(self.path)
            payload = body if body is not None else b"not found"
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *_args: object) -> None:
            pass

    return Handler


@contextmanager
def http_server(
    statuses: list[int] | None = None,
    port: int = 0,
    files: Mapping[str, bytes] | None = None,
    bodies: list[bytes] | None = None,
) -> Iterator[tuple[str, Recorder]]:
    """Serve on 127.0.0.1 (a free port unless given); yields the base URL and the recorder.
    `statuses` and `bodies` answer the POSTs in order; after them, 200 "ok"."""
    recorder = Recorder(statuses=list(statuses or []), bodies=list(bodies or []), files=dict(files or {}))
    server = ThreadingHTTPServer(("127.0.0.1", port), _handler(recorder))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", recorder
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def file_server(files: Mapping[str, bytes], agents: list[str] | None = None) -> Iterator[tuple[str, list[str]]]:
    """Serve files (path -> bytes), 404 otherwise; yields the base URL and the paths requested
    (and fills `agents` with each request's User-Agent)."""
    with http_server(files=files) as (url, recorder):
        if agents is not None:
            recorder.get_agents = agents
        yield url, recorder.get_paths
