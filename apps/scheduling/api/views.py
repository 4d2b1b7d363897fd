"""Published schedules (public) and committee overrides (organizers)."""

import json

from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.scheduling import selectors
from apps.scheduling.admin_proposals import proposals_compare
from apps.scheduling.exports.frab_json import FrabJsonExporter
from apps.scheduling.models import ScheduleOverride, ScheduleProposal, ScheduleRelease
from apps.scheduling.proposals import proposal_cancel, proposal_publish, proposal_start
from apps.scheduling.transparency import transparency_content, transparency_document
from apps.talks.api.views import PUBLIC_MAX_AGE, PublicCacheMixin
from apps.talks.models import Conference
from confvote.rest import IsConferenceOrganizer, WritesThrottled
from confvote.stored import stored_response

from .serializers import (
    CompareRowOut,
    OverrideIn,
    OverrideOut,
    ProposalDetailOut,
    ProposalIn,
    ProposalOut,
    PublishIn,
    ReleaseOut,
)


def _public_conference(slug: str) -> Conference:
    return get_object_or_404(Conference.objects.exclude(status=Conference.Status.DRAFT), slug=slug)


class ReleaseList(PublicCacheMixin, generics.ListAPIView):
    """Every published version of the schedule, newest first."""

    queryset = ScheduleRelease.objects.none()  # for the schema; get_queryset scopes the real one

    serializer_class = ReleaseOut

    def get_queryset(self):
        return ScheduleRelease.objects.filter(conference=_public_conference(self.kwargs["slug"])).order_by("-version")


def _requested_release(request, slug):
    version = request.GET.get("version")
    if version is not None and not version.isdecimal():
        raise ValidationError({"version": "A version is a whole number."})
    release = selectors.release_get(conference=_public_conference(slug), version=int(version) if version else None)
    if release is None:
        raise Http404("No schedule has been published yet." if version is None else "No such schedule version.")
    return release


class ScheduleDocument(PublicCacheMixin, APIView):
    """The published schedule as a frab/c3voc schedule.json document (latest, or ?version=N).

    Its ETag digests everything the document shows (selectors.ScheduleSource), as the public feeds'
    does: a client that has it gets a 304 without it being drawn. The browsable API draws it as a page
    of its own, which that ETag does not describe."""

    @extend_schema(
        parameters=[OpenApiParameter("version", OpenApiTypes.INT, required=False)],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request, slug: str):
        release = _requested_release(request, slug)
        source = selectors.schedule_source(release=release)
        base_url = request.build_absolute_uri("/")

        def document() -> Response:
            schedule = selectors.published_schedule(release=release, base_url=base_url, source=source)
            return Response(FrabJsonExporter.document(schedule))

        if request.accepted_renderer.format != "json":
            return document()
        return stored_response(
            request, etag=f"{source.digest(base_url=base_url)}-api", max_age=PUBLIC_MAX_AGE, respond=document
        )


class OverrideList(WritesThrottled, generics.ListCreateAPIView):
    """The committee's overrides (pin, exclude, fix), each with its published reason."""

    queryset = ScheduleOverride.objects.none()  # for the schema; get_queryset scopes the real one

    permission_classes = [IsConferenceOrganizer]
    serializer_class = OverrideOut

    def conference(self) -> Conference:
        return get_object_or_404(Conference, slug=self.kwargs["slug"])

    def get_queryset(self):
        return ScheduleOverride.objects.filter(conference=self.conference()).select_related("created_by")

    @extend_schema(request=OverrideIn, responses={201: OverrideOut})
    def post(self, request, slug: str):
        conference = self.conference()
        data = OverrideIn(data=request.data, context={"conference": conference})
        data.is_valid(raise_exception=True)
        try:
            with transaction.atomic():
                override = ScheduleOverride.objects.create(
                    conference=conference, created_by=request.user, **data.validated_data
                )
        except IntegrityError:
            raise ValidationError(
                {"kind": "This talk already has an override of this kind; delete it first."}
            ) from None
        return Response(OverrideOut(override).data, status=status.HTTP_201_CREATED)


class OverrideDetail(WritesThrottled, generics.RetrieveDestroyAPIView):
    permission_classes = [IsConferenceOrganizer]
    serializer_class = OverrideOut

    def get_queryset(self):
        return ScheduleOverride.objects.filter(conference__slug=self.kwargs["slug"]).select_related("created_by")


