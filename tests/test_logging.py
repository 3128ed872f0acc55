"""Log lines say which request or task they come from."""

import logging

from celery import Celery

from shared.logging import WorkContext


def record() -> logging.LogRecord:
    made = logging.LogRecord("test", logging.INFO, __file__, 1, "hello", None, None)
    WorkContext().filter(made)
    return made


def test_a_line_written_during_a_request_names_it(app):
    with app.test_request_context("/v1/comments/7", method="GET"):
        assert record().context == "GET /v1/comments/7"


def test_a_line_written_by_a_task_names_it_with_its_id():
    celery = Celery("t", set_as_current=False)
    seen = []

    @celery.task(name="moderation.example")
    def example() -> None:
        seen.append(record().context)

    example.apply(task_id="abc-123")
    assert seen == ["moderation.example abc-123"]


def test_elsewhere_the_context_is_a_dash():
    assert record().context == "-"
