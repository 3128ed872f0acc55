"""Who is logged in: Flask-Login sessions over Moderator rows, the login and logout views, roles."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, abort, jsonify, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from moderation.moderators.accounts import authenticate, end_sessions, visible_site_ids
from moderation.web.console.blueprint import bp, wants_json
from shared import console_urls
from shared.models import Moderator
from shared.vocabulary import Language, ModeratorRole
from shared.web.session import get_session


@dataclass(frozen=True)
class ConsoleUser:
    """The logged-in moderator, detached from the database session that loaded it."""

    id: int
    username: str
    role: str
    locale: str
    site_ids: tuple[int, ...] | None = None  # the sites this account sees; None: every site
    generation: int = 0  # the moderator's session generation when this session began
    is_authenticated: bool = True
    is_active: bool = True
    is_anonymous: bool = False

    @classmethod
    def of(cls, moderator: Moderator) -> "ConsoleUser":
        return cls(
            moderator.id,
            moderator.username,
            moderator.role,
            moderator.locale,
            visible_site_ids(moderator),
            moderator.session_generation,
        )

    @property
    def is_admin(self) -> bool:
        return self.role == ModeratorRole.ADMIN

    def get_id(self) -> str:
        # What the signed session cookie holds: the account and its session generation.
        return f"{self.id}:{self.generation}"


def _load_user(session_id: str) -> ConsoleUser | None:
    """The moderator of a session, unless they logged out or changed password since it began."""
    user_id, _, generation = session_id.partition(":")
    if not (user_id.isascii() and user_id.isdigit() and generation.isascii() and generation.isdigit()):
        return None
    moderator = get_session().get(Moderator, int(user_id))
    if moderator is None or not moderator.active or moderator.session_generation != int(generation):
        return None
    return ConsoleUser.of(moderator)


def _unauthorized() -> Response | tuple[Response, int]:
    if wants_json():
        return jsonify(error="unauthorized", message="Log in to the console."), 401
    return redirect(url_for("console.login", next=request.full_path.rstrip("?")))


def init_login(app: Flask) -> None:
    manager = LoginManager(app)
    manager.user_loader(_load_user)
    manager.unauthorized_handler(_unauthorized)
    manager.session_protection = "basic"


def admin_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Only admins; a moderator gets 403 (and logged-out visitors the login page)."""

    @wraps(view)
    @login_required
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return guarded


def safe_next(target: str | None) -> str:
    """A path back into the console; a crafted ?next= or referrer must not send a moderator elsewhere."""
    parts = urlsplit(target or "")
    if (parts.netloc and parts.netloc != request.host) or not parts.path.startswith(f"{console_urls.PREFIX}/"):
        return url_for("console.queue")
    return parts.path + (f"?{parts.query}" if parts.query else "")


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | Response | tuple[str, int]:
    if request.method == "GET":
        return render_template("login.html", next=request.args.get("next", ""))
    db = get_session()
    moderator = authenticate(db, request.form.get("username", ""), request.form.get("password", ""))
    if moderator is None:
        return render_template(
            "login.html", error=_("Wrong username or password."), next=request.form.get("next", "")
        ), 401
    user = ConsoleUser.of(moderator)
    db.commit()
    session.clear()  # a fresh session at login: nothing carried over from before it (session fixation)
    session.permanent = True
    login_user(user)
    return redirect(safe_next(request.form.get("next")))


@bp.post("/logout")
def logout() -> Response:
    if current_user.is_authenticated:  # server-side: a copy of this session's cookie stops working too
        db = get_session()
        end_sessions(db.get_one(Moderator, current_user.id))
        db.commit()
    logout_user()
    session.clear()
    return redirect(url_for("console.login"))


@bp.post("/locale")
def set_locale() -> Response:
    """Switch the language; a logged-in moderator keeps the choice on their account."""
    locale = request.form.get("locale", "")
    if locale not in tuple(Language):
        abort(400)
    if current_user.is_authenticated:
        get_session().get_one(Moderator, current_user.id).locale = locale  # loaded for this request
        get_session().commit()
    session["locale"] = locale
    return redirect(safe_next(request.form.get("next")))
