"""Organizers review blocs through the API: list with evidence and effect, confirm or dismiss with a reason."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.ballots.bloc_csv import bloc_csv_response
from apps.ballots.models import Bloc, BlocDetectionRun, BlocSpeakerLink
from apps.ballots.selectors.bloc_review import blocs_matching
from apps.ballots.selectors.blocs import SIGNAL_CHOICES, blocs_with_signal
from apps.ballots.services.bloc_runs import bloc_decision_apply, bloc_detection_start
from apps.talks.models import Conference
from confvote.rest import IsConferenceOrganizer

from .promotions import MAX_ID


class BlocOut(serializers.ModelSerializer):
    talk = serializers.IntegerField(source="talk_id")
    decided_by = serializers.EmailField(source="decided_by.email", default=None, allow_null=True)
    spared = serializers.SerializerMethodField(
        help_text="How many members' votes count in full: their score does not move the talk the bloc's way."
    )

    class Meta:
        model = Bloc
        fields = [
            "id",
            "key",
            "talk",
            "direction",
            "size",
            "spared",
            "weight",
            "fair_share",
            "counts_as",
            "multiplier",
            "signals",
            "speaker_link",
            "evidence",
            "p_value",
            "score_before",
            "score_after",
            "rank_before",
            "rank_after",
            "present",
            "status",
            "reason",
            "decided_by",
            "decided_at",
            "first_detected_at",
            "last_detected_at",
        ]
        read_only_fields = fields

    def get_spared(self, obj) -> int:
        counted = getattr(obj, "spared_count", None)  # the list annotates it: one query for every bloc
        return obj.spared.count() if counted is None else counted


class DecisionIn(serializers.Serializer):
    status = serializers.ChoiceField(choices=Bloc.Status.choices)
    reason = serializers.CharField(max_length=2000, allow_blank=True, default="")


class StrictBooleanField(forms.NullBooleanField):
    """true or false (also True/False, 1/0); anything else is a 400, not silently no filter."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in (True, "True", "true", "1"):
            return True
        if value in (False, "False", "false", "0"):
            return False
        raise ValidationError("Use true or false.", code="invalid")


class StrictBooleanFilter(filters.BooleanFilter):
    field_class = StrictBooleanField

    def __init__(self, *args, **kwargs):
        # A text widget hands the value over as given (the usual boolean widgets turn "maybe" into None).
        super().__init__(*args, **{**kwargs, "widget": forms.TextInput})


class BlocFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=Bloc.Status.choices)
    direction = filters.ChoiceFilter(choices=[("support", "support"), ("oppose", "oppose"), ("alike", "alike")])
    present = StrictBooleanFilter(label="Found by the latest detection")
    signal = filters.ChoiceFilter(choices=SIGNAL_CHOICES, method="with_signal", label="A signal among the evidence")
    talk = filters.NumberFilter(method="on_talk", min_value=1, max_value=MAX_ID, step_size=1, label="On this talk (id)")
    track = filters.CharFilter(field_name="talk__track__slug", max_length=64, label="On a talk of this track (slug)")
    speaker_link = filters.ChoiceFilter(
        choices=[(c.value, c.value) for c in BlocSpeakerLink if c.value],
        label="How the group is linked to the speaker's organisation (exact, inferred, mixed)",
    )
    q = filters.CharFilter(
        method="matching",
        max_length=200,
        label="The talk's title or an evidence sentence contains this text (any case)",
    )

    class Meta:
        model = Bloc
        fields = ["status", "direction", "present", "signal", "talk", "track", "speaker_link", "q"]

    def with_signal(self, queryset, name, value):
        return blocs_with_signal(queryset, value)

    def on_talk(self, queryset, name, value: int):  # the hint documents an integer, not any number
        return queryset.filter(talk_id=value)

    def matching(self, queryset, name, value):
        return blocs_matching(queryset, value)


class BlocList(generics.ListAPIView):
    """Blocs found in the conference's votes, newest detection first. Members are never listed. Filter
    by `status`, `direction`, `present`, `signal`, `talk` (id), `track` (slug), `speaker_link` and `q` (text in the
    talk's title or an evidence sentence), e.g. `?signal=speakers&status=detected`."""

    permission_classes = [IsConferenceOrganizer]
    serializer_class = BlocOut
    queryset = Bloc.objects.none()
    filterset_class = BlocFilter

    def blocs(self):
        conference = get_object_or_404(Conference, slug=self.kwargs["slug"])
        return Bloc.objects.filter(conference=conference).order_by("-present", "pk")

    def get_queryset(self):
        blocs = self.blocs().select_related("decided_by")
        return blocs.annotate(spared_count=Count("spared", distinct=True))


class BlocExport(BlocList):
    """The blocs the list answers (same filters, same order, every page at once) as a CSV file: talk,
    status, size, signals, evidence, the discount, the talk's score and rank before and after, the
    decision's author, time and reason. Members are never listed. Errors are answered in JSON."""

    pagination_class = None

    def get_queryset(self):
        return self.blocs()  # the export joins and counts what it writes

    def perform_content_negotiation(self, request, force=False):
        # The answer is CSV whatever the client accepts; an error is JSON even to `Accept: text/csv`.
        return super().perform_content_negotiation(request, force=True)

    @extend_schema(
        operation_id="conferences_blocs_export_csv",
        filters=True,
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request, slug: str):
        return bloc_csv_response(self.filter_queryset(self.get_queryset()), name=f"blocs-{slug}")


