"""Moderators' notes on a site's authors ("warned twice about links", "the editor's cousin").

A note is a row for the author drawer and an audit row beside it; undoing the audit row deletes the
note (kept, marked deleted, so the log still says what it was). Notes are the site's moderators'
business: the console shows them only to moderators who see that site, and sites never hear of them.
Functions take the session and never commit.
"""

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from moderation.moderators.errors import DecisionError
from shared.models import AuthorNote, ModerationAction, utcnow
from shared.vocabulary import ActionKind

MAX_NOTE_CHARS = 2000


def add_note(session: Session, site_id: int, author_id: str, text: str, *, actor: str) -> AuthorNote:
    """A note on the author, with its audit row; DecisionError for a blank or an overlong text."""
    text = text.strip()
    if not text:
        raise DecisionError("empty_note", "A note needs some text.")
    if len(text) > MAX_NOTE_CHARS:
        raise DecisionError("note_too_long", f"A note is at most {MAX_NOTE_CHARS} characters.")
    action = ModerationAction(
        site_id=site_id, author_id=author_id, actor=actor, action=ActionKind.NOTE, note=text, undone=False
    )
    session.add(action)
    session.flush()
    note = AuthorNote(site_id=site_id, author_id=author_id, text=text, actor=actor, action_id=action.id)
    session.add(note)
    session.flush()
    return note


def delete_note(session: Session, original: ModerationAction, undo: ModerationAction) -> None:
    """Undoing a note's audit row: the note leaves the drawer."""
    session.execute(update(AuthorNote).where(AuthorNote.action_id == original.id).values(deleted_at=utcnow()))
    undo.author_id = original.author_id


def author_notes(session: Session, site_id: int, author_id: str) -> list[AuthorNote]:
    """The author's notes that stand, newest first."""
    return list(
        session.scalars(
            select(AuthorNote)
            .where(AuthorNote.site_id == site_id, AuthorNote.author_id == author_id, AuthorNote.deleted_at.is_(None))
            .order_by(AuthorNote.id.desc())
        )
    )
