"""Changing a site's policy: the new policy and an audit row saying who changed what, in one step.

The console's settings form, the policy simulator's "apply" and `modctl site set` all come here. The
audit row is the site's own log (site_changes, SiteAction.SET_POLICY), the one trail that also holds
key rotations and disabling: a policy change is a change to the site, not a decision on a comment.
Functions take the session and never commit.
"""

import hashlib
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models import Site, SiteChange
from shared.site_lifecycle import record_change
from shared.site_policy import SitePolicy, load_site_policy
from shared.vocabulary import SiteAction


def stored_form(policy: SitePolicy) -> dict[str, Any]:
    """The policy as sites.policy keeps it: only what differs from the defaults."""
    return policy.model_dump(mode="json", exclude_defaults=True)


def policy_digest(policy: SitePolicy) -> str:
    """A short fingerprint of a policy: tells whether the one simulated is the one applied."""
    return hashlib.sha256(json.dumps(stored_form(policy), sort_keys=True).encode()).hexdigest()[:16]


def change_policy(
    session: Session, site: Site, policy: SitePolicy, *, actor: str, note: str | None = None, **detail: Any
) -> SiteChange | None:
    """Store the site's new policy with its audit row (before and after); None when nothing changes."""
    before, after = stored_form(load_site_policy(site.policy)), stored_form(policy)
    if before == after:
        return None
    site.policy = after
    if note:
        detail["note"] = note
    change = record_change(session, site, SiteAction.SET_POLICY, actor=actor, before=before, after=after, **detail)
    session.flush()
    return change


def changed_settings(change: SiteChange) -> list[tuple[str, Any, Any]]:
    """What a policy change changed: (setting, before, after), thresholds one by one."""
    details = change.detail or {}
    before, after = details.get("before", {}), details.get("after", {})
    changes = []
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if isinstance(old, dict) or isinstance(new, dict):
            old, new = old or {}, new or {}
            changes += [(f"{key}.{name}", old.get(name), new.get(name)) for name in sorted(set(old) | set(new))]
        else:
            changes.append((key, old, new))
    return [(key, old, new) for key, old, new in changes if old != new]


def policy_history(session: Session, site_id: int, limit: int = 10) -> list[SiteChange]:
    """The site's latest policy changes, newest first."""
    return list(
        session.scalars(
            select(SiteChange)
            .where(SiteChange.site_id == site_id, SiteChange.action == SiteAction.SET_POLICY)
            .order_by(SiteChange.id.desc())
            .limit(limit)
        )
    )
