"""Task names: the only thing services share about each other's work. Stable: never rename."""

SCORE_COMMENT = "moderation.score_comment"
SWEEP_PENDING_COMMENTS = "moderation.sweep_pending_comments"
LEARN_SPAM = "moderation.learn_spam"
DELIVER_CALLBACK = "notify.deliver_callback"
SWEEP_PENDING_NOTIFICATIONS = "notify.sweep_pending_notifications"

MODERATION_QUEUE = "moderation"
NOTIFY_QUEUE = "notify"
