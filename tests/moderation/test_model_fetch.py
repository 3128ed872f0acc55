"""fetch_detoxify against a real HTTP server on loopback, and the files it writes loading offline."""

from importlib.metadata import version
from pathlib import Path

import pytest
from detoxify.detoxify import MODEL_URLS as DETOXIFY_URLS

from lab.toxicity.model_fetch import MODEL_URLS, ModelFetchError, fetch_detoxify
from moderation.scoring.backends import get_scorer
from shared.settings import DetoxifySettings, ToxicitySettings
from tests.support.http_server import file_server
from tests.support.tiny_models import block_network, build_detoxify_checkpoint

XLMR_FILES = {
    "/xlm-roberta-base/resolve/main/config.json": b'{"model_type": "xlm-roberta"}',
    "/xlm-roberta-base/resolve/main/sentencepiece.bpe.model": b"spm" * 1000,
    "/xlm-roberta-base/resolve/main/tokenizer.json": b'{"version": "1.0"}',
}
CHECKPOINT = {"/releases/multilingual_debiased-0b549669.ckpt": b"\x80checkpoint" * 100_000}


def _fetch(base: str, dest: Path, model_type: str = "multilingual", name: str = "multilingual_debiased-0b549669.ckpt"):
    return fetch_detoxify(model_type, dest, checkpoint_url=f"{base}/releases/{name}", hub_base_url=base)


def test_downloads_checkpoint_config_and_tokenizer(tmp_path: Path) -> None:
    agents: list[str] = []
    with file_server({**CHECKPOINT, **XLMR_FILES}, agents) as (base, requested):
        paths = _fetch(base, tmp_path / "models")
    assert paths == {
        "checkpoint": tmp_path / "models" / "multilingual_debiased-0b549669.ckpt",
        "huggingface_config_path": tmp_path / "models" / "xlm-roberta-base",
    }
    assert paths["checkpoint"].read_bytes() == next(iter(CHECKPOINT.values()))
    for url_path, body in XLMR_FILES.items():
        assert (paths["huggingface_config_path"] / url_path.rsplit("/", 1)[-1]).read_bytes() == body
    assert sorted(requested) == sorted([*CHECKPOINT, *XLMR_FILES])
    assert not list(tmp_path.rglob("*.part"))
    assert set(agents) == {f"modsys/{version('modsys')}"}  # every download says who asks


def test_files_already_there_are_kept(tmp_path: Path) -> None:
    with file_server({**CHECKPOINT, **XLMR_FILES}) as (base, requested):
        _fetch(base, tmp_path)
        requested.clear()
        _fetch(base, tmp_path)
    assert requested == []


def test_a_404_is_a_clear_error_and_leaves_no_partial_file(tmp_path: Path) -> None:
    files = {k: v for k, v in XLMR_FILES.items() if not k.endswith("tokenizer.json")}
    missing = r"GET http://127.0.0.1:\d+/xlm-roberta-base/.*tokenizer.json.*404"
    with file_server({**CHECKPOINT, **files}) as (base, _), pytest.raises(ModelFetchError, match=missing):
        _fetch(base, tmp_path)
    config_dir = tmp_path / "xlm-roberta-base"
    assert sorted(p.name for p in config_dir.iterdir()) == ["config.json", "sentencepiece.bpe.model"]
    assert not list(tmp_path.rglob("*.part"))


def test_a_404_on_the_checkpoint_leaves_nothing(tmp_path: Path) -> None:
    with file_server(XLMR_FILES) as (base, _), pytest.raises(ModelFetchError, match="HTTP 404"):
        _fetch(base, tmp_path)
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


def test_an_unreachable_server_is_a_clear_error(tmp_path: Path) -> None:
    with file_server({}) as (base, _):
        pass  # closed now: nothing listens on that port
    with pytest.raises(ModelFetchError, match="failed"):
        _fetch(base, tmp_path)
    assert not list(tmp_path.rglob("*.part"))


def test_an_unknown_model_type_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelFetchError, match="unknown Detoxify model type 'tiny'"):
        fetch_detoxify("tiny", tmp_path)


def test_our_copy_of_the_checkpoint_urls_is_detoxifys() -> None:
    assert MODEL_URLS == DETOXIFY_URLS


def test_the_fetched_files_load_offline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Serve a tiny checkpoint as "original" (its base model is bert-base-uncased), fetch, load.
    tiny = build_detoxify_checkpoint(tmp_path / "built")
    served = {f"/releases/{tiny.checkpoint.name}": tiny.checkpoint.read_bytes()}
    for name in ("config.json", "vocab.txt", "tokenizer.json", "tokenizer_config.json"):
        served[f"/bert-base-uncased/resolve/main/{name}"] = (tiny.config_dir / name).read_bytes()
    with file_server(served) as (base, _):
        paths = _fetch(base, tmp_path / "fetched", model_type="original", name=tiny.checkpoint.name)
    attempts = block_network(monkeypatch)
    settings = DetoxifySettings(
        model_type="original",
        checkpoint=str(paths["checkpoint"]),
        huggingface_config_path=str(paths["huggingface_config_path"]),
    )
    scorer = get_scorer(ToxicitySettings(backend="detoxify", detoxify=settings))
    assert scorer.name == "detoxify-original"
    assert len(scorer.score_batch(["привет", "hello"])) == 2
    assert attempts == []
