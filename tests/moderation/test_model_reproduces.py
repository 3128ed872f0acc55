"""The committed model is what `modctl train` makes from the development data, figures included.

The data stays outside the repository (../shared/data); where it is absent this test is skipped.
"""

import json
from pathlib import Path

import pytest

from lab.toxicity.training import train_toxicity_model
from moderation.scoring.embedded import CONFIG_FILE, DEFAULT_MODEL_DIR

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ru_toxic_dev.csv"


@pytest.mark.skipif(not DATA.exists(), reason=f"development data not at {DATA}")
def test_retraining_reproduces_the_model_cards_cross_validated_figures(tmp_path):
    committed = json.loads((DEFAULT_MODEL_DIR / CONFIG_FILE).read_text())["metrics"]

    fresh = train_toxicity_model(DATA, tmp_path)

    assert fresh["n_samples"] == committed["n_samples"]
    assert fresh["roc_auc_cv"] == pytest.approx(committed["roc_auc_cv"], abs=0.01)
    assert fresh["roc_auc_cv_obfuscated"] == pytest.approx(committed["roc_auc_cv_obfuscated"], abs=0.01)
    assert f"{committed['roc_auc_cv']:.3f}" in (DEFAULT_MODEL_DIR / "MODEL_CARD.md").read_text()
