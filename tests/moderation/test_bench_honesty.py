"""`make bench-quality` is honest: without data it prints cross-validated figures and says so;
with the file a model was trained on it warns that the figures are on training rows."""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from lab.toxicity.evaluation import format_cross_validated, training_file_warning, training_records
from lab.toxicity.training import train_toxicity_model
from moderation.scoring.embedded import DEFAULT_MODEL_DIR
from services.modctl import cli

ROWS = [(f"спасибо за новость номер {i} очень полезно", 0) for i in range(12)] + [
    (f"ты тупой урод номер {i} заткнись", 1) for i in range(12)
]


@pytest.fixture
def trained(tmp_path: Path) -> tuple[Path, Path]:
    data = tmp_path / "train.csv"
    data.write_text("text,label\n" + "".join(f"{t},{y}\n" for t, y in ROWS), encoding="utf-8")
    model_dir = tmp_path / "model"
    train_toxicity_model(data, model_dir, folds=3)
    return data, model_dir


@pytest.fixture
def run_modctl(monkeypatch):
    from shared.settings import get_settings

    def run(*args: str, model_dir: Path | None = None) -> str:
        if model_dir is not None:
            monkeypatch.setenv("MOD_TOXICITY__MODEL_DIR", str(model_dir))
        get_settings.cache_clear()
        return CliRunner().invoke(cli, list(args), catch_exceptions=False).output

    yield run
    get_settings.cache_clear()


def test_the_committed_model_records_its_training_file_by_digest() -> None:
    records = training_records(DEFAULT_MODEL_DIR)
    ru = next(r for r in records if r["data"]["file"] == "ru_toxic_dev.csv")
    assert re.fullmatch(r"[0-9a-f]{64}", ru["data"]["sha256"])
    assert ru["metrics"]["roc_auc_cv"] > 0.9


def test_without_data_the_report_says_its_figures_are_cross_validated() -> None:
    report = format_cross_validated(training_records(DEFAULT_MODEL_DIR))
    assert "cross-validated" in report
    assert re.fullmatch(r"cross_validated roc_auc=0\.\d{4} n=7206( cascade_roc_auc=0\.\d{4})?", report.splitlines()[-1])


def test_the_training_file_is_recognised_and_another_file_is_not(trained, tmp_path: Path) -> None:
    data, model_dir = trained
    records = training_records(model_dir)
    copy = tmp_path / "renamed.csv"
    copy.write_bytes(data.read_bytes())
    other = tmp_path / "other.csv"
    other.write_text("text,label\nхорошая статья,0\nты урод,1\n", encoding="utf-8")

    assert "WARNING" in (training_file_warning(copy, records) or "")
    assert training_file_warning(other, records) is None


def test_modctl_eval_warns_on_its_training_file_and_prints_cv_figures_without_data(trained, run_modctl) -> None:
    data, model_dir = trained

    on_training_rows = run_modctl("eval", "--data", str(data), model_dir=model_dir)
    cross_validated = run_modctl("eval", model_dir=model_dir)

    assert "WARNING: train.csv is the file" in on_training_rows
    assert on_training_rows.strip().splitlines()[-1].startswith("roc_auc=")
    assert "cross-validated" in cross_validated
    assert cross_validated.strip().splitlines()[-1].startswith("cross_validated roc_auc=")
