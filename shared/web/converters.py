"""URL converters: an `<id:…>` matches only what a BIGINT primary key can hold, so an id out of range
is a 404 like any unknown one, never a database error."""

from werkzeug.routing import IntegerConverter, Map

MAX_ID = 2**63 - 1


def row_id(raw: str) -> int:
    """A row id from a form or query field (as Werkzeug's `type=`): ValueError unless plain ASCII digits
    within a BIGINT key's range, so "²" (str.isdigit is true for it) or 2**64 never reach the database."""
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= MAX_ID:
        raise ValueError(f"not a row id: {raw[:30]!r}")
    return int(raw)


class RowIdConverter(IntegerConverter):
    # The range is the converter's point, so a rule cannot widen it: `<id(min=…):…>` is refused by
    # this signature instead of reaching IntegerConverter with min (or max) given twice.
    def __init__(self, map: Map, fixed_digits: int = 0) -> None:
        super().__init__(map, fixed_digits, min=1, max=MAX_ID)
