"""Linking tickets: one ticket ↔ one account, a generic answer to guesses, throttling, automatic
links by verified email, one-time links, and the race of two people claiming one ticket."""

import datetime as dt
import threading

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import connection as db_connection
from django.utils import timezone

from apps.attendance import services
from apps.attendance.models import Pledge, StateChange, Ticket, TicketClaim, TicketClaimFailure, TicketInvitation
from apps.attendance.selectors import talk_ids_of_user
from apps.attendance.services import throttle
from apps.attendance.services.claims import ALREADY_CLAIMED, GENERIC_FAILURE
from tests.factories import (
    ConferenceFactory,
    PledgeFactory,
    SpeakerFactory,
    TalkFactory,
    TicketClaimFactory,
    TicketFactory,
    UserFactory,
)

IP = "203.0.113.7"


def claim(user, ticket, *, code=None, email=None, ip=IP):
    return services.ticket_claim_by_order_code(
        user=user,
        conference=ticket.conference,
        order_code=code if code is not None else ticket.order_code,
        email=email if email is not None else ticket.holder_email,
        ip=ip,
    )


@pytest.mark.django_db
def test_order_code_and_email_link_the_ticket_ignoring_case_and_spaces():
    ticket = TicketFactory(order_code="ABC12", holder_email="ada@example.org")
    user = UserFactory()
    made = claim(user, ticket, code=" abc12 ", email="ADA@example.org ")
    assert (made.ticket, made.user, made.method) == (ticket, user, TicketClaim.Method.ORDER_CODE)
    change = StateChange.objects.get(subject="claim")
    assert (change.to_state, change.actor, change.user) == ("linked", user, user)


@pytest.mark.django_db
def test_a_group_order_links_the_position_with_the_matching_email():
    conference = ConferenceFactory()
    TicketFactory(conference=conference, order_code="GRP1", holder_email="first@example.org")
    mine = TicketFactory(conference=conference, order_code="GRP1", holder_email="second@example.org")
    assert claim(UserFactory(), mine).ticket == mine


@pytest.mark.django_db
@pytest.mark.parametrize("wrong", ["code", "email", "conference"])
def test_any_wrong_detail_gets_the_same_generic_answer_and_is_logged(wrong):
    ticket = TicketFactory()
    other_conference_ticket = TicketFactory(order_code="ELSEWHERE", holder_email="e@example.org")
    user = UserFactory()
    kwargs = {"code": "NOPE"} if wrong == "code" else {"email": "nope@example.org"} if wrong == "email" else {}
    target = ticket if wrong != "conference" else other_conference_ticket
    with pytest.raises(services.ClaimRefused) as refusal:
        if wrong == "conference":
            services.ticket_claim_by_order_code(
                user=user, conference=ticket.conference, order_code=target.order_code, email=target.holder_email, ip=IP
            )
        else:
            claim(user, ticket, **kwargs)
    assert refusal.value.message == GENERIC_FAILURE
    failure = TicketClaimFailure.objects.get()
    assert (failure.kind, failure.user, failure.ip_address) == ("no_match", user, IP)
    assert not TicketClaim.objects.exists()


@pytest.mark.django_db
def test_a_second_claim_is_refused_clearly_and_logged_for_the_organizers():
    ticket = TicketFactory()
    first, second = UserFactory(), UserFactory()
    claim(first, ticket)
    with pytest.raises(services.ClaimRefused) as refusal:
        claim(second, ticket)
    assert refusal.value.message == ALREADY_CLAIMED
    failure = TicketClaimFailure.objects.get()
    assert (failure.kind, failure.user, failure.ticket) == ("already_claimed", second, ticket)
    assert TicketClaim.objects.get().user == first


@pytest.mark.django_db
def test_one_ticket_per_account_and_conference():
    conference = ConferenceFactory()
    user = UserFactory()
    claim(user, TicketFactory(conference=conference))
    with pytest.raises(services.ClaimRefused, match="already linked ticket"):
        claim(user, TicketFactory(conference=conference))
    claim(user, TicketFactory())  # another conference is fine
    assert user.ticket_claims.count() == 2


@pytest.mark.django_db
def test_a_cancelled_ticket_cannot_be_linked():
    ticket = TicketFactory(status=Ticket.Status.CANCELLED)
    with pytest.raises(services.ClaimRefused, match="cancelled"):
        claim(UserFactory(), ticket)
    assert not TicketClaim.objects.exists()


