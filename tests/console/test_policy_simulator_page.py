"""The policy simulator in the console (admins): the figures of a proposal over the stored history,
its plots drawn on the server, and "apply", which stores the policy with an audit row."""

import re

from sqlalchemy import select

from shared.models import Site, SiteChange
from shared.site_policy import load_site_policy
from shared.vocabulary import SiteAction
from tests.console.conftest import csrf_token
from tests.support.history import seed_history

PROPOSAL = {
    "from": "2026-11-01",
    "to": "2026-11-02",
    "category": "toxicity",
    "mode": "pre",
    "language": "ru",
    "review_toxicity": "0.7",
    "banned_words": "казино*",
    "suspect_words": "",
    "new_author_review": "1",
    "edit_after_reject": "review",
}


def simulate(client, site_id: int, **fields):  # type: ignore[no-untyped-def]
    token = csrf_token(client, "/console/queue")
    return client.post(f"/console/policy/simulate?site={site_id}", data={**PROPOSAL, **fields, "csrf_token": token})


def row(page: str, css: str) -> list[str]:
    cells = re.search(rf'<tr class="{css}">(.*?)</tr>', page, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", cells, re.S)]


def test_a_moderator_cannot_simulate(moderator_client, site):
    assert moderator_client.get("/console/policy/simulate").status_code == 403
    assert simulate(moderator_client, site.id).status_code == 403


def test_an_admin_sees_both_policies_side_by_side_with_svg_plots(admin_client, db, site):
    seed_history(db, site.id)  # worked out by hand in tests/moderation/test_policy_simulator.py

    page = simulate(admin_client, site.id).get_data(as_text=True)

    assert row(page, "held")[1:] == ["3", "1", "-2"]
    assert row(page, "approved")[1:] == ["2", "3", "+1"]
    assert row(page, "would-pass")[1:3] == ["0", "1"]
    assert "Ну и бред" in page  # the comment moderators rejected that the proposal would pass
    assert page.count("<svg") == 2 and 'class="marker proposed review"' in page
    assert 'name="simulated"' in page
    assert load_site_policy(db.get(Site, site.id).policy).review == {}  # nothing applied yet


def test_apply_stores_the_simulated_policy_with_an_audit_row(admin_client, db, site):
    seed_history(db, site.id)
    page = simulate(admin_client, site.id).get_data(as_text=True)
    digests = dict(re.findall(r'name="(simulated|base)" value="([0-9a-f]+)"', page))
    token = csrf_token(admin_client, "/console/queue")

    applied = admin_client.post(
        f"/console/policy/apply?site={site.id}",
        data={**PROPOSAL, **digests, "note": "меньше ручной работы", "csrf_token": token},
    )

    assert applied.status_code == 302
    db.expire_all()
    policy = load_site_policy(db.get(Site, site.id).policy)
    assert policy.review == {"toxicity": 0.7} and policy.banned_words == ["казино*"] and policy.new_author_review == 1
    audit = db.scalars(select(SiteChange).where(SiteChange.action == SiteAction.SET_POLICY)).one()
    assert (audit.actor, audit.site_id) == ("moderator:boss", site.id)
    assert audit.detail == {
        "before": {},
        "after": {"review": {"toxicity": 0.7}, "banned_words": ["казино*"], "new_author_review": 1},
        "note": "меньше ручной работы",
    }
    settings_page = admin_client.get(f"/console/settings?site={site.id}").get_data(as_text=True)
    assert "меньше ручной работы" in settings_page and "review.toxicity" in settings_page


def test_apply_refuses_a_proposal_edited_after_it_was_simulated_or_a_policy_changed_since(admin_client, db, site):
    page = simulate(admin_client, site.id).get_data(as_text=True)
    digests = dict(re.findall(r'name="(simulated|base)" value="([0-9a-f]+)"', page))
    token = csrf_token(admin_client, "/console/queue")

    edited = admin_client.post(
        f"/console/policy/apply?site={site.id}",
        data={**PROPOSAL, "review_toxicity": "0.9", **digests, "csrf_token": token},
    )
    db.get(Site, site.id).policy = {"mode": "post"}  # another admin saved a policy meanwhile
    db.commit()
    stale = admin_client.post(
        f"/console/policy/apply?site={site.id}", data={**PROPOSAL, **digests, "csrf_token": token}
    )

    assert edited.status_code == 409 and "Правила изменили после прогона" in edited.get_data(as_text=True)
    assert stale.status_code == 409
    db.expire_all()
    assert db.get(Site, site.id).policy == {"mode": "post"}
    assert db.scalars(select(SiteChange).where(SiteChange.action == SiteAction.SET_POLICY)).all() == []


def test_a_wrong_period_or_policy_is_explained_and_nothing_runs(admin_client, site):
    response = simulate(admin_client, site.id, to="2026-10-01", review_toxicity="высоко")

    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Период кончается раньше, чем начинается." in page and "не число" in page
    assert 'id="results"' not in page
