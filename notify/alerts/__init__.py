"""Moderator alerts: what a message says (message), which events become one (dispatch), its words (wording)."""
