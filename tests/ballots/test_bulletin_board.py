"""The chained bulletin board end to end: publication stores it and its head, the page and the API
show them, an outsider verifies the API's answer alone, and verify_bulletin catches a tampered row."""

import hashlib
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from rest_framework.test import APIClient

from apps.ballots import services
from apps.ballots.domain.bulletin import bulletin_genesis
from apps.ballots.domain.verify import bulletin_verify_export
from apps.ballots.models import BulletinEntry, TallySnapshot
from apps.ballots.selectors import bulletin_check
from tests.factories import ConferenceFactory, PledgeFactory, TalkFactory, TicketClaimFactory, UserFactory

pytestmark = pytest.mark.django_db


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@pytest.fixture
def published():
    """Two talks; a ticket holder who changed their mind (superseded receipts), a pledger, and a
    voter without a ticket: seven receipts in all."""
    conference = ConferenceFactory(slug="chainconf")
    a, b = TalkFactory(conference=conference), TalkFactory(conference=conference)
    holder = TicketClaimFactory(ticket__conference=conference).user
    pledger = PledgeFactory(conference=conference).user
    newcomer = UserFactory()
    for user, talk, score in ((holder, a, 3), (holder, b, 1), (holder, a, 2), (pledger, a, 1), (pledger, b, 3)):
        services.vote_cast(user=user, conference=conference, talk_id=talk.pk, score=score)
    services.vote_cast(user=newcomer, conference=conference, talk_id=b.pk, score=0)
    services.vote_withdraw(user=newcomer, conference=conference, talk_id=b.pk)
    return conference, services.tally_publish(conference=conference)


def test_publication_chains_every_receipt_in_receipt_order_and_stores_the_head(published):
    conference, snapshot = published
    entries = list(BulletinEntry.objects.filter(snapshot=snapshot).select_related("receipt").order_by("position"))
    assert len(entries) == snapshot.bulletin_size == 7
    assert [e.position for e in entries] == list(range(7))
    assert [e.receipt.code for e in entries] == sorted(e.receipt.code for e in entries)
    previous = sha(f"confvote-bulletin-v1|genesis|{conference.pk}|{snapshot.input_digest}")
    for entry in entries:  # recomputed here from the documented text alone
        text = (
            f"confvote-bulletin-v1|{previous}|{entry.position}|{entry.receipt.code}|{entry.weight:.6f}|{entry.status}"
        )
        assert entry.chain == sha(text)
        previous = entry.chain
    assert snapshot.bulletin_head == previous
    snapshot.refresh_from_db()
    assert snapshot.bulletin_head == previous and snapshot.published_at is not None
    assert {e.status for e in entries} == {"counted", "superseded", "not_eligible"}
    assert bulletin_check(snapshot=snapshot).ok
    assert services.tally_publish(conference=conference).bulletin_head == previous  # publishing again changes nothing


def test_the_page_shows_the_head_and_a_voter_sees_their_position_and_chain_value(client, published):
    conference, snapshot = published
    url = reverse("ballots:bulletin", kwargs={"slug": conference.slug})
    html = client.get(url).content.decode()
    assert snapshot.bulletin_head in html and "Write down the head" in html
    assert bulletin_genesis(conference_id=conference.pk, input_digest=snapshot.input_digest) in html
    entry = BulletinEntry.objects.select_related("receipt").get(snapshot=snapshot, position=3)
    before = BulletinEntry.objects.get(snapshot=snapshot, position=2)
    html = client.get(url, {"receipt": entry.receipt.code}).content.decode()
    assert "Position <strong>3</strong>" in html and entry.chain in html
    text = f"confvote-bulletin-v1|{before.chain}|3|{entry.receipt.code}|{entry.weight:.6f}|{entry.status}"
    assert text in html and sha(text) == entry.chain
    first = BulletinEntry.objects.select_related("receipt").get(snapshot=snapshot, position=0)
    genesis = bulletin_genesis(conference_id=conference.pk, input_digest=snapshot.input_digest)
    assert (
        f"confvote-bulletin-v1|{genesis}|0|{first.receipt.code}|"
        in client.get(url, {"receipt": first.receipt.code}).content.decode()
    )


