"""`modctl bench-analyze`: the Perspective-compatible analyze endpoint under load, measured from outside.

The real web process (gunicorn, as deployed) and N concurrent clients, each a thread with its own
keep-alive connection posting 500-character Russian comments with doNotStore, back to back for a
fixed time. Latency is the client's view (queueing in gunicorn included); the clients share the
machine, so on a small box the figures are an upper bound.
"""

import random
import statistics
import threading
import time

import requests

from services.bench_pipeline import new_site, process_env, running, wait_ready
from services.processes import web_command
from shared.settings import Settings

COMMENT_CHARS = 500
_SENTENCES = (
    "Спасибо за подробный материал, давно ждал разбора этой темы.",
    "Дорогу у нас на Ленина опять перекопали, а обещали закончить ещё в августе.",
    "Интересно, кто будет платить за ремонт после такого решения администрации?",
    "Автор, вы хоть раз были в этой поликлинике, прежде чем писать такое?",
    "Ты тупой урод и ничего не понимаешь в городском хозяйстве.",
    "У нас во дворе то же самое: мусор не вывозят вторую неделю.",
    "Хорошо, что хоть кто-то об этом пишет, иначе никто бы и не узнал.",
    "Заткнись уже со своими советами, надоел всем в комментариях.",
    "Цены на проезд опять подняли, а автобусы ходят как попало.",
)


def comment_text(rng: random.Random) -> str:
    """About 500 characters of Russian comment: mostly civil sentences, some abuse among them."""
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < COMMENT_CHARS:
        parts.append(rng.choice(_SENTENCES))
    return " ".join(parts)[:COMMENT_CHARS]


def _client(url: str, key: str, until: float, seed: int, latencies: list[float], errors: list[int]) -> None:
    session, rng = requests.Session(), random.Random(seed)
    while time.monotonic() < until:
        body = {"comment": {"text": comment_text(rng)}, "languages": ["ru"], "doNotStore": True,
                "requestedAttributes": {"TOXICITY": {}, "INSULT": {}, "SPAM": {}}}
        started = time.monotonic()
        response = session.post(url, params={"key": key}, json=body, timeout=30)
        if response.status_code == 200:
            latencies.append(time.monotonic() - started)
        else:
            errors.append(response.status_code)


def analyze_latency(settings: Settings, *, clients: int, seconds: float, port: int) -> dict[str, float]:
    """p50/p99 seconds per analyze request and requests/s, with `clients` posting for `seconds`."""
    _, key = new_site(settings)
    base = f"http://127.0.0.1:{port}"
    url = f"{base}/perspective/v1alpha1/comments:analyze"
    latencies: list[float] = []  # list.append is atomic: the threads share it without a lock
    errors: list[int] = []
    with running(web_command(), process_env(settings, MOD_PORT=str(port))):
        wait_ready(base)
        _client(url, key, time.monotonic() + 3, 0, [], [])  # warm up: connections, first requests
        until = time.monotonic() + seconds
        threads = [threading.Thread(target=_client, args=(url, key, until, n, latencies, errors)) for n in range(clients)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    ordered = sorted(latencies)
    return {"n": len(ordered), "errors": len(errors), "per_s": len(ordered) / elapsed,
            "p50": statistics.median(ordered), "p99": ordered[max(0, int(len(ordered) * 0.99) - 1)]}
