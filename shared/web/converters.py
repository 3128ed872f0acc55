"""URL converters: an `<id:…>` matches only what a BIGINT primary key can hold, so an id out of range
is a 404 like any unknown one, never a database error."""

from werkzeug.routing import IntegerConverter

MAX_ID = 2**63 - 1


class RowIdConverter(IntegerConverter):
    def __init__(self, map, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(map, *args, min=1, max=MAX_ID, **kwargs)
