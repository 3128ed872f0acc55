"""The README's shell examples, read as a newcomer would copy them: commands, and the output each shows.

A ```sh block runs unless the line before its fence says why not: `<!-- not run: needs compose -->`.
In a block, a command is a line plus its continuations (a trailing backslash, or a quote still open);
`# => ...` lines after it show (the shape of) what it prints; other `#` lines are prose.
"""

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
NOT_RUN = re.compile(r"<!--\s*not run:\s*(.+?)\s*-->")


@dataclass
class Command:
    line: int  # where it starts in the README
    text: str
    shown: str = ""  # what the README says it prints (joined `# =>` lines), if anything


@dataclass
class Block:
    line: int
    commands: list[Command] = field(default_factory=list)
    not_run: str | None = None  # why it is not run, if it is not


def _complete(text: str) -> bool:
    if text.rstrip().endswith("\\"):
        return False
    try:
        shlex.split(text, comments=True)
    except ValueError:  # a quote still open: the command goes on on the next line
        return False
    return True


def _commands(lines: list[tuple[int, str]]) -> list[Command]:
    commands: list[Command] = []
    pending: list[str] = []
    start = 0
    showing = False
    for number, line in lines:
        stripped = line.strip()
        if not pending and stripped.startswith("#"):
            if stripped.startswith("# =>") and commands:
                commands[-1].shown += stripped[4:].strip() + " "
                showing = True
            elif showing and stripped.startswith("#   "):
                commands[-1].shown += stripped[1:].strip() + " "
            else:
                showing = False
            continue
        if not pending and not stripped:
            continue
        showing = False
        if not pending:
            start = number
        pending.append(line)
        if _complete("\n".join(pending)):
            commands.append(Command(start, "\n".join(pending)))
            pending = []
    return commands


def blocks(readme: Path = README) -> list[Block]:
    """Every ```sh block, in order."""
    found, lines, inside, previous = [], readme.read_text(encoding="utf-8").splitlines(), None, ""
    for number, line in enumerate(lines, 1):
        if inside is None and line.strip() == "```sh":
            marker = NOT_RUN.search(previous)
            inside = Block(number, not_run=marker.group(1) if marker else None)
            body: list[tuple[int, str]] = []
        elif inside is not None and line.strip() == "```":
            inside.commands = _commands(body)
            found.append(inside)
            inside = None
        elif inside is not None:
            body.append((number, line))
        if line.strip():
            previous = line
    return found


def shown_keys(shown: str) -> set[str]:
    """The JSON keys an example's shown output names: what the real output must have, whatever the values."""
    return set(re.findall(r'"([A-Za-z_][\w]*)"\s*:', shown))


def all_keys(value: object) -> set[str]:
    """Every key at every depth of a parsed JSON value."""
    if isinstance(value, dict):
        return set(value) | {k for item in value.values() for k in all_keys(item)}
    if isinstance(value, list):
        return {k for item in value for k in all_keys(item)}
    return set()


def matches(shown: str, printed: str) -> bool:
    """The printed output has the shape shown: the same JSON keys (values may differ), or the same first word."""
    if shown.startswith(("{", "[")):
        try:
            return shown_keys(shown) <= all_keys(json.loads(printed))
        except ValueError:
            return False
    return printed.split()[:1] == shown.split()[:1]


@dataclass
class CurlCall:
    method: str
    url: str
    data: str | None
    json: bool


def curl_call(text: str) -> CurlCall | None:
    """What a `curl` example sends, read from its arguments; None when the command is not curl."""
    words = shlex.split(text, comments=True)
    if not words or words[0] != "curl":
        return None
    method, url, data, is_json, form = None, "", None, False, False
    args = iter(words[1:])
    for word in args:
        if word == "-X":
            method = next(args)
        elif word == "-H":
            is_json |= next(args).lower().replace(" ", "") == "content-type:application/json"
        elif word in ("-d", "--data", "--data-urlencode"):
            value = next(args)
            form |= word == "--data-urlencode" or not value.lstrip().startswith("{")
            data = value if data is None else f"{data}&{value}"
        elif word.startswith("http"):
            url = word
    return CurlCall(method or ("POST" if data is not None else "GET"), url, data, is_json and not form)
