"""The Akismet-compatible calls in the OpenAPI document (services/openapi.py's `extra_paths`).

Required fields are described, not declared: like Akismet, a call without them is answered 200
with the reason in the body and in X-akismet-debug-help, never refused with a 4xx.
"""

from typing import Any

_FIELDS = (
    "api_key",
    "key",
    "blog",
    "user_ip",
    "user_agent",
    "referrer",
    "permalink",
    "comment_type",
    "comment_author",
    "comment_author_email",
    "comment_author_url",
    "comment_content",
    "comment_date_gmt",
    "comment_post_modified_gmt",
    "blog_lang",
    "blog_charset",
    "user_role",
    "is_test",
    "recheck_reason",
    "honeypot_field_name",
)
_FORM = {
    "required": False,  # an empty call is answered too, like any other: `invalid`
    "content": {
        "application/x-www-form-urlencoded": {
            "schema": {
                "type": "object",
                "properties": {name: {"type": "string"} for name in _FIELDS},
                "additionalProperties": {"type": "string"},  # server variables, the honeypot field: accepted, ignored
            }
        }
    },
}
_HEADERS = {
    "X-akismet-debug-help": {
        "description": "Why the call was refused (bad key, missing field)",
        "schema": {"type": "string"},
    },
    "X-akismet-pro-tip": {"description": "`discard` for blatant spam (comment-check)", "schema": {"enum": ["discard"]}},
}
_ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _operation(summary: str, answers: list[str], description: str) -> dict[str, Any]:
    return {
        "post": {
            "summary": summary,
            "description": description,
            "tags": ["Akismet-compatible"],
            "requestBody": _FORM,
            "responses": {
                "200": {
                    "description": "Always 200, as at Akismet: " + ", ".join(answers),
                    "headers": _HEADERS,
                    "content": {"text/plain": {"schema": {"type": "string"}}},
                },
                "413": {"description": "Body too large", **_ERROR},
            },
        }
    }


def openapi_paths() -> dict[str, Any]:
    """/akismet/1.1/*: the key (api_key, or key) names the site; blog and user_ip are required."""
    invalid = "`invalid` (bad or missing key)"
    missing = "`Missing required field: user_ip.` (or blog)"
    submit = _operation(
        "Akismet submit-spam / submit-ham: the site's spam model learns the label",
        ["`Thanks for making the web a better place.`", invalid, missing],
        "Finds the checked comment by its page, author and text (stores it if never checked).",
    )
    return {
        "/akismet/1.1/verify-key": _operation(
            "Akismet verify-key", ["`valid`", invalid], "`key` or `api_key`; `blog`."
        ),
        "/akismet/1.1/comment-check": _operation(
            "Akismet comment-check: is it spam?",
            ["`true`", "`false`", invalid, missing],
            "`true` at the site's review threshold for spam; X-akismet-pro-tip: discard at its reject threshold.",
        ),
        "/akismet/1.1/submit-spam": submit,
        "/akismet/1.1/submit-ham": submit,
    }
