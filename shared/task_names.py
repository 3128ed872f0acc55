"""Task names: the only thing services share about each other's work. Stable: never rename."""

SCORE_COMMENT = "moderation.score_comment"
SWEEP_PENDING_COMMENTS = "moderation.sweep_pending_comments"
LEARN_SPAM = "moderation.learn_spam"
DELIVER_CALLBACK = "notify.deliver_callback"
SWEEP_PENDING_NOTIFICATIONS = "notify.sweep_pending_notifications"
DISPATCH_ALERTS = "notify.dispatch_alerts"  # turn a site's new moderation events into channel messages
DELIVER_ALERT = "notify.deliver_alert"
SWEEP_ALERTS = "notify.sweep_alerts"

MODERATION_QUEUE = "moderation"
NOTIFY_QUEUE = "notify"
