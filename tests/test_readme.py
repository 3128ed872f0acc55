"""The README's examples name real routes and valid bodies: read without running anything, so a wrong path
or field fails here at once (tests/e2e/test_readme_runs.py runs them all against a real `make run`)."""

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from pydantic import ValidationError
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import MapAdapter

from ingest.schemas import CommentIn, FeedbackIn, ReportIn
from moderation.web.api import BanIn, DecisionIn, UndoIn
from moderation.web.compat.perspective_request import PerspectiveError, analyze_request
from services.web import create_app
from shared.settings import Settings
from tests.support.readme import README, blocks, curl_call

# The request models the API validates each JSON body with, by endpoint.
MODELS = {
    "api_v1.post_comment": CommentIn.model_validate,
    "api_v1.post_feedback": FeedbackIn.model_validate,
    "api_v1.post_report": ReportIn.model_validate,
    "moderation_api.post_decision": DecisionIn.model_validate,
    "moderation_api.post_ban": BanIn.model_validate,
    "moderation_api.post_undo": UndoIn.model_validate,
    "perspective.analyze": analyze_request,
}


@pytest.fixture(scope="module")
def routes(tmp_path_factory) -> MapAdapter:
    folder = tmp_path_factory.mktemp("readme")
    app = create_app(Settings(database_url=f"sqlite:///{folder}/x.db", broker_url="memory://"))
    return app.url_map.bind("127.0.0.1:8000")


def problems(readme: Path, routes: MapAdapter) -> list[str]:
    """Every curl example that names no route, or sends a body its route refuses; and how many were read."""
    found, read = [], 0
    for block in blocks(readme):
        for command in [] if block.not_run else block.commands:
            call = curl_call(command.text)
            if call is None:
                continue
            read += 1
            url = urlsplit(call.url)
            try:
                endpoint, _args = routes.match(url.path, method=call.method)
            except (NotFound, MethodNotAllowed) as exc:
                found.append(f"README.md:{command.line}: {call.method} {url.path}: {exc.name}")
                continue
            if call.json and call.data is not None:
                try:
                    MODELS[endpoint](json.loads(call.data))
                except (ValidationError, PerspectiveError, KeyError) as exc:
                    found.append(f"README.md:{command.line}: {endpoint} refuses the body: {exc}")
    return found if read >= 10 else [*found, f"only {read} curl examples read"]


def test_every_curl_example_names_a_route_and_sends_a_body_it_accepts(routes):
    assert problems(README, routes) == []


def test_a_wrong_path_or_a_wrong_field_in_an_example_fails(routes, tmp_path):
    text = README.read_text(encoding="utf-8")
    wrong_path = tmp_path / "path.md"
    wrong_path.write_text(text.replace("/v1/comments/1/decision", "/v1/comment/1/decision", 1), encoding="utf-8")
    wrong_field = tmp_path / "field.md"
    wrong_field.write_text(text.replace('"external_id": "c-1001"', '"externalId": "c-1001"', 1), encoding="utf-8")

    assert [p.split(": ", 1)[1] for p in problems(wrong_path, routes)] == ["POST /v1/comment/1/decision: Not Found"]
    (refused,) = problems(wrong_field, routes)
    assert "api_v1.post_comment refuses the body" in refused and "externalId" in refused