def test_the_api_answer_is_enough_for_an_outsider_to_verify(published, tmp_path):
    conference, snapshot = published
    api, url = APIClient(), reverse("api-bulletin", args=[conference.slug])
    pages, page = [], 1
    while True:
        answer = api.get(url, {"page": page, "page_size": 3}).json()
        pages.append(answer)
        if not answer["next"]:
            break
        page += 1
    assert len(pages) == 3
    board = pages[0]["board"]
    assert board["head"] == snapshot.bulletin_head and board["size"] == 7 and board["conference_id"] == conference.pk
    assert board["genesis"] == sha(f"confvote-bulletin-v1|genesis|{conference.pk}|{snapshot.input_digest}")
    rows = [row for p in pages for row in p["results"]]
    assert [row["position"] for row in rows] == list(range(7))
    assert set(rows[0]) == {"position", "receipt", "weight", "status", "chain"}
    check = bulletin_verify_export(pages)
    assert check.ok and check.checked == 7 and check.head == snapshot.bulletin_head
    one = api.get(url, {"receipt": rows[4]["receipt"]}).json()
    assert one["results"] == [rows[4]] and one["board"] == board

    path = tmp_path / "board.json"
    path.write_text(json.dumps(pages))
    out = io.StringIO()
    call_command("verify_bulletin", str(path), "--head", snapshot.bulletin_head, stdout=out)
    assert f"chain holds: 7 entries, head {snapshot.bulletin_head}" in out.getvalue()
    pages[1]["results"][1]["status"] = "counted" if rows[4]["status"] != "counted" else "superseded"
    path.write_text(json.dumps(pages))
    with pytest.raises(CommandError, match="breaks at position 4"):
        call_command("verify_bulletin", str(path))
    path.write_text('{"ballots": []}')
    with pytest.raises(CommandError, match="is not a bulletin board"):
        call_command("verify_bulletin", str(path))


def test_the_organizer_tally_api_shows_the_head(published):
    conference, snapshot = published
    from tests.ballots.test_api_tally import organizer_client

    tally = organizer_client(conference).get(reverse("api-tally", args=[conference.slug])).json()
    assert tally["bulletin_head"] == snapshot.bulletin_head and tally["bulletin_size"] == 7


@pytest.mark.parametrize(
    "tamper",
    ["weight", "status", "delete", "swap"],
)
def test_verify_bulletin_catches_a_tampered_database_row(published, tamper):
    conference, snapshot = published
    out = io.StringIO()
    call_command("verify_bulletin", "--conference", conference.slug, stdout=out)
    assert "chain holds: 7 entries" in out.getvalue()
    entries = BulletinEntry.objects.filter(snapshot=snapshot)
    target = entries.get(position=2)
    if tamper == "weight":
        entries.filter(pk=target.pk).update(weight=0.0 if target.weight else 1.0)
    elif tamper == "status":
        entries.filter(pk=target.pk).update(status="counted" if target.status != "counted" else "superseded")
    elif tamper == "delete":
        target.delete()
    else:  # two rows trade places (through a free position, as the unique constraint demands)
        other = entries.get(position=5)
        entries.filter(pk=target.pk).update(position=99)
        entries.filter(pk=other.pk).update(position=2)
        entries.filter(pk=target.pk).update(position=5)
    with pytest.raises(CommandError, match="breaks at position 2"):
        call_command("verify_bulletin", "--conference", conference.slug)


def test_a_rewritten_board_and_head_are_caught_with_the_head_written_down(published):
    conference, snapshot = published
    noted = snapshot.bulletin_head
    entries = BulletinEntry.objects.filter(snapshot=snapshot)
    entries.filter(position=6).update(chain="0" * 64)  # the last chain value and the head forged together
    TallySnapshot.objects.filter(pk=snapshot.pk).update(bulletin_head="0" * 64)
    with pytest.raises(CommandError, match="breaks at position 6"):
        call_command("verify_bulletin", "--conference", conference.slug, "--head", noted)


def test_a_board_published_before_chaining_says_so(client, published):
    conference, snapshot = published
    BulletinEntry.objects.filter(snapshot=snapshot).update(position=None, chain="")
    TallySnapshot.objects.filter(pk=snapshot.pk).update(bulletin_head="", bulletin_size=None)
    html = client.get(reverse("ballots:bulletin", kwargs={"slug": conference.slug})).content.decode()
    assert "published before the bulletin board was chained" in html and '<th scope="col">chain' not in html
    board = APIClient().get(reverse("api-bulletin", args=[conference.slug])).json()
    assert board["board"]["head"] is None and board["count"] == 7 and board["results"][0]["position"] is None
    with pytest.raises(CommandError, match="published before the bulletin board was chained"):
        call_command("verify_bulletin", "--conference", conference.slug)


def test_verify_bulletin_asks_for_one_source():
    with pytest.raises(CommandError, match="either a file or --conference"):
        call_command("verify_bulletin")
    with pytest.raises(CommandError, match="No conference"):
        call_command("verify_bulletin", "--conference", "nowhere")
    ConferenceFactory(slug="quiet")
    with pytest.raises(CommandError, match="No published tally"):
        call_command("verify_bulletin", "--conference", "quiet")
