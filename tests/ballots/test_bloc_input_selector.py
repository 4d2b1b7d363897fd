"""What the bloc selector reads: votes with their first-cast times (packed by PostgreSQL, through the ORM
elsewhere), accounts' creation times (User.date_joined → BlocInput.voter_joined), and each voter's
company and work address from their own ticket."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from apps.ballots.domain.blocs_input import TalkFacts, VoterFacts, VoteScale, bloc_input_build


def test_joined_times_are_per_voter_and_unknown_is_minus_one():
    data = bloc_input_build(
        voter_ids=[3, 1],
        talk_ids=[10, 10],
        scores=[3, 2],
        at_seconds=[1_000.0, 2_000.0],
        voters=[VoterFacts(voter_id=3, weight=1.0, joined_at=500.7), VoterFacts(voter_id=1, weight=1.0)],
        talks=[TalkFacts(talk_id=10)],
        scale=VoteScale(),
    )
    assert data.voter_ids.tolist() == [1, 3]
    assert data.voter_joined.tolist() == [-1, 500]  # sorted with the voters; whole seconds
    assert data.voter_joined.dtype == np.int64


@pytest.mark.django_db
def test_the_selector_reads_when_each_voter_joined():
    from apps.ballots.selectors.blocs import bloc_input
    from apps.ballots.selectors.policies import weight_policy_current
    from tests.factories import ConferenceFactory, TalkFactory, UserFactory, VoteFactory

    conference = ConferenceFactory()
    talk = TalkFactory(conference=conference)
    when = dt.datetime(2026, 3, 1, 12, 30, tzinfo=dt.UTC)
    early, late = UserFactory(date_joined=when), UserFactory(date_joined=when + dt.timedelta(days=2))
    VoteFactory(user=early, talk=talk, score=3)
    VoteFactory(user=late, talk=talk, score=1)
    data = bloc_input(conference=conference, policy=weight_policy_current(conference=conference))
    joined = dict(zip(data.voter_ids.tolist(), data.voter_joined.tolist(), strict=True))
    assert joined == {early.pk: int(when.timestamp()), late.pk: int(when.timestamp()) + 2 * 86400}


@pytest.mark.django_db
def test_the_selector_reads_each_voters_company_and_work_address_from_their_own_ticket():
    from apps.ballots.selectors.blocs import bloc_input
    from apps.ballots.selectors.policies import weight_policy_current
    from tests.factories import (
        ConferenceFactory,
        TalkFactory,
        TicketClaimFactory,
        TicketFactory,
        UserFactory,
        VoteFactory,
    )

    conference = ConferenceFactory()
    talk = TalkFactory(conference=conference)
    people = {
        # signed up with free mail; their own ticket has a work address and a company
        "own": ("ada@gmail.com", "A1", "ada@initech.com", "Initech GmbH"),
        # a booker's address on every ticket of the order says nothing about each attendee
        "booked1": ("bo@gmail.com", "B2", "boss@globex.com", ""),
        "booked2": ("cy@gmail.com", "B2", "BOSS@globex.com", ""),
        # a work account keeps its own domain; a free-mail ticket does not replace it
        "work": ("dee@hooli.com", "C3", "dee@outlook.com", ""),
        "none": ("eve@gmail.com", None, "", ""),  # no ticket at all
    }
    users = {}
    for name, (email, order, holder, company) in people.items():
        users[name] = UserFactory(email=email)
        if order:
            ticket = TicketFactory(conference=conference, order_code=order, holder_email=holder, holder_company=company)
            TicketClaimFactory(ticket=ticket, user=users[name])
        VoteFactory(user=users[name], talk=talk, score=3)
    data = bloc_input(conference=conference, policy=weight_policy_current(conference=conference))
    by_id = {int(v): i for i, v in enumerate(data.voter_ids)}

    def facts(name):
        i = by_id[users[name].pk]
        domain = data.domain_labels[data.voter_domain[i]] if data.voter_domain[i] >= 0 else ""
        company = data.company_labels[data.voter_company[i]] if data.voter_company[i] >= 0 else ""
        return domain, company

    assert facts("own") == ("initech.com", "initech")  # the company compared without its legal form
    assert facts("booked1") == facts("booked2") == ("", "")  # gmail stays free mail
    assert facts("work") == ("hooli.com", "")
    assert facts("none") == ("", "")


@pytest.mark.django_db
def test_votes_arrive_with_their_first_cast_time_on_either_database():
    from apps.ballots.selectors.blocs import vote_arrays_timed
    from apps.talks.models import Talk
    from tests.factories import ConferenceFactory, TalkFactory, UserFactory, VoteFactory

    conference, other = ConferenceFactory(), ConferenceFactory()
    talks = [TalkFactory(conference=conference) for _ in range(2)]
    withdrawn = TalkFactory(conference=conference, status=Talk.Status.WITHDRAWN)
    users = [UserFactory() for _ in range(3)]
    when = dt.datetime(2026, 5, 4, 9, 30, 15, 900_000, tzinfo=dt.UTC)
    expected = []
    for i, (u, t) in enumerate([(2, 1), (0, 0), (1, 1), (0, 1)]):
        vote = VoteFactory(user=users[u], talk=talks[t], score=i % 4)
        # created_at is set on insert; the first cast is what the burst tests read.
        type(vote).objects.filter(pk=vote.pk).update(created_at=when + dt.timedelta(hours=i))
        expected.append((users[u].pk, talks[t].pk, i % 4, int(when.timestamp()) + 3600 * i))
    VoteFactory(user=users[0], talk=withdrawn, score=3)  # not a candidate: left out
    VoteFactory(user=users[0], talk=TalkFactory(conference=other), score=3)  # another conference
    voters, talk_ids, scores, at = vote_arrays_timed(conference=conference)
    assert list(zip(voters.tolist(), talk_ids.tolist(), scores.tolist(), at.tolist(), strict=True)) == sorted(expected)
    assert scores.dtype == np.int16 and at.dtype == np.int64


@pytest.mark.django_db
def test_times_are_whole_seconds_rounded_down_on_either_database():
    """The database turns first-cast and account-creation times into seconds; a fraction just under the
    next second still counts as the second it is in (SQLite would round .9996 to the millisecond, up)."""
    from apps.ballots.selectors.blocs import bloc_input
    from apps.ballots.selectors.policies import weight_policy_current
    from tests.factories import ConferenceFactory, TalkFactory, UserFactory, VoteFactory

    conference = ConferenceFactory()
    talk = TalkFactory(conference=conference)
    when = dt.datetime(2026, 5, 4, 9, 30, 15, 999_600, tzinfo=dt.UTC)
    user = UserFactory(date_joined=when)
    vote = VoteFactory(user=user, talk=talk, score=3)
    type(vote).objects.filter(pk=vote.pk).update(created_at=when + dt.timedelta(hours=1))
    data = bloc_input(conference=conference, policy=weight_policy_current(conference=conference))
    second = int(when.timestamp())
    assert data.voter_joined.tolist() == [second]
    assert data.vote_at.tolist() == [second + 3600]


def _bloc_input_fields(data) -> dict:
    import dataclasses

    return {
        f.name: value.tolist() if isinstance(value, np.ndarray) else value
        for f in dataclasses.fields(data)
        for value in [getattr(data, f.name)]
    }


@pytest.mark.django_db(transaction=True)
def test_the_selector_reads_the_same_outside_a_transaction():
    """Outside a transaction (the Celery task) PostgreSQL reads tickets, classes and talks on a second
    connection while the votes arrive: the input is the one read inside a transaction, in one go."""
    from django.db import transaction

    from apps.ballots.models import Promotion
    from apps.ballots.selectors.blocs import bloc_input
    from apps.ballots.selectors.policies import weight_policy_current
    from tests.factories import (
        ConferenceFactory,
        PledgeFactory,
        SpeakerFactory,
        TalkFactory,
        TicketClaimFactory,
        TicketFactory,
        UserFactory,
        VoteFactory,
    )

    conference = ConferenceFactory()
    speaker_account = UserFactory(email="sam@initech.com")
    talks = [
        TalkFactory(
            conference=conference,
            speakers=[SpeakerFactory(conference=conference, user=speaker_account, company="Initech GmbH")],
        ),
        TalkFactory(conference=conference, speakers=[SpeakerFactory(conference=conference, email="x@globex.com")]),
        TalkFactory(conference=conference),  # no speakers
    ]
    Promotion.objects.create(
        conference=conference, sent_at=dt.datetime(2026, 5, 1, 8, tzinfo=dt.UTC), channel="Blog"
    ).talks.set(talks[:2])
    voters = [speaker_account] + [UserFactory(email=f"v{i}@gmail.com") for i in range(4)]
    ticket = TicketFactory(
        conference=conference, order_code="A1", holder_email="v0@initech.com", holder_company="Initech"
    )
    TicketClaimFactory(ticket=ticket, user=voters[1])
    for user in voters[2:4]:  # the booker's address on both tickets of one order
        TicketClaimFactory(
            ticket=TicketFactory(conference=conference, order_code="B2", holder_email="boss@globex.com"), user=user
        )
    PledgeFactory(user=voters[4], conference=conference)
    for i, user in enumerate(voters):
        for talk in talks[(i % 2) :]:
            VoteFactory(user=user, talk=talk, score=(i + talk.pk) % 4)
    policy = weight_policy_current(conference=conference)

    outside = bloc_input(conference=conference, policy=policy)
    with transaction.atomic():
        inside = bloc_input(conference=conference, policy=policy)

    assert _bloc_input_fields(outside) == _bloc_input_fields(inside)
    assert outside.voter_ids.tolist() == sorted(u.pk for u in voters)
    assert outside.voter_weight.tolist() == [0.0, 1.0, 1.0, 1.0, 0.5]
    assert [outside.domain_labels[d] if d >= 0 else "" for d in outside.voter_domain] == [
        "initech.com",
        "initech.com",
        "",
        "",
        "",
    ]
    assert len(outside.talk_promoted) == 2 and len(outside.talk_speaker) == 1
