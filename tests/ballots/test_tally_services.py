"""Tally snapshots from the database: classes from attendance, policy versions, same inputs → same
snapshot, the beat task, publication and the bulletin board."""

import math
from decimal import Decimal

import pytest
from django.urls import reverse

from apps.ballots import services, tasks
from apps.ballots.domain.tally import tally_compute
from apps.ballots.models import BulletinEntry, TallyRow, TallySnapshot
from apps.ballots.selectors import tally_input
from apps.talks.models import Talk
from tests.conftest import wait_for
from tests.factories import (
    ConferenceFactory,
    PledgeFactory,
    TalkFactory,
    TicketClaimFactory,
    TicketFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def holder(conference):
    user = UserFactory()
    TicketClaimFactory(user=user, ticket=TicketFactory(conference=conference))
    return user


def pledger(conference):
    user = UserFactory()
    PledgeFactory(user=user, conference=conference)
    return user


@pytest.fixture
def voted():
    """Talk A: holder 3, pledger 1, newcomer 0. Talk B: holder 1. Talk C withdrawn (ignored)."""
    conference = ConferenceFactory()
    a, b = TalkFactory(conference=conference, title="A"), TalkFactory(conference=conference, title="B")
    c = TalkFactory(conference=conference, title="C")
    h, p, n = holder(conference), pledger(conference), UserFactory()
    for user, talk, score in ((h, a, 3), (p, a, 1), (n, a, 0), (h, b, 1), (h, c, 3)):
        services.vote_cast(user=user, conference=conference, talk_id=talk.pk, score=score)
    Talk.objects.filter(pk=c.pk).update(status=Talk.Status.WITHDRAWN)
    return conference, a, b, (h, p, n)


def test_snapshot_figures_come_from_attendance_classes_and_the_policy(voted):
    conference, a, b, _ = voted
    snapshot = services.tally_snapshot_compute(conference=conference)
    rows = {row.talk_id: row for row in snapshot.rows.all()}
    assert set(rows) == {a.pk, b.pk}
    row = rows[a.pk]
    assert (row.ticket_holders, row.pledgers, row.not_eligible) == (1, 1, 1)
    assert row.weighted_mean == pytest.approx((3 + 0.5) / 1.5)
    assert (row.weight_ticket_holders, row.weight_pledgers, row.score_counts) == (1.0, 0.5, [1, 1, 0, 1])
    assert snapshot.policy.version == 1 and snapshot.vote_count == 4 and len(snapshot.input_digest) == 64


def test_stored_rows_are_the_computed_figures_with_null_where_a_talk_has_no_counted_votes(voted):
    """On PostgreSQL the rows travel as one binary COPY: every column of every row is checked here."""
    conference, a, _b, (_h, _p, newcomer) = voted
    silent, ignored = TalkFactory(conference=conference), TalkFactory(conference=conference)
    services.vote_cast(user=newcomer, conference=conference, talk_id=ignored.pk, score=2)  # weighs nothing
    snapshot = services.tally_snapshot_compute(conference=conference)
    policy = snapshot.policy
    result = tally_compute(tally_input(conference=conference, policy=policy))
    stored = list(snapshot.rows.order_by("rank").values())
    assert [row["talk_id"] for row in stored] == result.talk_ids.tolist()

    def nullable(values):
        return [None if math.isnan(v) else v for v in values.tolist()]

    expected = {
        "rank": result.rank.tolist(),
        "rank_best": result.rank_best.tolist(),
        "rank_worst": result.rank_worst.tolist(),
        "ticket_holders": result.voters_by_class[:, 0].tolist(),
        "pledgers": result.voters_by_class[:, 1].tolist(),
        "not_eligible": result.voters_by_class[:, 2].tolist(),
        "raw_mean": nullable(result.raw_mean),
        "weighted_mean": nullable(result.weighted_mean),
        "bayes_average": result.bayes_average.tolist(),
        "spread": nullable(result.spread),
        "weight_ticket_holders": result.weight_by_class[:, 0].tolist(),
        "weight_pledgers": result.weight_by_class[:, 1].tolist(),
        "weight_discounted": result.weight_discounted.tolist(),
        "score_counts": result.score_counts.tolist(),
    }
    assert {name: [row[name] for row in stored] for name in expected} == expected
    by_talk = {row["talk_id"]: row for row in stored}
    assert [by_talk[silent.pk][name] for name in ("raw_mean", "weighted_mean", "spread")] == [None, None, None]
    assert [by_talk[ignored.pk][name] for name in ("raw_mean", "weighted_mean", "spread")] == [2.0, None, None]
    assert by_talk[ignored.pk]["score_counts"] == [0, 0, 1, 0] and by_talk[a.pk]["score_counts"] == [1, 1, 0, 1]


def test_same_inputs_give_the_same_snapshot_and_a_new_policy_a_new_one(voted):
    conference, a, _, (h, _, _) = voted
    first = services.tally_snapshot_compute(conference=conference)
    assert services.tally_snapshot_compute(conference=conference) == first
    assert TallySnapshot.objects.count() == 1 and TallyRow.objects.count() == 2
    services.weight_policy_revise(conference=conference, pledger_weight=Decimal("0.000"), note="no pledges")
    second = services.tally_snapshot_compute(conference=conference)
    assert second != first and second.policy.version == 2
    assert second.rows.get(talk=a).weighted_mean == pytest.approx(3.0)
    assert first.rows.get(talk=a).weighted_mean == pytest.approx((3 + 0.5) / 1.5)  # the old one is kept
    services.vote_cast(user=h, conference=conference, talk_id=a.pk, score=0)
    assert services.tally_snapshot_compute(conference=conference).input_digest != second.input_digest


def test_a_newcomer_who_gets_a_ticket_counts_from_the_next_tally(voted):
    conference, a, _, (_, _, newcomer) = voted
    before = services.tally_snapshot_compute(conference=conference).rows.get(talk=a)
    TicketClaimFactory(user=newcomer, ticket=TicketFactory(conference=conference))
    after = services.tally_snapshot_compute(conference=conference).rows.get(talk=a)
    assert (before.not_eligible, after.not_eligible, after.ticket_holders) == (1, 0, 2)
    assert after.weighted_mean == pytest.approx((3 + 0.5 + 0) / 2.5)


def test_beat_task_snapshots_open_conferences(voted):
    conference, *_ = voted
    assert tasks.tally_refresh_open.delay().get() >= 1
    assert TallySnapshot.objects.filter(conference=conference).count() == 1


def test_publication_fills_the_bulletin_board_with_every_receipt(client, voted):
    conference, _a, b, (h, p, n) = voted
    services.vote_cast(user=p, conference=conference, talk_id=b.pk, score=2)
    services.vote_withdraw(user=p, conference=conference, talk_id=b.pk)
    url = reverse("ballots:bulletin", kwargs={"slug": conference.slug})
    unpublished = client.get(url)
    assert unpublished.status_code == 404 and "has not been published yet" in unpublished.content.decode()
    snapshot = services.tally_publish(conference=conference)
    assert services.tally_publish(conference=conference) == snapshot
    entries = BulletinEntry.objects.filter(snapshot=snapshot).select_related("receipt__ballot")
    by_user = {}
    for entry in entries.order_by("receipt__sequence"):
        by_user.setdefault(entry.receipt.ballot.user_id, []).append((entry.status, entry.weight))
    assert by_user[h.pk] == [("superseded", 0.0), ("superseded", 0.0), ("counted", 1.0)]
    assert by_user[p.pk] == [("superseded", 0.0), ("superseded", 0.0), ("counted", 0.5)]
    assert by_user[n.pk] == [("not_eligible", 0.0)]
    latest = entries.filter(receipt__ballot__user=h).order_by("-receipt__sequence").first().receipt
    html = client.get(url, {"receipt": latest.code}).content.decode()
    assert "Counted</strong>, weight 1" in html
    assert latest.nonce not in html  # the secret half of the receipt never goes public
    assert "No such receipt" in client.get(url, {"receipt": "0" * 64}).content.decode()
    nul = client.get(url, {"receipt": latest.code[:10] + "\x00" + latest.code[10:]})  # PostgreSQL text has no NUL
    assert nul.status_code == 200 and "Counted</strong>, weight 1" in nul.content.decode()


@pytest.mark.services
def test_tally_runs_in_a_real_worker(celery_worker_process):
    conference = ConferenceFactory()
    talk = TalkFactory(conference=conference)
    services.vote_cast(user=holder(conference), conference=conference, talk_id=talk.pk, score=2)
    tasks.tally_snapshot_compute.delay(conference.pk)
    snapshot = wait_for(
        lambda: TallySnapshot.objects.filter(conference=conference).first(), worker=celery_worker_process
    )
    assert snapshot.rows.get().weighted_mean == 2.0


def test_admin_shows_the_ranked_explained_tally_with_charts(staff_client, voted, django_assert_max_num_queries):
    conference, _a, b, _ = voted
    snapshot = services.tally_snapshot_compute(conference=conference)
    url = reverse("admin:ballots_tallysnapshot_change", args=[snapshot.pk])
    with django_assert_max_num_queries(20):
        html = staff_client.get(url).content.decode()
    assert html.index(">A</summary>") < html.index(">B</summary>")  # ranked
    assert "<svg" in html and "Score distribution" in html and "Vote weight by voter class" in html
    assert "67% ticket holders · 33% pledgers" in html
    assert f"v{snapshot.policy.version}" in html and snapshot.input_digest in html
    Talk.objects.filter(pk=b.pk).update(format=Talk.Format.WORKSHOP)
    filtered = staff_client.get(url, {"format": "workshop"}).content.decode()
    assert ">B</summary>" in filtered and ">A</summary>" not in filtered
    for params in ({"q": "B\x00"}, {"track": "\x00"}, {"format": "workshop\x00"}):  # PostgreSQL text has no NUL
        assert staff_client.get(url, params).status_code == 200, params
    changelist = staff_client.get(reverse("admin:ballots_tallysnapshot_changelist"))
    assert changelist.status_code == 200 and "Recompute now" in changelist.content.decode()
    recompute = reverse("admin:ballots_tallysnapshot_recompute")
    assert staff_client.post(recompute, {"conference": conference.pk}).status_code == 302


def test_organizers_only(client, user_client, voted):
    conference, *_ = voted
    snapshot = services.tally_snapshot_compute(conference=conference)
    url = reverse("admin:ballots_tallysnapshot_change", args=[snapshot.pk])
    assert client.get(url).status_code == 302
    assert user_client.get(url).status_code == 302  # not staff: sent to the login


def test_bloc_discounts_reduce_the_weight_and_show_with_their_reason(staff_client, voted):
    conference, a, _b, (h, p, _n) = voted
    snapshot = services.tally_snapshot_compute(
        conference=conference,
        discounts={(h.pk, a.pk): 0.25},
        discount_reasons={(h.pk, a.pk): "Five colleagues on one ticket order gave this talk the top score."},
    )
    row = snapshot.rows.get(talk=a)
    assert row.weight_ticket_holders == 0.25 and row.weight_discounted == 0.75
    assert row.weighted_mean == pytest.approx((0.25 * 3 + 0.5 * 1) / 0.75)
    html = staff_client.get(reverse("admin:ballots_tallysnapshot_change", args=[snapshot.pk])).content.decode()
    assert "discounted as a bloc" in html and "Five colleagues on one ticket order" in html
    published = services.tally_publish(conference=conference, discounts={(h.pk, a.pk): 0.25})
    latest = BulletinEntry.objects.filter(snapshot=published, receipt__ballot__user=h).order_by("-receipt__sequence")
    assert (latest[0].status, latest[0].weight) == ("discounted", 0.25)
    assert BulletinEntry.objects.get(snapshot=published, receipt__ballot__user=p, status="counted").weight == 0.5
