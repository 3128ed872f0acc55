"""The site-policy form: form fields in, a validated SitePolicy (or the errors to show) out."""

from typing import Any

from flask_babel import gettext as _
from pydantic import ValidationError
from werkzeug.datastructures import MultiDict

from shared.categories import POLICY_SCORES
from shared.site_policy import SitePolicy


def _words(text: str) -> list[str]:
    return [line.strip() for line in text.replace(",", "\n").splitlines() if line.strip()]


def _thresholds(form: MultiDict[str, str], kind: str, errors: list[str]) -> dict[str, float]:
    """Filled thresholds only: a blank one falls back to the service's default."""
    values = {}
    for category in POLICY_SCORES:
        raw = form.get(f"{kind}_{category}", "").strip().replace(",", ".")
        if not raw:
            continue
        try:
            values[category] = float(raw)
        except ValueError:
            errors.append(_("%(field)s: not a number", field=kind + " " + category))
    return values


def _integer(raw: str, errors: list[str]) -> int:
    try:
        return int(raw.strip() or 0)
    except ValueError:
        errors.append(_("New authors' comments to review: not a whole number"))
        return 0


def _order_errors(policy: SitePolicy) -> list[str]:
    return [
        _("%(category)s: the review threshold must be below the reject threshold", category=category)
        for category in policy.review
        if category in policy.reject and policy.review[category] > policy.reject[category]
    ]


def _pydantic_errors(exc: ValidationError) -> list[str]:
    return [f"{'.'.join(str(part) for part in err['loc'])}: {err['msg']}" for err in exc.errors()]


def parse_policy(form: MultiDict[str, str]) -> tuple[SitePolicy | None, list[str]]:
    """The policy the form describes, or None and every error found."""
    errors: list[str] = []
    data: dict[str, Any] = {
        "mode": form.get("mode", "pre"),
        "language": form.get("language", "ru"),
        "review": _thresholds(form, "review", errors),
        "reject": _thresholds(form, "reject", errors),
        "banned_words": _words(form.get("banned_words", "")),
        "suspect_words": _words(form.get("suspect_words", "")),
        "new_author_review": _integer(form.get("new_author_review", ""), errors),
        "edit_after_reject": form.get("edit_after_reject", "review"),
    }
    try:
        policy = SitePolicy.model_validate(data)
    except ValidationError as exc:
        return None, errors + _pydantic_errors(exc)
    errors += _order_errors(policy)
    return (None, errors) if errors else (policy, [])


def form_values(policy: SitePolicy) -> dict[str, str]:
    """The form's fields filled from a stored policy (blank thresholds show the defaults)."""
    values = {
        "mode": policy.mode,
        "language": policy.language,
        "new_author_review": str(policy.new_author_review),
        "edit_after_reject": policy.edit_after_reject,
        "banned_words": "\n".join(policy.banned_words),
        "suspect_words": "\n".join(policy.suspect_words),
    }
    for kind in ("review", "reject"):
        values.update({f"{kind}_{category}": str(value) for category, value in getattr(policy, kind).items()})
    return values
