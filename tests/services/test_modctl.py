"""modctl, the operator's command line, against the test database and broker."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from services.modctl import cli
from shared.models import Notification
from tests.support.factories import make_callback
from tests.support.payloads import comment_body


def test_help_explains_every_command(modctl):
    result = modctl("--help")
    for command in ("site", "migrate", "train", "notifications", "serve-api", "worker", "beat", "run"):
        assert command in result.output


def test_site_create_prints_a_key_that_works_once(modctl, client):
    result = modctl("site", "create", "--name", "luki", "--callback-url", "https://luki.ru/hooks/mod")

    assert result.exit_code == 0
    key = re.search(r"api key:\s+(\S+)", result.output).group(1)
    assert re.search(r"signing secret:\s+whsec_\S+", result.output)
    response = client.post("/v1/comments", json=comment_body(), headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 202


def test_only_a_hash_of_the_key_is_stored(modctl, db):
    key = re.search(r"api key:\s+(\S+)", modctl("site", "create", "--name", "x").output).group(1)
    stored = db.execute(text("SELECT key_hash, hint FROM site_api_keys")).one()
    assert key not in stored.key_hash and len(stored.key_hash) == 64
    assert stored.hint == "…" + key[-4:]  # enough to tell keys apart, nothing to use


def test_replay_revives_dead_notifications_and_queues_them(modctl, db, site, redis_client):
    notification = make_callback(db, site.id, "http://127.0.0.1:9/cb")
    db.query(Notification).update({"status": "dead", "attempts": 8})
    db.commit()

    result = modctl("notifications", "replay", "--all-dead")

    assert f"replaying 1 notification(s): {notification.id}" in result.output
    db.refresh(notification)
    assert notification.status == "pending" and notification.attempts == 0
    queued = [json.loads(raw)["headers"]["task"] for raw in redis_client.lrange("notify", 0, -1)]
    assert queued == ["notify.deliver_callback"]


def test_replay_without_a_selection_is_a_usage_error(modctl):
    result = CliRunner().invoke(cli, ["notifications", "replay"])
    assert result.exit_code == 2 and "--all-dead" in result.output


def test_train_writes_a_model_the_scorer_loads(modctl, tmp_path):
    from moderation.scoring import load_embedded_scorer

    rude = ["ты тупой урод", "заткнись дебил", "мразь конченая", "идиот безмозглый", "тварь тупая"]
    kind = ["спасибо за новость", "хорошая статья", "отличный парк", "интересный материал", "ждём продолжения"]
    rows = (
        ["text,label"]
        + [f"{a} {n},1" for n in range(12) for a in rude]
        + [f"{k} {n},0" for n in range(12) for k in kind]
    )
    data = tmp_path / "train.csv"
    data.write_text("\n".join(rows), encoding="utf-8")

    result = modctl("train", "--data", str(data), "--out", str(tmp_path / "model"))

    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["n_samples"] == 120
    scorer = load_embedded_scorer(tmp_path / "model")
    rude_score, kind_score = (
        r.scores["toxicity"] for r in scorer.score_batch(["какой тупой урод", "спасибо, хорошая статья"])
    )
    assert rude_score > 0.5 > kind_score


def test_eval_and_bench_speed_end_with_their_figure_lines(modctl, tmp_path):
    data = tmp_path / "bench.csv"
    data.write_text(
        "text,label\nты тупой урод,1\nспасибо за новость,0\nзаткнись мразь,1\nхорошая статья,0\n", encoding="utf-8"
    )

    quality = modctl("eval", "--data", str(data)).output.strip().splitlines()[-1]
    speed = modctl("bench-speed", "--data", str(data), "--batch", "2").output.strip().splitlines()[-1]

    assert re.fullmatch(r"roc_auc=1\.0000 f1=1\.0000 n=4", quality), quality
    assert re.fullmatch(r"batched_per_s=\d+ single_per_s=\d+ load_s=\d+\.\d+ rss_mb=\d+", speed), speed


def test_models_fetch_downloads_and_prints_the_settings(modctl, tmp_path):
    from tests.support.http_server import file_server

    files = {
        "/ckpt/multilingual.ckpt": b"weights",
        "/xlm-roberta-base/resolve/main/config.json": b"{}",
        "/xlm-roberta-base/resolve/main/sentencepiece.bpe.model": b"spm",
        "/xlm-roberta-base/resolve/main/tokenizer.json": b"{}",
    }
    with file_server(files) as (base, _):
        result = modctl(
            "models",
            "fetch",
            "--dest",
            str(tmp_path),
            "--checkpoint-url",
            f"{base}/ckpt/multilingual.ckpt",
            "--hub-url",
            base,
        )

    assert f"MOD_TOXICITY__DETOXIFY__CHECKPOINT={tmp_path / 'multilingual.ckpt'}" in result.output
    assert f"MOD_TOXICITY__DETOXIFY__HUGGINGFACE_CONFIG_PATH={tmp_path / 'xlm-roberta-base'}" in result.output
    assert (tmp_path / "multilingual.ckpt").read_bytes() == b"weights"


def test_eval_spam_and_bench_spam_end_with_their_figure_lines(modctl, tmp_path):
    rows = ["text,label,author,ip,created_at"]
    for n in range(20):
        rows.append(f"Спасибо за новость про мост номер {n},0,reader-{n},198.51.100.{n},{n * 600}")
        rows.append(
            f"Казино Вулкан! Бонус 5000 пиши в телегу @win_{n} +7 900 123 45 6{n % 10},1,bot,203.0.113.5,{n * 600 + 5}"
        )
    data = tmp_path / "spam.csv"
    data.write_text("\n".join(rows), encoding="utf-8")

    evaluated = modctl("eval-spam", "--data", str(data)).output.strip().splitlines()[-1]
    benched = modctl("bench-spam", "--data", str(data), "--n", "200").output.strip().splitlines()[-1]

    assert re.fullmatch(r"precision=1\.0000 recall=1\.0000 f1=1\.0000 roc_auc=1\.0000 n=40 per_s=\d+", evaluated), (
        evaluated
    )
    assert re.fullmatch(r"f1_before=\d\.\d{4} f1_after=\d\.\d{4} per_s=\d+", benched), benched


def test_eval_spam_teach_replays_with_moderators_deciding_and_measures_the_second_half(modctl, tmp_path):
    rows = ["text,label"]
    for n in range(30):
        rows.append(f'"Спасибо за новость про ремонт моста номер {n}, наконец-то дождались",0')
        if n % 3 == 0:
            rows.append(f'"Набираю людей в команду, оплата каждый день {n}00 руб, пишите + в лс",1')
    data = tmp_path / "stream.csv"
    data.write_text("\n".join(rows), encoding="utf-8")

    lines = modctl("eval-spam", "--data", str(data), "--teach", "0.5").output.strip().splitlines()

    assert lines[-2] == f"moderators decided 50% of {len(rows) - 1} comments; measured on the second half"
    assert re.fullmatch(
        r"precision=\d\.\d{4} recall=\d\.\d{4} f1=\d\.\d{4} roc_auc=(\d\.\d{4}|n/a) n=20 per_s=\d+", lines[-1]
    ), lines[-1]


def test_bench_analyze_loads_the_real_web_process_and_ends_with_its_figure_line(modctl):
    from tests.support.processes import free_port

    result = modctl("bench-analyze", "--seconds", "1", "--clients", "5", "--rates", "20", "--port", str(free_port()))

    lines = result.output.strip().splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == [
        "1 client, back to back",
        "5 clients, arriving at 20/s",
        "5 clients, back to back",
    ]
    assert all(", 0 errors," in line for line in lines[:-1]), result.output
    assert re.fullmatch(
        r"analyze_single_p99_ms=[\d.]+ analyze_per_s_at_p99_50ms=(0|20) clients=5 "
        r"closed_p50_ms=[\d.]+ closed_p99_ms=[\d.]+ closed_per_s=\d+",
        lines[-1],
    ), lines[-1]


def test_site_set_changes_the_policy_the_workers_apply(modctl, db, site, tmp_path):
    words = tmp_path / "banned.txt"
    words.write_text("казино*\nставки\n\n", encoding="utf-8")

    result = modctl(
        "site",
        "set",
        "--site",
        "luki",
        "--mode",
        "post",
        "--review",
        "toxicity=0.6",
        "--reject",
        "spam=0.95",
        "--banned-words-file",
        str(words),
        "--suspect-word",
        "митинг",
        "--new-author-review",
        "3",
        "--edit-after-reject",
        "reject",
    )

    assert result.exit_code == 0, result.output
    stored = db.execute(text("SELECT policy FROM sites WHERE name = 'luki'")).scalar_one()
    stored = stored if isinstance(stored, dict) else json.loads(stored)
    assert stored == {
        "mode": "post",
        "review": {"toxicity": 0.6},
        "reject": {"spam": 0.95},
        "banned_words": ["казино*", "ставки"],
        "suspect_words": ["митинг"],
        "new_author_review": 3,
        "edit_after_reject": "reject",
    }
    removed = modctl("site", "set", "--site", "luki", "--remove-word", "ставки")
    assert json.loads(removed.output)["policy"]["banned_words"] == ["казино*"]


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (("--review", "toxicity=high"), "toxicity=NUMBER"),
        (("--review", "rudeness=0.5"), "unknown categories ['rudeness']"),
        (("--reject", "spam=3"), "less than or equal to 2"),
        (("--new-author-review", "-1"), "greater than or equal to 0"),
    ],
)
def test_site_set_refuses_a_bad_value_and_stores_nothing(modctl, db, site, args, problem):
    result = modctl("site", "set", "--site", "luki", "--mode", "post", *args)

    assert result.exit_code == 2
    assert problem.replace("toxicity=NUMBER", "CATEGORY=NUMBER") in result.output
    assert db.execute(text("SELECT policy FROM sites WHERE name = 'luki'")).scalar_one() in ({}, "{}")


def test_channel_add_list_and_test_against_a_real_webhook(modctl, site):
    from tests.support.http_server import http_server

    with http_server() as (url, recorder):
        added = modctl(
            "channel",
            "add",
            "--site",
            "luki",
            "--kind",
            "webhook",
            "--target",
            f"{url}/mods",
            "--events",
            "review,reject",
            "--digest-interval",
            "60",
        )
        assert added.exit_code == 0, added.output
        channel_id = re.search(r"channel (\d+):", added.output).group(1)

        tested = modctl("channel", "test", "--id", channel_id)
        (request,) = recorder.received

    assert tested.exit_code == 0 and "delivered" in tested.output
    assert request.path == "/mods" and request.json()["test"] is True
    listed = modctl("channel", "list", "--site", "luki").output
    assert f"{url}/mods" in listed and "webhook" in listed


def test_channel_test_says_why_it_failed_and_channel_add_refuses_bad_targets(modctl, site):
    from tests.support.processes import free_port

    added = modctl(
        "channel", "add", "--site", "luki", "--kind", "webhook", "--target", f"http://127.0.0.1:{free_port()}/x"
    )
    channel_id = re.search(r"channel (\d+):", added.output).group(1)
    failed = modctl("channel", "test", "--id", channel_id)
    assert failed.exit_code == 1 and "failed" in failed.output

    refused = modctl("channel", "add", "--site", "luki", "--kind", "telegram", "--target", "-100123")
    assert refused.exit_code == 2 and "token" in refused.output


def test_train_with_decisions_adds_the_moderators_examples(modctl, tmp_path, db, site):
    from moderation.moderators.decisions import decide_comment
    from tests.support.factories import make_comment

    rows = (
        ["text,label"] + [f"ты тупой урод {n},1" for n in range(30)] + [f"спасибо за новость {n},0" for n in range(30)]
    )
    data = tmp_path / "train.csv"
    data.write_text("\n".join(rows), encoding="utf-8")
    for n in range(4):
        comment = make_comment(db, site.id, external_id=f"c-{n}", text=f"мерзкий гад {n}", status="review")
        decide_comment(db, comment.id, "reject", actor="moderator:anna", reason="insult")
    db.commit()

    result = modctl("train", "--data", str(data), "--out", str(tmp_path / "model"), "--with-decisions")

    assert result.exit_code == 0, result.output
    assert "60 comments from" in result.stderr and "4 from moderators' decisions" in result.stderr
    assert json.loads(result.stdout)["n_samples"] == 64


def test_a_domain_blocked_as_a_url_then_allowed_by_name_is_one_rule_and_the_latest_wins(modctl, db, site):
    from shared.models import SiteDomainRule

    assert modctl("site", "domain", "add", "--site", "luki", "--block", "https://www.Kazino.ru/").exit_code == 0
    assert modctl("site", "domain", "add", "--site", "luki", "--allow", "kazino.ru").exit_code == 0
    assert [(r.domain, r.rule) for r in db.query(SiteDomainRule).all()] == [("kazino.ru", "allow")]


def _modctl_in(folder, *args, **env):
    """The installed modctl, run as a newcomer would: in some folder, with the environment given."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("MOD_")}
    return subprocess.run(
        [str(Path(sys.executable).parent / "modctl"), *args],
        cwd=folder,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_outside_the_repository_a_command_says_in_one_line_that_there_is_no_database(tmp_path):
    result = _modctl_in(tmp_path, "moderator", "list")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        f"Error: no database at {tmp_path / 'var' / 'modsys.db'}: run `modctl migrate` "
        "(or `make run`) in the folder that should hold var/modsys.db, or set "
        "MOD_DATABASE_URL to the service's database"
    )
    assert not (tmp_path / "var").exists()  # nothing half-made left behind


