"""The HTTP API the news site talks to: accept comments, report their status."""
