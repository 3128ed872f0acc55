"""Download Detoxify's files once, on a machine with internet, for workers that have none.

``fetch_detoxify("multilingual", Path("models/detoxify"))`` writes::

    models/detoxify/multilingual_debiased-0b549669.ckpt   -> MOD_TOXICITY__DETOXIFY__CHECKPOINT
    models/detoxify/xlm-roberta-base/config.json         -> MOD_TOXICITY__DETOXIFY__HUGGINGFACE_CONFIG_PATH
    models/detoxify/xlm-roberta-base/sentencepiece.bpe.model, tokenizer.json

The URLs are the ones Detoxify itself downloads from (its GitHub releases, the Hugging Face Hub).
Needs only ``requests``; files already present are kept, so a broken run can simply be repeated.
"""

import os
import tempfile
from pathlib import Path
from typing import BinaryIO

import requests

from shared import outbound

DOWNLOAD_URL = "https://github.com/unitaryai/detoxify/releases/download/"
# detoxify.detoxify.MODEL_URLS (0.5.4), for machines without torch; a test keeps them equal.
MODEL_URLS = {
    "original": DOWNLOAD_URL + "v0.1-alpha/toxic_original-c1212f89.ckpt",
    "unbiased": DOWNLOAD_URL + "v0.3-alpha/toxic_debiased-c7548aa0.ckpt",
    "multilingual": DOWNLOAD_URL + "v0.4-alpha/multilingual_debiased-0b549669.ckpt",
    "original-small": DOWNLOAD_URL + "v0.1.2/original-albert-0e1d6498.ckpt",
    "unbiased-small": DOWNLOAD_URL + "v0.1.2/unbiased-albert-c8519128.ckpt",
}
# The base model each checkpoint names in config.arch.args.model_type, and the files its tokenizer needs.
BASE_MODELS = {
    "original": ("bert-base-uncased", ("config.json", "vocab.txt", "tokenizer.json", "tokenizer_config.json")),
    "unbiased": ("roberta-base", ("config.json", "vocab.json", "merges.txt", "tokenizer.json")),
    "multilingual": ("xlm-roberta-base", ("config.json", "sentencepiece.bpe.model", "tokenizer.json")),
    "original-small": ("albert-base-v2", ("config.json", "spiece.model", "tokenizer.json")),
    "unbiased-small": ("albert-base-v2", ("config.json", "spiece.model", "tokenizer.json")),
}
HUB_URL = "https://huggingface.co"
TIMEOUT_S = (10, 60)  # connect, read (between bytes, not the whole download)
_CHUNK = 1 << 20


class ModelFetchError(RuntimeError):
    """A download failed; nothing partial is left behind."""


def fetch_detoxify(
    model_type: str, dest: Path, *, checkpoint_url: str | None = None, hub_base_url: str | None = None
) -> dict[str, Path]:
    """Download checkpoint, base config and tokenizer; return the paths for the two settings."""
    if model_type not in BASE_MODELS:
        raise ModelFetchError(f"unknown Detoxify model type {model_type!r} (known: {', '.join(BASE_MODELS)})")
    url = checkpoint_url or _model_urls()[model_type]
    repo, files = BASE_MODELS[model_type]
    dest = dest.resolve()  # the settings want paths that do not depend on the worker's cwd
    config_dir = dest / repo
    config_dir.mkdir(parents=True, exist_ok=True)
    checkpoint = download(url, dest / url.rsplit("/", 1)[-1])
    for name in files:
        download(f"{(hub_base_url or HUB_URL).rstrip('/')}/{repo}/resolve/main/{name}", config_dir / name)
    return {"checkpoint": checkpoint, "huggingface_config_path": config_dir}


def _model_urls() -> dict[str, str]:
    """Detoxify's own checkpoint URLs when it is installed."""
    try:
        from detoxify.detoxify import MODEL_URLS as DETOXIFY_URLS
    except ImportError:
        return MODEL_URLS
    return DETOXIFY_URLS


def download(url: str, target: Path) -> Path:
    """Stream url to target through a temporary file in the same folder; keep target if present."""
    if target.is_file():
        return target
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            _stream(url, out)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _stream(url: str, out: BinaryIO) -> None:
    """Write the body of a GET to out."""
    try:
        with requests.get(url, stream=True, timeout=TIMEOUT_S, headers=outbound.headers()) as response:
            if response.status_code != 200:
                raise ModelFetchError(f"GET {url} answered HTTP {response.status_code} {response.reason}")
            for chunk in response.iter_content(_CHUNK):
                out.write(chunk)
    except requests.RequestException as exc:
        raise ModelFetchError(f"GET {url} failed: {exc}") from exc
