"""compose.yaml runs only commands that exist here and sets only settings the code reads.

No Docker engine runs on the test machines, so the file is checked statically; the commands
themselves are exercised by the end-to-end tests (`modctl worker …`, `modctl run`).
"""

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from services.modctl import cli
from shared.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
APP_SERVICES = ["migrate", "ingest", "moderation-worker", "notify-worker", "beat"]


def setting_env_names(model: type, prefix: str = "MOD_") -> set[str]:
    """Every MOD_* variable Settings reads, nested groups spelled with __."""
    names = set()
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
            names |= setting_env_names(annotation, f"{prefix}{name.upper()}__")
        else:
            names.add(f"{prefix}{name.upper()}")
    return names


def test_every_process_of_the_design_is_a_service():
    assert {"postgres", "redis", *APP_SERVICES} <= set(COMPOSE["services"])


@pytest.mark.parametrize("service", APP_SERVICES)
def test_each_app_command_is_a_modctl_command_that_parses(service):
    command = COMPOSE["services"][service]["command"]
    assert command[0] == "modctl"
    result = CliRunner().invoke(cli, [*command[1:], "--help"])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("service", APP_SERVICES)
def test_each_app_service_sets_only_settings_the_code_reads(service):
    environment = COMPOSE["services"][service].get("environment", {})
    assert environment, f"{service} sets no settings"
    assert set(environment) <= setting_env_names(Settings)


@pytest.mark.parametrize("service", ["ingest", "moderation-worker", "notify-worker", "beat"])
def test_app_services_wait_for_healthy_infrastructure_and_migrations(service):
    depends = COMPOSE["services"][service]["depends_on"]
    assert depends["postgres"]["condition"] == "service_healthy"
    assert depends["redis"]["condition"] == "service_healthy"
    assert depends["migrate"]["condition"] == "service_completed_successfully"


def test_the_image_is_built_from_services_dockerfile():
    build = COMPOSE["services"]["ingest"]["build"]
    assert (ROOT / build["context"] / build["dockerfile"]).resolve() == ROOT / "services" / "Dockerfile"


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="Debian's docker-compose is not installed")
def test_docker_compose_accepts_the_file():
    subprocess.run(["docker-compose", "-f", str(ROOT / "compose.yaml"), "config", "--quiet"], check=True)


def test_every_process_that_scores_shares_one_spam_counter_store():
    # The moderation workers score, and so do the web processes (the Perspective and Akismet
    # drop-ins score in the request): with separate counters, 8 identical comments counted 0..3 twice.
    scoring = ["ingest", "moderation-worker"]
    urls = {COMPOSE["services"][s]["environment"].get("MOD_SPAM__REDIS_URL") for s in scoring}
    assert len(urls) == 1 and next(iter(urls), "").startswith("redis://")
