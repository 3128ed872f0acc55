"""The spam model's task: learn moderators' and sites' new labels."""

import logging

from celery import Task, shared_task

from moderation.spam.learning import learn_site
from moderation.spam.scorer import get_spam_scorer
from shared import task_names
from shared.db import session_scope

log = logging.getLogger(__name__)


# Idempotent, hence acks_late: it learns only feedback rows above the latest version's last id,
# and versions are unique per site, so a second run finds nothing new.
@shared_task(name=task_names.LEARN_SPAM, bind=True, acks_late=True)
def learn_spam(self: Task, site_id: int) -> int | None:
    """Teach the site's spam model the feedback it has not learnt yet; stores a new version."""
    settings = self.app.settings
    with session_scope(settings.database_url) as session:
        version = learn_site(session, site_id, get_spam_scorer(settings).known)
    if version is not None:
        log.info("site %s: spam model version %s", site_id, version)
    return version
