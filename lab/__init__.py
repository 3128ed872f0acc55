"""Offline tooling: training, evaluating and fetching models, replaying streams. Only modctl imports it;
no runtime process does."""