def test_a_bad_setting_is_one_line_naming_it_even_for_a_process_command(tmp_path):
    for command in (["site", "create", "--name", "luki"], ["serve-api"]):
        result = _modctl_in(tmp_path, *command, MOD_PORT="eighty")
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert result.stderr.startswith("Error: bad setting: MOD_PORT='eighty': input should be a valid integer")


def test_a_database_without_tables_or_out_of_reach_is_one_line(tmp_path):
    (tmp_path / "empty.db").touch()
    empty = _modctl_in(tmp_path, "moderator", "list", MOD_DATABASE_URL=f"sqlite:///{tmp_path / 'empty.db'}")
    assert empty.returncode == 1 and "has no tables yet: run `modctl migrate`" in empty.stderr
    down = _modctl_in(
        tmp_path,
        "site",
        "create",
        "--name",
        "luki",
        MOD_DATABASE_URL="postgresql+psycopg://modsys:s3cret@127.0.0.1:1/modsys",
    )
    assert down.returncode == 1 and "Traceback" not in down.stderr
    assert "cannot use the database postgresql+psycopg://modsys:***@127.0.0.1:1/modsys" in down.stderr
    assert "s3cret" not in down.stderr


def test_a_second_site_of_the_same_name_is_one_line_and_changes_nothing(tmp_path):
    env = {"MOD_DATABASE_URL": f"sqlite:///{tmp_path / 'modsys.db'}"}
    assert _modctl_in(tmp_path, "migrate", **env).returncode == 0
    assert _modctl_in(tmp_path, "site", "create", "--name", "luki", **env).returncode == 0
    again = _modctl_in(tmp_path, "site", "create", "--name", "luki", **env)
    assert again.returncode == 1 and "Traceback" not in again.stderr
    assert again.stderr.startswith("Error: nothing changed, it would repeat what exists: UNIQUE constraint failed")


