"""HTTP metrics of every web route: requests by route and status, and latency."""

import time

from flask import Flask, Response, g, request
from prometheus_client import Counter, Histogram

REQUESTS = Counter("modsys_http_requests_total", "HTTP requests", ["route", "method", "status"])
LATENCY = Histogram(
    "modsys_http_request_duration_seconds",
    "HTTP request latency",
    ["route"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5),
)


def _start_timer() -> None:
    g.request_started = time.perf_counter()


def _observe(response: Response) -> Response:
    route = request.url_rule.rule if request.url_rule else "unmatched"
    REQUESTS.labels(route, request.method, str(response.status_code)).inc()
    LATENCY.labels(route).observe(time.perf_counter() - g.get("request_started", time.perf_counter()))
    return response


def instrument(app: Flask) -> None:
    app.before_request(_start_timer)
    app.after_request(_observe)
