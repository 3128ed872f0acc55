"""The console's blueprint: every console page and endpoint hangs off it, under /console/."""

from flask import Blueprint, request

from moderation.web.console.security import csrf
from shared import console_urls

bp = Blueprint("console", __name__, url_prefix=console_urls.PREFIX, template_folder="templates", static_folder="static")


@bp.before_request
def _check_csrf() -> None:
    # Only console POSTs carry a token; the key-authenticated JSON APIs are left alone (see security.py).
    if request.method == "POST":
        csrf.protect()


def wants_json() -> bool:
    """The request came from the page's script (fetch), not from a plain form."""
    return request.accept_mimetypes.best == "application/json" or request.path.startswith(f"{console_urls.PREFIX}/api/")
