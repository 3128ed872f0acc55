"""The automatic path: the worker's tasks score a batch, apply each site's policy and rules, and store verdicts."""
