"""Integrators record the conference's own promotions through the API (an app vendor's pushes, a
newsletter tool's mailings), so that bloc detection takes the votes they bring as explained (round 20
in docs/blocs.md). Organizers only, as the bloc review; a tool's retry with its own `external_id`
gets the promotion it already recorded."""

import datetime as dt

from django import forms
from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField, RangeField
from django_filters.widgets import DateRangeWidget
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from apps.ballots.models import Promotion
from apps.ballots.services.promotions import (
    PromotionConflict,
    promotion_change,
    promotion_record,
    promotion_suggestions_current,
)
from apps.talks.models import Conference, Talk
from confvote.rest import IsConferenceOrganizer, WritesThrottled

from .mine import Refused

MAX_TALKS = 50
# A tool may schedule a push a little ahead and record it when it schedules it; a date further out
# is a mistake (a wrong year or time zone) that would explain votes nobody has cast yet.
MAX_AHEAD = dt.timedelta(days=1)
# Nothing this site counts was cast before; an earlier time is a mistyped year (it would explain nothing).
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
# The largest id a database integer holds: a larger one can name no talk (and must not reach the query).
MAX_ID = 2**63 - 1


class PromotionOut(serializers.ModelSerializer):
    talks = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    created_by = serializers.EmailField(source="created_by.email", default=None, allow_null=True)

    class Meta:
        model = Promotion
        fields = ["id", "sent_at", "channel", "description", "talks", "external_id", "created_by", "created_at"]
        read_only_fields = fields


class AwareDateTimeField(serializers.DateTimeField):
    """An ISO 8601 time with its offset: a time without one could be any of 26 hours."""

    default_error_messages = {
        "naive": "Give the time zone too, e.g. 2027-01-19T10:00:00Z or 2027-01-19T11:00:00+01:00.",
    }

    def enforce_timezone(self, value):
        if timezone.is_naive(value):
            self.fail("naive")
        return super().enforce_timezone(value)


class PromotionIn(serializers.Serializer):
    """What went out, where, when, and which talks it featured. Who recorded it comes from the server."""

    sent_at = AwareDateTimeField(help_text="When it went out, with its time zone; at most a day ahead.")
    channel = serializers.CharField(
        max_length=100,
        help_text="Where it went out, e.g. app push, newsletter, Mastodon.",
        error_messages={"blank": "Say where the promotion went out (e.g. app push, newsletter, Mastodon)."},
    )
    description = serializers.CharField(max_length=5000, allow_blank=True, default="")
    talks = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        min_length=1,
        max_length=MAX_TALKS,
        help_text=f"Ids of the talks it featured: 1 to {MAX_TALKS} of this conference's talks, each once.",
        error_messages={
            "empty": "Name at least one talk the promotion featured.",
            "min_length": "Name at least one talk the promotion featured.",
            "max_length": f"A promotion features at most {MAX_TALKS} talks; record a longer one in parts.",
        },
    )
    external_id = serializers.CharField(
        max_length=200,
        allow_blank=True,
        default="",
        help_text="Your own id for it: posting it again with the same id returns the promotion already recorded.",
    )

    def validate_sent_at(self, value):
        if value < EARLIEST:
            raise serializers.ValidationError("This is before 2000; check the year.")
        if value > timezone.now() + MAX_AHEAD:
            raise serializers.ValidationError(
                "This is more than a day ahead; record a promotion when it goes out (check the year and time zone)."
            )
        return value

    def validate_talks(self, value):
        twice = sorted({t for t in value if value.count(t) > 1})
        if twice:
            raise serializers.ValidationError(f"Name each talk once; listed more than once: {_ids(twice)}.")
        conference = self.context["conference"]
        found = {t.pk: t for t in Talk.objects.filter(conference=conference, pk__in=value)}
        missing = [t for t in value if t not in found]
        if missing:
            raise serializers.ValidationError(f"No talk {_ids(missing)} in this conference.")
        return [found[t] for t in value]


class PromotionChangeIn(PromotionIn):
    """A correction: any of the fields, checked as when recording. The external_id cannot change."""

    external_id = None

    def validate(self, attrs):
        sent = self.initial_data.get("external_id", self.context["promotion"].external_id)
        if sent != self.context["promotion"].external_id:
            raise serializers.ValidationError(
                {"external_id": "The external_id cannot change (the sending tool finds the promotion by it)."}
            )
        return attrs


def _ids(ids) -> str:
    return ", ".join(str(i) for i in ids)


class UtcDateTimeField(IsoDateTimeField):
    """An ISO 8601 time as the database compares it (UTC): a time that has no UTC equivalent, such as
    0001-01-01T00:00+14:00, is an invalid parameter rather than an error in the query."""

    default_error_messages = {
        "invalid": "Enter an ISO 8601 time, e.g. 2027-01-19T10:00:00Z (read as UTC without a zone)."
    }

    def to_python(self, value):
        value = super().to_python(value)
        try:
            return None if value is None else value.astimezone(dt.UTC)
        except OverflowError:
            raise forms.ValidationError("This time is out of range.", code="overflow") from None


class UtcDateTimeRangeField(RangeField):
    widget = DateRangeWidget  # the parameters are <name>_after and <name>_before

    def __init__(self, *args, **kwargs):
        super().__init__((UtcDateTimeField(), UtcDateTimeField()), *args, **kwargs)


class UtcDateTimeFromToRangeFilter(filters.IsoDateTimeFromToRangeFilter):
    field_class = UtcDateTimeRangeField


