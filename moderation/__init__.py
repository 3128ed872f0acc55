"""Scoring comments, applying the site's policy, and recording verdicts with their reasons."""
