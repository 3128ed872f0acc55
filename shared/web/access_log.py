"""One line per request: method, route, status, duration, request id, site.

The route is the URL rule (`/v1/comments/<id:comment_id>`), never the URL: a query string can
carry a key (Perspective's `?key=`). The request id is the caller's X-Request-ID when it sends a
plausible one (a proxy's, to follow a request across services), else a new one; either way it is
echoed in the response and on every log line written during the request.
"""

import logging
import re
import time
import uuid

from flask import Flask, Response, g, request

log = logging.getLogger("modsys.access")
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
HEADER = "X-Request-ID"


def _begin() -> None:
    g.access_started = time.perf_counter()
    given = request.headers.get(HEADER, "")
    g.request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex


def _finish(response: Response) -> Response:
    duration_ms = (time.perf_counter() - g.get("access_started", time.perf_counter())) * 1000
    route = request.url_rule.rule if request.url_rule else "unmatched"
    site = g.get("site_name")
    response.headers[HEADER] = g.get("request_id", "")
    log.info(
        "%s %s %s %.1fms site=%s",
        request.method,
        route,
        response.status_code,
        duration_ms,
        site or "-",
        extra={
            "method": request.method,
            "route": route,
            "status": response.status_code,
            "duration_ms": round(duration_ms, 1),
            "site": site,
            "request_id": g.get("request_id"),
        },
    )
    return response


def log_requests(app: Flask) -> None:
    app.before_request(_begin)
    app.after_request(_finish)
