"""Liveness, readiness and Prometheus metrics for the ops team."""

import logging
from collections.abc import Callable

from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy import text

from shared.metrics import render_metrics
from shared.web.readiness import worker_check
from shared.web.session import get_session

log = logging.getLogger(__name__)
bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    return jsonify(status="ok")


def _check(name: str, probe: Callable[[], object]) -> str:
    # Anyone may read /readyz: the exception's text (hosts, ports, user names) goes to the log only.
    try:
        probe()
    except Exception as exc:  # noqa: BLE001 (readiness reports what is wrong instead of failing)
        log.warning("readiness: the %s is unreachable: %s", name, exc)
        return "error: unreachable (the log says why)"
    return "ok"


def _broker_reachable() -> None:
    with current_app.extensions["celery"].connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


@bp.get("/readyz")
def readyz() -> tuple[Response, int]:
    checks = {
        "database": _check("database", lambda: get_session().execute(text("SELECT 1"))),
        "broker": _check("broker", _broker_reachable),
        "moderation_worker": worker_check(get_session(), current_app.config["SETTINGS"].worker_stale_s),
    }
    ready = all(value == "ok" for value in checks.values())
    return jsonify(status="ready" if ready else "not_ready", checks=checks), 200 if ready else 503


@bp.get("/metrics")
def metrics() -> Response:
    body = render_metrics(current_app.extensions["celery"])
    return Response(body, mimetype="text/plain; version=0.0.4; charset=utf-8")
