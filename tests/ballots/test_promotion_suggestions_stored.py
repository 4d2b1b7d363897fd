"""Suggested promotions are stored with a digest of what they were computed from (the votes' fingerprint,
the talks, the recorded promotions, the rule, the scale): an unchanged conference is answered from the
store, and any change to those inputs makes the next answer computed again. Hand-made conferences in the
database (tests/ballots/test_promotion_suggestions.py's newsletter)."""

import pytest
from django.urls import reverse

from apps.ballots.domain.blocs_input import BlocRule
from apps.ballots.domain.promotion_suggestions import promotion_suggestions
from apps.ballots.models import Promotion, PromotionSuggestionsDocument, Vote
from apps.ballots.selectors.blocs import bloc_input
from apps.ballots.selectors.policies import weight_policy_current
from apps.ballots.selectors.promotions import (
    promotion_suggestions_computed,
    promotion_suggestions_key,
    promotion_suggestions_of,
)
from apps.ballots.services import vote_cast, vote_withdraw, weight_policy_revise
from apps.ballots.services.promotions import promotion_record, promotion_suggestions_current
from tests.ballots.test_api_promotions import token_client
from tests.ballots.test_promotion_suggestions import PICKS, SENT, _conference, _suggestions
from tests.factories import ConferenceFactory, TalkFactory, UserFactory

pytestmark = pytest.mark.django_db


def _stored(conference) -> PromotionSuggestionsDocument:
    return PromotionSuggestionsDocument.objects.get(conference=conference)


def test_the_votes_alone_give_what_the_whole_detection_input_gives():
    conference, _ = _conference(readers="newsletter")
    Promotion.objects.create(conference=conference, sent_at=SENT, channel="x").talks.set(
        conference.talks.order_by("pk")[10:12]
    )  # a recorded promotion of two other talks: its hours are explained there
    policy = weight_policy_current(conference=conference)
    whole = promotion_suggestions(bloc_input(conference=conference, policy=policy), BlocRule())
    assert len(whole) == 1
    assert promotion_suggestions_of(conference=conference) == whole


def test_the_key_read_without_the_votes_is_the_key_of_the_votes_read():
    """The database's sums of the votes and NumPy's of the votes it sends agree; otherwise no answer
    would ever be found stored."""
    conference, _ = _conference(readers="newsletter")
    suggestions, key = promotion_suggestions_computed(conference=conference)
    assert promotion_suggestions_key(conference=conference) == key
    assert len(suggestions) == 1


def test_a_second_answer_is_read_from_the_store_without_the_votes(django_assert_max_num_queries):
    conference, talks = _conference(readers="newsletter")
    client = token_client(conference)
    first = client.get(_suggestions(conference)).json()
    assert [sorted(s["talks"]) for s in first["results"]] == [sorted(t.pk for t in talks[:PICKS])]
    stored = _stored(conference)
    assert stored.key == promotion_suggestions_key(conference=conference)
    # Stored suggestions are what the client gets, not a computation that happens to agree: changed by
    # hand under the same key, they are served as changed.
    stored.suggestions[0]["evidence"] = "Served from the store."
    stored.save()
    with django_assert_max_num_queries(10) as few:
        second = client.get(_suggestions(conference)).json()
    assert second["results"][0]["evidence"] == "Served from the store."
    assert {k: v for k, v in second["results"][0].items() if k != "evidence"} == {
        k: v for k, v in first["results"][0].items() if k != "evidence"
    }
    # The votes are summed by the database (one query), never read one by one.
    on_votes = [q["sql"] for q in few.captured_queries if '"ballots_vote"' in q["sql"]]
    assert len(on_votes) == 1 and "SUM(" in on_votes[0]


