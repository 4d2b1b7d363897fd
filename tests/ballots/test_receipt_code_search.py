"""Searching receipts and bulletin entries in the admin by a pasted code or its beginning goes through
the codes' index (no LIKE); other searches are Django's as before."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from apps.ballots.models import BallotReceipt, BulletinEntry
from apps.ballots.services import vote_cast
from apps.ballots.services.blocs import tally_publish_with_blocs
from apps.talks.models import Conference
from tests.factories import ConferenceFactory, TalkFactory, UserFactory

pytestmark = pytest.mark.django_db

RECEIPTS = reverse("admin:ballots_ballotreceipt_changelist")
BULLETIN = reverse("admin:ballots_bulletinentry_changelist")


@pytest.fixture
def board():
    conference = ConferenceFactory()
    talks = [TalkFactory(conference=conference) for _ in range(3)]
    for i in range(8):
        voter = UserFactory()
        for j, talk in enumerate(talks):
            vote_cast(user=voter, conference=conference, talk_id=talk.pk, score=(i + j) % 4)
    Conference.objects.filter(pk=conference.pk).update(status=Conference.Status.CLOSED)
    conference.refresh_from_db()
    tally_publish_with_blocs(conference=conference)
    return conference


def _search(client, url, term):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"q": term})
    assert response.status_code == 200
    return list(response.context["cl"].result_list), [q["sql"] for q in queries]


def test_a_whole_code_or_its_beginning_finds_the_receipt_without_like(staff_client, board):
    receipt = BallotReceipt.objects.order_by("pk")[5]
    for term in (receipt.code, receipt.code[:16], receipt.code[:8], f"  {receipt.code[:16].upper()} "):
        found, sql = _search(staff_client, RECEIPTS, term)
        assert found == [receipt], term
        assert not [q for q in sql if "LIKE" in q and "ballots_ballotreceipt" in q], term


def test_a_code_finds_its_bulletin_entry(staff_client, board):
    entry = BulletinEntry.objects.select_related("receipt").order_by("pk")[3]
    for term in (entry.receipt.code, entry.receipt.code[:16]):
        found, sql = _search(staff_client, BULLETIN, term)
        assert found == [entry], term
        assert not [q for q in sql if "LIKE" in q], term


def test_other_searches_are_as_before(staff_client, board):
    receipt = BallotReceipt.objects.order_by("pk")[2]
    middle = receipt.code[20:26]  # short: still found anywhere in the code
    found, _ = _search(staff_client, RECEIPTS, middle)
    assert receipt in found and set(found) == set(BallotReceipt.objects.filter(code__contains=middle))
    assert _search(staff_client, RECEIPTS, "not-a-code")[0] == []
    assert _search(staff_client, RECEIPTS, "0" * 63 + "g")[0] == []
    everything, _ = _search(staff_client, RECEIPTS, "")
    assert len(everything) == BallotReceipt.objects.count()
