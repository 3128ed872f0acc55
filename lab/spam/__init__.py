"""Replaying labelled comment streams through the spam scorer, with and without moderators' feedback."""
