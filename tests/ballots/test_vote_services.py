"""Casting, changing and withdrawing votes: history, receipts, and every refusal as a clear 4xx."""

import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.utils import timezone

from apps.ballots import selectors, services
from apps.ballots.domain.receipts import receipt_verify
from apps.ballots.models import Ballot, BallotReceipt, Vote, VoteEvent
from apps.ballots.selectors import receipt_preimage_of
from apps.talks.models import Conference, Talk
from tests.factories import ConferenceFactory, SpeakerFactory, TalkFactory, UserFactory

pytestmark = pytest.mark.django_db


def history(user, talk):
    return list(
        VoteEvent.objects.filter(user=user, talk=talk).order_by("pk").values_list("kind", "old_score", "new_score")
    )


def test_cast_change_withdraw_append_history_and_receipts():
    user, talk = UserFactory(), TalkFactory()
    conference = talk.conference
    first = services.vote_cast(user=user, conference=conference, talk_id=talk.pk, score=2)
    second = services.vote_cast(user=user, conference=conference, talk_id=talk.pk, score="3")
    third = services.vote_withdraw(user=user, conference=conference, talk_id=talk.pk)
    assert [o.score for o in (first, second, third)] == [2, 3, None]
    assert not Vote.objects.filter(user=user).exists()
    assert history(user, talk) == [("cast", None, 2), ("change", 2, 3), ("withdraw", 3, None)]
    codes = [o.receipt.code for o in (first, second, third)]
    assert len(set(codes)) == 3
    assert [r.sequence for r in BallotReceipt.objects.order_by("sequence")] == [1, 2, 3]
    assert Ballot.objects.get(user=user, conference=conference).changes == 3


def test_the_same_score_twice_is_one_vote_and_no_new_receipt():
    user, talk = UserFactory(), TalkFactory()
    services.vote_cast(user=user, conference=talk.conference, talk_id=talk.pk, score=1)
    again = services.vote_cast(user=user, conference=talk.conference, talk_id=talk.pk, score=1)
    assert (again.changed, again.receipt) == (False, None)
    assert history(user, talk) == [("cast", None, 1)]
    assert Ballot.objects.get(user=user).changes == 1
    nothing = services.vote_withdraw(user=user, conference=talk.conference, talk_id=talk.pk)
    assert nothing.changed is True
    assert services.vote_withdraw(user=user, conference=talk.conference, talk_id=talk.pk).changed is False


def test_every_receipt_verifies_against_the_ballot_it_was_made_for():
    user = UserFactory()
    conference = ConferenceFactory()
    a, b = TalkFactory(conference=conference), TalkFactory(conference=conference)
    services.vote_cast(user=user, conference=conference, talk_id=a.pk, score=3)
    services.vote_cast(user=user, conference=conference, talk_id=b.pk, score=0)
    services.vote_withdraw(user=user, conference=conference, talk_id=a.pk)
    receipts = list(BallotReceipt.objects.order_by("sequence"))
    preimages = [receipt_preimage_of(receipt=r) for r in receipts]
    assert all(receipt_verify(code=r.code, preimage=p) for r, p in zip(receipts, preimages, strict=True))
    assert f"|{a.pk}:3,{b.pk}:0|" in preimages[1] if a.pk < b.pk else f"|{b.pk}:0,{a.pk}:3|" in preimages[1]
    assert not receipt_verify(code=receipts[0].code, preimage=preimages[1])
    assert preimages[2].split("|")[3] == f"{b.pk}:0"


@pytest.mark.parametrize("score", [-1, 4, 10, "2.5", "", None, "two"])
def test_scores_outside_the_conference_scale_are_refused(score):
    user, talk = UserFactory(), TalkFactory()  # default scale 0..3
    with pytest.raises(services.VoteRefused) as refused:
        services.vote_cast(user=user, conference=talk.conference, talk_id=talk.pk, score=score)
    assert refused.value.status == 400 and "from 0 to 3" in refused.value.message
    assert not Vote.objects.exists() and not VoteEvent.objects.exists() and not Ballot.objects.exists()


def test_refusals_name_the_problem_and_write_nothing():
    user = UserFactory()
    conference = ConferenceFactory()
    other_talk = TalkFactory()  # another conference
    own_talk = TalkFactory(conference=conference, speakers=[SpeakerFactory(conference=conference, user=user)])
    withdrawn = TalkFactory(conference=conference, status=Talk.Status.WITHDRAWN)
    cases = [(other_talk.pk, 404), (own_talk.pk, 403), (withdrawn.pk, 404), (999_999, 404)]
    for talk_id, status in cases:
        with pytest.raises(services.VoteRefused) as refused:
            services.vote_cast(user=user, conference=conference, talk_id=talk_id, score=2)
        assert refused.value.status == status
    assert not Vote.objects.exists() and not Ballot.objects.exists()


def test_own_talks_by_profile_or_verified_email_are_refused_and_left_out_of_the_progress():
    user = UserFactory(email="ada@example.org")
    EmailAddress.objects.create(user=user, email="ada@work.example", verified=True)
    EmailAddress.objects.create(user=user, email="ada@old.example", verified=False)
    conference = ConferenceFactory()
    by_profile = TalkFactory(conference=conference, speakers=[SpeakerFactory(conference=conference, user=user)])
    by_email = TalkFactory(  # a verified address, in other letters: still theirs
        conference=conference, speakers=[SpeakerFactory(conference=conference, email="ADA@Work.Example")]
    )
    unverified = TalkFactory(  # an address they never confirmed proves nothing: they may vote on it
        conference=conference, speakers=[SpeakerFactory(conference=conference, email="ada@old.example")]
    )
    TalkFactory(conference=conference, status=Talk.Status.WITHDRAWN)
    others = TalkFactory.create_batch(3, conference=conference)
    for own in (by_profile, by_email):
        with pytest.raises(services.VoteRefused) as refused:
            services.vote_cast(user=user, conference=conference, talk_id=own.pk, score=2)
        assert refused.value.status == 403
    first = services.vote_cast(user=user, conference=conference, talk_id=unverified.pk, score=1)
    assert (first.rated, first.total) == (1, 4)  # unverified + 3 others; not the withdrawn or own ones
    second = services.vote_cast(user=user, conference=conference, talk_id=others[0].pk, score=3)
    assert (second.rated, second.total) == (2, 4) == selectors.ballot_progress(user=user, conference=conference)
    others[1].status = Talk.Status.WITHDRAWN
    others[1].save()  # the progress line's total follows at once in this process
    third = services.vote_cast(user=user, conference=conference, talk_id=others[2].pk, score=0)
    assert (third.rated, third.total) == (3, 3) == selectors.ballot_progress(user=user, conference=conference)


def test_the_voting_window_is_enforced():
    user = UserFactory()
    now = timezone.now()
    closed = TalkFactory(conference=ConferenceFactory(voting_closes_at=now - dt.timedelta(minutes=1)))
    early = TalkFactory(
        conference=ConferenceFactory(voting_opens_at=now + dt.timedelta(hours=1), status=Conference.Status.DRAFT)
    )
    status_closed = TalkFactory(conference=ConferenceFactory(status=Conference.Status.CLOSED))
    for talk, words in ((closed, "Voting closed"), (early, "not opened yet"), (status_closed, "not open")):
        with pytest.raises(services.VoteRefused) as refused:
            services.vote_cast(user=user, conference=talk.conference, talk_id=talk.pk, score=1)
        assert refused.value.status == 409 and words in refused.value.message
    assert not Vote.objects.exists()
