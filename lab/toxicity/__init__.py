"""Training and evaluating the toxicity model, and preparing Detoxify's files offline."""
