"""Where the time goes, from py-spy's raw (collapsed) stacks: `modctl profile-summary FILE`.

Each line of `py-spy record --format raw` is one stack (`frame;frame;...`) and its sample count. Every
function gets the share of samples it was on the stack for (inclusive time), counted once per stack
even when it recurses; `--only` keeps stacks that pass through a frame (e.g. the request handler),
so a table can say "of a POST's time".
"""

import re
from collections import Counter
from pathlib import Path

_FRAME = re.compile(r"^(?P<name>.+?) \((?P<file>[^:()]+)(?::\d+)?\)$")


def frames(stack: str) -> list[str]:
    """The stack's functions as `name (file)`, outermost first, without line numbers."""
    names = []
    for part in stack.split(";"):
        match = _FRAME.match(part)
        if match:
            names.append(f"{match['name']} ({match['file']})")
    return names


def inclusive(path: Path, only: str | None = None) -> tuple[Counter[str], int]:
    """Samples per function (on the stack) and the total, over the stacks that pass through `only`."""
    shares: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        names = frames(stack)
        if only is not None and not any(only in name for name in names):
            continue
        total += int(count)
        for name in set(names):
            shares[name] += int(count)
    return shares, total


def summary(path: Path, *, only: str | None = None, match: str | None = None) -> tuple[list[tuple[str, float]], int]:
    """(function, share of samples) from the most frequent down, and the samples counted."""
    shares, total = inclusive(path, only)
    rows = [(name, count / total) for name, count in shares.most_common() if match is None or match in name]
    return rows, total
