"""Logging in and out, wrong passwords, the login rate limit, CSRF, and what a logged-out visitor gets."""

from sqlalchemy import select

from services.web import create_app
from shared.celery_app import create_celery
from shared.models import Comment, ModerationAction, Moderator
from tests.console.conftest import PASSWORD, csrf_token, login
from tests.support.payloads import comment_body


def test_a_moderator_logs_in_sees_the_queue_and_logs_out(client, accounts, held):
    held(text="Комментарий для проверки")
    response = login(client, "masha")
    assert response.status_code == 302 and response.headers["Location"] == "/console/queue"

    page = client.get("/console/queue").get_data(as_text=True)
    assert "Комментарий для проверки" in page and "masha" in page

    client.post("/console/logout", data={"csrf_token": csrf_token(client, "/console/queue")})
    assert client.get("/console/queue").status_code == 302


def test_login_records_the_time_and_sets_a_strict_session_cookie(client, accounts, db):
    response = login(client, "masha")

    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Expires=" in cookie
    assert db.scalar(select(Moderator.last_login_at).where(Moderator.username == "masha")) is not None


def test_a_wrong_password_or_unknown_user_is_refused_alike(client, accounts):
    wrong = login(client, "masha", "not the password")
    unknown = login(client, "nobody", PASSWORD)

    for response in (wrong, unknown):
        assert response.status_code == 401
        assert "Неверное имя пользователя или пароль." in response.get_data(as_text=True)
    assert client.get("/console/queue").status_code == 302


def test_a_deactivated_moderator_cannot_log_in(client, accounts, db):
    db.scalar(select(Moderator).where(Moderator.username == "masha")).active = False
    db.commit()
    assert login(client, "masha").status_code == 401


def test_logins_over_the_limit_get_a_readable_429(settings, accounts):
    limited = settings.model_copy(
        update={"console": settings.console.model_copy(update={"login_rate_limit": "3 per minute"})}
    )
    client = create_app(limited, create_celery(limited)).test_client()
    for _ in range(3):
        assert login(client, "masha", "wrong password").status_code == 401

    response = login(client, "masha")  # even the right password, once over the limit

    assert response.status_code == 429
    assert "Слишком много попыток входа" in response.get_data(as_text=True)
    assert response.mimetype == "text/html"


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(moderator_client, held, db):
    comment = held()

    response = moderator_client.post(f"/console/comments/{comment.id}/decide", data={"decision": "approve"})

    assert response.status_code == 400
    assert "Форма устарела" in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Comment, comment.id).status == "review"
    assert db.scalar(select(ModerationAction)) is None


def test_login_itself_needs_the_csrf_token(client, accounts):
    response = client.post("/console/login", data={"username": "masha", "password": PASSWORD})
    assert response.status_code == 400
    assert client.get("/console/queue").status_code == 302


def test_the_sites_json_api_needs_no_csrf_token(client, site):
    assert client.post("/v1/comments", json=comment_body(), headers=site.auth).status_code == 202


def test_logged_out_visitors_get_the_login_page_or_401_and_no_comment_text(client, held):
    comment = held(text="Секретный текст комментария")
    for path in ("/console/queue", f"/console/comments/{comment.id}", "/console/settings", "/console/"):
        response = client.get(path)
        assert response.status_code == 302 and "/console/login" in response.headers["Location"], path
        assert "Секретный" not in response.get_data(as_text=True)

    state = client.get("/console/api/queue-state?queue=review")
    assert state.status_code == 401 and state.json["error"] == "unauthorized"


def test_after_login_the_visitor_returns_where_they_were_going_but_never_off_site(client, accounts, held):
    comment = held()
    token = csrf_token(client)
    back = client.post(
        "/console/login",
        data={
            "username": "masha",
            "password": PASSWORD,
            "csrf_token": token,
            "next": f"/console/comments/{comment.id}",
        },
    )
    assert back.headers["Location"] == f"/console/comments/{comment.id}"

    client.post("/console/logout", data={"csrf_token": csrf_token(client, "/console/queue")})
    token = csrf_token(client)
    away = client.post(
        "/console/login",
        data={"username": "masha", "password": PASSWORD, "csrf_token": token, "next": "https://evil.example/console/"},
    )
    assert away.headers["Location"] == "/console/queue"


def test_cookies_are_secure_when_served_over_https(settings, accounts):
    https = settings.model_copy(update={"console": settings.console.model_copy(update={"secure_cookies": True})})
    client = create_app(https, create_celery(https)).test_client()

    assert "Secure" in login(client, "masha").headers["Set-Cookie"]


def _behind_proxy(settings, trusted_proxies: int, *addresses: str):
    """Console clients that all reach the app through one proxy (10.0.0.2), each with its own address."""
    limited = settings.model_copy(
        update={
            "trusted_proxies": trusted_proxies,
            "console": settings.console.model_copy(update={"login_rate_limit": "3 per minute"}),
        }
    )
    app = create_app(limited, create_celery(limited))
    clients = []
    for address in addresses:
        client = app.test_client()
        client.environ_base.update(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=address)
        clients.append(client)
    return clients


def _exhaust_the_address_limit(client) -> None:
    for username in ("guess1", "guess2", "guess3"):  # other usernames: only the address limit counts them
        assert login(client, username, "wrong password").status_code == 401
    assert login(client, "guess4", "wrong password").status_code == 429


def test_behind_a_trusted_proxy_a_password_guesser_does_not_lock_out_other_moderators(settings, accounts):
    guesser, moderator = _behind_proxy(settings, 1, "203.0.113.66", "198.51.100.7")
    _exhaust_the_address_limit(guesser)

    assert login(moderator, "masha").status_code == 302


def test_a_forwarded_address_from_an_untrusted_client_does_not_escape_the_limit(settings, accounts):
    guesser, same_guesser_forging = _behind_proxy(settings, 0, "203.0.113.66", "198.51.100.7")
    _exhaust_the_address_limit(guesser)

    assert login(same_guesser_forging, "masha").status_code == 429


def _session_cookie(client) -> str:
    return client.get_cookie("modsys_console").value


def test_a_copy_of_the_session_cookie_stops_working_at_logout(app, accounts):
    client = app.test_client()
    login(client, "masha")
    stolen = _session_cookie(client)

    thief = app.test_client()
    thief.set_cookie("modsys_console", stolen)
    assert thief.get("/console/queue").status_code == 200  # the copy works while the session lasts

    client.post("/console/logout", data={"csrf_token": csrf_token(client, "/console/queue")})

    thief = app.test_client()
    thief.set_cookie("modsys_console", stolen)
    assert thief.get("/console/queue").status_code == 302  # to the login page


def test_a_new_password_ends_every_session_of_the_account(app, accounts, db):
    from moderation.moderators.accounts import find_moderator, set_password

    client = app.test_client()
    login(client, "masha")
    assert client.get("/console/queue").status_code == 200

    set_password(db, find_moderator(db, "masha"), "a brand new password 42")
    db.commit()

    assert client.get("/console/queue").status_code == 302
