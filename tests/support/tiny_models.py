"""Tiny random transformer models written by the tests: the real loaders run on them, nothing is downloaded."""

import os
import socket
from dataclasses import dataclass
from pathlib import Path

import pytest
import torch
from transformers import (
    BertConfig,
    BertForSequenceClassification,
    BertTokenizer,
    XLMRobertaConfig,
    XLMRobertaForSequenceClassification,
    XLMRobertaTokenizer,
)

SEED = 1234
DETOXIFY_CLASSES = ["toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"]
_SPECIAL = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
_WORDS = [
    "спасибо",
    "за",
    "статью",
    "очень",
    "интересно",
    "новость",
    "ты",
    "тупой",
    "урод",
    "дебил",
    "мразь",
    "привет",
    "город",
    "thanks",
    "for",
    "the",
    "article",
    "you",
    "are",
    "an",
    "idiot",
    "stupid",
    "hello",
    "world",
    "news",
    "good",
    "bad",
]
# Single letters and ## pieces let WordPiece spell any Latin or Cyrillic word, so [UNK] is rare.
_LETTERS = list("abcdefghijklmnopqrstuvwxyz") + list("абвгдежзийклмнопрстуфхцчшщъыьэюя")
MAX_POSITIONS = 64
_TINY = {"hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 2, "intermediate_size": 64}


@dataclass(frozen=True)
class TinyDetoxify:
    """A Detoxify-format checkpoint and the folder with its base config and tokenizer."""

    checkpoint: Path
    config_dir: Path


def vocabulary() -> list[str]:
    """A few hundred WordPiece tokens, Cyrillic and Latin."""
    tokens = _SPECIAL + list("0123456789.,!?-") + _LETTERS + [f"##{c}" for c in _LETTERS] + _WORDS
    return list(dict.fromkeys(tokens))


def _bert_config(**labels: object) -> BertConfig:
    """hidden 32, 2 layers, 2 heads: loads and runs in milliseconds."""
    return BertConfig(vocab_size=len(vocabulary()), max_position_embeddings=MAX_POSITIONS, **_TINY, **labels)


def _save_tokenizer(folder: Path) -> None:
    """A BertTokenizer from a vocab.txt written here, saved the way save_pretrained saves it."""
    folder.mkdir(parents=True, exist_ok=True)
    vocab_file = folder / "vocab.txt"
    vocab_file.write_text("\n".join(vocabulary()) + "\n", encoding="utf-8")
    BertTokenizer(str(vocab_file)).save_pretrained(folder)


def build_detoxify_checkpoint(
    root: Path, *, model_type: str = "bert-base-uncased", classes: list[str] = DETOXIFY_CLASSES
) -> TinyDetoxify:
    """Random BERT saved as Detoxify saves a checkpoint; model_type is the Hub name it names."""
    torch.manual_seed(SEED)
    model = BertForSequenceClassification(_bert_config(num_labels=len(classes)))
    config_dir = root / model_type
    _save_tokenizer(config_dir)
    _bert_config().save_pretrained(config_dir)  # the base model's config: 2 labels, as on the Hub
    checkpoint = root / f"tiny-detoxify-{len(classes)}.ckpt"
    arch_args = {
        "model_type": model_type,
        "model_name": "BertForSequenceClassification",
        "tokenizer_name": "BertTokenizer",
        "num_classes": len(classes),
    }
    config = {"arch": {"args": arch_args}, "dataset": {"args": {"classes": list(classes)}}}
    torch.save({"config": config, "state_dict": model.state_dict()}, checkpoint)
    return TinyDetoxify(checkpoint, config_dir)


def build_multilingual_checkpoint(root: Path) -> TinyDetoxify:
    """Shaped like Detoxify's multilingual files: XLM-R, one class, no tokenizer_config.json."""
    import sentencepiece

    config_dir = root / "xlm-roberta-base"
    config_dir.mkdir(parents=True, exist_ok=True)
    corpus = root / "corpus.txt"
    corpus.write_text("\n".join(_WORDS) * 20, encoding="utf-8")
    prefix = root / "spm"
    sentencepiece.SentencePieceTrainer.train(
        input=str(corpus), model_prefix=str(prefix), vocab_size=80, model_type="bpe", minloglevel=2
    )
    spm_file = config_dir / "sentencepiece.bpe.model"
    spm_file.write_bytes(prefix.with_suffix(".model").read_bytes())
    tokenizer = XLMRobertaTokenizer(vocab_file=str(spm_file))
    tokenizer.backend_tokenizer.save(str(config_dir / "tokenizer.json"))
    # The Hub's max_position_embeddings is 514 for 512 tokens: RoBERTa offsets positions by 2.
    sizes = {"vocab_size": len(tokenizer), "max_position_embeddings": MAX_POSITIONS + 2}
    XLMRobertaConfig(**_TINY, **sizes).save_pretrained(config_dir)
    torch.manual_seed(SEED)
    model = XLMRobertaForSequenceClassification(XLMRobertaConfig(**_TINY, **sizes, num_labels=1))
    arch_args = {
        "model_type": "xlm-roberta-base",
        "model_name": "XLMRobertaForSequenceClassification",
        "tokenizer_name": "XLMRobertaTokenizer",
        "num_classes": 1,
    }
    checkpoint = root / "tiny-multilingual.ckpt"
    config = {"arch": {"args": arch_args}, "dataset": {"args": {"classes": ["toxic"]}}}
    torch.save({"config": config, "state_dict": model.state_dict()}, checkpoint)
    return TinyDetoxify(checkpoint, config_dir)


def build_classifier(folder: Path, labels: list[str], problem_type: str = "multi_label_classification") -> Path:
    """Random BERT sequence classifier with these labels, saved with save_pretrained."""
    torch.manual_seed(SEED)
    config = _bert_config(
        num_labels=len(labels),
        id2label=dict(enumerate(labels)),
        label2id={label: i for i, label in enumerate(labels)},
        problem_type=problem_type,
    )
    BertForSequenceClassification(config).save_pretrained(folder)
    _save_tokenizer(folder)
    return folder


def block_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Refuse every non-loopback connection and aim the Hub at a closed port; returns the attempts.

    The offline settings the loaders switch on are restored when monkeypatch undoes.
    """
    import huggingface_hub.constants

    attempts: list[object] = []
    real_connect = socket.socket.connect

    def guarded_connect(sock: socket.socket, address: object) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if host not in ("127.0.0.1", "::1", "localhost") and sock.family != socket.AF_UNIX:
            attempts.append(address)
            raise OSError(f"test: network blocked ({address})")
        real_connect(sock, address)

    def guarded_create_connection(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        if address[0] not in ("127.0.0.1", "::1", "localhost"):
            attempts.append(address)
            raise OSError(f"test: network blocked ({address})")
        return real_create_connection(address, *args, **kwargs)  # type: ignore[arg-type]

    real_create_connection = socket.create_connection
    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "create_connection", guarded_create_connection)
    closed = f"http://127.0.0.1:{_closed_port()}"
    monkeypatch.setenv("HF_ENDPOINT", closed)
    monkeypatch.setattr(huggingface_hub.constants, "ENDPOINT", closed)
    for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.setenv(name, os.environ.get(name, "0"))
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", huggingface_hub.constants.HF_HUB_OFFLINE)
    return attempts


def _closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
