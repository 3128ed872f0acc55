"""A scorer that cannot load on the web host takes down the compatible APIs only, not the site's API."""

from services.web import create_app
from shared.celery_app import create_celery
from shared.settings import Settings, ToxicitySettings
from tests.support.payloads import comment_body


def test_the_site_api_works_while_the_compatible_apis_report_the_missing_model(settings, site, tmp_path):
    broken = Settings(
        **{
            **settings.model_dump(),
            "toxicity": ToxicitySettings(backend="detoxify", detoxify={"checkpoint": str(tmp_path / "missing.ckpt")}),
        }
    )
    client = create_app(broken, create_celery(broken)).test_client()

    accepted = client.post("/v1/comments", json=comment_body(), headers=site.auth)
    analyzed = client.post(
        f"/perspective/v1alpha1/comments:analyze?key={site.api_key}",
        json={"comment": {"text": "Привет"}, "requestedAttributes": {"TOXICITY": {}}},
    )

    assert accepted.status_code == 202
    assert analyzed.status_code == 500 and analyzed.json["error"]["status"] == "INTERNAL"
