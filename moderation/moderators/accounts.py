"""Moderator accounts: creation (by `modctl moderator create`), listing, and checking a password at login.

Passwords are stored as argon2id hashes (argon2-cffi's defaults); a hash made with older
parameters is replaced at the next successful login.
"""

from collections.abc import Sequence

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.models import Moderator, Site, utcnow
from shared.vocabulary import ModeratorRole

MIN_PASSWORD_LENGTH = 10
# Decisions label spam examples with "moderator:<username>", and that source column holds 50 characters.
MAX_USERNAME = 40
_hasher = PasswordHasher()
# Checked when the username is unknown, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password of anyone")


class ModeratorError(ValueError):
    """The account cannot be created as asked; the message says why."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def find_moderator(session: Session, username: str) -> Moderator | None:
    return session.scalar(select(Moderator).where(Moderator.username == username))


def create_moderator(
    session: Session,
    *,
    username: str,
    password: str,
    role: str = ModeratorRole.MODERATOR,
    locale: str = "ru",
    sites: Sequence[Site] = (),
) -> Moderator:
    """A new active account, limited to `sites` (none: every site); the caller commits."""
    username = username.strip()
    if not username or len(username) > MAX_USERNAME:
        raise ModeratorError(f"the username must be 1 to {MAX_USERNAME} characters")
    if role not in tuple(ModeratorRole):
        raise ModeratorError(f"the role must be one of {', '.join(ModeratorRole)}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ModeratorError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    if find_moderator(session, username) is not None:
        raise ModeratorError(f"a moderator named {username!r} already exists")
    moderator = Moderator(
        username=username, password_hash=hash_password(password), role=role, locale=locale, active=True
    )
    set_sites(moderator, sites)
    session.add(moderator)
    session.flush()
    return moderator


def set_sites(moderator: Moderator, sites: Sequence[Site]) -> None:
    """Limit a moderator to these sites from their next page on; none: every site."""
    if sites and moderator.role == ModeratorRole.ADMIN:
        raise ModeratorError("an admin sees every site: limit moderators to sites, not admins")
    moderator.sites = list(sites)


def set_password(session: Session, moderator: Moderator, password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ModeratorError(f"the password must be at least {MIN_PASSWORD_LENGTH} characters")
    moderator.password_hash = hash_password(password)
    end_sessions(moderator)


def end_sessions(moderator: Moderator) -> None:
    """Every console session of this moderator ends (they log in again)."""
    moderator.session_generation = (moderator.session_generation or 0) + 1


def _password_matches(moderator: Moderator | None, password: str) -> bool:
    try:
        return _hasher.verify(moderator.password_hash if moderator else _DUMMY_HASH, password) and moderator is not None
    except (VerificationError, InvalidHashError):
        return False


def authenticate(session: Session, username: str, password: str) -> Moderator | None:
    """The active moderator with this username and password, else None; records the login. Caller commits."""
    moderator = find_moderator(session, username.strip())
    if not _password_matches(moderator, password) or moderator is None or not moderator.active:
        return None
    if _hasher.check_needs_rehash(moderator.password_hash):
        moderator.password_hash = hash_password(password)
    moderator.last_login_at = utcnow()
    return moderator


def visible_site_ids(moderator: Moderator) -> tuple[int, ...] | None:
    """The sites whose comments this account sees and decides; None: every site."""
    if moderator.role == ModeratorRole.ADMIN or not moderator.sites:
        return None
    return tuple(site.id for site in moderator.sites)


def list_moderators(session: Session) -> Sequence[Moderator]:
    return session.scalars(select(Moderator).order_by(Moderator.username)).all()
