"""`make bench-faults` prints one line per fault in the agreed shape, and a last line summing them."""

import re

from services.bench.faults import Outcome, summary

FIELDS = ("accepted", "stored", "decided", "lost", "duplicated", "stuck", "overwritten", "http_5xx")


def test_each_line_names_the_fault_and_every_agreed_figure():
    line = Outcome("worker_kill", accepted=3, stored=3, decided=3).line()
    assert line.startswith("fault=worker_kill ")
    for name in FIELDS:
        assert re.search(rf"\b{name}=\d+\b", line), name


def test_the_summary_adds_every_figure():
    total = summary([Outcome("a", accepted=2, lost=1, http_5xx=1), Outcome("b", accepted=3, stuck=2, raced=4)])
    assert total.line().startswith("fault=all accepted=5 ")
    assert (total.lost, total.stuck, total.http_5xx, total.raced) == (1, 2, 1, 4)
