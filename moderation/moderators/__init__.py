"""The human side: moderator accounts, their decisions (approve, reject, ban, undo) and the queues they read."""
