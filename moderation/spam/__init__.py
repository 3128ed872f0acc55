"""Spam detection: signals, near-duplicates, rates, and a classifier that learns from moderators."""
