"""Toxicity categories, named as Detoxify and Perspective name them."""

CATEGORIES = ("toxicity", "severe_toxicity", "obscene", "insult", "threat", "identity_attack")