def test_policy_simulate_compares_a_proposal_with_the_current_policy_and_changes_nothing(modctl, db, site):
    from tests.support.history import seed_history

    seed_history(db, site.id)  # worked out by hand in tests/moderation/test_policy_simulator.py
    proposal = ("--set", "review.toxicity=0.7", "--set", "banned_words=казино*", "--set", "new_author_review=1")
    period = ("--site", "luki", "--from", "2026-11-01", "--to", "2026-11-02")

    shown = modctl("policy", "simulate", *period, *proposal)
    figures = json.loads(modctl("policy", "simulate", *period, *proposal, "--json").output)

    assert shown.exit_code == 0, shown.output
    assert re.search(r"held for review\s+3\s+1\n", shown.output)
    assert re.search(r"of 2 moderators rejected: would pass\s+0\s+1\n", shown.output)
    assert "Ну и бред" in shown.output  # the one they rejected that the proposal would pass
    assert (figures["current"]["held"], figures["proposed"]["held"]) == (3, 1)
    assert figures["proposed"]["held_per_day"] == {"2026-11-01": 1, "2026-11-02": 0}
    assert figures["proposed"]["policy"]["banned_words"] == ["казино*"]
    assert db.execute(text("SELECT policy FROM sites WHERE name = 'luki'")).scalar_one() in ({}, "{}")


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (("--set", "review.rudeness=0.5"), "unknown categories ['rudeness']"),
        (("--set", "colour=red"), "unknown setting"),
        (("--set", "review.toxicity"), "write KEY=VALUE"),
        (("--to", "2026-10-01"), "ends (2026-10-01) before it begins"),
        (("--from", "1 ноября"), "YYYY-MM-DD"),
    ],
)
def test_policy_simulate_refuses_a_wrong_proposal_saying_why(modctl, site, args, problem):
    period = {"--site": "luki", "--from": "2026-11-01", "--to": "2026-11-02"}
    period.update(dict(zip(args[::2], args[1::2], strict=True)))
    result = modctl("policy", "simulate", *[part for pair in period.items() for part in pair])

    assert result.exit_code == 2 and problem in result.output


