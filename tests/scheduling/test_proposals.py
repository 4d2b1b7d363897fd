"""Schedule proposals end to end: start (idempotent), run, progress, cancel, take-over after a dead
worker, publication (release, talk statuses, speaker emails, pledge settlement once)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.attendance.models import Pledge
from apps.ballots.models import WeightPolicy
from apps.ballots.services.policies import weight_policy_ensure
from apps.scheduling import proposals
from apps.scheduling.models import ScheduleOverride, ScheduleProposal, ScheduleRelease, Slot
from apps.talks.models import Conference, Talk
from tests.factories import (
    ConferenceFactory,
    PledgeFactory,
    RoomFactory,
    SlotFactory,
    SpeakerFactory,
    TalkFactory,
    TicketClaimFactory,
    TicketTypeFactory,
    TrackFactory,
    VoteFactory,
)

pytestmark = pytest.mark.django_db
START = dt.datetime(2027, 5, 3, 9, tzinfo=dt.UTC)


def small_conference(*, talks: int = 6, voters: int = 12):
    """2 rooms × 2 periods = 4 slots for `talks` talks; ticket holders vote with a clear order.

    Their ballots are nearly alike, so bloc detection finds puppet rings on every talk. The policy keeps
    every ring member's vote discounted alike (`discount_votes: all`, as a policy stored before round 27
    does): these tests are about scheduling a clear order, which `pushing` would reshuffle by counting
    each ring's dissenting votes in full (tests/ballots/test_bloc_spared.py covers that)."""
    conference = ConferenceFactory(start_date=START.date(), end_date=START.date(), status=Conference.Status.CLOSED)
    policy = weight_policy_ensure(conference=conference)
    WeightPolicy.objects.filter(pk=policy.pk).update(bloc_rule={**policy.bloc_rule, "discount_votes": "all"})
    track = TrackFactory(conference=conference, name="Main")
    big, small = RoomFactory(conference=conference, capacity=200), RoomFactory(conference=conference, capacity=20)
    for period in range(2):
        for room in (big, small):
            SlotFactory(
                room=room, start=START + dt.timedelta(hours=period), end=START + dt.timedelta(hours=period, minutes=45)
            )
    items = [
        TalkFactory(
            conference=conference,
            track=track,
            title=f"T{i}",
            duration_minutes=30,
            speakers=[SpeakerFactory(conference=conference, email=f"s{i}@speakers.example")],
        )
        for i in range(talks)
    ]
    ticket_type = TicketTypeFactory(conference=conference, may_vote=True)
    for v in range(voters):
        user = TicketClaimFactory(ticket__conference=conference, ticket__ticket_type=ticket_type).user
        for i, talk in enumerate(items):
            # Talk i is wanted by fewer voters as i grows: a clear vote order T0 > T1 > ...
            VoteFactory(user=user, talk=talk, score=3 if v < voters - 2 * i else 0)
    return conference, items


def start(conference, django_capture_on_commit_callbacks, **parameters):
    with django_capture_on_commit_callbacks(execute=True):
        proposal, created = proposals.proposal_start(
            conference=conference, parameters={"time_limit_seconds": 20, **parameters}
        )
    proposal.refresh_from_db()
    return proposal, created


def test_a_run_accepts_the_most_wanted_talks_and_explains_every_talk(django_capture_on_commit_callbacks):
    conference, talks = small_conference()
    proposal, created = start(conference, django_capture_on_commit_callbacks)
    assert created and proposal.status == ScheduleProposal.Status.SUCCEEDED, proposal.error
    result = proposal.result
    assert result["accepted_talk_ids"] == sorted(t.pk for t in talks[:4])
    assert len(result["placements"]) == 4 and len({p["slot_id"] for p in result["placements"]}) == 4
    assert {d["talk_id"] for d in result["decisions"]} == {t.pk for t in talks}
    assert all(d["why"] for d in result["decisions"])
    assert proposal.progress_percent == 100 and proposal.attempt == 1
    assert proposal.tally_snapshot is not None and len(proposal.input_digest) == 64


