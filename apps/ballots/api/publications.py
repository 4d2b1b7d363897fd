"""Publishing the tally through the API, as a run to poll (the worker publishes; see services/publication.py)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response

from apps.ballots.models import TallyPublicationRun
from apps.ballots.services.publication import tally_publication_start
from apps.talks.models import Conference
from confvote.rest import IsConferenceOrganizer

from .blocs import ConferenceRunOut


class PublicationRunOut(ConferenceRunOut):
    """A publication of the tally: its progress, then the published snapshot and board, or why it failed."""

    detection = serializers.IntegerField(
        source="detection_id",
        allow_null=True,
        help_text="The detection run it ran first (GET …/blocs/runs/{id}/); null when another detection was "
        "under way (it ran after that one), or once that run was pruned (the newest 200 are kept).",
    )
    bulletin_head = serializers.CharField(
        source="snapshot.bulletin_head", default=None, allow_null=True, help_text="The published board's head."
    )
    bulletin_size = serializers.IntegerField(source="snapshot.bulletin_size", default=None, allow_null=True)
    step_seconds = serializers.DictField(
        child=serializers.FloatField(), help_text="Seconds each step took (detection, tally, board read, chain, …)."
    )

    class Meta:
        model = TallyPublicationRun
        fields = [
            *ConferenceRunOut.Meta.fields,
            "detection",
            "bulletin_head",
            "bulletin_size",
            "step_seconds",
        ]
        read_only_fields = fields


class PublicationRunList(generics.ListAPIView):
    """Publications of the conference's tally, newest first. POST queues one: 202 with the new run, or
    200 with the run already queued or running; poll GET …/tally/publications/{id}/ for its progress."""

    permission_classes = [IsConferenceOrganizer]
    serializer_class = PublicationRunOut
    queryset = TallyPublicationRun.objects.none()
    throttle_scope = "writes"

    def get_queryset(self):
        conference = get_object_or_404(Conference, slug=self.kwargs["slug"])
        runs = TallyPublicationRun.objects.filter(conference=conference)
        return runs.select_related("created_by", "snapshot")

    @extend_schema(request=None, responses={200: PublicationRunOut, 202: PublicationRunOut})
    def post(self, request, slug: str):
        conference = get_object_or_404(Conference, slug=slug)
        run, created = tally_publication_start(conference=conference, by=request.user)
        run = TallyPublicationRun.objects.select_related("created_by", "snapshot").get(pk=run.pk)
        return Response(PublicationRunOut(run).data, status=202 if created else 200)


class PublicationRunDetail(generics.RetrieveAPIView):
    """One publication: status, phase and percent while it runs, the published snapshot's board when
    done, or the reason it failed (and then nothing of it was published)."""

    permission_classes = [IsConferenceOrganizer]
    serializer_class = PublicationRunOut
    queryset = TallyPublicationRun.objects.none()

    def get_object(self):
        return get_object_or_404(
            TallyPublicationRun.objects.select_related("created_by", "snapshot"),
            conference__slug=self.kwargs["slug"],
            pk=self.kwargs["pk"],
        )
