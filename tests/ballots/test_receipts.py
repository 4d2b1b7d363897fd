"""Receipts: verifiable by their voter, new on every change, revealing nothing to anyone else."""

import hashlib

import pytest
from django.core import mail
from django.urls import reverse

from apps.ballots import services
from apps.ballots.domain.receipts import receipt_code, receipt_verify
from apps.ballots.models import BallotReceipt
from tests.factories import ConferenceFactory, TalkFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_identical_ballots_get_unrelated_codes_that_cannot_be_guessed_without_the_nonce():
    conference = ConferenceFactory()
    talk = TalkFactory(conference=conference)
    one, two = UserFactory(), UserFactory()
    a = services.vote_cast(user=one, conference=conference, talk_id=talk.pk, score=2).receipt
    b = services.vote_cast(user=two, conference=conference, talk_id=talk.pk, score=2).receipt
    assert a.code != b.code
    # Trying every possible ballot without the nonce finds nothing.
    guesses = {
        receipt_code(conference_id=conference.pk, sequence=1, votes=[(talk.pk, s)], nonce=n)
        for s in range(4)
        for n in ("", "0" * 32)
    }
    assert a.code not in guesses and b.code not in guesses
    assert receipt_verify(
        code=a.code,
        preimage=f"confvote-receipt-v1|{conference.pk}|1|{talk.pk}:2|{a.nonce}",
    )
    assert hashlib.sha256(f"confvote-receipt-v1|{conference.pk}|1|{talk.pk}:2|{a.nonce}".encode()).hexdigest() == a.code


def test_receipts_page_shows_my_receipts_and_the_text_to_verify_never_anothers(client):
    conference = ConferenceFactory()
    talk = TalkFactory(conference=conference)
    me, other = UserFactory(), UserFactory()
    theirs = services.vote_cast(user=other, conference=conference, talk_id=talk.pk, score=3).receipt
    mine = services.vote_cast(user=me, conference=conference, talk_id=talk.pk, score=1).receipt
    client.force_login(me)
    html = client.get(reverse("ballots:receipts", kwargs={"slug": conference.slug})).content.decode()
    assert mine.code in html and mine.nonce in html and f"{talk.pk}:1" in html
    assert theirs.code not in html and theirs.nonce not in html and f"{talk.pk}:3" not in html


def test_receipt_email_goes_to_the_voter_only(client, django_capture_on_commit_callbacks):
    conference = ConferenceFactory()
    talk = TalkFactory(conference=conference)
    me = UserFactory()
    client.force_login(me)
    url = reverse("ballots:receipt_email", kwargs={"slug": conference.slug})
    client.post(url)
    assert mail.outbox == []
    receipt = services.vote_cast(user=me, conference=conference, talk_id=talk.pk, score=1).receipt
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert "We are emailing your newest receipt" in response.content.decode()
    assert [m.to for m in mail.outbox] == [[me.email]]
    assert receipt.code in mail.outbox[0].body and receipt.nonce not in mail.outbox[0].body
    assert BallotReceipt.objects.count() == 1


def test_receipt_emails_are_limited_per_hour(client, django_capture_on_commit_callbacks):
    """Each request sends a mail: a script posting in a loop sent as many as it asked for."""
    conference = ConferenceFactory()
    me = UserFactory()
    services.vote_cast(user=me, conference=conference, talk_id=TalkFactory(conference=conference).pk, score=1)
    client.force_login(me)
    url = reverse("ballots:receipt_email", kwargs={"slug": conference.slug})
    for _ in range(8):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, follow=True)
    assert len(mail.outbox) == 5
    assert "emailed several times in the last hour" in response.content.decode()


def test_the_receipt_list_in_the_admin_filters_by_conference(staff_client):
    mine, other = ConferenceFactory(name="Filtered conference"), ConferenceFactory()
    voter = UserFactory()
    for conference in (mine, other, other):
        talk = TalkFactory(conference=conference)
        services.vote_cast(user=voter, conference=conference, talk_id=talk.pk, score=2)
    url = reverse("admin:ballots_ballotreceipt_changelist")
    assert "Filtered conference" in staff_client.get(url).content.decode()  # offered in the filter
    listed = staff_client.get(url, {"ballot__conference__id__exact": mine.pk}).context["cl"].result_list
    assert list(listed) == list(BallotReceipt.objects.filter(ballot__conference=mine))
    assert len(listed) == 1 and BallotReceipt.objects.count() == 3