def test_same_inputs_do_not_run_twice_and_a_change_does(django_capture_on_commit_callbacks):
    conference, talks = small_conference()
    first, _ = start(conference, django_capture_on_commit_callbacks)
    again, created = start(conference, django_capture_on_commit_callbacks)
    assert (again.pk, created) == (first.pk, False)
    other_seed, created = start(conference, django_capture_on_commit_callbacks, seed=7)
    assert created and other_seed.pk != first.pk
    ScheduleOverride.objects.create(conference=conference, talk=talks[5], kind="pin", reason="Keynote speaker")
    pinned, created = start(conference, django_capture_on_commit_callbacks)
    assert created
    assert talks[5].pk in pinned.result["accepted_talk_ids"]
    decision = next(d for d in pinned.result["decisions"] if d["talk_id"] == talks[5].pk)
    assert decision["override_reason"] == "Keynote speaker" and decision["departs_from_vote"]


def test_bad_parameters_are_refused_with_reasons_and_nothing_is_queued():
    conference, _ = small_conference(talks=2, voters=1)
    with pytest.raises(ValidationError) as error:
        proposals.proposal_start(
            conference=conference, parameters={"time_limit_seconds": "fast", "seed": -1, "track_minimums": {"Nope": 2}}
        )
    assert set(error.value.message_dict) == {"time_limit_seconds", "seed", "track_minimums"}
    assert not ScheduleProposal.objects.exists()


def test_an_impossible_program_fails_with_words(django_capture_on_commit_callbacks):
    conference, talks = small_conference(talks=5, voters=2)
    for talk in talks:  # five pinned talks, four slots
        ScheduleOverride.objects.create(conference=conference, talk=talk, kind="pin", reason="Committee choice")
    proposal, _ = start(conference, django_capture_on_commit_callbacks)
    assert proposal.status == ScheduleProposal.Status.FAILED
    assert "5 talks in the program but there are only 4 slots" in proposal.error