FLOOR = Path(__file__).resolve().parents[3] / "shared" / "bench" / "floor_ingest.py"


@pytest.mark.skipif(not FLOOR.exists(), reason="the stack's floor lives beside the checkout, in ../shared/bench")
def test_bench_ingest_runs_the_api_beside_the_floor_and_ends_with_its_figure_line(modctl, settings, monkeypatch):
    import psycopg

    from services.bench.ingest import floor_database_url
    from tests.conftest import ADMIN_URL
    from tests.support.processes import free_port

    floor_db = floor_database_url(settings).rsplit("/", 1)[1]
    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{floor_db}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{floor_db}"')
    monkeypatch.setenv("FLOOR_REDIS", settings.broker_url)
    try:
        result = modctl(
            "bench-ingest", "--floor", str(FLOOR), "--seconds", "1", "--rounds", "1", "--connections", "2",
            "--port", str(free_port()), "--floor-port", str(free_port()),
        )  # fmt: skip
    finally:
        with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{floor_db}" WITH (FORCE)')

    lines = result.output.strip().splitlines()
    assert ", 0 errors" in lines[0] and lines[0].startswith("POST /v1/comments:"), result.output
    assert ", 0 errors" in lines[1] and lines[1].startswith("floor:"), result.output
    assert re.fullmatch(
        r"ingest_per_s=\d+ floor_per_s=\d+ ratio=\d+\.\d\d p99_ms=[\d.]+ floor_p99_ms=[\d.]+", lines[-1]
    ), lines[-1]


def test_bench_embedded_measures_post_to_verdict_on_the_sqlite_broker(modctl):
    from tests.support.processes import free_port

    result = modctl("bench-embedded", "--rate", "5", "--seconds", "1", "--port", str(free_port()))

    lines = result.output.strip().splitlines()
    assert "5 decided (100%)" in lines[0], result.output
    assert re.fullmatch(r"embedded_p50_ms=\d+ embedded_p99_ms=\d+", lines[-1]), lines[-1]
