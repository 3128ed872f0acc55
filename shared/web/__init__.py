"""Flask plumbing every web blueprint shares: request sessions, the JSON error shape, site keys, health."""
