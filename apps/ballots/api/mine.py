"""The signed-in attendee's own things through the API: ballot and votes, receipts, ticket link, pledge.

Every view reads and writes only the requester's own rows, for a signed-in session (an organizer
token is refused: confvote.rest.IsSignedInAttendee); who votes and with what weight always
comes from the server, never from the request."""

from decimal import Decimal

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.attendance import selectors as attendance
from apps.attendance.services.claims import ClaimRefused, ticket_claim_by_order_code
from apps.attendance.services.pledges import PledgeRefused, pledge_make, pledge_withdraw
from apps.attendance.services.throttle import client_ip
from apps.ballots import selectors
from apps.ballots.services import VoteRefused, vote_cast, vote_withdraw
from apps.talks.models import Conference
from confvote.rest import IsSignedInAttendee


class Refused(APIException):
    """A refusal with the service's own message and status (e.g. 409 when voting is closed)."""

    def __init__(self, message: str, status_code: int = 400, code: str = "refused"):
        self.status_code = status_code
        super().__init__(detail=message, code=code)


def _conference(slug: str) -> Conference:
    return get_object_or_404(Conference.objects.exclude(status=Conference.Status.DRAFT), slug=slug)


class WeightOut(serializers.Serializer):
    voter_class = serializers.CharField()
    weight = serializers.FloatField()
    reason = serializers.CharField()
    policy_version = serializers.IntegerField()


class BallotOut(serializers.Serializer):
    weight = WeightOut()
    votes = serializers.DictField(child=serializers.IntegerField(), help_text="talk id → score")
    rated = serializers.IntegerField()
    total = serializers.IntegerField()
    latest_receipt = serializers.CharField(allow_null=True)


class VoteIn(serializers.Serializer):
    score = serializers.IntegerField(allow_null=True, help_text="A point of the conference's scale; null withdraws.")


class VoteOut(serializers.Serializer):
    talk = serializers.IntegerField(source="talk_id")
    score = serializers.IntegerField(allow_null=True)
    changed = serializers.BooleanField()
    receipt = serializers.CharField(source="receipt.code", default=None, allow_null=True)
    rated = serializers.IntegerField()
    total = serializers.IntegerField()


class ReceiptOut(serializers.Serializer):
    code = serializers.CharField()
    sequence = serializers.IntegerField()
    at = serializers.DateTimeField()
    vote_count = serializers.IntegerField()


class TicketLinkIn(serializers.Serializer):
    order_code = serializers.CharField(max_length=64)
    email = serializers.EmailField()


class TicketOut(serializers.Serializer):
    order_code = serializers.CharField(source="ticket.order_code")
    ticket_type = serializers.CharField(source="ticket.ticket_type.name")
    status = serializers.CharField(source="ticket.status")
    claimed_at = serializers.DateTimeField()


class PledgeIn(serializers.Serializer):
    threshold = serializers.DecimalField(
        max_digits=4, decimal_places=3, min_value=Decimal("0.001"), max_value=Decimal("1"), required=False
    )


class PledgeOut(serializers.Serializer):
    status = serializers.CharField()
    threshold = serializers.DecimalField(max_digits=4, decimal_places=3)
    accepted_fraction = serializers.DecimalField(max_digits=4, decimal_places=3, allow_null=True)
    due_date = serializers.DateField(allow_null=True)


@extend_schema(auth=[{"cookieAuth": []}])  # a signed-in session: organizer tokens are refused (403)
class Mine(APIView):
    permission_classes = [IsSignedInAttendee]


class MyBallot(Mine):
    """My votes at a conference, my weight and why, my progress and my newest receipt."""

    @extend_schema(responses={200: BallotOut})
    def get(self, request, slug: str):
        conference = _conference(slug)
        rated, total = selectors.ballot_progress(user=request.user, conference=conference)
        receipt = selectors.receipt_latest(user=request.user, conference=conference)
        weight = selectors.voter_weight(user=request.user, conference=conference)
        return Response(
            {
                "weight": WeightOut(weight).data,
                "votes": {str(t): s for t, s in selectors.my_scores(user=request.user, conference=conference).items()},
                "rated": rated,
                "total": total,
                "latest_receipt": receipt.code if receipt else None,
            }
        )


