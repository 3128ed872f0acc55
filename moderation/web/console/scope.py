"""Which sites the logged-in moderator works on: every page and action keeps to them.

A moderator limited to some sites (`modctl moderator create --site`) sees only their comments and
counts; another site's comment, author or action is answered as if it did not exist (404), so
ids do not tell one site's moderators about another's comments.
"""

from collections.abc import Iterable

from flask_login import current_user
from sqlalchemy import select

from shared.models import Comment, ModerationAction, Site
from shared.web.session import get_session


def visible_sites() -> list[Site]:
    """The sites the console shows this moderator, by name."""
    query = select(Site).order_by(Site.name)
    if current_user.site_ids is not None:
        query = query.where(Site.id.in_(current_user.site_ids))
    return list(get_session().scalars(query))


def sees_site(site_id: int | None) -> bool:
    return site_id is not None and (current_user.site_ids is None or site_id in current_user.site_ids)


def sees_comments(comment_ids: Iterable[int]) -> bool:
    """Whether every one of these comments that exists belongs to a visible site (unknown ids are
    left to the action, which answers them as not found)."""
    if current_user.site_ids is None:
        return True
    sites = get_session().scalars(select(Comment.site_id).where(Comment.id.in_(list(comment_ids))))
    return all(sees_site(site_id) for site_id in sites)


def sees_actions(action_ids: Iterable[int]) -> bool:
    if current_user.site_ids is None:
        return True
    sites = get_session().scalars(select(ModerationAction.site_id).where(ModerationAction.id.in_(list(action_ids))))
    return all(sees_site(site_id) for site_id in sites)