class OrganizerConferenceMixin:
    permission_classes = [IsConferenceOrganizer]

    def conference(self) -> Conference:
        return get_object_or_404(Conference, slug=self.kwargs["slug"])


class ProposalList(WritesThrottled, OrganizerConferenceMixin, generics.ListAPIView):
    """Proposals of a conference, newest first; POST starts one (or returns the live one for the same inputs)."""

    serializer_class = ProposalOut
    queryset = ScheduleProposal.objects.none()

    def get_queryset(self):
        return ScheduleProposal.objects.filter(conference=self.conference()).order_by("-created_at")

    @extend_schema(request=ProposalIn, responses={201: ProposalOut, 200: ProposalOut})
    def post(self, request, slug: str):
        data = ProposalIn(data=request.data)
        data.is_valid(raise_exception=True)
        proposal, created = proposal_start(
            conference=self.conference(), parameters=data.validated_data, by=request.user
        )
        return Response(ProposalOut(proposal).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ProposalDetail(OrganizerConferenceMixin, generics.RetrieveAPIView):
    """One proposal with its progress, and its full result (decisions, reasons, satisfaction) once done."""

    serializer_class = ProposalDetailOut
    queryset = ScheduleProposal.objects.none()

    def get_queryset(self):
        return ScheduleProposal.objects.filter(conference=self.conference())


class ProposalCancel(OrganizerConferenceMixin, APIView):
    throttle_scope = "writes"

    @extend_schema(request=None, responses={200: ProposalOut})
    def post(self, request, slug: str, pk: int):
        proposal = get_object_or_404(ScheduleProposal, conference=self.conference(), pk=pk)
        proposal_cancel(proposal=proposal)
        proposal.refresh_from_db()
        return Response(ProposalOut(proposal).data)


class ProposalPublish(OrganizerConferenceMixin, APIView):
    throttle_scope = "writes"

    @extend_schema(request=PublishIn, responses={201: ReleaseOut})
    def post(self, request, slug: str, pk: int):
        proposal = get_object_or_404(ScheduleProposal, conference=self.conference(), pk=pk)
        data = PublishIn(data=request.data)
        data.is_valid(raise_exception=True)
        release = proposal_publish(proposal=proposal, changelog=data.validated_data["changelog"], by=request.user)
        return Response(ReleaseOut(release).data, status=status.HTTP_201_CREATED)


class ProposalCompare(OrganizerConferenceMixin, APIView):
    """What moved between two proposals of the conference (?a=<id>&b=<id>)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("a", OpenApiTypes.INT, required=True),
            OpenApiParameter("b", OpenApiTypes.INT, required=True),
        ],
        responses={200: CompareRowOut(many=True)},
    )
    def get(self, request, slug: str):
        conference = self.conference()
        ids = [request.GET.get("a", ""), request.GET.get("b", "")]
        if not all(i.isdecimal() for i in ids):
            raise ValidationError({"a": "Give two proposal ids as ?a=<id>&b=<id>."})
        first, second = (get_object_or_404(ScheduleProposal, conference=conference, pk=int(i)) for i in ids)
        rows = proposals_compare(first, second)["rows"]
        return Response(
            [
                {
                    "talk_id": r["talk_id"],
                    "before": r["before"],
                    "after": r["after"],
                    "slot_before": getattr(r["slot_before"], "pk", None),
                    "slot_after": getattr(r["slot_after"], "pk", None),
                    "why": r["why"],
                }
                for r in rows
            ]
        )


class TransparencyReport(PublicCacheMixin, APIView):
    """How the votes were used for the newest published schedule: every talk's decision and its reasons.

    Served from the stored document (apps/scheduling/transparency.py), with its ETag: a client that has
    the current report gets a 304 without it being read. The browsable API draws the same document as a
    page of its own, which the ETag of the JSON bytes does not describe."""

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request, slug: str):
        release = _requested_release(request, slug)
        document = transparency_document(release=release)
        if request.accepted_renderer.format != "json":
            return Response(json.loads(transparency_content(document=document)))
        return stored_response(
            request,
            etag=document.etag,
            max_age=PUBLIC_MAX_AGE,
            respond=lambda: HttpResponse(transparency_content(document=document), content_type="application/json"),
        )