@pytest.mark.django_db
def test_guessing_is_throttled_per_account_even_with_the_right_details():
    ticket = TicketFactory()
    user = UserFactory()
    for attempt in range(throttle.PER_USER.attempts):
        with pytest.raises(services.ClaimRefused, match="could not link"):
            claim(user, ticket, code=f"GUESS{attempt}", ip=f"198.51.100.{attempt}")
    with pytest.raises(services.ClaimRefused) as refusal:
        claim(user, ticket, ip="198.51.100.200")  # right details, fresh IP: still refused
    assert refusal.value.message == throttle.THROTTLED_MESSAGE
    assert not TicketClaim.objects.exists()
    kinds = list(TicketClaimFailure.objects.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == ["no_match"] * throttle.PER_USER.attempts + ["throttled"]


@pytest.mark.django_db
def test_guessing_is_throttled_per_ip_across_accounts():
    ticket = TicketFactory()
    for attempt in range(throttle.PER_IP.attempts):
        with pytest.raises(services.ClaimRefused):
            claim(UserFactory(), ticket, code=f"GUESS{attempt}")
    with pytest.raises(services.ClaimRefused) as refusal:
        claim(UserFactory(), ticket)
    assert refusal.value.message == throttle.THROTTLED_MESSAGE
    assert claim(UserFactory(), ticket, ip="192.0.2.1").ticket == ticket  # another IP, another account: fine


@pytest.mark.django_db
def test_verified_email_links_ticket_and_speaker_profile_but_unverified_does_not():
    conference = ConferenceFactory()
    ticket = TicketFactory(conference=conference, holder_email="Ada@Example.org")
    speaker = SpeakerFactory(conference=conference, email="ADA@example.org")
    talk = TalkFactory(conference=conference, speakers=[speaker])
    user = UserFactory(email="ada@example.org", verified=False)
    EmailAddress.objects.create(user=user, email="ada@example.org", verified=False, primary=True)
    assert services.account_links_apply(user=user) == 0
    assert talk_ids_of_user(user=user, conference=conference) == set()
    EmailAddress.objects.filter(user=user).update(verified=True)
    assert services.account_links_apply(user=user) == 1
    assert TicketClaim.objects.get(user=user).ticket == ticket
    assert TicketClaim.objects.get(user=user).method == TicketClaim.Method.EMAIL
    speaker.refresh_from_db()
    assert speaker.user == user
    assert talk_ids_of_user(user=user, conference=conference) == {talk.pk}


@pytest.mark.django_db
def test_talk_ids_of_user_by_email_alone_and_scoped_to_the_conference():
    conference = ConferenceFactory()
    user = UserFactory(email="speaker@example.org")
    EmailAddress.objects.create(user=user, email="second@EXAMPLE.org", verified=True)
    by_second_email = TalkFactory(
        conference=conference, speakers=[SpeakerFactory(conference=conference, email="Second@example.org")]
    )
    TalkFactory(conference=conference, speakers=[SpeakerFactory(conference=conference)])  # someone else's
    TalkFactory(speakers=[SpeakerFactory(email="speaker@example.org")])  # other conference
    TalkFactory(conference=conference, speakers=[SpeakerFactory(conference=conference, email="")])  # no email
    assert talk_ids_of_user(user=user, conference=conference) == {by_second_email.pk}


@pytest.mark.django_db
def test_confirming_an_email_links_through_the_allauth_signal(client):
    from allauth.account.signals import email_confirmed

    ticket = TicketFactory(holder_email="new@example.org")
    user = UserFactory(email="new@example.org", verified=False)
    address = EmailAddress.objects.create(user=user, email="new@example.org", verified=True, primary=True)
    email_confirmed.send(sender=EmailAddress, request=None, email_address=address)
    assert user.ticket_claims.get().ticket == ticket


@pytest.mark.django_db
def test_one_time_links_link_once_and_only_while_fresh():
    ticket = TicketFactory(holder_email="holder@example.org")
    claimed = TicketClaimFactory()  # skipped: already linked
    cancelled = TicketFactory(conference=ticket.conference, status=Ticket.Status.CANCELLED)  # skipped
    links = {}
    result = services.ticket_invitations_send(
        tickets=Ticket.objects.filter(pk__in=[ticket.pk, claimed.ticket_id, cancelled.pk]),
        by=None,
        link_for=lambda token: links.setdefault("link", f"https://vote.example/ticket-link/{token}/"),
    )
    assert result == {"sent": 1, "skipped": 2}
    assert mail.outbox[0].to == ["holder@example.org"] and links["link"] in mail.outbox[0].body
    token = links["link"].rstrip("/").rsplit("/", 1)[1]
    invitation = TicketInvitation.objects.get()
    assert token not in invitation.token_hash  # only the hash is kept

    user = UserFactory()
    made = services.ticket_claim_by_invitation(user=user, token=token, ip=IP)
    assert (made.ticket, made.method) == (ticket, TicketClaim.Method.LINK)
    invitation.refresh_from_db()
    assert invitation.used_by == user and invitation.used_at is not None
    assert services.ticket_claim_by_invitation(user=user, token=token, ip=IP) == made  # a second click: no harm
    with pytest.raises(services.ClaimRefused, match="not valid any more"):
        services.ticket_claim_by_invitation(user=UserFactory(), token=token, ip=IP)
    assert TicketClaimFailure.objects.get().kind == "bad_link"


@pytest.mark.django_db
def test_expired_links_are_refused():
    ticket = TicketFactory()
    now = timezone.now()
    import hashlib

    TicketInvitation.objects.create(
        ticket=ticket,
        token_hash=hashlib.sha256(b"old-token").hexdigest(),
        sent_to=ticket.holder_email,
        created_at=now - dt.timedelta(days=40),
        expires_at=now - dt.timedelta(days=10),
    )
    with pytest.raises(services.ClaimRefused, match="expired"):
        services.ticket_claim_by_invitation(user=UserFactory(), token="old-token", ip=IP)
    assert not TicketClaim.objects.exists()


@pytest.mark.django_db
def test_claiming_a_voting_ticket_fulfils_an_active_pledge():
    ticket = TicketFactory()
    pledge = PledgeFactory(conference=ticket.conference)
    claim(pledge.user, ticket)
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.FULFILLED
    change = StateChange.objects.get(pledge=pledge)
    assert (change.from_state, change.to_state) == ("active", "fulfilled")


@pytest.mark.django_db
def test_a_stream_only_ticket_leaves_the_pledge_active():
    ticket = TicketFactory(ticket_type__may_vote=False)
    pledge = PledgeFactory(conference=ticket.conference)
    claim(pledge.user, ticket)
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.ACTIVE


@pytest.mark.django_db
def test_organizers_unlink_with_a_recorded_reason():
    made = TicketClaimFactory()
    organizer = UserFactory(is_staff=True)
    services.ticket_claim_revoke(claim=made, by=organizer, reason="Wrong person.")
    assert not TicketClaim.objects.exists()
    change = StateChange.objects.get(to_state="unlinked")
    assert (change.actor, change.user, change.reason) == (organizer, made.user, "Wrong person.")


def _invitation_token(ticket) -> str:
    links = {}
    services.ticket_invitations_send(
        tickets=Ticket.objects.filter(pk=ticket.pk),
        by=None,
        link_for=lambda token: links.setdefault("token", token),
    )
    return links["token"]


@pytest.mark.django_db
def test_a_link_to_the_ticket_i_already_linked_returns_my_link_and_one_to_another_is_refused():
    """The one-time link arrives after the holder linked a ticket by its order code: clicking the link
    of that same ticket shows their link; the link of a second ticket of the conference is refused (one
    account holds one ticket), and nothing changes."""
    mine = TicketFactory(holder_email="holder@example.org")
    user = UserFactory()
    token = _invitation_token(mine)
    made = claim(user, mine)
    assert services.ticket_claim_by_invitation(user=user, token=token, ip=IP) == made

    second = TicketFactory(conference=mine.conference, holder_email="friend@example.org")
    with pytest.raises(services.ClaimRefused, match="You already linked another ticket for this conference"):
        services.ticket_claim_by_invitation(user=user, token=_invitation_token(second), ip=IP)
    assert list(TicketClaim.objects.values_list("user", "ticket")) == [(user.pk, mine.pk)]


@pytest.mark.django_db
def test_unlinking_without_a_reason_is_refused_and_keeps_the_link():
    made = TicketClaimFactory()
    with pytest.raises(services.ClaimRefused, match="Say why the ticket is unlinked"):
        services.ticket_claim_revoke(claim=made, by=UserFactory(is_staff=True), reason="   ")
    assert TicketClaim.objects.filter(pk=made.pk).exists()
    assert not StateChange.objects.filter(to_state="unlinked").exists()


@pytest.mark.django_db(transaction=True)
def test_two_people_claiming_one_ticket_at_once_exactly_one_wins(postgres):
    ticket = TicketFactory()
    users = [UserFactory(), UserFactory()]
    barrier = threading.Barrier(2)
    outcomes: dict[int, str] = {}

    def attempt(user):
        try:
            barrier.wait(timeout=10)
            claim(user, ticket, ip=f"198.51.100.{user.pk % 250}")
            outcomes[user.pk] = "linked"
        except services.ClaimRefused as refusal:
            outcomes[user.pk] = refusal.message
        finally:
            db_connection.close()

    threads = [threading.Thread(target=attempt, args=(u,)) for u in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes.values()) == sorted(["linked", ALREADY_CLAIMED])
    winner = next(pk for pk, outcome in outcomes.items() if outcome == "linked")
    assert TicketClaim.objects.get(ticket=ticket).user_id == winner
    assert TicketClaimFailure.objects.get().kind == "already_claimed"