class ConferenceRunOut(serializers.ModelSerializer):
    """What every run answers (services/runs.py): status, phase and percent, the snapshot, the error, who asked."""

    snapshot = serializers.IntegerField(source="snapshot_id", allow_null=True)
    created_by = serializers.EmailField(source="created_by.email", default=None, allow_null=True)

    class Meta:
        fields = [
            "id",
            "status",
            "phase",
            "progress_percent",
            "snapshot",
            "error",
            "created_by",
            "created_at",
            "started_at",
            "finished_at",
        ]


class BlocRunOut(ConferenceRunOut):
    """A bloc detection run: who or what asked, its progress, what it found."""

    inputs_digest = serializers.CharField(
        read_only=True,
        allow_null=True,
        help_text="The digest of the organizer data the run read (GET …/blocs/runs/{id}/ shows the data); "
        "two runs with the same digest read the same data. Null until the run has read it, and on runs made "
        "before runs recorded it.",
    )

    class Meta:
        model = BlocDetectionRun
        fields = [*ConferenceRunOut.Meta.fields, "trigger", "votes", "found", "new", "gone", "inputs_digest"]
        read_only_fields = fields


class RunPolicyOut(serializers.Serializer):
    id = serializers.IntegerField()
    version = serializers.IntegerField()


class RunPromotionOut(serializers.Serializer):
    id = serializers.IntegerField()
    sent_at = serializers.CharField(help_text="When it went out, UTC (ISO 8601).")
    channel = serializers.CharField()
    talks = serializers.ListField(child=serializers.IntegerField(), help_text="Ids of the talks it featured.")


class RunOrganisationOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    domains = serializers.ListField(child=serializers.CharField())
    company_names = serializers.ListField(child=serializers.CharField())


class RunInputsOut(serializers.Serializer):
    """The organizer data the run read, as it was then (later changes do not reach it)."""

    policy = RunPolicyOut(help_text="The weight policy version it applied.")
    promotions = RunPromotionOut(many=True, help_text="The promotions in force, in the order they went out.")
    organisations = RunOrganisationOut(many=True, help_text="The declared organisations, by name.")
    digest = serializers.CharField(help_text="Over all of it: two runs with the same digest read the same data.")


class BlocRunDetailOut(BlocRunOut):
    """A run with the organizer data it read (null until it has read it, and on runs made before runs
    recorded it)."""

    inputs = RunInputsOut(source="inputs_recorded", read_only=True, allow_null=True)
    inputs_summary = serializers.CharField(
        read_only=True, help_text="E.g. 3 promotions, 2 declared organisations, policy v4."
    )

    class Meta(BlocRunOut.Meta):
        fields = [*BlocRunOut.Meta.fields, "inputs", "inputs_summary"]
        read_only_fields = fields


class BlocDecisionOut(BlocOut):
    """The bloc with the decision recorded, and the run that applies it (poll it for the effect)."""

    recomputation = BlocRunOut(read_only=True)

    class Meta(BlocOut.Meta):
        fields = [*BlocOut.Meta.fields, "recomputation"]
        read_only_fields = fields


class BlocDecide(APIView):
    """Confirm (stronger discount) or dismiss (full weight) a bloc. 202: the decision is recorded and the
    recomputation that applies it is queued; the bloc's multiplier, the talk's score and rank change when
    that run ends (poll GET …/blocs/runs/{recomputation.id}/)."""

    permission_classes = [IsConferenceOrganizer]
    throttle_scope = "writes"

    @extend_schema(request=DecisionIn, responses={202: BlocDecisionOut})
    def post(self, request, slug: str, pk: int):
        bloc = get_object_or_404(Bloc, conference__slug=slug, pk=pk)
        data = DecisionIn(data=request.data)
        data.is_valid(raise_exception=True)
        bloc, run = bloc_decision_apply(bloc=bloc, by=request.user, **data.validated_data)
        return Response({**BlocOut(bloc).data, "recomputation": BlocRunOut(run).data}, status=202)


class BlocRunList(generics.ListAPIView):
    """Detection runs of the conference, newest first. POST queues one ("Detect now"): 202 with the
    new run, or 200 with the run already under way; poll GET …/blocs/runs/{id}/ for its progress."""

    permission_classes = [IsConferenceOrganizer]
    serializer_class = BlocRunOut
    queryset = BlocDetectionRun.objects.none()
    throttle_scope = "writes"

    def get_queryset(self):
        conference = get_object_or_404(Conference, slug=self.kwargs["slug"])
        return BlocDetectionRun.objects.filter(conference=conference).select_related("created_by")

    @extend_schema(request=None, responses={200: BlocRunOut, 202: BlocRunOut})
    def post(self, request, slug: str):
        conference = get_object_or_404(Conference, slug=slug)
        run, created = bloc_detection_start(conference=conference, by=request.user)
        return Response(BlocRunOut(run).data, status=202 if created else 200)


class BlocRunDetail(generics.RetrieveAPIView):
    """One detection run: status, phase and percent while it runs, what it found when done, and the
    organizer data it read (`inputs`: the weight policy version, the promotions and the declared
    organisations as they were, with a digest)."""

    permission_classes = [IsConferenceOrganizer]
    serializer_class = BlocRunDetailOut
    queryset = BlocDetectionRun.objects.none()

    def get_object(self):
        return get_object_or_404(
            BlocDetectionRun.objects.select_related("created_by"),
            conference__slug=self.kwargs["slug"],
            pk=self.kwargs["pk"],
        )
