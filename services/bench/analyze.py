"""`modctl bench-analyze`: Perspective's comments:analyze under 50 concurrent clients, measured from outside.

The real web process (gunicorn, as deployed) on PostgreSQL and Redis; 500-character Russian
comments with doNotStore, each request a different comment. Two views of the same server:

- Open loop, the way comments arrive: the clients share a fixed arrival rate (a Poisson schedule,
  sent whether or not earlier answers are back), and latency counts from when a request was due,
  so a stalled server cannot hide its stall by slowing the clients down (no coordinated omission).
  The rate steps up; the highest rate whose p99 stays under the goal is the capacity at the goal.
- Closed loop: every client sends its next request the moment an answer arrives. This is the
  ceiling in requests/s; the latency is then mostly queueing (always `clients` requests in flight).

The clients are asyncio tasks on raw keep-alive sockets sending prebuilt requests, so the load
generator takes little of the machine; it still shares the cores with the server.
"""

import asyncio
import json
import random
import re
import statistics
from dataclasses import dataclass

from services.bench.pipeline import new_site, process_env, running, wait_ready
from services.processes import web_command
from shared.settings import Settings

COMMENT_CHARS = 500
GOAL_P99_S = 0.050
PATH = "/perspective/v1alpha1/comments:analyze"
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
_LENGTH = re.compile(rb"(?i)\r\ncontent-length:\s*(\d+)")


def comment_text(rng: random.Random) -> str:
    """About 500 characters of Russian comment: mostly civil sentences, some abuse among them."""
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < COMMENT_CHARS:
        parts.append(rng.choice(_SENTENCES))
    return f"{rng.randrange(10**6)} " + " ".join(parts)[: COMMENT_CHARS - 7]  # a number: no two alike


def _raw_requests(key: str, count: int, seed: int) -> list[bytes]:
    """Complete HTTP/1.1 requests, built before the clock starts."""
    rng, built = random.Random(seed), []
    for _ in range(count):
        body = json.dumps(
            {
                "comment": {"text": comment_text(rng)},
                "languages": ["ru"],
                "doNotStore": True,
                "requestedAttributes": {"TOXICITY": {}, "INSULT": {}, "SPAM": {}},
            }
        ).encode()
        head = (
            f"POST {PATH}?key={key} HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        built.append(head.encode() + body)
    return built


@dataclass
class Run:
    """What one load level gave: latencies of the answered requests (s), errors, requests/s."""

    latencies: list[float]
    errors: int
    per_s: float

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else float("nan")

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) if self.latencies else float("nan")

    @property
    def p99(self) -> float:
        return self.percentile(0.99)


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    """Send one request, read its whole answer; the status code."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    length = _LENGTH.search(head)
    await reader.readexactly(int(length.group(1)) if length else 0)
    return int(head[9:12])


async def _client(port: int, requests: list[bytes], due: list[float] | None, until: float, run: Run) -> None:
    """One client on one keep-alive connection: at the times in `due` (open loop), or back to back (None).

    It connects when its first request is due, as HTTP clients do: a gthread worker gives a new
    connection a thread that waits for its request. gunicorn closes a connection idle for its
    keepalive seconds, as HTTP allows; the client then connects again and resends, and the latency
    includes the new connection.
    """
    loop = asyncio.get_running_loop()
    reader: asyncio.StreamReader | None = None
    writer: asyncio.StreamWriter | None = None
    try:
        for n, request in enumerate(requests):
            start = loop.time() if due is None else due[n]
            if start >= until:
                break
            if start > loop.time():
                await asyncio.sleep(start - loop.time())
            if reader is None or writer is None:  # both or neither
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            try:
                status = await _exchange(reader, writer, request)
            except (asyncio.IncompleteReadError, ConnectionError):
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                status = await _exchange(reader, writer, request)
            if status == 200:
                run.latencies.append(loop.time() - start)
            else:
                run.errors += 1
    finally:
        if writer is not None:
            writer.close()


async def _load(port: int, requests: list[bytes], *, clients: int, seconds: float, rate: float | None) -> Run:
    """`clients` connections for `seconds`: sharing `rate` requests/s (open loop), or back to back."""
    loop, rng, run = asyncio.get_running_loop(), random.Random(rate or 0), Run([], 0, 0.0)
    start = loop.time() + 0.05
    until = start + seconds
    mine = [requests[n::clients] for n in range(clients)]
    schedules: list[list[float] | None] = [None] * clients
    if rate is not None:
        for n in range(clients):  # each client a Poisson process at rate/clients: together, `rate`
            t = start
            due: list[float] = []
            while t < until and len(due) < len(mine[n]):
                t += rng.expovariate(rate / clients)
                due.append(t)
            schedules[n] = due
    await asyncio.gather(*(_client(port, mine[n], schedules[n], until, run) for n in range(clients)))
    run.per_s = len(run.latencies) / seconds
    return run


def analyze_load(
    settings: Settings,
    *,
    clients: int,
    seconds: float,
    rates: list[float],
    port: int,
) -> dict[str, Run]:
    """One client alone, each open-loop rate, then the closed loop: {"single" | "<rate>/s" | "closed": Run}."""
    _, key = new_site(settings)
    most = int(max([*rates, 2000]) * seconds * 1.2)  # enough requests that no client runs out
    requests = _raw_requests(key, most, seed=1)
    results: dict[str, Run] = {}
    with running(web_command(), process_env(settings, MOD_PORT=str(port))):
        wait_ready(f"http://127.0.0.1:{port}")
        asyncio.run(_load(port, requests[:2000], clients=clients, seconds=3, rate=None))  # warm up every worker
        results["single"] = asyncio.run(_load(port, requests, clients=1, seconds=seconds, rate=None))
        for rate in rates:
            results[f"{rate:g}/s"] = asyncio.run(_load(port, requests, clients=clients, seconds=seconds, rate=rate))
        results["closed"] = asyncio.run(_load(port, requests, clients=clients, seconds=seconds, rate=None))
    return results


def capacity_at_goal(results: dict[str, Run], rates: list[float]) -> float:
    """The highest open-loop rate answered within the goal at p99, with no errors; 0 if none was."""
    held = [
        rate
        for rate in rates
        if results[f"{rate:g}/s"].p99 < GOAL_P99_S
        and results[f"{rate:g}/s"].errors == 0
        and results[f"{rate:g}/s"].per_s >= 0.9 * rate
    ]
    return max(held, default=0.0)