def test_recording_a_promotion_makes_the_next_answer_differ():
    conference, talks = _conference(readers="newsletter")
    (suggestion,) = promotion_suggestions_current(conference=conference)
    before = _stored(conference).key
    promotion_record(conference=conference, sent_at=SENT, channel="newsletter", talks=talks[:PICKS])
    assert promotion_suggestions_current(conference=conference) == []
    assert _stored(conference).key != before
    assert _stored(conference).suggestions == []
    Promotion.objects.get(conference=conference).delete()  # forgotten: suggested again
    assert promotion_suggestions_current(conference=conference) == [suggestion]
    assert _stored(conference).key == before


@pytest.mark.parametrize("change", ["cast", "change", "withdraw", "recast", "rule", "talk withdrawn"])
def test_any_change_to_what_it_reads_makes_it_computed_again(change):
    conference, talks = _conference(readers="newsletter")
    (suggestion,) = promotion_suggestions_current(conference=conference)
    stored = _stored(conference)
    # Marked by hand: an answer computed again does not carry the mark.
    stored.suggestions[0]["evidence"] = "stale"
    stored.save()
    assert promotion_suggestions_current(conference=conference)[0].evidence == "stale"
    vote = Vote.objects.filter(talk=talks[20]).order_by("pk").first()
    if change == "cast":
        vote_cast(user=UserFactory(), conference=conference, talk_id=talks[20].pk, score=1)
    elif change == "change":
        vote_cast(user=vote.user, conference=conference, talk_id=vote.talk_id, score=(vote.score + 1) % 4)
    elif change == "withdraw":
        vote_withdraw(user=vote.user, conference=conference, talk_id=vote.talk_id)
    elif change == "recast":  # the same score again, first cast now: only the time differs
        vote_withdraw(user=vote.user, conference=conference, talk_id=vote.talk_id)
        vote_cast(user=vote.user, conference=conference, talk_id=vote.talk_id, score=vote.score)
    elif change == "rule":
        weight_policy_revise(conference=conference, bloc_rule={"promotion_hours": 12})
    else:
        talks[20].status = talks[20].Status.WITHDRAWN
        talks[20].save(update_fields=["status"])
    (again,) = promotion_suggestions_current(conference=conference)
    assert again.evidence != "stale"
    assert again.talk_ids == suggestion.talk_ids
    assert _stored(conference).suggestions[0]["evidence"] == again.evidence


def test_two_voters_swapping_their_scores_on_a_talk_change_the_key():
    conference = ConferenceFactory()
    talk = TalkFactory(conference=conference)
    ann, bob = UserFactory(), UserFactory()
    vote_cast(user=ann, conference=conference, talk_id=talk.pk, score=1)
    vote_cast(user=bob, conference=conference, talk_id=talk.pk, score=3)
    Vote.objects.filter(user=ann).update(created_at=SENT, updated_at=SENT)
    Vote.objects.filter(user=bob).update(created_at=SENT, updated_at=SENT)
    before = promotion_suggestions_key(conference=conference)
    Vote.objects.filter(user=ann).update(score=3)
    Vote.objects.filter(user=bob).update(score=1)
    assert promotion_suggestions_key(conference=conference) != before


def test_the_admin_page_and_the_api_answer_from_one_store_in_a_fixed_number_of_queries(
    admin_client, django_assert_max_num_queries
):
    conference, _ = _conference(readers="newsletter")
    page = reverse("admin:ballots_promotion_suggestions")
    with django_assert_max_num_queries(30) as computed:
        assert len(admin_client.get(page, {"conference": conference.pk}).context["rows"]) == 1
    with django_assert_max_num_queries(len(computed.captured_queries)) as stored:
        assert token_client(conference).get(_suggestions(conference)).json()["count"] == 1
    # More talks, voters, votes and promotions: the same number of queries (no query per row).
    more, _ = _conference(readers="newsletter", prefix="m", seed=5)
    for talk in more.talks.order_by("pk")[20:25]:
        Promotion.objects.create(conference=more, sent_at=SENT, channel="x").talks.set([talk])
    with django_assert_max_num_queries(len(computed.captured_queries)):
        admin_client.get(page, {"conference": more.pk})
    with django_assert_max_num_queries(len(stored.captured_queries)):
        token_client(more).get(_suggestions(more))
