"""A moderation worker whose toxicity backend cannot load stops at start and says why."""

import pytest

from tests.support.processes import worker

pytestmark = pytest.mark.e2e


def test_a_backend_that_cannot_load_stops_the_worker_with_its_reason(worker_env, tmp_path):
    log = tmp_path / "worker.log"
    env = {
        **worker_env,
        "MOD_TOXICITY__BACKEND": "detoxify",
        "MOD_TOXICITY__DETOXIFY__CHECKPOINT": str(tmp_path / "missing.ckpt"),
    }

    process = worker("moderation", env, log, "--pool", "solo")

    assert process.wait(timeout=60) != 0
    output = log.read_text()
    assert "cannot load the detoxify toxicity backend" in output
    assert " ready." not in output  # it never took a comment
