"""Bloc detection wired to the database and the tally: found with evidence, bounded in the tally,
decisions kept across detections, explained to members without naming anyone."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from apps.ballots.models import Bloc, TallyRow
from apps.ballots.selectors.blocs import bloc_reasons_for_user
from apps.ballots.services.blocs import bloc_decide, tally_with_blocs
from apps.talks.models import Conference, Talk

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command(
        "seed_demo", "--no-progress", "--today", "2026-11-01", "--seed", "1", stdout=io.StringIO(), stderr=io.StringIO()
    )
    return Conference.objects.get(slug="demo")


def test_the_demo_corporate_bloc_is_found_bounded_and_explained(demo):
    refresh = tally_with_blocs(conference=demo)
    assert refresh.found >= 1 and refresh.new == refresh.found
    bloc = max((b for b in Bloc.objects.filter(conference=demo) if "colleagues" in b.signals), key=lambda b: b.size)
    boosted = Talk.objects.get(pk=bloc.talk_id)
    assert any(s.company == "Initech" for s in boosted.speakers.all())
    assert bloc.size >= 10 and 0 < bloc.multiplier < 1
    assert bloc.counts_as < bloc.weight
    assert any("initech.example" in e["sentence"] and "expected" in e["sentence"] for e in bloc.evidence)
    assert bloc.rank_after > bloc.rank_before  # the talk drops once the bloc is bounded
    row = TallyRow.objects.get(snapshot=refresh.snapshot, talk=boosted)
    assert row.weight_discounted > 0 and row.rank == bloc.rank_after

    member = bloc.members.first()
    reason = bloc_reasons_for_user(user=member, conference=demo)[boosted.pk]
    assert f"group of {bloc.size} colleagues of the speaker who rated it up together" in reason
    assert f"counted at {bloc.multiplier:.2f} of its weight" in reason and "confirmed" not in reason
    others = bloc.members.exclude(pk=member.pk)
    assert not any(o.email in reason or o.email.split("@")[0] in reason for o in others)


def test_decisions_survive_redetection_and_change_the_weight(demo):
    tally_with_blocs(conference=demo)
    bloc = Bloc.objects.filter(conference=demo).order_by("-size").first()
    detected = bloc.multiplier
    with pytest.raises(ValidationError):
        bloc_decide(bloc=bloc, status="dismissed", reason="  ", by=None)
    bloc_decide(bloc=bloc, status="dismissed", reason="They really are all fans", by=None)
    again = tally_with_blocs(conference=demo)
    assert again.new == 0
    bloc.refresh_from_db()
    assert (bloc.status, bloc.multiplier) == ("dismissed", 1.0)
    assert bloc.rank_after == bloc.rank_before
    assert TallyRow.objects.get(snapshot=again.snapshot, talk=bloc.talk).weight_discounted == pytest.approx(
        sum(
            b.weight - b.counts_as
            for b in Bloc.objects.filter(conference=demo, talk=bloc.talk, present=True)
            .exclude(pk=bloc.pk)
            .exclude(status="dismissed")
        ),
        abs=1e-6,
    )
    bloc_decide(bloc=bloc, status="confirmed", reason="Same order, same hour, same talk", by=None)
    tally_with_blocs(conference=demo)
    bloc.refresh_from_db()
    assert bloc.status == "confirmed" and bloc.multiplier < detected
    member = bloc.members.first()
    reason = bloc_reasons_for_user(user=member, conference=demo)[bloc.talk_id]
    assert reason.endswith("The organizers reviewed the group and confirmed it.")
    assert f"counted at {bloc.multiplier:.2f}" in reason


def test_detection_is_deterministic(demo):
    tally_with_blocs(conference=demo)
    first = sorted(Bloc.objects.filter(conference=demo).values_list("key", "size", "multiplier"))
    Bloc.objects.filter(conference=demo).delete()
    tally_with_blocs(conference=demo)
    assert sorted(Bloc.objects.filter(conference=demo).values_list("key", "size", "multiplier")) == first


def test_organizer_reviews_and_decides_in_the_admin(demo, staff_client, django_capture_on_commit_callbacks):
    from django.urls import reverse

    tally_with_blocs(conference=demo)
    bloc = Bloc.objects.filter(conference=demo).order_by("-size").first()
    listing = staff_client.get(reverse("admin:ballots_bloc_changelist"))
    assert listing.status_code == 200 and bloc.talk.title in listing.content.decode()
    page = staff_client.get(reverse("admin:ballots_bloc_change", args=[bloc.pk])).content.decode()
    assert bloc.evidence[0]["sentence"].split(";")[0][:40] in page
    decide = reverse("admin:ballots_bloc_decide", args=[bloc.pk])
    refused = staff_client.post(decide, {"status": "dismissed", "reason": ""})
    assert refused.status_code == 200 and "Say why" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=False) as queued:
        staff_client.post(decide, {"status": "dismissed", "reason": "Genuine interest, checked with the company"})
    # Recorded at once; its effect comes with the run it queued, which the bloc's page announces.
    bloc.refresh_from_db()
    assert (bloc.status, bloc.multiplier < 1, bloc.decided_by.is_staff) == ("dismissed", True, True)
    page = staff_client.get(reverse("admin:ballots_bloc_change", args=[bloc.pk])).content.decode()
    assert "is queued" in page and "change when it ends" in page
    for send in queued:
        send()  # the worker's part, in-process (eager)
    bloc.refresh_from_db()
    assert (bloc.status, bloc.multiplier) == ("dismissed", 1.0)
    page = staff_client.get(reverse("admin:ballots_bloc_change", args=[bloc.pk])).content.decode()
    assert "change when it ends" not in page


def test_blocs_through_the_api(demo, django_capture_on_commit_callbacks):
    from django.urls import reverse
    from rest_framework.test import APIClient

    from apps.talks.services import api_token_create
    from tests.factories import UserFactory

    tally_with_blocs(conference=demo)
    _, key = api_token_create(conference=demo, user=UserFactory(is_staff=True), name="review")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    listing = client.get(reverse("api-bloc-list", args=[demo.slug])).json()
    assert listing["count"] == Bloc.objects.filter(conference=demo).count() > 0
    first = listing["results"][0]
    assert "members" not in first and first["evidence"]
    url = reverse("api-bloc-decide", args=[demo.slug, first["id"]])
    assert client.post(url, {"status": "dismissed"}, format="json").status_code == 400
    with django_capture_on_commit_callbacks(execute=True):  # the queued run runs in-process here (eager)
        answer = client.post(url, {"status": "dismissed", "reason": "Checked: genuine fans"}, format="json")
    done = answer.json()
    assert answer.status_code == 202 and done["status"] == "dismissed"
    assert (done["recomputation"]["trigger"], done["recomputation"]["status"]) == ("decision", "queued")
    run = client.get(reverse("api-bloc-run-detail", args=[demo.slug, done["recomputation"]["id"]])).json()
    assert run["status"] == "succeeded"
    assert client.get(reverse("api-bloc-list", args=[demo.slug])).json()["results"][0]["multiplier"] == 1.0
    assert APIClient().get(reverse("api-bloc-list", args=[demo.slug])).status_code == 401


def test_published_bulletin_board_marks_bloc_reduced_ballots(demo):
    from apps.ballots.models import BulletinEntry
    from apps.ballots.services.blocs import tally_publish_with_blocs
    from apps.ballots.tasks import tally_snapshot_compute

    snapshot_id = tally_snapshot_compute(demo.pk)  # the periodic task detects blocs too
    assert Bloc.objects.filter(conference=demo).exists()
    assert TallyRow.objects.filter(snapshot_id=snapshot_id, weight_discounted__gt=0).exists()
    # The demo's votes were bulk-loaded without receipts: two voters change their ballot now.
    import datetime as dt

    from django.utils import timezone

    from apps.ballots.services import vote_cast

    Conference.objects.filter(pk=demo.pk).update(voting_closes_at=timezone.now() + dt.timedelta(days=1))
    demo.refresh_from_db()
    bloc = Bloc.objects.filter(conference=demo).order_by("-size").first()
    member = bloc.members.first()
    honest = TallyRow.objects.filter(snapshot_id=snapshot_id).exclude(talk=bloc.talk).first()
    # A talk the member has not rated yet, so the vote is a change that gets a receipt.
    other = next(
        t
        for t in Talk.objects.filter(conference=demo).order_by("pk")
        if t.pk != bloc.talk_id and not t.votes.filter(user=member).exists()
    )
    vote_cast(user=member, conference=demo, talk_id=other.pk, score=1)
    outsider = next(v.user for v in honest.talk.votes.all() if not v.user.blocs.exists())
    vote_cast(user=outsider, conference=demo, talk_id=other.pk, score=0)
    snapshot = tally_publish_with_blocs(conference=demo)
    entries = BulletinEntry.objects.filter(snapshot=snapshot)
    assert entries.get(receipt__ballot__user=member).status == BulletinEntry.Status.DISCOUNTED
    assert entries.get(receipt__ballot__user=outsider).status in (
        BulletinEntry.Status.COUNTED,
        BulletinEntry.Status.NOT_ELIGIBLE,
    )


def test_a_member_sees_on_the_receipts_page_why_their_vote_counted_less(demo, client):
    from django.urls import reverse

    tally_with_blocs(conference=demo)
    bloc = Bloc.objects.filter(conference=demo).order_by("-size").first()
    member = bloc.members.first()
    client.force_login(member)
    page = client.get(reverse("ballots:receipts", args=[demo.slug])).content.decode()
    assert "Votes counted at a reduced weight" in page and f"group of {bloc.size} colleagues of the speaker" in page
    for other in bloc.members.exclude(pk=member.pk)[:5]:
        assert other.email not in page
    client.force_login(next(v.user for v in bloc.talk.votes.all() if not v.user.blocs.exists()))
    assert (
        "Votes counted at a reduced weight"
        not in client.get(reverse("ballots:receipts", args=[demo.slug])).content.decode()
    )