class PromotionFilter(filters.FilterSet):
    channel = filters.CharFilter(lookup_expr="iexact", label="Where it went out (any case)")
    sent_at = UtcDateTimeFromToRangeFilter(label="Sent in this range (sent_at_after, sent_at_before)")
    talk = filters.NumberFilter(
        method="featuring", min_value=1, max_value=MAX_ID, step_size=1, label="Featured this talk (id)"
    )

    class Meta:
        model = Promotion
        fields = ["channel", "sent_at", "talk"]

    def featuring(self, queryset, name, value):
        # One join: the talk, while it is still the promotion's conference's (a talk can be moved).
        return queryset.filter(talks=value, talks__conference=F("conference"))


def own_talks(**conference) -> Prefetch:
    """The talks a promotion featured that are still its conference's: a talk moved to another
    conference since is that conference's business (its id is not shown, nor compared on a retry)."""
    return Prefetch("talks", queryset=Talk.objects.filter(**conference))


class PromotionList(WritesThrottled, generics.ListAPIView):
    """The conference's recorded promotions, newest first; filter by `channel`, `sent_at_after`,
    `sent_at_before` and `talk`. POST records one (201); posting an `external_id` the conference already
    holds returns that promotion (200) when the rest is the same, and 409 when it is not."""

    permission_classes = [IsConferenceOrganizer]
    serializer_class = PromotionOut
    queryset = Promotion.objects.none()
    filterset_class = PromotionFilter

    def conference(self) -> Conference:
        return get_object_or_404(Conference, slug=self.kwargs["slug"])

    def get_queryset(self):
        conference = self.conference()
        return (
            Promotion.objects.filter(conference=conference)
            .select_related("created_by")
            .prefetch_related(own_talks(conference=conference))
            .order_by("-sent_at", "-pk")
        )

    @extend_schema(
        request=PromotionIn,
        responses={
            201: PromotionOut,
            200: PromotionOut,
            409: OpenApiResponse(description="The external_id already records a different promotion."),
        },
    )
    def post(self, request, slug: str):
        conference = self.conference()
        data = PromotionIn(data=request.data, context={"conference": conference})
        data.is_valid(raise_exception=True)
        try:
            promotion, created = promotion_record(conference=conference, by=request.user, **data.validated_data)
        except PromotionConflict as conflict:
            raise Refused(conflict.message, status.HTTP_409_CONFLICT, code="conflict") from None
        return Response(PromotionOut(promotion).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class PromotionDetail(WritesThrottled, generics.RetrieveDestroyAPIView):
    """One recorded promotion. PATCH corrects it (any of sent_at, channel, description, talks; checked
    as when recording); DELETE forgets it (the next detection tests its hours again)."""

    permission_classes = [IsConferenceOrganizer]
    serializer_class = PromotionOut
    queryset = Promotion.objects.none()

    def get_queryset(self):
        return (
            Promotion.objects.filter(conference__slug=self.kwargs["slug"])
            .select_related("conference", "created_by")
            .prefetch_related(own_talks(conference__slug=self.kwargs["slug"]))
        )

    @extend_schema(request=PromotionChangeIn, responses={200: PromotionOut})
    def patch(self, request, slug: str, pk: int):
        promotion = self.get_object()
        data = PromotionChangeIn(
            data=request.data, partial=True, context={"conference": promotion.conference, "promotion": promotion}
        )
        data.is_valid(raise_exception=True)
        promotion = promotion_change(promotion=promotion, **data.validated_data)
        return Response(PromotionOut(self.get_queryset().get(pk=promotion.pk)).data)


class PromotionSuggestionOut(serializers.Serializer):
    """One suggested promotion, as the admin's "Suggested promotions" page shows it."""

    at = serializers.SerializerMethodField(
        help_text="When the first voter who rated two or more of the talks together rated one of them (UTC, to "
        "the minute): record the promotion at the time it went out, at or before this."
    )
    start = serializers.SerializerMethodField(help_text="Where the talks' burst windows begin (UTC).")
    end = serializers.SerializerMethodField(help_text="Where they end (UTC).")
    talks = serializers.ListField(
        child=serializers.IntegerField(), source="talk_ids", help_text="Ids of the talks that burst together."
    )
    voters = serializers.IntegerField(help_text="Distinct voters in the talks' burst windows.")
    co_raters = serializers.IntegerField(
        help_text="Of them, those who rated two or more of the talks within minutes (15), or, for a mailing read over "
        "the day, between 15 minutes and 24 hours apart (the evidence says which)."
    )
    expected = serializers.FloatField(help_text="How many such voters site-wide activity predicts.")
    talks_per_co_rater = serializers.FloatField(
        help_text="How many of the talks each of them rated, on average (a newsletter's readers pick a few)."
    )
    evidence = serializers.CharField(help_text="The sentence the admin shows.")

    @staticmethod
    def _time(seconds: int) -> str:
        return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).isoformat().replace("+00:00", "Z")

    def get_at(self, suggestion) -> str:
        return self._time(suggestion.at)

    def get_start(self, suggestion) -> str:
        return self._time(suggestion.start)

    def get_end(self, suggestion) -> str:
        return self._time(suggestion.end)


class PromotionSuggestionList(generics.ListAPIView):
    """Promotions the organizers may have sent without recording them, as the admin suggests them:
    moments when at least three talks burst together and many of the same voters rated two or more of
    them within minutes, or hours apart within a day, far more than site-wide activity predicts.
    Earliest first. Read-only; stored with a digest of the votes, promotions and rule it was computed
    from and computed again when they change, so a recorded promotion's moment is gone from the next
    answer; recording one is the ordinary POST to the promotions endpoint. A campaign pushing several
    talks looks the same: record only what you sent."""

    permission_classes = [IsConferenceOrganizer]
    serializer_class = PromotionSuggestionOut
    queryset = Promotion.objects.none()

    def get_queryset(self):
        conference = get_object_or_404(Conference, slug=self.kwargs["slug"])
        return promotion_suggestions_current(conference=conference)
