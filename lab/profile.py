"""Where the time goes, from py-spy's raw (collapsed) stacks: `python -m lab.profile FILE [--top N]`.

Each line of `py-spy record --format raw` is one stack (`frame;frame;...`) and its sample count. Every
function gets the share of samples it was on the stack for (inclusive time), counted once per stack
even when it recurses; `--only` keeps stacks that pass through a frame (e.g. the request handler),
so a table can say "of a POST's time".
"""

import argparse
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", type=Path)
    parser.add_argument("--top", type=int, default=40)
    parser.add_argument("--only", help="keep stacks through this frame, e.g. 'post_comment (ingest/api.py)'")
    parser.add_argument("--match", help="show only functions whose name contains this")
    args = parser.parse_args()
    shares, total = inclusive(args.file, args.only)
    print(f"{total} samples")
    rows = [(n, c) for n, c in shares.most_common() if args.match is None or args.match in n]
    for name, count in rows[: args.top]:
        print(f"{100 * count / total:5.1f}%  {name}")


if __name__ == "__main__":
    main()
