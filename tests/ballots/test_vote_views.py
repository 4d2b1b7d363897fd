"""The voting page and vote posts: HTMX and plain forms, refusals as 4xx, CSRF, no peeking at others."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from apps.ballots.models import Vote, VoteEvent
from apps.ballots.selectors import ballot_talk_ids
from apps.talks.models import Conference
from tests.factories import (
    ConferenceFactory,
    SpeakerFactory,
    TalkFactory,
    TicketClaimFactory,
    TicketFactory,
    TrackFactory,
    UserFactory,
    VoteFactory,
)

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def submit_url(talk):
    return reverse("ballots:vote_submit", kwargs={"slug": talk.conference.slug, "talk_id": talk.pk})


def page_url(conference):
    return reverse("ballots:vote", kwargs={"slug": conference.slug})


def test_htmx_vote_returns_the_talks_form_and_the_progress(user_client, user):
    conference = ConferenceFactory()
    talk, _other = TalkFactory(conference=conference), TalkFactory(conference=conference)
    response = user_client.post(submit_url(talk), {"score": "3"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<form method="post" action="' + submit_url(talk))
    assert html.count('aria-pressed="true"') == 1 and 'value="3" class="score-button" aria-pressed="true"' in html
    assert "Receipt" in html and talk.title in html  # the form's legend names the talk
    assert 'hx-swap-oob="true"' in html and "1 of 2" in html
    assert Vote.objects.get(user=user, talk=talk).score == 3


def test_plain_form_post_works_without_javascript(user_client, user):
    talk = TalkFactory()
    response = user_client.post(submit_url(talk), {"score": "1", "return": "track=x"})
    assert response.status_code == 303
    assert response["Location"].endswith(f"?track=x#talk-{talk.pk}")
    assert Vote.objects.get(user=user).score == 1
    withdrawn = user_client.post(submit_url(talk), {"withdraw": "1"})
    assert withdrawn["Location"] == f"{page_url(talk.conference)}#talk-{talk.pk}"  # no filters: no bare '?'
    response = user_client.get(withdrawn["Location"])
    assert "Saved: withdrawn." in response.content.decode()
    assert not Vote.objects.exists() and VoteEvent.objects.count() == 2


@pytest.mark.parametrize(("score", "status"), [("9", 400), ("-1", 400), ("abc", 400)])
def test_out_of_scale_scores_are_a_400_with_a_message(user_client, score, status):
    talk = TalkFactory()
    response = user_client.post(submit_url(talk), {"score": score}, **HTMX)
    assert response.status_code == status
    assert "Choose a score from 0 to 3." in response.content.decode()
    assert response["X-Confvote-Fragment"] == "1"
    assert not Vote.objects.exists()


def test_other_conferences_talk_own_talk_and_closed_vote_are_4xx(user_client, user):
    conference = ConferenceFactory()
    foreign = TalkFactory()
    response = user_client.post(
        reverse("ballots:vote_submit", kwargs={"slug": conference.slug, "talk_id": foreign.pk}), {"score": "2"}
    )
    assert response.status_code == 404 and "no such talk" in response.content.decode()
    own = TalkFactory(conference=conference, speakers=[SpeakerFactory(conference=conference, user=user)])
    response = user_client.post(submit_url(own), {"score": "2"}, **HTMX)
    assert response.status_code == 403 and "You are a speaker of this talk" in response.content.decode()
    closed = TalkFactory(conference=ConferenceFactory(voting_closes_at=timezone.now() - dt.timedelta(seconds=1)))
    response = user_client.post(submit_url(closed), {"score": "2"})
    assert response.status_code == 409 and "Voting closed" in response.content.decode()
    assert not Vote.objects.exists()


def test_anonymous_cannot_vote_and_is_told_to_log_in(client):
    talk = TalkFactory()
    response = client.post(submit_url(talk), {"score": "2"})
    assert response.status_code == 403 and "Log in to vote." in response.content.decode()
    assert client.get(page_url(talk.conference)).status_code == 302
    assert not Vote.objects.exists()


def test_csrf_is_enforced_on_votes(user):
    talk = TalkFactory()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(submit_url(talk), {"score": "2"}, **HTMX).status_code == 403
    assert not Vote.objects.exists()
    page = client.get(page_url(talk.conference))
    token = page.context["csrf_token"]
    answer = client.post(submit_url(talk), {"score": "2", "csrfmiddlewaretoken": str(token)}, **HTMX)
    assert answer.status_code == 200 and Vote.objects.count() == 1
    # The answer's form carries the token for the next vote (the one just accepted), and no new cookie.
    assert "csrftoken" not in answer.cookies
    [again] = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', answer.content.decode())
    assert client.post(submit_url(talk), {"score": "3", "csrfmiddlewaretoken": again}, **HTMX).status_code == 200
    assert Vote.objects.get().score == 3


def test_titles_and_labels_are_escaped_on_the_page_and_in_the_vote_answer(user_client):
    conference = ConferenceFactory(scale_labels=["no", "<b>maybe</b>", 'yes"', "must & see"])
    talk = TalkFactory(conference=conference, title='<script>alert("x")</script> & more')
    page = user_client.get(page_url(conference)).content.decode()
    answer = user_client.post(submit_url(talk), {"score": "1", "return": '"><img src=x>'}, **HTMX).content.decode()
    for html in (page, answer):
        assert "<script>alert" not in html and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more" in html
        assert "&lt;b&gt;maybe&lt;/b&gt;" in html and "yes&quot;" in html and "must &amp; see" in html
    assert "<img src=x>" not in answer


def test_page_never_shows_another_users_ballot(user_client, user):
    conference = ConferenceFactory()
    talk = TalkFactory(conference=conference, title="Shared talk")
    other = UserFactory()
    VoteFactory(user=other, talk=talk, score=3)  # present, and must not leak
    html = user_client.get(page_url(conference)).content.decode()
    assert 'aria-pressed="true"' not in html and "0 of 1" in html
    receipts = user_client.get(reverse("ballots:receipts", kwargs={"slug": conference.slug})).content.decode()
    assert "No receipts yet" in receipts
    user_client.post(submit_url(talk), {"score": "1"}, **HTMX)
    html = user_client.get(page_url(conference)).content.decode()
    assert html.count('aria-pressed="true"') == 1 and "1 of 1" in html
    assert Vote.objects.get(user=other).score == 3


def test_page_hides_own_talks_and_filters_and_keeps_a_stable_order(user_client, user):
    conference = ConferenceFactory(blind_voting=True)
    track = TrackFactory(conference=conference, slug="web")
    speaker = SpeakerFactory(conference=conference, name="Ada Speaker")
    talks = [TalkFactory(conference=conference, title=f"Talk {i}", speakers=[speaker]) for i in range(8)]
    TalkFactory(conference=conference, title="Web thing", track=track, format="workshop")
    TalkFactory(conference=conference, title="My own talk", speakers=[SpeakerFactory(conference=conference, user=user)])
    html = user_client.get(page_url(conference)).content.decode()
    assert "My own talk" not in html and "Ada Speaker" not in html and "0 of 9" in html
    order = ballot_talk_ids(user=user, conference=conference)
    assert order == ballot_talk_ids(user=user, conference=conference)
    assert order != ballot_talk_ids(user=UserFactory(), conference=conference) or len(order) < 2
    assert sorted(order) == sorted([t.pk for t in talks] + [conference.talks.get(title="Web thing").pk])
    assert "Talk 1" not in user_client.get(page_url(conference), {"track": "web"}).content.decode()
    assert "Web thing" in user_client.get(page_url(conference), {"format": "workshop"}).content.decode()
    found = user_client.get(page_url(conference), {"q": "talk 3"}).content.decode()
    assert "Talk 3" in found and "Talk 4" not in found


def test_a_nul_byte_in_a_filter_is_dropped_not_a_500(user_client):
    """PostgreSQL text cannot hold NUL: a filter pasted with one (or a crafted link) used to raise
    DataError from the voting page. The byte is dropped and the filter applies as typed."""
    conference = ConferenceFactory()
    TrackFactory(conference=conference, slug="web")
    TalkFactory(conference=conference, title="Async views")
    TalkFactory(conference=conference, title="Typing deep dive")
    found = user_client.get(page_url(conference), {"q": "async\x00"})
    assert found.status_code == 200
    assert "Async views" in found.content.decode() and "Typing deep dive" not in found.content.decode()
    for params in ({"track": "web\x00"}, {"format": "\x00talk"}):
        assert user_client.get(page_url(conference), params).status_code == 200


def test_not_eligible_voters_are_told_how_to_count_and_ticket_holders_see_their_weight(client):
    conference = ConferenceFactory(ticket_shop_url="https://tickets.example/buy")
    TalkFactory(conference=conference)
    newcomer = UserFactory()
    client.force_login(newcomer)
    html = client.get(page_url(conference)).content.decode()
    assert "Your votes weigh 0" in html and "link the ticket" in html and "https://tickets.example/buy" in html
    assert reverse("attendance:my_ticket", kwargs={"slug": conference.slug}) in html
    assert reverse("attendance:my_pledge", kwargs={"slug": conference.slug}) in html
    holder = UserFactory()
    TicketClaimFactory(user=holder, ticket=TicketFactory(conference=conference))
    client.force_login(holder)
    html = client.get(page_url(conference)).content.decode()
    assert "Your votes weigh 1" in html and "valid ticket" in html


def test_draft_conference_has_no_voting_page(user_client):
    conference = ConferenceFactory(status=Conference.Status.DRAFT)
    assert user_client.get(page_url(conference)).status_code == 404


def test_voting_page_query_count_does_not_grow_with_talks(user_client, user, django_assert_max_num_queries):
    conference = ConferenceFactory()
    speaker = SpeakerFactory(conference=conference)
    for _ in range(3):
        VoteFactory(user=user, talk=TalkFactory(conference=conference, speakers=[speaker]))
    with django_assert_max_num_queries(20) as few:
        user_client.get(page_url(conference))
    for _ in range(20):
        VoteFactory(user=user, talk=TalkFactory(conference=conference, speakers=[speaker]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        user_client.get(page_url(conference))


def test_conference_page_links_to_voting(user_client):
    conference = ConferenceFactory()
    html = user_client.get(reverse("conference_detail", kwargs={"slug": conference.slug})).content.decode()
    assert page_url(conference) in html and "Vote on these talks" in html


def test_a_vote_costs_a_bounded_number_of_queries(user_client, django_assert_max_num_queries):
    conference = ConferenceFactory()
    speaker = SpeakerFactory(conference=conference)
    talks = [TalkFactory(conference=conference, speakers=[speaker]) for _ in range(5)]
    for talk in talks[:4]:
        user_client.post(submit_url(talk), {"score": "1"}, **HTMX)
    # session, user, conference, talk, own talks, ballot, vote, write, event, ballot read, receipt,
    # total, speakers — and no more however many votes the ballot holds.
    with django_assert_max_num_queries(16):
        assert user_client.post(submit_url(talks[4]), {"score": "2"}, **HTMX).status_code == 200


def test_the_database_decides_even_when_the_view_holds_a_stale_copy_of_the_conference(user_client, user):
    """The vote view reads the conference from a short per-process cache; changes that bypass
    `save()` (so the cache does not hear of them) still take effect at once."""
    conference = ConferenceFactory()
    talk = TalkFactory(conference=conference)
    assert user_client.post(submit_url(talk), {"score": "1"}, **HTMX).status_code == 200  # cached now
    Conference.objects.filter(pk=conference.pk).update(scale_max=4, scale_labels=["a", "b", "c", "d", "e"])
    assert user_client.post(submit_url(talk), {"score": "4"}, **HTMX).status_code == 200  # the wider scale
    assert Vote.objects.get(user=user, talk=talk).score == 4
    Conference.objects.filter(pk=conference.pk).update(voting_closes_at=timezone.now() - dt.timedelta(minutes=1))
    late = user_client.post(submit_url(talk), {"score": "2"}, **HTMX)
    assert late.status_code == 409 and "Voting closed" in late.content.decode()
    assert Vote.objects.get(user=user, talk=talk).score == 4
    assert user_client.post(submit_url(talk), {"score": "99999999999999999999"}, **HTMX).status_code == 400


def test_the_voting_pages_links_keep_the_filters(user_client):
    conference = ConferenceFactory()
    TalkFactory.create_batch(31, conference=conference, title="Pagination talk")
    html = user_client.get(page_url(conference), {"q": "Pagination"}).content.decode()
    assert "Page 1 of 2" in html and 'href="?q=Pagination&amp;page=2"' in html
    html = user_client.get(page_url(conference), {"q": "Pagination", "page": "2"}).content.decode()
    assert 'href="?q=Pagination&amp;page=1"' in html


@pytest.mark.parametrize("htmx", [{}, HTMX])
def test_a_talk_id_beyond_any_database_id_is_a_404_not_a_500(user_client, htmx):
    conference = ConferenceFactory()
    TalkFactory(conference=conference)
    url = reverse("ballots:vote_submit", kwargs={"slug": conference.slug, "talk_id": 10**20})
    for data in ({"score": "2"}, {"withdraw": "1"}):
        response = user_client.post(url, data, **htmx)
        assert response.status_code == 404 and "no such talk" in response.content.decode()
    assert not Vote.objects.exists()


def test_an_htmx_vote_with_a_bad_score_on_a_missing_talk_is_refused_not_a_500(user_client):
    talk = TalkFactory()
    url = submit_url(talk)
    talk.delete()  # while the voter's page was open
    response = user_client.post(url, {"score": "abc"}, **HTMX)
    assert response.status_code == 400 and "Choose a score from 0 to 3." in response.content.decode()
