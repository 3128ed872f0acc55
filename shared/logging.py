"""One log format for every process."""

import logging


def configure_logging(level: str) -> None:
    """Log to stderr as `time level logger: message`, at the configured level."""
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
