"""docs/settings.md, written from shared/settings.py: every MOD_* variable with its type, default and
docstring. `modctl settings-doc` writes it; tests/test_settings_reference.py fails when it is stale."""

import json
import re
import types
from collections.abc import Iterator
from typing import Any, Literal, TypeGuard, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from shared.settings import Settings

HEADER = """# Settings

Every setting of every process, written by `modctl settings-doc` from `shared/settings.py` (do not
edit this page: edit the docstrings there). Each is an environment variable; groups nest with `__`
(`MOD_CALLBACK__RETRY_FOR_S`). Mappings are JSON (`MOD_POLICY__REVIEW='{"toxicity": 0.6}'`).
Optional settings are empty by default.
"""


def _is_model(annotation: Any) -> TypeGuard[type[BaseModel]]:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _type_name(annotation: Any) -> str:
    origin, args = get_origin(annotation), get_args(annotation)
    if origin in (Union, types.UnionType):
        named = [_type_name(a) for a in args if a is not type(None)]
        return " or ".join(named) + (", optional" if type(None) in args else "")
    if origin is Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if origin is dict:
        return "JSON object"
    return {str: "text", int: "integer", float: "number", bool: "true/false"}.get(annotation, str(annotation))


def _default(field: FieldInfo) -> str:
    value = field.get_default(call_default_factory=True)
    if value is None:
        return ""
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, dict):
        values = set(value.values())
        if len(values) == 1 and len(value) > 2:  # every category alike: say so instead of listing them
            return f"`{next(iter(values))}` for each"
        return f"`{json.dumps(value, ensure_ascii=False)}`" if value else "`{}`"
    return f"`{value}`"


def _cell(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().replace("|", "\\|")


def _sections(model: type[BaseModel], prefix: str, title: str) -> Iterator[tuple[str, str, list[str]]]:
    """(title, intro, table rows) for the model's own fields, then for each group nested in it."""
    rows, nested = [], []
    for name, field in model.model_fields.items():
        env, annotation = f"{prefix}{name.upper()}", field.annotation
        if _is_model(annotation):
            nested.append((annotation, f"{env}__", f"`{env}__*`"))
            continue
        rows.append(
            f"| `{env}` | {_cell(_type_name(field.annotation))} | {_default(field)} | {_cell(field.description or '')} |"
        )
    yield title, _cell(model.__doc__ or "") if model is not Settings else "Every process reads these.", rows
    for child, child_prefix, child_title in nested:
        yield from _sections(child, child_prefix, child_title)


def settings_reference() -> str:
    """The whole page, as markdown."""
    parts = [HEADER]
    for title, intro, rows in _sections(Settings, "MOD_", "General"):
        parts.append(f"\n## {title}\n\n{intro}\n\n| Variable | Type | Default | What it does |\n|---|---|---|---|\n")
        parts.append("\n".join(rows) + "\n")
    return "".join(parts)


def undocumented() -> list[str]:
    """Settings without a docstring: each must say what it does."""
    missing = []

    def walk(model: type[BaseModel], prefix: str) -> None:
        for name, field in model.model_fields.items():
            annotation = field.annotation
            if _is_model(annotation):
                walk(annotation, f"{prefix}{name.upper()}__")
            elif not (field.description or "").strip():
                missing.append(f"{prefix}{name.upper()}")

    walk(Settings, "MOD_")
    return missing
