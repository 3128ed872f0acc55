"""The running app against its own OpenAPI document, with schemathesis's command line: every
documented operation, fed generated requests (valid and invalid), must answer only documented
statuses and bodies, and never a 500."""

import os
import re
import subprocess
import sys
from pathlib import Path

from services.web import create_app
from shared.celery_app import create_celery
from shared.heartbeats import beat
from shared.models import utcnow
from tests.support.web_server import serve

ST = Path(sys.executable).parent / "st"
CONFIG = Path(__file__).with_name("schemathesis.toml")


def test_the_running_app_keeps_to_its_openapi_document(settings, site, db, tmp_path):
    # A moderation worker is alive for the whole run, as in production: /readyz answers 200 (its 503
    # is tested elsewhere, and schemathesis counts any 5xx as a server error).
    beat(db, name="moderation@test", queue="moderation", pid=1, started_at=utcnow())
    db.commit()
    patient = settings.model_copy(update={"worker_stale_s": 3600.0})
    with serve(create_app(patient, create_celery(patient))) as url:
        run = subprocess.run(
            [
                str(ST),
                "--config-file",
                str(CONFIG),
                "run",
                f"{url}/openapi.json",
                "--header",
                f"Authorization: Bearer {site.api_key}",
                "--seed",
                "1",
                "--workers",
                "1",
                "--report-dir",
                str(tmp_path),
                "--output-truncate",
                "true",
            ],
            capture_output=True,
            check=False,
            text=True,
            timeout=600,
            cwd=tmp_path,
            env={**os.environ, "MODSYS_SITE_KEY": site.api_key},  # for the key schemes in schemathesis.toml
        )
    (tmp_path / "st.out").write_text(run.stdout)
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]


def test_the_document_is_served_and_names_every_api_route(app, client):
    document = client.get("/openapi.json").json
    routes = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for rule in app.url_map.iter_rules()
        if not rule.rule.startswith(("/console", "/static"))
    }
    routes.discard("/openapi.json")
    assert routes <= set(document["paths"]), routes - set(document["paths"])
