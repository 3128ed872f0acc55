"""A real HTTP server on loopback that answers GET with fixed bytes per path, 404 otherwise."""

import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def _handler(files: Mapping[str, bytes], requested: list[str]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            requested.append(self.path)
            body = files.get(self.path)
            self.send_response(200 if body is not None else 404)
            payload = body if body is not None else b"not found"
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *_args: object) -> None:
            pass

    return Handler


@contextmanager
def file_server(files: Mapping[str, bytes]) -> Iterator[tuple[str, list[str]]]:
    """Serve files (path -> bytes) on 127.0.0.1; yields the base URL and the paths requested."""
    requested: list[str] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(files, requested))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requested
    finally:
        server.shutdown()
        server.server_close()
