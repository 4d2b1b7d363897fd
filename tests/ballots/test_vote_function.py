"""On PostgreSQL a vote is written by the database function `ballots_vote_write`; everywhere else by
fixed statements. Both must apply the same rules and give the same answers: this replays one script
of votes through each, for two voters in the same position, and compares every answer, the stored
history and every receipt (which must open with the domain's own receipt rule)."""

import datetime as dt

import pytest

from apps.ballots.domain.receipts import receipt_verify
from apps.ballots.models import Ballot, BallotReceipt, Vote, VoteEvent
from apps.ballots.selectors import receipt_preimage_of
from apps.ballots.services import votes
from apps.talks.models import Talk
from confvote.db import statements
from tests.factories import ConferenceFactory, SpeakerFactory, TalkFactory, UserFactory

pytestmark = pytest.mark.services


def _through_statements(*, user, conference, talk_id, score):
    with statements() as db:
        return votes._statements_write(db, user_id=user.pk, conference_id=conference.pk, talk_id=talk_id, score=score)


def _through_function(*, user, conference, talk_id, score):
    with statements() as db:
        assert db.vote_function
        return votes._function_write(db, user_id=user.pk, conference_id=conference.pk, talk_id=talk_id, score=score)


def _answer(outcome):
    """What the voter is told, without the ids and random parts that differ between two voters."""
    if outcome is None:
        return None
    receipt = outcome.receipt
    return (
        outcome.talk_title,
        outcome.score,
        outcome.changed,
        outcome.rated,
        outcome.total,
        (receipt.sequence, receipt.vote_count) if receipt else None,
    )


def test_the_function_and_the_statements_give_the_same_answers_and_valid_receipts(postgres):
    conference = ConferenceFactory(scale_min=0, scale_max=3)
    other_conference = ConferenceFactory()
    talks = [TalkFactory(conference=conference) for _ in range(4)]
    withdrawn = TalkFactory(conference=conference, status=Talk.Status.WITHDRAWN)
    foreign = TalkFactory(conference=other_conference)
    voters = [UserFactory(), UserFactory()]
    # Each voter speaks in a talk of their own: one through a linked profile, one through an email
    # that matches a verified address of theirs in another case.
    own_by_profile = TalkFactory(conference=conference, speakers=[SpeakerFactory(conference=conference)])
    own_by_profile.speakers.update(user=voters[0])
    own_by_email = TalkFactory(
        conference=conference, speakers=[SpeakerFactory(conference=conference, email=voters[1].email.upper())]
    )
    own = [own_by_profile, own_by_email]
    script = [
        (talks[0], 2),  # cast
        (talks[1], 3),  # cast
        (talks[0], 1),  # change
        (talks[0], 1),  # the same score again: nothing changes
        (talks[2], None),  # withdraw a vote that is not there: nothing changes
        (talks[1], None),  # withdraw
        (talks[3], 0),  # the lowest score is a vote too
        ("own", 2),  # refused: their own talk
        (withdrawn, 2),  # refused: withdrawn talk
        (foreign, 2),  # refused: another conference's talk
        (talks[2], 4),  # refused: off the scale
        (talks[1], 2),  # cast again after a withdrawal
    ]
    answers = {0: [], 1: []}
    for step, (talk, score) in enumerate(script):
        for index, (voter, write) in enumerate(zip(voters, (_through_function, _through_statements), strict=True)):
            talk_id = own[index].pk if talk == "own" else talk.pk
            outcome = write(user=voter, conference=conference, talk_id=talk_id, score=score)
            answers[index].append(_answer(outcome))
        assert answers[0][-1] == answers[1][-1], f"step {step}: {script[step]}"

    # Votes on talks that stop being candidates stay on the ballot (and in the receipt) but leave the
    # progress line: one talk is withdrawn, and both voters become speakers of another.
    talks[3].status = Talk.Status.WITHDRAWN
    talks[3].save()
    speaker = SpeakerFactory(conference=conference, user=voters[0])
    talks[1].speakers.set([speaker, *own_by_email.speakers.all()])  # voters[1] by their email
    finals = [
        _answer(write(user=voter, conference=conference, talk_id=talks[0].pk, score=3))
        for voter, write in zip(voters, (_through_function, _through_statements), strict=True)
    ]
    assert finals[0] == finals[1] == (talks[0].title, 3, True, 1, 3, (7, 3))

    assert answers[0][0] == (talks[0].title, 2, True, 1, 5, (1, 1))  # 5 candidates: 4 talks and the other's own
    assert answers[0][3][2] is False and answers[0][7] is None
    for voter in voters:
        ballot = Ballot.objects.get(user=voter, conference=conference)
        receipts = list(BallotReceipt.objects.filter(ballot=ballot).order_by("sequence"))
        assert ballot.changes == len(receipts) == 7
        assert [r.sequence for r in receipts] == [1, 2, 3, 4, 5, 6, 7]
        for receipt in receipts:
            assert receipt_verify(code=receipt.code, preimage=receipt_preimage_of(receipt=receipt))
        assert list(
            VoteEvent.objects.filter(user=voter).order_by("pk").values_list("kind", "old_score", "new_score")
        ) == [
            ("cast", None, 2),
            ("cast", None, 3),
            ("change", 2, 1),
            ("withdraw", 3, None),
            ("cast", None, 0),
            ("cast", None, 2),
            ("change", 1, 3),
        ]
        events_at = list(VoteEvent.objects.filter(user=voter).order_by("pk").values_list("at", flat=True))
        assert events_at == sorted(events_at)
        assert dict(Vote.objects.filter(user=voter).values_list("talk_id", "score")) == {
            talks[0].pk: 3,
            talks[1].pk: 2,
            talks[3].pk: 0,
        }


def test_a_change_that_changes_nothing_leaves_no_ballot_behind(postgres):
    conference = ConferenceFactory()
    talk = TalkFactory(conference=conference)
    voter = UserFactory()
    outcome = _through_function(user=voter, conference=conference, talk_id=talk.pk, score=None)
    assert outcome.changed is False and outcome.receipt is None and outcome.score is None
    assert not Ballot.objects.exists() and not VoteEvent.objects.exists()


def test_the_service_on_postgresql_goes_through_the_function_and_explains_refusals(postgres):
    conference = ConferenceFactory()
    talk = TalkFactory(conference=conference)
    voter = UserFactory()
    outcome = votes.vote_cast(user=voter, conference=conference, talk_id=talk.pk, score="3")
    assert outcome.changed and outcome.receipt.pk == BallotReceipt.objects.get().pk
    conference.voting_closes_at = conference.voting_opens_at + dt.timedelta(seconds=1)  # closed a day ago
    conference.save()
    with pytest.raises(votes.VoteRefused) as refused:
        votes.vote_cast(user=voter, conference=conference, talk_id=talk.pk, score="2")
    assert refused.value.status == 409 and Vote.objects.get().score == 3
