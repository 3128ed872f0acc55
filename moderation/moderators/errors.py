"""Why a moderator's action was refused, in a form both the console and the JSON API can word."""


class DecisionError(Exception):
    """The action cannot be taken; `code` is machine-readable, the message says why."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code, self.message = code, message
