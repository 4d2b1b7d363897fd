"""Double clicks and concurrent votes on PostgreSQL, with real threads and real row locks."""

import threading

import pytest
from django.db import connection

from apps.ballots import services
from apps.ballots.domain.receipts import receipt_verify
from apps.ballots.models import Ballot, BallotReceipt, Vote, VoteEvent
from apps.ballots.selectors import receipt_preimage_of
from tests.factories import ConferenceFactory, TalkFactory, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.services]


def run_together(calls):
    """Runs the calls in threads released at the same moment; returns their results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # a refusal or a database error is a result to assert on
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def test_double_click_is_one_vote_one_event_one_receipt(postgres):
    conference = ConferenceFactory()
    talk, user = TalkFactory(conference=conference), UserFactory()
    results = run_together([lambda: services.vote_cast(user=user, conference=conference, talk_id=talk.pk, score=2)] * 8)
    assert not [r for r in results if isinstance(r, Exception)]
    assert sum(r.changed for r in results) == 1
    assert Vote.objects.filter(user=user, talk=talk).count() == 1
    assert list(VoteEvent.objects.values_list("kind", flat=True)) == ["cast"]
    assert BallotReceipt.objects.count() == 1 and Ballot.objects.get().changes == 1


def test_concurrent_different_scores_leave_a_history_that_replays_to_the_vote(postgres):
    conference = ConferenceFactory()
    talks = [TalkFactory(conference=conference) for _ in range(3)]
    user = UserFactory()
    calls = [
        (lambda t=t, s=s: services.vote_cast(user=user, conference=conference, talk_id=t.pk, score=s))
        for t in talks
        for s in (0, 1, 2, 3)
    ]
    calls += [lambda t=t: services.vote_withdraw(user=user, conference=conference, talk_id=t.pk) for t in talks]
    results = run_together(calls)
    assert not [r for r in results if isinstance(r, Exception)]
    for talk in talks:
        replay = None
        for _kind, old, new in (
            VoteEvent.objects.filter(talk=talk).order_by("pk").values_list("kind", "old_score", "new_score")
        ):
            assert old == replay, "each event starts from the score the previous one left"
            replay = new
        assert replay == Vote.objects.filter(talk=talk).values_list("score", flat=True).first()
    receipts = list(BallotReceipt.objects.order_by("sequence"))
    assert [r.sequence for r in receipts] == list(range(1, len(receipts) + 1))
    assert len(receipts) == VoteEvent.objects.count() == Ballot.objects.get().changes
    assert all(receipt_verify(code=r.code, preimage=receipt_preimage_of(receipt=r)) for r in receipts)


def test_concurrent_http_double_click_never_500s(postgres, live_server):
    import httpx

    conference = ConferenceFactory()
    talk, user = TalkFactory(conference=conference), UserFactory()
    from django.test import Client

    client = Client()
    client.force_login(user)
    cookies = {k: v.value for k, v in client.cookies.items()}
    csrf = "a" * 32
    url = f"{live_server.url}/c/{conference.slug}/vote/{talk.pk}/"

    def post():
        with httpx.Client(cookies={**cookies, "csrftoken": csrf}) as http:
            return http.post(
                url,
                data={"score": "3", "csrfmiddlewaretoken": csrf},
                headers={"HX-Request": "true", "Referer": live_server.url},
            ).status_code

    statuses = run_together([post] * 6)
    assert statuses == [200] * 6
    assert Vote.objects.get().score == 3 and VoteEvent.objects.count() == 1