class MyVote(Mine):
    """Cast, change (PUT with a score) or withdraw (DELETE, or a null score) my vote on one talk."""

    throttle_scope = "writes"

    @extend_schema(request=VoteIn, responses={200: VoteOut})
    def put(self, request, slug: str, talk_id: int):
        data = VoteIn(data=request.data)
        data.is_valid(raise_exception=True)
        conference = _conference(slug)
        try:
            if data.validated_data["score"] is None:
                outcome = vote_withdraw(user=request.user, conference=conference, talk_id=talk_id)
            else:
                outcome = vote_cast(
                    user=request.user, conference=conference, talk_id=talk_id, score=data.validated_data["score"]
                )
        except VoteRefused as refusal:
            raise Refused(refusal.message, refusal.status) from None
        return Response(VoteOut(outcome).data)

    @extend_schema(responses={200: VoteOut})
    def delete(self, request, slug: str, talk_id: int):
        try:
            outcome = vote_withdraw(user=request.user, conference=_conference(slug), talk_id=talk_id)
        except VoteRefused as refusal:
            raise Refused(refusal.message, refusal.status) from None
        return Response(VoteOut(outcome).data)


class MyReceipts(Mine):
    @extend_schema(responses={200: ReceiptOut(many=True)})
    def get(self, request, slug: str):
        receipts = selectors.receipts_of_user(user=request.user, conference=_conference(slug))[:200]
        return Response(ReceiptOut(receipts, many=True).data)


class MyTicket(Mine):
    """My linked ticket (404 when none); POST links one by order code and ticket email."""

    throttle_scope = "writes"

    @extend_schema(responses={200: TicketOut})
    def get(self, request, slug: str):
        claim = attendance.ticket_claim_of_user(user=request.user, conference=_conference(slug))
        if claim is None:
            raise Refused("You have not linked a ticket for this conference.", 404, "not_found")
        return Response(TicketOut(claim).data)

    @extend_schema(request=TicketLinkIn, responses={201: TicketOut})
    def post(self, request, slug: str):
        data = TicketLinkIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            claim = ticket_claim_by_order_code(
                user=request.user, conference=_conference(slug), ip=client_ip(request), **data.validated_data
            )
        except ClaimRefused as refusal:
            raise ValidationError({"order_code": refusal.message}) from None
        return Response(TicketOut(claim).data, status=status.HTTP_201_CREATED)


class MyPledge(Mine):
    """My pledge (404 when none); POST pledges or changes the threshold; DELETE withdraws."""

    throttle_scope = "writes"

    @extend_schema(responses={200: PledgeOut})
    def get(self, request, slug: str):
        pledge = attendance.pledge_of_user(user=request.user, conference=_conference(slug))
        if pledge is None:
            raise Refused("You have not pledged for this conference.", 404, "not_found")
        return Response(PledgeOut(pledge).data)

    @extend_schema(request=PledgeIn, responses={200: PledgeOut})
    def post(self, request, slug: str):
        data = PledgeIn(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            pledge = pledge_make(
                user=request.user, conference=_conference(slug), threshold=data.validated_data.get("threshold")
            )
        except PledgeRefused as refusal:
            raise Refused(refusal.message) from None
        return Response(PledgeOut(pledge).data)

    @extend_schema(responses={200: PledgeOut})
    def delete(self, request, slug: str):
        try:
            pledge = pledge_withdraw(user=request.user, conference=_conference(slug))
        except PledgeRefused as refusal:
            raise Refused(refusal.message) from None
        return Response(PledgeOut(pledge).data)
