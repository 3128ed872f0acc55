"""The operations files in ops/: alert rules checked and unit-tested by the real promtool (Debian's
prometheus package), the Grafana dashboard well-formed, the Kubernetes manifests valid against the
Kubernetes schemas (kubernetes-validate) and consistent with the code they run.

Which metrics the dashboard and rules may name is checked against a live scrape in
tests/e2e/test_ops.py.
"""

import json
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import kubernetes_validate
import pytest
import yaml
from click.testing import CliRunner

from services.modctl import cli
from shared import task_names
from shared.settings import Settings
from tests.test_compose import setting_env_names

OPS = Path(__file__).resolve().parents[1] / "ops"
K8S = OPS / "k8s"
KUBERNETES_VERSION = "1.33.0"  # the oldest minor still supported upstream when this was written


def promtool(*args: str) -> str:
    tool = shutil.which("promtool")
    assert tool, "promtool is missing: scripts/ensure-services installs Debian's prometheus package"
    done = subprocess.run([tool, *args], capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_the_alert_rules_pass_promtool_check():
    assert "SUCCESS: 9 rules found" in promtool("check", "rules", str(OPS / "prometheus" / "alerts.yml"))


def test_the_alert_rules_pass_their_unit_tests():
    assert "SUCCESS" in promtool("test", "rules", str(OPS / "prometheus" / "alerts.test.yml"))


def test_the_prometheus_configuration_loads_with_the_rules():
    promtool("check", "config", str(OPS / "prometheus" / "prometheus.yml"))


def test_every_alert_says_what_to_do_and_how_bad_it_is():
    groups = yaml.safe_load((OPS / "prometheus" / "alerts.yml").read_text())["groups"]
    for rule in (rule for group in groups for rule in group["rules"]):
        assert rule["labels"]["severity"] in ("critical", "warning"), rule["alert"]
        assert rule["annotations"]["summary"] and rule["annotations"]["description"], rule["alert"]


def _dashboard_panels() -> list[dict]:
    dashboard = json.loads((OPS / "grafana" / "modsys.json").read_text())
    assert dashboard["uid"] and dashboard["title"] == "modsys"
    return dashboard["panels"]


def test_the_dashboard_panels_each_query_the_chosen_prometheus():
    panels = _dashboard_panels()
    assert len({p["id"] for p in panels}) == len(panels)
    graphs = [p for p in panels if p["type"] != "row"]
    assert len(graphs) >= 15
    for panel in graphs:
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert target["datasource"]["uid"] == "${datasource}" and re.search(r"\bmodsys_", target["expr"])


def test_the_dashboard_answers_the_on_call_questions():
    exprs = " ".join(t["expr"] for p in _dashboard_panels() for t in p.get("targets", []))
    for metric in (
        "modsys_verdicts_total",  # verdicts by decision and by who decided
        "modsys_verdict_latency_seconds_bucket",  # POST to verdict
        "modsys_scoring_batch_seconds_bucket",
        "modsys_queue_depth",
        "modsys_oldest_pending_comment_age_seconds",
        "modsys_review_backlog_comments",
        "modsys_review_backlog_oldest_age_seconds",
        "modsys_notification_tries_total",
        "modsys_undelivered_notifications",
        "modsys_model_info",
        "modsys_workers",
    ):
        assert metric in exprs


def _manifests() -> list[tuple[Path, dict]]:
    return [(path, doc) for path in sorted(K8S.glob("*.yaml")) for doc in yaml.safe_load_all(path.read_text()) if doc]


# The fields of KEDA's ScaledObject (keda.sh/v1alpha1) these manifests use, as its CRD types them:
# kubernetes-validate knows only Kubernetes' own kinds.
SCALED_OBJECT = {
    "type": "object",
    "required": ["apiVersion", "kind", "metadata", "spec"],
    "properties": {
        "apiVersion": {"const": "keda.sh/v1alpha1"},
        "kind": {"const": "ScaledObject"},
        "metadata": {"type": "object", "required": ["name"]},
        "spec": {
            "type": "object",
            "required": ["scaleTargetRef", "triggers"],
            "additionalProperties": False,
            "properties": {
                "scaleTargetRef": {
                    "type": "object",
                    "required": ["name"],
                    "additionalProperties": False,
                    "properties": {
                        k: {"type": "string"} for k in ("apiVersion", "kind", "name", "envSourceContainerName")
                    },
                },
                **{
                    k: {"type": "integer", "minimum": 0}
                    for k in ("minReplicaCount", "maxReplicaCount", "pollingInterval", "cooldownPeriod")
                },
                "triggers": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["type", "metadata"],
                        "properties": {
                            "type": {"type": "string"},
                            "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
                        },
                    },
                },
            },
        },
    },
}


def test_every_kubernetes_manifest_is_valid_against_the_schemas():
    kinds = []
    for path, doc in _manifests():
        if path.name == "kustomization.yaml":
            continue
        if doc["kind"] == "ScaledObject":
            jsonschema.validate(doc, SCALED_OBJECT)
        else:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        kinds.append(doc["kind"])
    assert kinds.count("Deployment") == 4 and {"Job", "ScaledObject", "Service", "ConfigMap"} <= set(kinds)


def test_the_kustomization_lists_every_manifest_but_the_secret_example():
    listed = yaml.safe_load((K8S / "kustomization.yaml").read_text())["resources"]
    present = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml", "secret.example.yaml"}
    assert sorted(listed) == sorted(present)


def test_keda_scales_the_moderation_workers_on_their_queue():
    docs = {(doc["kind"], doc["metadata"]["name"]): doc for _, doc in _manifests() if "metadata" in doc}
    scaled = docs[("ScaledObject", "modsys-moderation-worker")]
    assert ("Deployment", scaled["spec"]["scaleTargetRef"]["name"]) in docs
    (trigger,) = scaled["spec"]["triggers"]
    broker = yaml.safe_load((K8S / "configmap.yaml").read_text())["data"]["MOD_BROKER_URL"]
    assert trigger["type"] == "redis" and trigger["metadata"]["listName"] == task_names.MODERATION_QUEUE
    assert broker.endswith(f"/{trigger['metadata']['databaseIndex']}")
    assert broker.split("//")[1].split("/")[0] == trigger["metadata"]["address"]
    assert scaled["spec"]["minReplicaCount"] >= 1  # the readiness check and the alert expect a live worker


def _containers() -> list[dict]:
    return [
        container
        for _, doc in _manifests()
        if doc.get("kind") in ("Deployment", "Job")
        for container in doc["spec"]["template"]["spec"]["containers"]
    ]


@pytest.mark.parametrize("container", _containers(), ids=lambda c: " ".join(c["command"][1:3]))
def test_each_container_runs_a_modctl_command_that_parses(container):
    command = container["command"]
    assert command[0] == "modctl"
    result = CliRunner().invoke(cli, [*command[1:], "--help"])
    assert result.exit_code == 0, result.output


def test_the_manifests_set_only_settings_the_code_reads():
    known = setting_env_names(Settings)
    configured = set(yaml.safe_load((K8S / "configmap.yaml").read_text())["data"])
    configured |= set(yaml.safe_load((K8S / "secret.example.yaml").read_text())["stringData"])
    configured |= {env["name"] for container in _containers() for env in container.get("env", [])}
    assert configured <= known, configured - known