def test_cancelling_a_queued_run():
    conference, _ = small_conference(talks=2, voters=1)
    proposal, _ = proposals.proposal_start(conference=conference, parameters={})  # on_commit not run: stays queued
    assert proposal.status == ScheduleProposal.Status.QUEUED
    proposals.proposal_cancel(proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == ScheduleProposal.Status.CANCELLED
    assert proposals.proposal_run(proposal_id=proposal.pk) == "skipped"


def test_a_live_run_is_not_taken_twice_but_a_dead_one_is_taken_over(django_capture_on_commit_callbacks):
    conference, _ = small_conference(talks=4, voters=3)
    proposal, _ = proposals.proposal_start(conference=conference, parameters={})
    ScheduleProposal.objects.filter(pk=proposal.pk).update(status="running", attempt=1, heartbeat_at=timezone.now())
    assert proposals.proposal_run(proposal_id=proposal.pk) == "skipped"  # someone is working on it
    stale = timezone.now() - proposals.stale_after() - dt.timedelta(seconds=1)
    ScheduleProposal.objects.filter(pk=proposal.pk).update(heartbeat_at=stale)
    assert proposals.proposal_run(proposal_id=proposal.pk) == "succeeded"
    proposal.refresh_from_db()
    assert (proposal.status, proposal.attempt) == ("succeeded", 2)
    # The dead worker's late answer (attempt 1) cannot overwrite the finished run.
    late = ScheduleProposal.objects.filter(pk=proposal.pk, attempt=1, status="running")
    assert proposals._finish(late, {"error": RuntimeError("late")}, {"hard": False}, 20) == "failed"
    proposal.refresh_from_db()
    assert proposal.status == "succeeded" and proposal.error == ""


def test_recover_requeues_dead_and_lost_runs(django_capture_on_commit_callbacks):
    conference, _ = small_conference(talks=4, voters=3)
    proposal, _ = proposals.proposal_start(conference=conference, parameters={})
    old = timezone.now() - proposals.stale_after() - dt.timedelta(seconds=5)
    ScheduleProposal.objects.filter(pk=proposal.pk).update(created_at=old)  # queued, never picked up
    assert proposals.proposals_recover() == 1  # eager in tests: it runs right away
    proposal.refresh_from_db()
    assert proposal.status == "succeeded"
    assert proposals.proposals_recover() == 0


def test_publishing_makes_a_release_tells_speakers_and_settles_pledges_once(django_capture_on_commit_callbacks):
    conference, talks = small_conference()
    pledger = PledgeFactory(conference=conference, threshold=Decimal("0.5")).user
    VoteFactory(user=pledger, talk=talks[0], score=3)
    VoteFactory(user=pledger, talk=talks[5], score=3)  # one of two wanted talks accepted: 50%
    proposal, _ = start(conference, django_capture_on_commit_callbacks)
    with pytest.raises(ValidationError):
        proposals.proposal_publish(proposal=ScheduleProposal(conference=conference, status="failed"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        release = proposals.proposal_publish(proposal=proposal, changelog="First program")
    assert release.version == 1 and release.entries.count() == 4
    conference.refresh_from_db()
    assert conference.status == Conference.Status.PUBLISHED
    assert set(Talk.objects.filter(conference=conference, status="accepted").values_list("pk", flat=True)) == set(
        proposal.result["accepted_talk_ids"]
    )
    speaker_mails = [m for m in mail.outbox if "Your talk" in m.subject]
    assert len(speaker_mails) == 6
    assert any("is in the program" in m.body for m in speaker_mails)
    pledge = Pledge.objects.get(user=pledger, conference=conference)
    assert pledge.status == Pledge.Status.TRIGGERED and pledge.accepted_fraction == Decimal("0.5")
    settled_at = pledge.settled_at

    accepted_mail = next(m for m in speaker_mails if "is in the program" in m.body)
    assert "Monday 3 May 2027" in accepted_mail.body and "UTC" in accepted_mail.body  # the talk's slot

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        second = proposals.proposal_publish(proposal=proposal, changelog="Same program again")
    assert second.version == 2 and ScheduleRelease.objects.filter(conference=conference).count() == 2
    assert [m.subject for m in mail.outbox if "Your talk" in m.subject] == []  # nothing changed for anyone
    pledge.refresh_from_db()
    assert pledge.settled_at == settled_at  # settled once


def test_a_later_release_tells_only_the_speakers_whose_talk_moved_or_changed_status(
    django_capture_on_commit_callbacks,
):
    conference, _ = small_conference()
    proposal, _ = start(conference, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        proposals.proposal_publish(proposal=proposal)
    placements = proposal.result["placements"]
    first, second = placements[0], placements[1]
    # The committee's edit: two accepted talks swap slots, and one talk the first release left out is withdrawn.
    edited = {
        **proposal.result,
        "placements": [
            {**first, "slot_id": second["slot_id"]},
            {**second, "slot_id": first["slot_id"]},
            *placements[2:],
        ],
    }
    left_out = next(d["talk_id"] for d in proposal.result["decisions"] if d["status"] != Talk.Status.ACCEPTED)
    Talk.objects.filter(pk=left_out).update(status=Talk.Status.WITHDRAWN)
    again = ScheduleProposal.objects.create(
        conference=conference, status=proposal.status, parameters=proposal.parameters, result=edited
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        proposals.proposal_publish(proposal=again)
    told = sorted(m.to[0] for m in mail.outbox if "Your talk" in m.subject)
    moved = Talk.objects.filter(pk__in=[first["talk_id"], second["talk_id"]]).prefetch_related("speakers")
    assert told == sorted(s.email for t in moved for s in t.speakers.all())
    assert all("has moved" in m.body for m in mail.outbox if "Your talk" in m.subject)


def test_too_similar_exclusions_carry_measured_similarity(django_capture_on_commit_callbacks):
    conference, talks = small_conference()
    Talk.objects.filter(pk=talks[1].pk).update(
        title="Fuzzing parsers with coverage guidance", abstract="Fuzzing parsers finds crashes fast."
    )
    Talk.objects.filter(pk=talks[2].pk).update(
        title="Coverage-guided fuzzing of parsers", abstract="We fuzz parsers and find crashes."
    )
    ScheduleOverride.objects.create(
        conference=conference,
        talk=talks[2],
        kind="exclude",
        similar_to=talks[1],
        reason="Too similar to the fuzzing talk",
    )
    proposal, _ = start(conference, django_capture_on_commit_callbacks)
    evidence = proposal.result["similarity"]
    assert [(e["talk_id"], e["similar_to"]) for e in evidence] == [(talks[2].pk, talks[1].pk)]
    assert evidence[0]["similarity"] > 0.3 and evidence[0]["percentile"] > 0.9
    assert talks[2].pk not in proposal.result["accepted_talk_ids"]


def test_sensitivity_lists_the_decisions_that_depend_on_the_pledge_weight(django_capture_on_commit_callbacks):
    conference, talks = small_conference()
    # Talk 5 is the pledgers' favourite: in with a heavy pledge weight, out with none.
    for _ in range(40):
        VoteFactory(user=PledgeFactory(conference=conference).user, talk=talks[5], score=3)
    proposal, _ = start(
        conference, django_capture_on_commit_callbacks, sensitivity={"pledge_weights": [0, 1], "bloc": ["off"]}
    )
    report = proposal.result["sensitivity"]
    assert report["scenarios"] == ["pledge weight 0", "pledge weight 1", "bloc rule: off"]
    flip = next(f for f in report["flips"] if f["talk_id"] == talks[5].pk)
    assert "pledge weight 1" in flip["accepted_in"] and "pledge weight 0" in flip["rejected_in"]
    with pytest.raises(ValidationError):
        proposals.proposal_parameters_clean({"sensitivity": {"pledge_weights": [2]}}, conference=conference)


def test_talks_to_accept_leaves_slots_empty_and_takes_the_best_voted(django_capture_on_commit_callbacks):
    conference, talks = small_conference()  # four slots, six talks voted T0 > T1 > ...
    proposal, _ = start(conference, django_capture_on_commit_callbacks, talks_to_accept=2)
    assert proposal.status == ScheduleProposal.Status.SUCCEEDED
    assert proposal.parameters["talks_to_accept"] == 2
    assert sorted(proposal.result["accepted_talk_ids"]) == sorted(t.pk for t in talks[:2])
    assert len(proposal.result["placements"]) == 2


def test_a_proposal_whose_slot_was_removed_is_not_published(django_capture_on_commit_callbacks):
    conference, _ = small_conference()
    proposal, _ = start(conference, django_capture_on_commit_callbacks)
    Slot.objects.filter(pk=proposal.result["placements"][0]["slot_id"]).delete()
    with pytest.raises(ValidationError) as error:
        proposals.proposal_publish(proposal=proposal, changelog="v1")
    assert error.value.messages == ["Some slots of this proposal no longer exist; run a new proposal."]
    assert not ScheduleRelease.objects.filter(conference=conference).exists()
    conference.refresh_from_db()
    assert conference.status == Conference.Status.CLOSED


@pytest.mark.parametrize(
    ("parameters", "field", "message"),
    [
        ({"track_minimums": ["Main", 2]}, "track_minimums", "Give track minimums as {track name: number}."),
        ({"track_minimums": {"Main": "2.5"}}, "track_minimums", "The minimum for “Main” must be a whole number."),
        ({"track_minimums": {"Main": -1}}, "track_minimums", "The minimum for “Main” must be a whole number."),
        ({"track_minimums": {"Main": "²"}}, "track_minimums", "The minimum for “Main” must be a whole number."),
        ({"talks_to_accept": 0}, "talks_to_accept", "Give a number between 1 and 100000."),
        ({"sensitivity": {"pledge_weights": ["heavy"]}}, "sensitivity", "Give at most five pledge weights"),
        ({"sensitivity": {"pledge_weights": [0, 0.2, 0.4, 0.6, 0.8, 1]}}, "sensitivity", "at most five"),
        ({"sensitivity": {"bloc": ["strict"]}}, "sensitivity", "Bloc scenarios are"),
    ],
)
def test_each_bad_parameter_is_refused_with_what_to_give(parameters, field, message):
    conference, _ = small_conference(talks=2, voters=1)
    with pytest.raises(ValidationError) as error:
        proposals.proposal_parameters_clean(parameters, conference=conference)
    assert list(error.value.message_dict) == [field]
    assert message in error.value.message_dict[field][0]


def test_good_parameters_are_normalised():
    conference, _ = small_conference(talks=2, voters=1)
    clean = proposals.proposal_parameters_clean(
        {
            "talks_to_accept": "3",
            "track_minimums": {"Main": "0"},
            "sensitivity": {"pledge_weights": ["0.25", 1, 0.25], "bloc": ["off", "off"]},
        },
        conference=conference,
    )
    assert clean == {
        "seed": 0,
        "time_limit_seconds": proposals.DEFAULT_TIME_LIMIT,
        "talks_to_accept": 3,
        "committee_slots": 0,
        "track_minimums": {},  # a minimum of 0 asks nothing
        "sensitivity": {"pledge_weights": [0.25, 1.0], "bloc": ["off"]},
    }
