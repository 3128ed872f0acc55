"""The moderators' web console: server-rendered pages under /console/, in Russian and English.

services/web.py mounts it with `init_app(app)`.
"""

from flask import Flask

from moderation.web.console import (  # noqa: F401 (routes register on import)
    action_views,
    admin_views,
    auth,
    author_views,
    delivery_views,
    errors,
    queue_views,
    simulator_views,
    site_views,
)
from moderation.web.console.blueprint import bp
from moderation.web.console.i18n import init_i18n
from moderation.web.console.presentation import init_presentation
from moderation.web.console.security import configure_cookies, limit_logins
from shared import console_urls


def init_app(app: Flask) -> None:
    """Mount the console on the app: cookies and CSRF, logins, languages, the pages."""
    settings = app.config["SETTINGS"]
    configure_cookies(app, settings, console_urls.PREFIX)  # the blueprint's url_prefix
    auth.init_login(app)
    init_i18n(app)
    init_presentation(app)
    app.register_blueprint(bp)
    limit_logins(app, settings, "console.login")
