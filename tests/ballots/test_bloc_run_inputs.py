"""Each detection run keeps the organizer data it read — the weight policy version, the promotions, the
declared organisations — as it was, so a past run can be explained after the data changes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.ballots.domain.blocs_run_inputs import (
    OrganisationRead,
    PromotionRead,
    promotions_from_rows,
    run_inputs_record,
    run_inputs_short,
    run_inputs_summary,
)
from apps.ballots.models import BlocDetectionRun, Organisation
from apps.ballots.services import organisation_declare, organisation_save, weight_policy_ensure, weight_policy_revise
from apps.ballots.services.bloc_runs import bloc_detection_create, bloc_detection_execute
from apps.ballots.services.blocs import tally_with_blocs
from apps.ballots.services.promotions import promotion_record
from tests.ballots.test_api_promotions import token_client
from tests.factories import ConferenceFactory, TalkFactory, UserFactory, VoteFactory

SENT = dt.datetime(2026, 11, 2, 17, 30, tzinfo=dt.UTC)


def test_the_record_is_plain_json_the_same_for_the_same_data_and_its_digest_follows_every_change():
    promotions = promotions_from_rows(
        [(7, 12, SENT, "Newsletter"), (5, 11, SENT - dt.timedelta(days=1), "App push"), (7, 10, SENT, "Newsletter")]
    )
    assert promotions == (
        PromotionRead(promotion_id=5, sent_at=SENT - dt.timedelta(days=1), channel="App push", talk_ids=(11,)),
        PromotionRead(promotion_id=7, sent_at=SENT, channel="Newsletter", talk_ids=(10, 12)),
    )
    darion = OrganisationRead(
        organisation_id=3, name="Darion", email_domains=("darion.example", "d.de"), company_names=("Darion",)
    )
    record = run_inputs_record(policy_id=9, policy_version=4, promotions=promotions, organisations=[darion])
    assert record == {
        "policy": {"id": 9, "version": 4},
        "promotions": [
            {"id": 5, "sent_at": "2026-11-01T17:30:00Z", "channel": "App push", "talks": [11]},
            {"id": 7, "sent_at": "2026-11-02T17:30:00Z", "channel": "Newsletter", "talks": [10, 12]},
        ],
        "organisations": [
            {"id": 3, "name": "Darion", "domains": ["darion.example", "d.de"], "company_names": ["Darion"]}
        ],
        "digest": record["digest"],
    }
    assert len(record["digest"]) == 16 and int(record["digest"], 16) >= 0
    assert run_inputs_record(policy_id=9, policy_version=4, promotions=promotions, organisations=[darion]) == record
    renamed = OrganisationRead(3, "Darion Group", darion.email_domains, darion.company_names)
    others = [
        run_inputs_record(policy_id=9, policy_version=5, promotions=promotions, organisations=[darion]),
        run_inputs_record(policy_id=9, policy_version=4, promotions=promotions[:1], organisations=[darion]),
        run_inputs_record(policy_id=9, policy_version=4, promotions=promotions, organisations=[renamed]),
        run_inputs_record(policy_id=9, policy_version=4, promotions=promotions, organisations=[]),
    ]
    assert len({record["digest"], *(o["digest"] for o in others)}) == 5
    assert run_inputs_summary(record) == "2 promotions, 1 declared organisation, policy v4"
    assert run_inputs_summary(others[3] | {"promotions": others[3]["promotions"][:1]}) == (
        "1 promotion, 0 declared organisations, policy v4"
    )
    assert run_inputs_summary({}).startswith("Not recorded")
    assert run_inputs_short(record) == f"{record['digest'][:8]} · 2 promotions · 1 org · v4"
    assert run_inputs_short(others[3] | {"promotions": [], "organisations": record["organisations"] * 2}) == (
        f"{others[3]['digest'][:8]} · 0 promotions · 2 orgs · v4"
    )
    assert run_inputs_short({}) == run_inputs_short(None) == "—"


@pytest.fixture
def small(db):
    conference = ConferenceFactory()
    talks = TalkFactory.create_batch(3, conference=conference)
    for i in range(6):
        voter = UserFactory(email=f"v{i}@darion.example")
        for talk in talks:
            VoteFactory(user=voter, talk=talk, score=1 + (i + talk.pk) % 3)
    return conference, talks


def _run(conference) -> BlocDetectionRun:
    run, created = bloc_detection_create(conference=conference, trigger=BlocDetectionRun.Trigger.ORGANIZER)
    assert created
    assert bloc_detection_execute(run_id=run.pk) == "succeeded"
    run.refresh_from_db()
    return run


def test_a_run_records_what_it_read_and_a_later_edit_does_not_change_it(small):
    conference, talks = small
    newsletter, _ = promotion_record(conference=conference, sent_at=SENT, channel="Newsletter", talks=talks[:2])
    push, _ = promotion_record(
        conference=conference, sent_at=SENT - dt.timedelta(hours=3), channel="App push", talks=[talks[2]]
    )
    darion = organisation_declare(
        conference=conference, name="Darion Group", email_domains=["darion.example", "darioncloud.example"]
    )
    initech = organisation_declare(conference=conference, name="Initech", company_names=["Initech", "Initrode"])
    elsewhere = ConferenceFactory()
    organisation_declare(conference=elsewhere, name="Other", email_domains=["other.example", "other.de"])
    policy = weight_policy_ensure(conference=conference)

    first = _run(conference)
    assert first.inputs == {
        "policy": {"id": policy.pk, "version": policy.version},
        "promotions": [
            {"id": push.pk, "sent_at": "2026-11-02T14:30:00Z", "channel": "App push", "talks": [talks[2].pk]},
            {
                "id": newsletter.pk,
                "sent_at": "2026-11-02T17:30:00Z",
                "channel": "Newsletter",
                "talks": sorted(t.pk for t in talks[:2]),
            },
        ],
        "organisations": [
            {
                "id": darion.pk,
                "name": "Darion Group",
                "domains": ["darion.example", "darioncloud.example"],
                "company_names": [],
            },
            {"id": initech.pk, "name": "Initech", "domains": [], "company_names": ["Initech", "Initrode"]},
        ],
        "digest": first.inputs["digest"],
    }
    assert first.inputs_summary == f"2 promotions, 2 declared organisations, policy v{policy.version}"

    # The organizers change their data afterwards: the earlier run's record stays as it was.
    darion.email_domains = ["darion.example", "darionlabs.example"]
    organisation_save(organisation=darion)
    Organisation.objects.filter(pk=initech.pk).delete()
    newsletter.delete()
    revised = weight_policy_revise(conference=conference, by=None, note="stricter", pledger_weight=Decimal("0.250"))
    first_before = dict(first.inputs)
    first.refresh_from_db()
    assert first.inputs == first_before

    second = _run(conference)
    assert second.inputs["policy"] == {"id": revised.pk, "version": revised.version}
    assert [p["id"] for p in second.inputs["promotions"]] == [push.pk]
    assert second.inputs["organisations"] == [
        {
            "id": darion.pk,
            "name": "Darion Group",
            "domains": ["darion.example", "darionlabs.example"],
            "company_names": [],
        }
    ]
    assert second.inputs["digest"] != first.inputs["digest"]
    # Nothing changed since: the next run read the same data, and says so with the same digest.
    assert _run(conference).inputs["digest"] == second.inputs["digest"]


def test_detection_reads_the_promotions_and_organisations_once(small):
    conference, talks = small
    promotion_record(conference=conference, sent_at=SENT, channel="Newsletter", talks=talks)
    organisation_declare(conference=conference, name="Darion", email_domains=["darion.example", "darion.de"])
    kept = []
    with CaptureQueriesContext(connection) as queries:
        tally_with_blocs(conference=conference, record=kept.append)
    sql = [q["sql"] for q in queries.captured_queries]
    assert len([s for s in sql if "ballots_promotion_talks" in s]) == 1
    assert len([s for s in sql if 'FROM "ballots_organisation"' in s]) == 1
    (record,) = kept
    assert len(record["promotions"]) == 1 and record["organisations"][0]["name"] == "Darion"


def test_the_admin_and_the_api_show_what_a_run_read(small, admin_client):
    conference, talks = small
    promotion_record(conference=conference, sent_at=SENT, channel="Newsletter <b>", talks=talks[:2])
    organisation_declare(
        conference=conference, name="Darion Group", email_domains=["darion.example"], company_names=["Darion GmbH"]
    )
    policy = weight_policy_ensure(conference=conference)
    run = _run(conference)
    page = admin_client.get(reverse("admin:ballots_blocdetectionrun_change", args=[run.pk])).content.decode()
    assert f"1 promotion, 1 declared organisation, policy v{policy.version} (digest {run.inputs['digest']})" in page
    assert "2026-11-02 17:30:00 UTC, Newsletter &lt;b&gt;, talks" in page  # escaped, as all admin text
    assert "“Darion Group”: darion.example; Darion GmbH" in page

    client = token_client(conference)
    detail = client.get(reverse("api-bloc-run-detail", args=[conference.slug, run.pk]))
    assert detail.status_code == 200
    body = detail.json()
    assert body["inputs"] == run.inputs
    assert body["inputs_summary"] == f"1 promotion, 1 declared organisation, policy v{policy.version}"

    # A run that has not read its data yet (queued) says so.
    queued, _ = bloc_detection_create(conference=conference, trigger=BlocDetectionRun.Trigger.ORGANIZER)
    body = client.get(reverse("api-bloc-run-detail", args=[conference.slug, queued.pk])).json()
    assert body["inputs"] is None and body["inputs_summary"].startswith("Not recorded")
    page = admin_client.get(reverse("admin:ballots_blocdetectionrun_change", args=[queued.pk])).content.decode()
    assert "Not recorded" in page


def test_the_run_lists_show_what_each_run_read_without_a_query_per_run(small, admin_client):
    """The admin's list of runs has an "inputs" column (the digest's first 8 digits and what it counted;
    "—" for a run that has not read its data), read from each row's own JSON; the API's list of runs has
    each run's digest."""
    conference, talks = small
    promotion_record(conference=conference, sent_at=SENT, channel="Newsletter", talks=talks[:2])
    organisation_declare(conference=conference, name="Darion Group", email_domains=["darion.example", "darion.de"])
    policy = weight_policy_ensure(conference=conference)
    run = _run(conference)
    queued, _ = bloc_detection_create(conference=conference, trigger=BlocDetectionRun.Trigger.ORGANIZER)
    changelist = reverse("admin:ballots_blocdetectionrun_changelist")
    page = admin_client.get(changelist).content.decode()
    assert 'class="column-inputs_short"' in page
    assert f"{run.inputs['digest'][:8]} · 1 promotion · 1 org · v{policy.version}" in page
    row = next(line for line in page.split("<tr") if f"/{queued.pk}/change/" in line)
    assert 'class="field-inputs_short">—<' in row

    def queries_for_the_list() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(changelist).status_code == 200
        return len(queries)

    two = queries_for_the_list()
    queued.status = BlocDetectionRun.Status.FAILED
    queued.save(update_fields=["status"])
    _run(conference)
    _run(conference)
    assert BlocDetectionRun.objects.filter(conference=conference).count() == 4
    assert queries_for_the_list() == two

    client = token_client(conference)
    listed = client.get(reverse("api-bloc-run-list", args=[conference.slug])).json()["results"]
    by_id = {r["id"]: r["inputs_digest"] for r in listed}
    assert by_id[run.pk] == run.inputs["digest"] and len(by_id[run.pk]) == 16
    assert by_id[queued.pk] is None
    assert len(set(by_id.values())) == 2  # the three runs read the same data
